"""The CSV import: the template, the dry run and the import itself."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from lantern.core import access
from lantern.core.audit import AuditContext
from lantern.intelligence import csv_formats, imports, selectors
from lantern.intelligence.forms import ImportForm


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    if not access.can_submit_intelligence(request.user):
        raise PermissionDenied
    response = HttpResponse(
        "".join(csv_formats.template_lines()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="intelligence-template.csv"'
    return response


@login_required
@never_cache
def import_reports(request: HttpRequest) -> HttpResponse:
    """Upload a CSV file: "Check" shows every problem (a dry run); "Import" stores it all.

    Import checks the whole file again first and stores nothing unless every row passes.
    The file is not kept between the two: a checked file is chosen again to import it.
    """
    auditing = AuditContext.from_request(request)
    user = request.user
    if not access.can_submit_intelligence(user):
        raise PermissionDenied
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if request.method == "POST" and form.is_valid():
        try:
            checked = imports.check_file(form.cleaned_data["file"])
        except csv_formats.FileRefused as refused:
            form.add_error("file", str(refused))
        else:
            key = form.cleaned_data["submission_key"]
            if checked.problems or request.POST.get("action") != "import":
                return render(
                    request,
                    "intelligence/import_dry_run.html",
                    {
                        "checked": checked,
                        "problems": checked.problems[: imports.PROBLEMS_SHOWN],
                        "form": ImportForm(initial={"submission_key": key}),
                    },
                    status=400 if checked.problems else 200,
                )
            result = imports.import_intelligence(
                actor=user, submission_key=key, rows=checked.rows, context=auditing
            )
            message = (
                _("%(count)s reports imported")
                if result.created
                else _("This file was already imported: %(count)s reports")
            )
            messages.success(request, message % {"count": result.count})
            # The import recorded the hits; the user learns that restricted intelligence
            # exists, and finds the reference on each report's page.
            if result.restricted:
                messages.info(
                    request,
                    _(
                        "Some of what these reports mention appears in intelligence you "
                        "cannot read. Open each report to see the reference to quote to the "
                        "intelligence hub."
                    ),
                )
            if not result.linked:
                messages.info(
                    request,
                    _(
                        "What the imported reports mention will be linked to other "
                        "intelligence in the background, within a few minutes."
                    ),
                )
            return redirect("intelligence:report_list")
    return render(
        request,
        "intelligence/import.html",
        {
            "form": form,
            "columns": csv_formats.COLUMNS,
            "codes": selectors.import_codes(user),
            "max_rows": csv_formats.MAX_ROWS,
        },
        status=400 if form.errors else 200,
    )
