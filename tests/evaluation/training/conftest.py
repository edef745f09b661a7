import datetime

import pytest
from django.utils import timezone

from lantern.core.models import OrganisationType
from lantern.core.roles import Role
from lantern.outreach.models.training import CourseItem, QuestionKind, Stage
from lantern.outreach.services import training as training_services
from tests.factories import OrganisationFactory
from tests.outreach.training.factories import CourseFactory, QuestionFactory, SessionFactory, topic


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.HUB_COORDINATOR)


@pytest.fixture
def board_viewer(make_user):
    return make_user(Role.BOARD_VIEWER)


@pytest.fixture
def police(db):
    return OrganisationFactory(
        name="Leicestershire Police", organisation_type=OrganisationType.POLICE
    )


@pytest.fixture
def hospital(db):
    return OrganisationFactory(
        name="University Hospitals of Leicester", organisation_type=OrganisationType.HEALTH
    )


def at_noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def session_on(day: datetime.date):
    """A session on ``day`` whose course asks two NRM questions and a confidence statement."""
    questions = [
        QuestionFactory(topic=topic("nrm")),
        QuestionFactory(topic=topic("nrm")),
        QuestionFactory(topic=topic("nrm"), kind=QuestionKind.CONFIDENCE),
    ]
    return SessionFactory(course=CourseFactory(questions=questions), starts_at=at_noon(day))


def take(session, stage, code, *, right, confident):
    """``right``: how many of the knowledge items to answer correctly, in order."""
    answers = {}
    items = CourseItem.objects.filter(course=session.course, stage=stage).order_by("position")
    knowledge = 0
    for item in items:
        question = item.question
        if question.kind == QuestionKind.CONFIDENCE:
            answers[question.pk] = 5 if confident else 1
            continue
        answers[question.pk] = [
            question.choices.get(name="right" if knowledge < right else "wrong").pk
        ]
        knowledge += 1
    training_services.submit_attempt(
        session=session,
        stage=stage,
        pairing_code=code,
        answers=answers,
        now=session.starts_at + datetime.timedelta(minutes=30),
    )


def pairs(session, count, *, before, after):
    """``count`` attendees answering ``before`` then ``after`` NRM items (of 2) correctly."""
    for number in range(count):
        code = f"AAAA-{number:04d}"
        take(session, Stage.PRE, code, right=before, confident=False)
        take(session, Stage.POST, code, right=after, confident=True)
