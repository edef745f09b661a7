"""Training pages for staff: the calendar and booking (partners); sessions, attendance,
results and reach (those who manage training). Courses and the question bank are in
``training_courses``. Thin: each parses a form, calls a service or selector, and renders."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from lantern.core import access
from lantern.core.audit import AuditContext
from lantern.core.forms import add_refusal, saved
from lantern.core.presenters import paginate
from lantern.outreach.forms.training import (
    AttendanceForm,
    BookingForm,
    SessionChangeForm,
    SessionForm,
    StageTimesForm,
)
from lantern.outreach.presenters import training as presenters
from lantern.outreach.selectors import training as selectors
from lantern.outreach.services import training as services


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _manager(request: HttpRequest) -> None:
    """Other roles get the same "Page not found" as a page that does not exist, so that
    the training pages do not tell who manages training that they are there."""
    if not access.can_manage_training(request.user):
        raise Http404


def _form_page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    form = context["form"]
    return render(request, template, context, status=400 if form.errors else 200)


# The calendar and booking: every partner user.


@login_required
@never_cache
def calendar(request: HttpRequest) -> HttpResponse:
    """Upcoming sessions; those who manage training also reach courses, bank and results."""
    user = request.user
    if not access.can_book_training(user):
        raise Http404
    pages = paginate(request, selectors.calendar(user))
    return render(
        request,
        "outreach/training/calendar.html",
        {
            "sessions": pages["page"].object_list,
            **pages,
            "can_manage": access.can_manage_training(user),
        },
    )


@login_required
@never_cache
def book(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    session = selectors.session_for_booking(user, code)
    form = BookingForm(_posted(request), organisations=selectors.booking_organisations(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.book_places(
                actor=user, session=session, context=AuditContext.from_request(request), **data
            )
        except ValidationError as error:
            add_refusal(form, error)
        except PermissionDenied:
            form.add_error(None, _("This booking was sent by someone else"))
        else:
            messages.success(request, _("%(places)s places booked") % {"places": data["places"]})
            return redirect("outreach:training_book", code=session.code)
    return _form_page(
        request,
        "outreach/training/book.html",
        {
            "session": session,
            "form": form,
            "bookings": selectors.own_bookings(user, session),
            "places_left": session.capacity - session.booked,
        },
    )


# Sessions.


@login_required
@never_cache
def session_list(request: HttpRequest) -> HttpResponse:
    _manager(request)
    pages = paginate(request, selectors.sessions_for_managing(request.user))
    return render(
        request,
        "outreach/training/session_list.html",
        {"sessions": pages["page"].object_list, **pages},
    )


@login_required
@never_cache
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    course = selectors.course_for_managing(user, pk)
    form = SessionForm(
        _posted(request),
        organisations=selectors.trainer_organisations(user),
        initial={"trainer_organisation": user.organisation_id},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        already = selectors.submitted_session(user, data["submission_key"])
        if already is not None:
            return redirect("outreach:training_session", code=already.code)
        windows = services.StageWindows(
            **{
                name: data.pop(name)
                for name in list(data)
                if name.endswith(("_opens_at", "_closes_at"))
            }
        )
        try:
            session = services.create_session(
                actor=user,
                context=AuditContext.from_request(request),
                course=course,
                windows=windows,
                **data,
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(
                request, _("Session scheduled: its code is %(code)s") % {"code": session.code}
            )
            return redirect("outreach:training_session", code=session.code)
    return _form_page(
        request,
        "outreach/training/form.html",
        {
            "form": form,
            "title": _("Schedule a session of %(course)s") % {"course": course.title},
            "button": _("Schedule the session"),
        },
    )


@login_required
@never_cache
def session_page(request: HttpRequest, code: str) -> HttpResponse:
    session = selectors.session_for_managing(request.user, code)
    url = presenters.attendee_url(request, session)
    return render(
        request,
        "outreach/training/session.html",
        {
            "session": session,
            "bookings": selectors.own_bookings(request.user, session),
            "attempts": selectors.attempt_counts(session),
            "attendee_url": url,
            "qr_code": presenters.qr_code_data_uri(url),
        },
    )


@login_required
@never_cache
def attendance(request: HttpRequest, code: str) -> HttpResponse:
    session = selectors.session_for_managing(request.user, code)
    bookings = list(selectors.own_bookings(request.user, session))
    form = AttendanceForm(_posted(request), bookings=bookings)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_attendance(
                actor=request.user,
                session=session,
                attended=form.attended(),
                context=AuditContext.from_request(request),
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Attendance recorded"))
            return redirect("outreach:training_session", code=session.code)
    return _form_page(
        request,
        "outreach/training/form.html",
        {
            "form": form,
            "title": _("Record attendance: %(session)s") % {"session": session.course.title},
            "button": _("Save attendance"),
            "empty": not bookings,
        },
    )


@login_required
@never_cache
def session_change(request: HttpRequest, code: str) -> HttpResponse:
    """Correct a session's date, trainer, place or capacity."""
    user = request.user
    session = selectors.session_for_managing(user, code)
    form = SessionChangeForm(
        _posted(request),
        organisations=selectors.trainer_organisations(user),
        initial={
            "starts_at": timezone.localtime(session.starts_at),
            "ends_at": timezone.localtime(session.ends_at),
            "trainer_organisation": session.trainer_organisation_id,
            "trainer_name": session.trainer_name,
            "venue": session.venue,
            "online_link": session.online_link,
            "capacity": session.capacity,
        },
    )
    if request.method == "POST" and saved(
        form,
        lambda data: services.change_session(
            actor=user,
            session=session,
            context=AuditContext.from_request(request),
            **{name: data[name] for name in form.fields},
        ),
    ):
        messages.success(request, _("Session changed"))
        return redirect("outreach:training_session", code=session.code)
    return _form_page(
        request,
        "outreach/training/form.html",
        {
            "form": form,
            "title": _("Change the session: %(session)s") % {"session": session.course.title},
            "button": _("Save the session"),
        },
    )


