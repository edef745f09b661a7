"""The entity page: aliases, keys, reports the viewer may read, network; and exclusion."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from lantern.core import access
from lantern.core.audit import AuditContext
from lantern.core.forms import add_refusal
from lantern.entities import hits, page, selectors, services
from lantern.entities.forms import ExclusionForm, NetworkFilterForm


@login_required
@never_cache
def entity_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_entity(request, pk, exclusion_form=None)


def _render_entity(
    request: HttpRequest, pk: int, *, exclusion_form: ExclusionForm | None, status: int = 200
) -> HttpResponse:
    auditing = AuditContext.from_request(request)
    user = request.user
    entity = selectors.entity_for_reading(user, pk)
    if entity.pk != entity.root_id:
        return redirect(entity.get_absolute_url())
    profile = hits.profile_for_reading(
        user, entity, common_limit=settings.ENTITY_COMMON_VALUE_LIMIT, context=auditing
    )
    filter_form = NetworkFilterForm(request.GET or None)
    network = selectors.network(user, entity, filter_form.filters())
    can_decide = access.can_triage_intelligence(user)
    if exclusion_form is None and can_decide and not entity.is_excluded:
        exclusion_form = ExclusionForm()
    return render(
        request,
        "entities/entity.html",
        {
            "profile": profile,
            "entity": profile.entity,
            "hit": profile.hit,
            "filter_form": filter_form,
            "network": network,
            "can_decide": can_decide,
            "exclusion_form": exclusion_form,
            # The linked victims (safeguarding) and the operations taking targets (operations).
            **page.contributed_context(user, entity),
        },
        status=status,
    )


@login_required
@require_POST
def exclude(request: HttpRequest, pk: int) -> HttpResponse:
    auditing = AuditContext.from_request(request)
    entity = selectors.entity_for_reading(request.user, pk)
    form = ExclusionForm(request.POST)
    if form.is_valid():
        try:
            services.exclude_entity(
                entity=entity,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                context=auditing,
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("This value no longer links reports."))
            return redirect(entity.get_absolute_url())
    return _render_entity(request, pk, exclusion_form=form, status=400)


@login_required
@require_POST
def include(request: HttpRequest, pk: int) -> HttpResponse:
    auditing = AuditContext.from_request(request)
    entity = selectors.entity_for_reading(request.user, pk)
    services.include_entity(entity=entity, actor=request.user, context=auditing)
    messages.success(request, _("This value links reports again."))
    return redirect(entity.get_absolute_url())
