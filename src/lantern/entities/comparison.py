"""A suggested match side by side: what each entity is, as the reports the viewer may read
say it, and which fields agree, disagree or are missing.

"Sparkle Hand Car Wash may be Sparkle Hand Car Wash" gives an analyst nothing to decide
on; the addresses, phones, vehicles and reports around each do. Everything here is read
through ``selectors.readable_mentions``: a report the viewer may not read adds nothing to
either side, not even to a count.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lantern.core.models import User
from lantern.entities import selectors
from lantern.entities.models import Entity, EntityKind, Match, Mention, Report


class Agreement(StrEnum):
    AGREE = "agree"
    DISAGREE = "disagree"
    MISSING = "missing"


AGREEMENT_LABELS = {
    Agreement.AGREE: _("Agree"),
    Agreement.DISAGREE: _("Disagree"),
    Agreement.MISSING: _("Missing on one side"),
}


@dataclass
class Side:
    """One entity of the pair, as the viewer's readable reports describe it."""

    entity: Entity
    names: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    dates_of_birth: list[datetime.date] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    vehicles: list[str] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)


@dataclass(frozen=True)
class FieldComparison:
    """One row of the comparison: the field, each side's values, and whether they agree."""

    label: str
    first: list[str]
    second: list[str]
    agreement: Agreement

    @property
    def agreement_label(self) -> str:
        return str(AGREEMENT_LABELS[self.agreement])


@dataclass
class Comparison:
    match: Match
    first: Side
    second: Side
    fields: list[FieldComparison]

    @property
    def agreeing(self) -> int:
        return sum(1 for row in self.fields if row.agreement == Agreement.AGREE)

    @property
    def disagreeing(self) -> int:
        return sum(1 for row in self.fields if row.agreement == Agreement.DISAGREE)


def _side(user: User, entity: Entity) -> Side:
    root_id = entity.root_id
    side = Side(entity=Entity.objects.get(pk=root_id))
    own = list(
        selectors.readable_mentions(user, [root_id])
        .select_related("entity", "report__originating_organisation", "report__area")
        .order_by("pk")
    )
    reports = {mention.report_id: mention.report for mention in own}
    side.names = sorted({mention.value for mention in own})
    side.keys = sorted({mention.entity.key for mention in own})
    side.dates_of_birth = sorted({m.date_of_birth for m in own if m.date_of_birth})
    side.nationalities = sorted({m.nationality for m in own if m.nationality})
    side.reports = sorted(reports.values(), key=lambda report: report.created_at, reverse=True)
    side.areas = sorted({str(report.area) for report in reports.values() if report.area_id})
    # What the same reports mention beside it: the places, phones and vehicles around it.
    beside = (
        Mention.objects.filter(report_id__in=list(reports), entity__isnull=False)
        .exclude(Q(entity_id=root_id) | Q(entity__merged_into_id=root_id))
        .filter(kind__in=[EntityKind.LOCATION, EntityKind.PHONE, EntityKind.VEHICLE])
        .values_list("kind", "value")
    )
    found: dict[str, set[str]] = defaultdict(set)
    for kind, value in beside:
        found[kind].add(value)
    side.addresses = sorted(found[EntityKind.LOCATION])
    side.phones = sorted(found[EntityKind.PHONE])
    side.vehicles = sorted(found[EntityKind.VEHICLE])
    return side


def _agreement(first: set[str], second: set[str]) -> Agreement:
    if not first or not second:
        return Agreement.MISSING
    return Agreement.AGREE if first & second else Agreement.DISAGREE


def _normalised(values: list[str]) -> set[str]:
    return {" ".join(value.casefold().split()) for value in values}


def compare(user: User, match: Match) -> Comparison:
    """Both sides of ``match`` and each field's agreement, from what ``user`` may read."""
    first, second = _side(user, match.entity), _side(user, match.candidate)
    rows = [
        (_("Names and aliases"), first.names, second.names, first.keys, second.keys),
        (
            _("Dates of birth"),
            [str(born) for born in first.dates_of_birth],
            [str(born) for born in second.dates_of_birth],
            None,
            None,
        ),
        (_("Nationalities"), first.nationalities, second.nationalities, None, None),
        (_("Addresses in the same reports"), first.addresses, second.addresses, None, None),
        (_("Areas"), first.areas, second.areas, None, None),
        (_("Phones in the same reports"), first.phones, second.phones, None, None),
        (_("Vehicles in the same reports"), first.vehicles, second.vehicles, None, None),
    ]
    fields = [
        FieldComparison(
            label=str(label),
            first=first_values,
            second=second_values,
            # Names agree by their matching keys, the way correlation compared them.
            agreement=_agreement(
                set(first_keys) if first_keys is not None else _normalised(first_values),
                set(second_keys) if second_keys is not None else _normalised(second_values),
            ),
        )
        for label, first_values, second_values, first_keys, second_keys in rows
    ]
    return Comparison(match=match, first=first, second=second, fields=fields)


def next_suggestion(user: User, after: Match | None = None) -> Match | None:
    """The suggestion to review after ``after`` in the queue's order (most confident
    first), or the first one waiting; None when the queue is done."""
    queue = selectors.review_queue(user)
    if after is not None:
        queue = queue.exclude(pk=after.pk).filter(
            Q(confidence__lt=after.confidence) | Q(confidence=after.confidence, pk__gt=after.pk)
        )
    return queue.order_by("-confidence", "pk").first()
