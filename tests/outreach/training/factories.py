"""Factories for training: a course with a small bank, sessions open now, bookings."""

import datetime

import factory
from django.utils import timezone

from lantern.outreach.models.training import (
    Choice,
    CourseItem,
    FrontlineRole,
    Question,
    QuestionKind,
    Stage,
    TrainingTopic,
)
from tests.factories import OrganisationFactory, UserFactory


def topic(code: str = "nrm") -> TrainingTopic:
    return TrainingTopic.objects.get(code=code)


class QuestionFactory(factory.django.DjangoModelFactory):
    """A single-choice question on the NRM: answer ``right`` is correct, ``wrong`` is not."""

    class Meta:
        model = Question
        skip_postgeneration_save = True

    topic = factory.LazyFunction(topic)
    key = factory.Sequence(lambda number: f"question_{number}")
    kind = QuestionKind.SINGLE
    text = factory.Sequence(lambda number: f"Who may refer an adult to the NRM? ({number})")
    text_fr = factory.Sequence(
        lambda number: f"Qui peut orienter un adulte vers le NRM ? ({number})"
    )

    @factory.post_generation
    def choices(self, create: bool, extracted: object, **kwargs: object) -> None:
        if not create or self.kind == QuestionKind.CONFIDENCE:
            return
        for position, (name, correct) in enumerate((("right", True), ("wrong", False))):
            Choice.objects.create(
                question=self,
                position=position,
                name=name,
                text=f"{name} answer",
                text_fr=f"réponse {name}",
                is_correct=correct and self.kind != QuestionKind.FOLLOW_UP,
            )


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "outreach.Course"
        skip_postgeneration_save = True

    submission_key = factory.Faker("uuid4", cast_to=None)
    title = factory.Sequence(lambda number: f"Spotting modern slavery {number}")
    duration_minutes = 120
    delivery = "in_person"
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def questions(self, create: bool, extracted: list[Question] | None, **kwargs: object) -> None:
        """The same items at the pre and post test (two NRM questions and a confidence
        statement unless ``questions`` are given)."""
        if not create:
            return
        self.topics.add(topic())
        questions = extracted
        if questions is None:
            questions = [
                QuestionFactory(),
                QuestionFactory(),
                QuestionFactory(kind=QuestionKind.CONFIDENCE),
            ]
        for stage in (Stage.PRE, Stage.POST):
            for position, question in enumerate(questions):
                CourseItem.objects.create(
                    course=self, stage=stage, question=question, position=position
                )


def _now() -> datetime.datetime:
    return timezone.now()


class SessionFactory(factory.django.DjangoModelFactory):
    """A session that started an hour ago: both tests are open now."""

    class Meta:
        model = "outreach.TrainingSession"

    submission_key = factory.Faker("uuid4", cast_to=None)
    code = factory.Sequence(lambda number: f"T{number:05d}"[-6:])
    course = factory.SubFactory(CourseFactory)
    starts_at = factory.LazyFunction(lambda: _now() - datetime.timedelta(hours=1))
    ends_at = factory.LazyAttribute(lambda session: session.starts_at + datetime.timedelta(hours=3))
    trainer_organisation = factory.SubFactory(OrganisationFactory)
    trainer_name = "Sam Trainer"
    venue = "Leicester Town Hall"
    capacity = 20
    pre_opens_at = factory.LazyAttribute(
        lambda session: session.starts_at - datetime.timedelta(hours=1)
    )
    pre_closes_at = factory.LazyAttribute(lambda session: session.ends_at)
    post_opens_at = factory.LazyAttribute(lambda session: session.starts_at)
    post_closes_at = factory.LazyAttribute(
        lambda session: session.ends_at + datetime.timedelta(days=7)
    )
    created_by = factory.SubFactory(UserFactory)


class UpcomingSessionFactory(SessionFactory):
    """A session next week: partners book it; its tests are not open yet."""

    starts_at = factory.LazyFunction(lambda: _now() + datetime.timedelta(days=7))


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "outreach.Booking"

    submission_key = factory.Faker("uuid4", cast_to=None)
    session = factory.SubFactory(SessionFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = factory.LazyFunction(lambda: FrontlineRole.objects.get(code="nurse"))
    places = 4
    booked_by = factory.SubFactory(
        UserFactory, organisation=factory.SelfAttribute("..organisation")
    )