@login_required
@never_cache
def stage_times(request: HttpRequest, code: str) -> HttpResponse:
    session = selectors.session_for_managing(request.user, code)
    names = list(services.StageWindows.__dataclass_fields__)
    form = StageTimesForm(
        _posted(request),
        follow_up=session.course.has_follow_up,
        initial={
            name: timezone.localtime(getattr(session, name))
            for name in names
            if getattr(session, name)
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_stage_windows(
                actor=request.user,
                session=session,
                context=AuditContext.from_request(request),
                windows=services.StageWindows(**form.cleaned_data),
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Test times saved"))
            return redirect("outreach:training_session", code=session.code)
    return _form_page(
        request,
        "outreach/training/form.html",
        {
            "form": form,
            "title": _("When the tests open: %(session)s") % {"session": session.course.title},
            "button": _("Save the times"),
        },
    )


# Results and reach: aggregates only.


def _choice(request: HttpRequest, name: str, choices: dict[str, Any]) -> Any:
    value = request.GET.get(name, "")
    if value and value not in choices:
        raise Http404
    return choices.get(value)


@login_required
@never_cache
def results(request: HttpRequest) -> HttpResponse:
    user = request.user
    _manager(request)
    courses = {str(course.pk): course for course in selectors.courses(user)}
    topics = {str(topic.pk): topic for topic in selectors.topics()}
    years = {str(year): year for year in selectors.result_years(user)}
    session = None
    if request.GET.get("session"):
        session = selectors.session_for_managing(user, request.GET["session"][:12])
    course = _choice(request, "course", courses)
    topic = _choice(request, "topic", topics)
    year = _choice(request, "year", years)
    outcome = selectors.results(user, session=session, course=course, topic=topic, year=year)
    return render(
        request,
        "outreach/training/results.html",
        {
            "outcome": outcome,
            "knowledge": presenters.paired_figures(outcome.knowledge),
            "confidence": presenters.paired_figures(outcome.confidence),
            "by_topic": [
                (
                    row.topic,
                    presenters.paired_figures(row.knowledge),
                    presenters.paired_figures(row.confidence),
                )
                for row in outcome.by_topic
            ],
            "items": [
                (
                    question,
                    figures,
                    presenters.percent(figures.facility),
                    presenters.percent(figures.discrimination),
                )
                for question, figures in outcome.items
            ],
            "courses": courses.values(),
            "topics": topics.values(),
            "years": years.values(),
            "session": session,
            "selected": {name: request.GET.get(name, "") for name in ("course", "topic", "year")},
        },
    )


@login_required
@never_cache
def reach(request: HttpRequest) -> HttpResponse:
    """Staff trained by sector, year and organisation, true counts: for those who manage
    training only. Board viewers see these totals through the evaluation pages, which
    withhold small numbers (ADR 0020)."""
    _manager(request)
    return render(
        request,
        "outreach/training/reach.html",
        {"reach": presenters.reach_tables(selectors.reach_totals(request.user))},
    )
