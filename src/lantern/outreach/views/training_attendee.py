"""The attendee's pages, no account needed: type the session code (or scan its QR code),
take the pre-test, post-test or follow-up, and download a certificate of attendance.

The pairing code that links a pre-test to a post-test is drawn when the pre-test page is
first shown, kept in the browser's session and shown on that page only, so it can be
written down (``outreach.pairing``); no name is ever stored with answers. A code typed in
another browser is checked against a rate limit on wrong codes. The certificate's name is
typed when it is made and not kept.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_ratelimit.core import is_ratelimited

from lantern.outreach.forms.training import AttemptForm, CertificateForm, CodeForm, PairingCodeForm
from lantern.outreach.models.training import Stage, TrainingSession
from lantern.outreach.selectors import training as selectors
from lantern.outreach.services import training as services

_PAIRING = "training_pairing_codes"
_STAGES = {"pre": Stage.PRE, "post": Stage.POST, "follow-up": Stage.FOLLOW_UP}
_SLUGS = {stage: slug for slug, stage in _STAGES.items()}


def _pairing_code(request: HttpRequest, session: TrainingSession) -> str | None:
    return (request.session.get(_PAIRING) or {}).get(session.code)


def _remember(request: HttpRequest, session: TrainingSession, pairing_code: str) -> None:
    codes = dict(request.session.get(_PAIRING) or {})
    codes[session.code] = pairing_code
    request.session[_PAIRING] = codes


def _unknown(request: HttpRequest, form: CodeForm | None = None) -> HttpResponse:
    form = form or CodeForm()
    if not form.errors:
        form = CodeForm({"code": ""})
        form.is_valid()
        form.errors.clear()
        form.add_error("code", _("No session has this code: check it with your trainer"))
    return render(request, "outreach/training/attendee/start.html", {"form": form}, status=404)


@never_cache
def start(request: HttpRequest) -> HttpResponse:
    """Type the session code your trainer shows."""
    if request.method == "POST":
        form = CodeForm(request.POST)
        if form.is_valid():
            session = selectors.session_for_attendee(form.cleaned_data["code"])
            if session is None:
                return _unknown(request)
            return redirect("outreach:attendee_session", code=session.code)
        return render(request, "outreach/training/attendee/start.html", {"form": form}, status=400)
    return render(request, "outreach/training/attendee/start.html", {"form": CodeForm()})


def _stages(session: TrainingSession) -> list[dict[str, Any]]:
    now = timezone.now()
    rows = []
    for stage in (Stage.PRE, Stage.POST, Stage.FOLLOW_UP):
        opens, closes = session.window(stage)
        if opens is None:
            continue
        rows.append(
            {
                "stage": stage,
                "slug": _SLUGS[stage],
                "opens": opens,
                "closes": closes,
                "is_open": opens <= now < closes,
            }
        )
    return rows


@never_cache
def session_page(request: HttpRequest, code: str) -> HttpResponse:
    """The session and which of its tests are open now."""
    session = selectors.session_for_attendee(code)
    if session is None:
        return _unknown(request)
    pairing_code = _pairing_code(request, session)
    return render(
        request,
        "outreach/training/attendee/session.html",
        {
            "session": session,
            "stages": _stages(session),
            "remembered": bool(pairing_code),
            "certificate": bool(pairing_code)
            and selectors.has_attempt(session, Stage.POST, pairing_code),
        },
    )


@never_cache
def take(request: HttpRequest, code: str, stage_slug: str) -> HttpResponse:
    """Every question of one stage on one page; one submission per pairing code."""
    session = selectors.session_for_attendee(code)
    stage = _STAGES.get(stage_slug)
    if session is None or stage is None:
        return _unknown(request)
    context: dict[str, Any] = {"session": session, "stage": stage, "slug": stage_slug}
    if not services.stage_is_open(session, stage):
        opens, closes = session.window(stage)
        context.update(opens=opens, closes=closes)
        return render(request, "outreach/training/attendee/closed.html", context, status=403)
    pairing_code = _pairing_code(request, session)
    if stage == Stage.PRE and pairing_code is None:
        pairing_code = services.new_pairing_code()
        _remember(request, session, pairing_code)
    if pairing_code and selectors.has_attempt(session, stage, pairing_code):
        return redirect("outreach:attendee_done", code=session.code, stage_slug=stage_slug)
    questions = selectors.stage_questions(session, stage)
    data = request.POST if request.method == "POST" else None
    form = AttemptForm(data, questions=questions)
    pairing_form = PairingCodeForm(data, prefix="pairing") if pairing_code is None else None
    if data is not None:
        valid = form.is_valid() & (pairing_form is None or pairing_form.is_valid())
        if valid:
            code_to_use = pairing_code
            if pairing_form is not None:
                typed = pairing_form.cleaned_data["pairing_code"]
                if typed:
                    _check_typed_code(request, session, pairing_form, typed)
                code_to_use = typed or services.new_pairing_code()
            if not pairing_form or not pairing_form.errors:
                try:
                    services.submit_attempt(
                        session=session,
                        stage=stage,
                        pairing_code=code_to_use,
                        answers=form.answers(),
                        language=get_language() or "en-gb",
                    )
                except ValidationError as error:
                    for field, errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    _remember(request, session, code_to_use)
                    return redirect(
                        "outreach:attendee_done", code=session.code, stage_slug=stage_slug
                    )
    # The code is shown on the pre-test page only, the once it is needed to write down.
    context.update(
        form=form,
        pairing_form=pairing_form,
        pairing_code=pairing_code if stage == Stage.PRE else None,
    )
    invalid = form.errors or (pairing_form is not None and pairing_form.errors)
    return render(
        request, "outreach/training/attendee/take.html", context, status=400 if invalid else 200
    )


def _check_typed_code(
    request: HttpRequest, session: TrainingSession, form: PairingCodeForm, typed: str
) -> None:
    """Refuse a typed pairing code no pre-test has, and any code once a client has typed
    too many wrong ones: guessing another attendee's code stays out of reach."""
    limit = {
        "group": "training-pairing",
        "key": "ip",
        "rate": settings.TRAINING_PAIRING_RATE_LIMIT,
        "method": is_ratelimited.ALL,
    }
    if is_ratelimited(request, increment=False, **limit):
        form.add_error(
            "pairing_code",
            _("Too many pairing codes were wrong: ask your trainer, or try again in an hour"),
        )
    elif not selectors.has_attempt(session, Stage.PRE, typed):
        is_ratelimited(request, increment=True, **limit)
        form.add_error(
            "pairing_code",
            _("No pre-test of this session has this pairing code: check it, or leave it empty"),
        )


