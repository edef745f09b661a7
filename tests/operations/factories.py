"""Factories for operations, and the potential victims an operation's debrief counts."""

import datetime
import uuid

import factory
from django.utils import timezone

from lantern.intelligence.services import MentionData, add_mentions
from lantern.operations import services
from tests.factories import OrganisationFactory, UserFactory


class OperationFactory(factory.django.DjangoModelFactory):
    """A planned operation starting tomorrow, its lead agency taking part (as planning does)."""

    class Meta:
        model = "operations.Operation"
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda number: f"OPS-{number:04d}")
    submission_key = factory.Faker("uuid4", cast_to=None)
    name = factory.Sequence(lambda number: f"Operation Kestrel {number}")
    objective = "Visit the car washes named in the intelligence and safeguard the workers."
    lead_organisation = factory.SubFactory(OrganisationFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=1))
    ends_at = factory.LazyAttribute(
        lambda operation: operation.starts_at + datetime.timedelta(hours=6)
    )
    risk_assessment = "Dogs on site; two exits; officers in pairs."
    created_by = factory.SubFactory(
        UserFactory, organisation=factory.SelfAttribute("..lead_organisation")
    )

    @factory.post_generation
    def lead_participant(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.participants.create(
                organisation=self.lead_organisation, role="Lead agency", added_by=self.created_by
            )
            self.status_changes.create(to_status="planned", changed_by=self.created_by)


class VictimFactory(factory.django.DjangoModelFactory):
    """A potential victim identified in an operation (safeguarding's model, as it stores it)."""

    class Meta:
        model = "safeguarding.PotentialVictim"

    reference = factory.Sequence(lambda number: f"PV-{number:04d}")
    submission_key = factory.Faker("uuid4", cast_to=None)
    name = factory.Sequence(lambda number: f"Secret Person {number}")
    identified_on = factory.LazyFunction(timezone.localdate)
    identified_by = factory.SubFactory(OrganisationFactory)
    recorded_by = factory.SubFactory(UserFactory)


def mentioned(report, value: str, kind: str = "business"):
    """The hub entity a report's mention of ``value`` resolved to."""
    [mention] = add_mentions(report, [MentionData(kind=kind, role="location", value=value)])
    mention.refresh_from_db()
    return mention.entity


def plan(actor, **overrides):
    """An operation planned through the service, as the form plans it."""
    starts_at = timezone.now() + datetime.timedelta(days=2)
    fields = {
        "submission_key": overrides.pop("submission_key", None) or uuid.uuid4(),
        "name": "Operation Kestrel",
        "objective": "Visit the car wash and safeguard the workers.",
        "starts_at": starts_at,
        "ends_at": starts_at + datetime.timedelta(hours=6),
        "risk_assessment": "Dogs on site; two exits.",
        "lead_role": "Lead agency",
        **overrides,
    }
    return services.plan_operation(actor=actor, **fields)


def go_live(operation, actor):
    for status in ("briefed", "live"):
        services.move(operation=operation, actor=actor, to_status=status)
    return operation
