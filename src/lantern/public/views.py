"""Pages of the public portal (no account) and the hub's list of public reports."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from lantern.core import access, session_timeout
from lantern.core.audit import AuditContext
from lantern.core.caching import public_content
from lantern.public import content, drafts, photos, presenters, selectors, services
from lantern.public.drafts import Draft
from lantern.public.forms import (
    FollowUpForm,
    LinkByEmailForm,
    LocalAreaForm,
    PhotosForm,
    SendForm,
)
from lantern.public.photos import MAX_PHOTO_BYTES, MAX_PHOTOS

# Information pages: spot the signs, get help, privacy, accessibility.


@public_content
def start(request: HttpRequest) -> HttpResponse:
    return render(request, "public/start.html", {"sign_pages": content.SIGN_PAGES})


@public_content
def signs(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "public/signs.html",
        {"general": content.GENERAL_SIGNS, "sign_pages": content.SIGN_PAGES},
    )


@public_content
def sign_page(request: HttpRequest, slug: str) -> HttpResponse:
    page = content.sign_page(slug)
    if page is None:
        raise Http404
    return render(request, "public/sign_page.html", {"page": page})


@public_content
def get_help(request: HttpRequest) -> HttpResponse:
    """The numbers to call, and the local services of the area a visitor chooses."""
    areas = selectors.areas_with_local_contacts()
    area_form = LocalAreaForm(request.GET if "area" in request.GET else None, areas=areas)
    chosen = area_form.cleaned_data["area"] if area_form.is_valid() else None
    return render(
        request,
        "public/get_help.html",
        {
            "channels": selectors.help_channels(),
            "area_form": area_form,
            "has_local_contacts": areas.exists(),
            "chosen_area": chosen,
            "local_contacts": selectors.local_contacts(chosen.pk if chosen else None),
        },
    )


@public_content
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "public/privacy.html")


@public_content
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "public/accessibility.html")


# The report form: one question page per step, a check page, then the confirmation.


@public_content
def report_start(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "public/report/start.html",
        {
            "first_step": drafts.STEPS[0].slug,
            "draft_minutes": session_timeout.idle_minutes(),
        },
    )


@never_cache
def report_step(request: HttpRequest, step: str) -> HttpResponse:
    current = drafts.step(step)
    if current is None:
        raise Http404
    draft = Draft(request.session)
    changing = request.GET.get("change") == "1"
    if current.slug == "photos":
        return _photos_step(request, draft, changing=changing)
    if request.method == "POST":
        form = current.form_class(request.POST)
        if form.is_valid():
            answers = form.answers()
            draft.save(current.slug, answers)
            if answers.get("immediate_danger") == "yes" and not changing:
                return redirect("public:call_999")
            return _onwards(current.slug, changing=changing)
    else:
        form = current.form_class(initial=current.form_class.initial_from(draft.answers(step)))
    return _question(request, current.slug, form, changing=changing)


def _question(
    request: HttpRequest, slug: str, form: Any, *, changing: bool, **context: Any
) -> HttpResponse:
    previous = drafts.previous_slug(slug)
    back = (
        reverse("public:check")
        if changing
        else reverse("public:step", args=[previous])
        if previous
        else reverse("public:report_start")
    )
    return render(
        request,
        "public/report/photos.html" if slug == "photos" else "public/report/question.html",
        {"form": form, "slug": slug, "back_href": back, "changing": changing, **context},
        status=400 if form.errors else 200,
    )


def _onwards(slug: str, *, changing: bool) -> HttpResponse:
    following = drafts.next_slug(slug)
    if changing or following is None:
        return redirect("public:check")
    return redirect("public:step", step=following)


def _photos_step(request: HttpRequest, draft: Draft, *, changing: bool) -> HttpResponse:
    stored = selectors.draft_photos(draft.key)
    if request.method == "POST":
        if _request_size(request) > MAX_PHOTOS * MAX_PHOTO_BYTES + 1024 * 1024:
            # A bound form, so that the error is shown (and named) like any other; nothing
            # of the upload is read.
            form = PhotosForm({}, {}, already=stored.count())
            form.is_valid()
            form.add_error("photos", _("The photos are too big to send together. Send fewer."))
            return _question(request, "photos", form, changing=changing, photos=stored)
        form = PhotosForm(request.POST, request.FILES, already=stored.count())
        cleaned = _clean_photos(form)
        if form.is_valid():
            for upload, photo in cleaned:
                services.add_draft_photo(draft_key=draft.key, upload=upload, photo=photo)
            draft.save("photos", {"photo_count": stored.count()})
            if request.POST.get("action") == "upload":
                return redirect(request.get_full_path())
            return _onwards("photos", changing=changing)
    else:
        form = PhotosForm(already=stored.count())
    return _question(request, "photos", form, changing=changing, photos=stored)


def _request_size(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _clean_photos(form: PhotosForm) -> list[tuple[Any, photos.CleanPhoto]]:
    """Decode every upload before keeping any, so that one bad file keeps none."""
    if not form.is_valid():
        return []
    cleaned = []
    for upload in form.cleaned_data["photos"]:
        try:
            cleaned.append((upload, photos.clean_photo(upload)))
        except ValidationError as error:
            form.add_error("photos", error)
    return cleaned


@require_POST
def remove_photo(request: HttpRequest, photo_id: int) -> HttpResponse:
    draft = Draft(request.session)
    services.remove_draft_photo(draft_key=draft.key, photo_id=photo_id)
    draft.save("photos", {"photo_count": selectors.draft_photos(draft.key).count()})
    return redirect("public:step", step="photos")


@public_content
def call_999(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "public/report/call_999.html",
        {"next_href": reverse("public:step", args=[drafts.STEPS[1].slug])},
    )


@never_cache
def check_answers(request: HttpRequest) -> HttpResponse:
    draft = Draft(request.session)
    if request.method == "POST":
        form = SendForm(request.POST)
        if form.is_valid():
            key = form.cleaned_data["submission_key"]
            if draft.exists and draft.key == key and draft.first_unanswered() is None:
                return _send(request, draft)
            # Sent already (a refresh, a second click, a retry), or the draft has gone.
            if selectors.report_by_submission_key(key) is not None:
                return redirect("public:sent")
            return redirect("public:report_start")
    else:
        form = SendForm(initial={"submission_key": draft.key})
    unanswered = draft.first_unanswered()
    if unanswered is not None:
        return redirect("public:step", step=unanswered)
    photo_names = [photo.original_name for photo in selectors.draft_photos(draft.key)]
    return render(
        request,
        "public/report/check.html",
        {"form": form, "rows": presenters.answer_rows(draft.all_answers(), photo_names)},
        status=400 if form.errors else 200,
    )


def _send(request: HttpRequest, draft: Draft) -> HttpResponse:
    if _over_rate_limit(request):
        return rate_limited(request)
    report, token = services.submit_report(
        submission_key=draft.key,
        answers=draft.all_answers(),
        language=get_language(),
        campaign_code=draft.campaign_code(),
    )
    draft.mark_sent(reference=report.reference, token=token, area_id=report.area_id)
    return redirect("public:sent")


@never_cache
def sent(request: HttpRequest) -> HttpResponse:
    """The confirmation: the reference, the private link to copy or to have emailed."""
    receipt = Draft.sent(request.session)
    if receipt is None:
        return redirect("public:report_start")
    follow_up = (
        request.build_absolute_uri(reverse("public:follow_up", args=[receipt["token"]]))
        if receipt.get("token")
        else ""
    )
    form = LinkByEmailForm(request.POST or None) if follow_up else None
    if request.method == "POST" and form is not None and not receipt.get("link_emailed"):
        if _over_rate_limit(request):
            return rate_limited(request)
        if form.is_valid():
            services.email_follow_up_link(
                link=follow_up, email=form.cleaned_data["link_email"], language=get_language()
            )
            Draft.mark_link_emailed(request.session)
            return redirect("public:sent")
    elif request.method == "POST":
        return redirect("public:sent")
    return render(
        request,
        "public/report/sent.html",
        {
            "reference": receipt["reference"],
            "follow_up_url": follow_up,
            "form": form,
            "link_emailed": receipt.get("link_emailed", False),
            "local_contacts": selectors.local_contacts(receipt.get("area_id")),
        },
    )


@never_cache
def follow_up(request: HttpRequest, token: str) -> HttpResponse:
    report = selectors.report_for_follow_up(token)
    if report is None:
        raise Http404
    if request.method == "POST":
        form = FollowUpForm(request.POST)
        if form.is_valid():
            if _over_rate_limit(request):
                return rate_limited(request)
            services.add_information(
                report=report, text=form.cleaned_data["text"], language=get_language()
            )
            messages.success(request, _("Thank you. We have added this to your report."))
            return redirect(request.path)
    else:
        form = FollowUpForm()
    return render(
        request,
        "public/report/follow_up.html",
        {"form": form, "reference": report.reference},
        status=400 if form.errors else 200,
    )


def _over_rate_limit(request: HttpRequest) -> bool:
    """Count one sending (a report or an addition) against the client address's limit."""
    return is_ratelimited(
        request,
        group="public-report",
        key="ip",
        rate=settings.PUBLIC_REPORT_RATE_LIMIT,
        method="POST",
        increment=True,
    )


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "public/report/rate_limited.html",
        {"channels": selectors.help_channels()},
        status=429,
    )


# The hub's view of public reports (hub analysts only, every read audited).


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    if not access.can_view_public_reports(request.user):
        raise PermissionDenied
    return render(
        request,
        "public/hub/report_list.html",
        {"reports": selectors.visible_reports(request.user)[:200]},
    )


@login_required
def report_detail(request: HttpRequest, reference: str) -> HttpResponse:
    report = selectors.report_for_reading(
        request.user, reference, context=AuditContext.from_request(request)
    )
    return render(
        request,
        "public/hub/report_detail.html",
        {
            "report": report,
            "rows": presenters.answer_rows(
                presenters.report_answers(report),
                [photo.original_name for photo in report.photos.all()],
            ),
            "intelligence": selectors.intelligence_from_public_report(request.user, report),
            "can_convert": access.can_triage_intelligence(request.user),
        },
    )


@login_required
def report_photo(request: HttpRequest, reference: str, photo_id: int) -> HttpResponse:
    photo = selectors.report_photo(
        request.user, reference, photo_id, context=AuditContext.from_request(request)
    )
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["Cache-Control"] = "no-store, private"
    response["Content-Disposition"] = "inline"
    return response