@never_cache
def done(request: HttpRequest, code: str, stage_slug: str) -> HttpResponse:
    session = selectors.session_for_attendee(code)
    stage = _STAGES.get(stage_slug)
    if session is None or stage is None:
        return _unknown(request)
    pairing_code = _pairing_code(request, session)
    if not pairing_code or not selectors.has_attempt(session, stage, pairing_code):
        return redirect("outreach:attendee_session", code=session.code)
    return render(
        request, "outreach/training/attendee/done.html", {"session": session, "stage": stage}
    )


@never_cache
def certificate(request: HttpRequest, code: str) -> HttpResponse:
    """A certificate of attendance, in the attendee's language, once they took the post-test.

    It names the course, the date and the trainer; never a score.
    """
    session = selectors.session_for_attendee(code)
    if session is None:
        return _unknown(request)
    pairing_code = _pairing_code(request, session)
    if not pairing_code or not selectors.has_attempt(session, Stage.POST, pairing_code):
        return redirect("outreach:attendee_session", code=session.code)
    form = CertificateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        from weasyprint import HTML

        html = render_to_string(
            "outreach/training/attendee/certificate_pdf.html",
            {"session": session, "name": form.cleaned_data["name"]},
            request=request,
        )
        pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="certificate-{session.code}.pdf"'
        return response
    return render(
        request,
        "outreach/training/attendee/certificate.html",
        {"session": session, "form": form},
        status=400 if form.errors else 200,
    )
