"""Training pages for staff: every page and role, the officer's flow, and bad input."""

import datetime
import io
from urllib.parse import quote

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from lantern.core.models import AuditEvent
from lantern.core.roles import Role
from lantern.outreach.models.training import Booking, Course, Question, TrainingSession
from tests.factories import OrganisationFactory
from tests.outreach.training.factories import (
    BookingFactory,
    QuestionFactory,
    SessionFactory,
    UpcomingSessionFactory,
    topic,
)

pytestmark = pytest.mark.django_db


def post_raw(client, path, values):
    """POST a form as a broken client might: a lone surrogate goes out as the bytes a
    careless encoder writes for it (not valid UTF-8), which no test client would send."""
    body = "&".join(
        f"{quote(name)}={quote(value.encode('utf-8', 'surrogatepass'))}"
        for name, value in values.items()
    )
    return client.post(path, body, content_type="application/x-www-form-urlencoded")


MANAGER_PAGES = [
    "/training/courses/",
    "/training/courses/new/",
    "/training/courses/{course}/",
    "/training/courses/{course}/questions/",
    "/training/courses/{course}/sessions/new/",
    "/training/questions/",
    "/training/questions/new/",
    "/training/questions/{question}/revise/",
    "/training/questions/import/",
    "/training/questions/export/",
    "/training/sessions/",
    "/training/sessions/{code}/",
    "/training/sessions/{code}/attendance/",
    "/training/sessions/{code}/change/",
    "/training/sessions/{code}/times/",
    "/training/results/",
]


@pytest.fixture
def pages():
    session = SessionFactory()
    question = QuestionFactory()
    return {"course": session.course.pk, "code": session.code, "question": question.pk}


@pytest.mark.parametrize("role", [Role.OUTREACH_OFFICER, Role.HUB_COORDINATOR])
@pytest.mark.parametrize("path", MANAGER_PAGES)
def test_those_who_manage_training_open_every_page(signed_in, pages, role, path):
    client = signed_in(role)
    assert client.get(path.format(**pages)).status_code == 200


@pytest.mark.parametrize(
    "role",
    [Role.PARTNER_CONTRIBUTOR, Role.HUB_ANALYST, Role.SAFEGUARDING_LEAD, Role.BOARD_VIEWER],
)
@pytest.mark.parametrize("path", MANAGER_PAGES)
def test_nobody_else_opens_a_management_page(signed_in, pages, role, path):
    client = signed_in(role)
    assert client.get(path.format(**pages)).status_code == 404


def test_an_officer_without_an_agreement_manages_nothing(signed_in, pages):
    client = signed_in(Role.OUTREACH_OFFICER, organisation=OrganisationFactory(isa_signed_on=None))
    assert client.get("/training/").status_code == 404
    assert client.get(f"/training/sessions/{pages['code']}/").status_code == 404


def test_visitors_are_sent_to_sign_in(client, pages):
    for path in ["/training/", *MANAGER_PAGES]:
        assert client.get(path.format(**pages)).status_code == 302


def test_missing_and_forbidden_sessions_give_the_same_404(signed_in):
    code = SessionFactory().code
    officer = signed_in(Role.OUTREACH_OFFICER)
    assert officer.get("/training/sessions/NOPE99/").status_code == 404
    assert officer.get("/training/courses/999999/").status_code == 404
    officer.logout()
    partner = signed_in(Role.PARTNER_CONTRIBUTOR)
    assert partner.get(f"/training/sessions/{code}/").status_code == 404
    partner.logout()
    # The same session opens for an officer who manages training.
    assert signed_in(Role.OUTREACH_OFFICER).get(f"/training/sessions/{code}/").status_code == 200


@pytest.mark.parametrize(
    "path", ["/training/sessions/abc/", "/fr/training/courses/99999999999999999999/"]
)
def test_odd_identifiers_are_404(signed_in, path):
    assert signed_in(Role.OUTREACH_OFFICER).get(path).status_code == 404


