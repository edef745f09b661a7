"""Factories for mentions, the entities they resolve to and suggested matches."""

import factory

from lantern.entities.models import EntityKind, MatchSource
from tests.factories import IntelligenceReportFactory


class EntityFactory(factory.django.DjangoModelFactory):
    """A person, keyed by the folded form of the name as correlation would key it."""

    class Meta:
        model = "entities.Entity"

    kind = EntityKind.PERSON
    label = factory.Sequence(lambda number: f"Marek Carter {number}")
    key = factory.LazyAttribute(lambda entity: entity.label.casefold())


class MentionFactory(factory.django.DjangoModelFactory):
    """A witness named in an ordinary partner's report, not yet resolved to an entity.

    Given an ``entity``, the mention takes its kind, label and key unless told otherwise.
    """

    class Meta:
        model = "entities.Mention"

    report = factory.SubFactory(IntelligenceReportFactory)
    entity = None
    kind = factory.LazyAttribute(
        lambda mention: mention.entity.kind if mention.entity else "person"
    )
    role = "witness"
    value = factory.LazyAttribute(
        lambda mention: mention.entity.label if mention.entity else "Marek Carter"
    )
    key = factory.LazyAttribute(
        lambda mention: mention.entity.key if mention.entity else mention.value.casefold()
    )


class MatchFactory(factory.django.DjangoModelFactory):
    """A batch suggestion, not yet decided, that one person is another."""

    class Meta:
        model = "entities.Match"

    entity = factory.SubFactory(EntityFactory)
    candidate = factory.SubFactory(EntityFactory)
    confidence = 0.9
    source = MatchSource.BATCH
