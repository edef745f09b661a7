"""Factories for operations."""

import datetime
import uuid

import factory
from django.utils import timezone

from lantern.entities.mentions import MentionData
from lantern.intelligence.services.mentions import add_mentions
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
    def participants(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        """The lead agency takes part, and any organisations passed as ``participants``."""
        if create:
            for organisation in [self.lead_organisation, *(extracted or [])]:
                role = "Lead agency" if organisation == self.lead_organisation else "Taking part"
                self.participants.create(
                    organisation=organisation, role=role, added_by=self.created_by
                )
            self.status_changes.create(to_status="planned", changed_by=self.created_by)


class LiveOperationFactory(OperationFactory):
    """An operation live since two hours ago (its status history is not written)."""

    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=2))
    status = "live"
    went_live_at = factory.LazyFunction(timezone.now)


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


def go_live(operation, actor, reason="Brought forward: the workers are to be moved tonight"):
    """Brief then go live; planned operations start in the future, so this brings it forward."""
    services.move(operation=operation, actor=actor, to_status="briefed")
    services.move(operation=operation, actor=actor, to_status="live", reason=reason)
    return operation