def test_partners_see_the_calendar_and_book_for_their_organisation(signed_in):
    session = UpcomingSessionFactory(capacity=6)
    other = BookingFactory(session=session, places=2)
    client = signed_in(Role.PARTNER_CONTRIBUTOR)
    page = client.get("/training/")
    assert session.course.title in page.content.decode()
    assert "Question bank" not in page.content.decode()
    form = client.get(f"/training/sessions/{session.code}/book/")
    assert other.organisation.name not in form.content.decode()
    key = form.context["form"]["submission_key"].value()
    data = {
        "submission_key": key,
        "organisation": client.user.organisation_id,
        "role": 4,
        "places": 3,
    }
    data["role"] = form.context["form"].fields["role"].queryset.first().pk
    first = client.post(f"/training/sessions/{session.code}/book/", data)
    assert first.status_code == 302, first.context["form"].errors
    assert client.post(f"/training/sessions/{session.code}/book/", data).status_code == 302
    assert Booking.objects.filter(organisation=client.user.organisation).count() == 1
    over = {**data, "submission_key": "", "places": 2}
    refused = client.post(f"/training/sessions/{session.code}/book/", over)
    assert refused.status_code == 400
    assert "Only 1 places are left" in refused.content.decode()
    foreign = {**data, "submission_key": "", "places": 1, "organisation": other.organisation_id}
    assert client.post(f"/training/sessions/{session.code}/book/", foreign).status_code == 400
    assert Booking.objects.count() == 2


def test_a_past_session_cannot_be_booked(signed_in):
    session = SessionFactory()
    client = signed_in(Role.PARTNER_CONTRIBUTOR)
    assert client.get(f"/training/sessions/{session.code}/book/").status_code == 404


def test_board_viewers_and_administrators_see_no_training_calendar(signed_in):
    assert signed_in(Role.BOARD_VIEWER).get("/training/").status_code == 404


def test_the_officer_creates_a_course_and_schedules_a_session(signed_in):
    QuestionFactory()
    client = signed_in(Role.OUTREACH_OFFICER)
    form = client.get("/training/courses/new/").context["form"]
    course_data = {
        "submission_key": form["submission_key"].value(),
        "title": "Modern slavery: first responders",
        "topics": [topic("nrm").pk],
        "duration_minutes": "120",
        "delivery": "in_person",
    }
    created = client.post("/training/courses/new/", course_data)
    course = Course.objects.get()
    assert created.url == f"/training/courses/{course.pk}/"
    assert client.post("/training/courses/new/", course_data).url == created.url
    assert Course.objects.count() == 1
    starts = timezone.localtime() + datetime.timedelta(days=2)
    session_data = {
        "submission_key": client.get(f"/training/courses/{course.pk}/sessions/new/")
        .context["form"]["submission_key"]
        .value(),
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "trainer_organisation": client.user.organisation_id,
        "trainer_name": "Amira Khan",
        "venue": "City Hall",
        "capacity": "25",
    }
    scheduled = client.post(f"/training/courses/{course.pk}/sessions/new/", session_data)
    session = TrainingSession.objects.get()
    assert scheduled.url == f"/training/sessions/{session.code}/"
    page = client.get(scheduled.url).content.decode()
    assert session.code in page and "data:image/svg+xml" in page
    assert f"/t/{session.code}/" in page
    backwards = {
        **session_data,
        "submission_key": "",
        "ends_at": (starts - datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
    }
    refused = client.post(f"/training/courses/{course.pk}/sessions/new/", backwards)
    assert (
        refused.status_code == 400 and "The end must be after the start" in refused.content.decode()
    )
    assert TrainingSession.objects.count() == 1


def test_the_officer_adds_and_revises_a_question(signed_in):
    client = signed_in(Role.OUTREACH_OFFICER)
    data = {
        "topic": topic("signs").pk,
        "key": "signs_isolation",
        "kind": "single",
        "text": "Which of these is a sign of exploitation?",
        "text_fr": "Lequel de ces éléments est un signe d'exploitation ?",
        "choices": (
            "*Not allowed to keep their passport | Passeport confisqué\n"
            "A day off | Un jour de repos"
        ),
    }
    assert client.post("/training/questions/new/", data).status_code == 302
    question = Question.objects.get()
    assert question.choices.get(is_correct=True).text_fr == "Passeport confisqué"
    revised = {**data, "text": "Which of these may be a sign of exploitation?"}
    assert client.post(f"/training/questions/{question.pk}/revise/", revised).status_code == 302
    assert Question.objects.filter(key="signs_isolation").count() == 2
    bad = {**data, "key": "signs two", "choices": "only English"}
    refused = client.post("/training/questions/new/", bad)
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "Use lower-case letters" in text and "write it as English | French" in text


def test_the_officer_records_attendance(signed_in):
    booking = BookingFactory(places=4)
    client = signed_in(Role.OUTREACH_OFFICER)
    url = f"/training/sessions/{booking.session.code}/attendance/"
    assert client.post(url, {f"attended_{booking.pk}": "3"}).status_code == 302
    booking.refresh_from_db()
    assert booking.attended == 3
    refused = client.post(url, {f"attended_{booking.pk}": "99999999999999999999"})
    assert refused.status_code == 400
    booking.refresh_from_db()
    assert booking.attended == 3
    assert AuditEvent.objects.filter(action="outreach.training_attendance_recorded").count() == 1


def test_the_question_bank_exports_and_imports_as_xlsform(signed_in):
    QuestionFactory(key="nrm_who", topic=topic("nrm"))
    QuestionFactory(key="nrm_confident", kind="confidence")
    client = signed_in(Role.OUTREACH_OFFICER)
    exported = client.get("/training/questions/export/")
    assert exported["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEvent.objects.filter(action="record.export").exists()
    Question.objects.filter(key="nrm_who").update(text="Changed here")
    upload = io.BytesIO(exported.content)
    upload.name = "bank.xlsx"
    response = client.post("/training/questions/import/", {"file": upload})
    assert response.status_code == 302, response.context["form"].errors
    assert Question.objects.get(key="nrm_who", is_current=True).version == 2
    assert Question.objects.filter(key="nrm_confident").count() == 1


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"not a spreadsheet", "bank.xlsx", "not a valid XLSForm"),
        (b"a,b\n1,2", "bank.csv", "must be an .xlsx"),
        (b"x" * (2 * 1024 * 1024 + 1), "bank.xlsx", "2 MB or smaller"),
    ],
)
def test_a_file_in_the_wrong_shape_is_refused(signed_in, content, name, message):
    client = signed_in(Role.OUTREACH_OFFICER)
    upload = io.BytesIO(content)
    upload.name = name
    response = client.post("/training/questions/import/", {"file": upload})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Question.objects.exists()


