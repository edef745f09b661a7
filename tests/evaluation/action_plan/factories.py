"""Factories for the action plan."""

import datetime

import factory
from django.utils import timezone

from tests.factories import OrganisationFactory, UserFactory


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "evaluation.Objective"

    submission_key = factory.Faker("uuid4", cast_to=None)
    pillar = "prevent"
    title = factory.Sequence(lambda number: f"Raise awareness of the signs {number}")
    created_by = factory.SubFactory(UserFactory)


class ActionFactory(factory.django.DjangoModelFactory):
    """An action due in a month, not started and green, with its first timeline entry."""

    class Meta:
        model = "evaluation.Action"
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda number: f"ACT-{number:04d}")
    submission_key = factory.Faker("uuid4", cast_to=None)
    objective = factory.SubFactory(ObjectiveFactory)
    title = factory.Sequence(lambda number: f"Train taxi drivers in the signs {number}")
    owner = factory.SubFactory(OrganisationFactory)
    lead_name = "Licensing manager"
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def timeline(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.updates.create(
                kind="created", to_status=self.status, to_rag=self.rag, recorded_by=self.created_by
            )
