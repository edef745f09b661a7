"""Training writes: who may, what is refused (naming the field), what is audited."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lantern.core.models import AuditEvent
from lantern.core.roles import Role
from lantern.outreach.models.training import (
    Answer,
    Attempt,
    Booking,
    CourseItem,
    FrontlineRole,
    Question,
    QuestionKind,
    Stage,
)
from lantern.outreach.services import training as services
from tests.factories import OrganisationFactory
from tests.outreach.training.factories import (
    BookingFactory,
    CourseFactory,
    QuestionFactory,
    SessionFactory,
    UpcomingSessionFactory,
    topic,
)

pytestmark = pytest.mark.django_db


def _nurse() -> FrontlineRole:
    return FrontlineRole.objects.get(code="nurse")


def test_topics_sectors_and_roles_are_loaded_in_both_languages():
    assert topic("nrm").name == "The NRM and Duty to Notify"
    assert topic("nrm").name_fr.startswith("Le NRM")
    assert FrontlineRole.objects.filter(code="social-worker").exists()


def test_an_officer_creates_a_course_whose_tests_start_with_its_topics_questions(officer):
    nrm_question = QuestionFactory()
    QuestionFactory(topic=topic("signs"))
    key = uuid.uuid4()
    course = services.create_course(
        actor=officer,
        submission_key=key,
        title="  NRM for first responders ",
        topics=[topic("nrm")],
        duration_minutes=90,
        delivery="online",
    )
    assert course.title == "NRM for first responders"
    items = CourseItem.objects.filter(course=course)
    assert {(item.stage, item.question_id) for item in items} == {
        (Stage.PRE, nrm_question.pk),
        (Stage.POST, nrm_question.pk),
    }
    again = services.create_course(
        actor=officer,
        submission_key=key,
        title="NRM for first responders",
        topics=[topic("nrm")],
        duration_minutes=90,
        delivery="online",
    )
    assert again == course
    assert AuditEvent.objects.filter(action="outreach.training_course_created").count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": " "}, "title"),
        ({"topics": []}, "topics"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"title": "x\x00y"}, "title"),
    ],
)
def test_a_course_is_refused_naming_the_field(officer, changes, field):
    arguments = {
        "actor": officer,
        "submission_key": uuid.uuid4(),
        "title": "NRM",
        "topics": [topic("nrm")],
        "duration_minutes": 60,
        "delivery": "online",
        **changes,
    }
    with pytest.raises(ValidationError) as refused:
        services.create_course(**arguments)
    assert field in refused.value.message_dict


@pytest.mark.parametrize("role", [Role.PARTNER_CONTRIBUTOR, Role.BOARD_VIEWER, Role.HUB_ANALYST])
def test_only_those_who_manage_training_create_courses(make_user, role):
    with pytest.raises(PermissionDenied):
        services.create_course(
            actor=make_user(role),
            submission_key=uuid.uuid4(),
            title="NRM",
            topics=[topic("nrm")],
            duration_minutes=60,
            delivery="online",
        )


def test_the_hub_coordinator_manages_training(make_user):
    coordinator = make_user(Role.HUB_COORDINATOR)
    course = services.create_course(
        actor=coordinator,
        submission_key=uuid.uuid4(),
        title="NRM",
        topics=[topic("nrm")],
        duration_minutes=60,
        delivery="online",
    )
    assert course.created_by == coordinator


def _question_data(**changes):
    return services.QuestionData(
        **{
            "key": "nrm_who_refers",
            "topic": topic("nrm"),
            "kind": QuestionKind.SINGLE,
            "text": "Who may refer an adult to the NRM?",
            "text_fr": "Qui peut orienter un adulte vers le NRM ?",
            "choices": [
                services.ChoiceData("c1", "A First Responder", "Un premier intervenant", True),
                services.ChoiceData("c2", "Anyone", "N'importe qui"),
            ],
            **changes,
        }
    )


def test_a_revised_question_is_a_new_version_and_answers_keep_the_old_one(officer):
    question = services.add_question(actor=officer, data=_question_data())
    answered = CourseFactory(questions=[question])
    session = SessionFactory(course=answered)
    fresh = CourseFactory(questions=[question])
    services.submit_attempt(
        session=session,
        stage=Stage.PRE,
        pairing_code="AAAA-AAAA",
        answers={question.pk: [question.choices.get(name="c1").pk]},
    )
    revised = services.revise_question(
        actor=officer,
        question=question,
        data=_question_data(text="Which organisations may refer an adult to the NRM?"),
    )
    question.refresh_from_db()
    assert (question.version, question.is_current) == (1, False)
    assert (revised.version, revised.is_current, revised.replaces) == (2, True, question)
    assert question.text == "Who may refer an adult to the NRM?"
    assert Answer.objects.get().question == question
    # The answered course keeps the words its attendees read; the other moves on.
    assert set(CourseItem.objects.filter(course=answered).values_list("question", flat=True)) == {
        question.pk
    }
    assert set(CourseItem.objects.filter(course=fresh).values_list("question", flat=True)) == {
        revised.pk
    }
    with pytest.raises(ValidationError):
        services.revise_question(actor=officer, question=question, data=_question_data())


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"text_fr": ""}, "text_fr"),
        ({"choices": []}, "choices"),
        (
            {
                "choices": [
                    services.ChoiceData("c1", "A", "A", True),
                    services.ChoiceData("c2", "B", "B", True),
                ]
            },
            "choices",
        ),
        ({"kind": QuestionKind.CONFIDENCE}, "choices"),
        ({"kind": "essay"}, "kind"),
    ],
)
def test_a_question_no_one_could_answer_well_is_refused(officer, changes, field):
    with pytest.raises(ValidationError) as refused:
        services.add_question(actor=officer, data=_question_data(**changes))
    assert field in refused.value.message_dict
    assert not Question.objects.exists()


def _session_arguments(officer, course, **changes):
    starts = timezone.now() + datetime.timedelta(days=3)
    return {
        "actor": officer,
        "submission_key": uuid.uuid4(),
        "course": course,
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=3),
        "trainer_organisation": officer.organisation,
        "trainer_name": "Amira Khan",
        "capacity": 20,
        "venue": "City Hall",
        **changes,
    }


def test_a_session_gets_a_code_and_default_stage_windows(officer):
    course = CourseFactory()
    session = services.create_session(**_session_arguments(officer, course))
    assert len(session.code) == 6 and session.code.isalnum()
    assert session.pre_opens_at == session.starts_at - datetime.timedelta(hours=1)
    assert session.post_closes_at == session.ends_at + datetime.timedelta(days=7)
    assert session.follow_up_opens_at is None
    assert AuditEvent.objects.filter(action="outreach.training_session_created").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_at": timezone.now()}, "ends_at"),
        ({"starts_at": datetime.datetime(2001, 1, 1, tzinfo=datetime.UTC)}, "starts_at"),
        ({"capacity": 0}, "capacity"),
        ({"venue": "", "online_link": ""}, "venue"),
        ({"trainer_name": ""}, "trainer_name"),
        (
            {
                "windows": services.StageWindows(
                    post_opens_at=timezone.now() + datetime.timedelta(days=4),
                    post_closes_at=timezone.now() + datetime.timedelta(days=1),
                )
            },
            "post_closes_at",
        ),
    ],
)
def test_a_session_with_dates_out_of_order_is_refused(officer, changes, field):
    with pytest.raises(ValidationError) as refused:
        services.create_session(**_session_arguments(officer, CourseFactory(), **changes))
    assert field in refused.value.message_dict


def test_partners_book_for_their_own_organisation_only(partner):
    session = UpcomingSessionFactory(capacity=10)
    booking = services.book_places(
        actor=partner,
        submission_key=uuid.uuid4(),
        session=session,
        organisation=partner.organisation,
        role=_nurse(),
        places=3,
    )
    assert booking.places == 3
    with pytest.raises(ValidationError) as refused:
        services.book_places(
            actor=partner,
            submission_key=uuid.uuid4(),
            session=session,
            organisation=OrganisationFactory(),
            role=_nurse(),
            places=1,
        )
    assert "organisation" in refused.value.message_dict


def test_an_organisation_without_an_agreement_books_nothing(make_user):
    pending = make_user(
        Role.PARTNER_CONTRIBUTOR, organisation=OrganisationFactory(isa_signed_on=None)
    )
    with pytest.raises(PermissionDenied):
        services.book_places(
            actor=pending,
            submission_key=uuid.uuid4(),
            session=UpcomingSessionFactory(),
            organisation=pending.organisation,
            role=_nurse(),
            places=1,
        )


def test_a_booking_never_goes_over_capacity(partner):
    session = UpcomingSessionFactory(capacity=5)
    BookingFactory(session=session, places=4)
    with pytest.raises(ValidationError) as refused:
        services.book_places(
            actor=partner,
            submission_key=uuid.uuid4(),
            session=session,
            organisation=partner.organisation,
            role=_nurse(),
            places=2,
        )
    assert "1" in refused.value.message_dict["places"][0]
    assert Booking.objects.filter(session=session).count() == 1


def test_a_double_submitted_booking_books_once(partner):
    session = UpcomingSessionFactory(capacity=5)
    key = uuid.uuid4()
    for _ in range(2):
        services.book_places(
            actor=partner,
            submission_key=key,
            session=session,
            organisation=partner.organisation,
            role=_nurse(),
            places=3,
        )
    assert Booking.objects.filter(session=session).count() == 1


def test_a_started_session_takes_no_bookings(partner):
    with pytest.raises(ValidationError):
        services.book_places(
            actor=partner,
            submission_key=uuid.uuid4(),
            session=SessionFactory(),
            organisation=partner.organisation,
            role=_nurse(),
            places=1,
        )


def test_the_officer_records_attendance_within_the_places_booked(officer):
    booking = BookingFactory(places=4)
    services.record_attendance(actor=officer, session=booking.session, attended={booking.pk: 3})
    booking.refresh_from_db()
    assert booking.attended == 3
    with pytest.raises(ValidationError) as refused:
        services.record_attendance(actor=officer, session=booking.session, attended={booking.pk: 5})
    assert f"attended_{booking.pk}" in refused.value.message_dict
    other = BookingFactory()
    with pytest.raises(ValidationError):
        services.record_attendance(actor=officer, session=booking.session, attended={other.pk: 1})


def test_partners_do_not_record_attendance(partner):
    booking = BookingFactory()
    with pytest.raises(PermissionDenied):
        services.record_attendance(actor=partner, session=booking.session, attended={booking.pk: 1})


def _answers(session, *, right: bool = True, rating: int = 5):
    answers = {}
    for item in CourseItem.objects.filter(course=session.course, stage=Stage.PRE):
        question = item.question
        if question.kind == QuestionKind.CONFIDENCE:
            answers[question.pk] = rating
        else:
            answers[question.pk] = [question.choices.get(name="right" if right else "wrong").pk]
    return answers


def test_an_attempt_is_scored_and_stored_once_per_pairing_code():
    session = SessionFactory()
    attempt, created = services.submit_attempt(
        session=session, stage=Stage.PRE, pairing_code="K7PD-3XQA", answers=_answers(session)
    )
    assert created and attempt.score == 100 and attempt.confidence == 100
    again, created = services.submit_attempt(
        session=session,
        stage=Stage.PRE,
        pairing_code="K7PD-3XQA",
        answers=_answers(session, right=False),
    )
    assert (again, created) == (attempt, False)
    assert Attempt.objects.count() == 1 and Answer.objects.count() == 3
    wrong, _ = services.submit_attempt(
        session=session,
        stage=Stage.PRE,
        pairing_code="XXXX-YYYY",
        answers=_answers(session, right=False, rating=2),
    )
    assert wrong.score == 0 and wrong.confidence == 0


def test_answers_to_questions_not_in_the_test_are_refused():
    session = SessionFactory()
    answers = {**_answers(session), QuestionFactory().pk: [1]}
    with pytest.raises(ValidationError) as refused:
        services.submit_attempt(
            session=session, stage=Stage.PRE, pairing_code="K7PD-3XQA", answers=answers
        )
    assert "answers" in refused.value.message_dict
    assert not Attempt.objects.exists()


def test_a_missing_or_foreign_answer_is_refused_naming_the_question():
    session = SessionFactory()
    answers = _answers(session)
    first = next(iter(answers))
    for bad in ([], [999_999_999], None, 3):
        with pytest.raises(ValidationError) as refused:
            services.submit_attempt(
                session=session,
                stage=Stage.PRE,
                pairing_code="K7PD-3XQA",
                answers={**answers, first: bad},
            )
        assert f"q{first}" in refused.value.message_dict
    assert not Attempt.objects.exists()


def test_a_closed_stage_takes_no_answers():
    session = UpcomingSessionFactory()
    with pytest.raises(ValidationError) as refused:
        services.submit_attempt(
            session=session, stage=Stage.PRE, pairing_code="K7PD-3XQA", answers=_answers(session)
        )
    assert "stage" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.submit_attempt(
            session=SessionFactory(),
            stage=Stage.FOLLOW_UP,
            pairing_code="K7PD-3XQA",
            answers={},
        )


def test_attempts_are_not_audited_so_no_address_is_kept_with_answers():
    session = SessionFactory()
    before = AuditEvent.objects.count()
    services.submit_attempt(
        session=session, stage=Stage.PRE, pairing_code="K7PD-3XQA", answers=_answers(session)
    )
    assert AuditEvent.objects.count() == before