def test_results_and_reach_open_with_filters(signed_in):
    session = SessionFactory()
    BookingFactory(session=session, attended=3)
    client = signed_in(Role.OUTREACH_OFFICER)
    assert client.get(f"/training/results/?course={session.course.pk}").status_code == 200
    assert client.get(f"/training/results/?session={session.code}").status_code == 200
    assert client.get("/training/results/?course=nope").status_code == 404
    reach = client.get("/training/reach/")
    assert "3 frontline staff trained" in reach.content.decode()
    client.logout()
    assert signed_in(Role.BOARD_VIEWER).get("/training/reach/").status_code == 404


def test_the_home_page_panel_for_officers_and_partners(signed_in):
    session = UpcomingSessionFactory()
    officer = signed_in(Role.OUTREACH_OFFICER)
    assert session.course.title in officer.get("/").content.decode()
    officer.logout()
    board = signed_in(Role.BOARD_VIEWER)
    assert "Training sessions" not in board.get("/").content.decode()


@hypothesis_settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    values=st.dictionaries(
        st.sampled_from(
            [
                "submission_key",
                "title",
                "topics",
                "duration_minutes",
                "delivery",
                "summary",
                "starts_at",
                "ends_at",
                "capacity",
                "trainer_name",
                "venue",
                "online_link",
                "key",
                "kind",
                "text",
                "text_fr",
                "choices",
                "places",
                "role",
                "organisation",
            ]
        ),
        st.one_of(
            st.text(max_size=200),
            st.just("\ud800"),
            st.just("99999999999999999999"),
            st.just("x" * 20000),
        ),
    )
)
@example(values={"topics": "99999999999999999999"})
@example(values={"organisation": "99999999999999999999", "role": "-1"})
def test_no_input_to_any_staff_form_causes_a_server_error(signed_in, values):
    client = signed_in(Role.OUTREACH_OFFICER)
    session = UpcomingSessionFactory()
    for path in [
        "/training/courses/new/",
        f"/training/courses/{session.course.pk}/sessions/new/",
        "/training/questions/new/",
        f"/training/sessions/{session.code}/book/",
        f"/training/courses/{session.course.pk}/questions/",
    ]:
        assert post_raw(client, path, values).status_code in {302, 400}
    client.logout()


def test_the_officer_reopens_the_post_test(signed_in):
    session = SessionFactory()
    client = signed_in(Role.OUTREACH_OFFICER)
    url = f"/training/sessions/{session.code}/times/"
    assert client.get(url).status_code == 200
    closes = (timezone.localtime() + datetime.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
    assert client.post(url, {"post_closes_at": closes}).status_code == 302
    session.refresh_from_db()
    assert timezone.localtime(session.post_closes_at).strftime("%Y-%m-%dT%H:%M") == closes
    assert AuditEvent.objects.filter(action="outreach.training_session_times_set").exists()
    before = session.pre_opens_at.strftime("%Y-%m-%dT%H:%M")
    refused = client.post(url, {"pre_closes_at": before})
    assert refused.status_code == 400
    assert "The closing time must be after the opening time" in refused.content.decode()
    client.logout()
    assert signed_in(Role.PARTNER_CONTRIBUTOR).get(url).status_code == 404


def _session_data(session, **changes):
    def local(value):
        return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")

    data = {
        "starts_at": local(session.starts_at),
        "ends_at": local(session.ends_at),
        "trainer_organisation": session.trainer_organisation_id,
        "trainer_name": session.trainer_name,
        "venue": session.venue,
        "online_link": "",
        "capacity": session.capacity,
    }
    return {**data, **changes}


def test_the_officer_moves_an_upcoming_session_and_its_tests_move_with_it(signed_in):
    session = UpcomingSessionFactory()
    BookingFactory(session=session, places=6)
    client = signed_in(Role.OUTREACH_OFFICER)
    url = f"/training/sessions/{session.code}/change/"
    later = session.starts_at + datetime.timedelta(days=2)
    pre_opens = session.pre_opens_at

    form = client.get(url)
    moved = client.post(
        url,
        _session_data(
            session,
            starts_at=timezone.localtime(later).strftime("%Y-%m-%dT%H:%M"),
            ends_at=timezone.localtime(later + datetime.timedelta(hours=3)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            trainer_name="Priya Trainer",
            capacity=12,
        ),
    )

    assert form.status_code == 200 and session.trainer_name in form.content.decode()
    assert moved.status_code == 302
    session.refresh_from_db()
    assert (session.trainer_name, session.capacity) == ("Priya Trainer", 12)
    # The pre-test still opens an hour before the (new) start.
    assert session.pre_opens_at - pre_opens > datetime.timedelta(days=1, hours=23)
    assert session.pre_opens_at == session.starts_at - datetime.timedelta(hours=1)
    event = AuditEvent.objects.get(action="outreach.training_session_changed")
    assert event.detail["changed"] == ["capacity", "ends_at", "starts_at", "trainer_name"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"capacity": 5}, "capacity", "6 places are booked: the capacity cannot be lower"),
        ({"venue": "", "online_link": ""}, "venue", "Enter the place, or the online link"),
        ({"ends_at": "2020-01-01T10:00"}, "ends_at", "The end must be after the start"),
        ({"capacity": "many"}, "capacity", "Enter"),
    ],
)
def test_a_session_change_that_does_not_hold_changes_nothing(signed_in, changes, field, message):
    session = UpcomingSessionFactory()
    BookingFactory(session=session, places=6)
    client = signed_in(Role.OUTREACH_OFFICER)

    refused = client.post(
        f"/training/sessions/{session.code}/change/", _session_data(session, **changes)
    )

    assert refused.status_code == 400
    assert message in " ".join(refused.context["form"].errors[field])
    assert not AuditEvent.objects.filter(action="outreach.training_session_changed").exists()


def test_once_answers_exist_moving_the_session_leaves_the_test_times(signed_in, client):
    from tests.outreach.training.test_attendee import answers

    session = SessionFactory()
    client.get(f"/t/{session.code}/pre/")
    client.post(f"/t/{session.code}/pre/", answers(session))
    windows = (session.pre_opens_at, session.post_closes_at)
    officer = signed_in(Role.OUTREACH_OFFICER)
    later = timezone.localtime(session.starts_at + datetime.timedelta(hours=1))

    response = officer.post(
        f"/training/sessions/{session.code}/change/",
        _session_data(session, starts_at=later.strftime("%Y-%m-%dT%H:%M")),
    )

    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.pre_opens_at, session.post_closes_at) == windows
