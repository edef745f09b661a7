"""The outcome chain: of the public's reports in a year, how many went how far.

Each stage counts public reports, so the chain reads as a funnel: a report became
intelligence (the hub converted it); its intelligence led to an operation (an operation
targeted an entity that intelligence mentions, or names it as a target's justification);
it identified a potential victim (a victim recorded from that intelligence, or found at a
target it led to); and that victim got a positive reasonable grounds decision.

Only counts leave this module. People who may not read the records get each stage through
disclosure control: a small count is withheld, and so is a stage that is only a few reports
short of the stage before it (the difference would be the small number).
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lantern.core import access
from lantern.core.access import NotFoundOrNotAllowed
from lantern.core.models import User
from lantern.evaluation import disclosure, periods
from lantern.evaluation.figures import date_bounds
from lantern.evaluation.measures import MEASURES
from lantern.evaluation.services import disclosure as released

STAGES: list[tuple[str, Promise]] = [
    ("reported", _("Concerns reported by the public")),
    ("intelligence", _("Became intelligence")),
    ("operation", _("Led to an operation")),
    ("victim", _("Identified a potential victim")),
    ("positive_rg", _("Got a positive reasonable grounds decision")),
]


@dataclass(frozen=True)
class Stage:
    code: str
    label: str
    value: int | None
    share_of_reports: float | None

    @property
    def withheld(self) -> bool:
        return self.value is None


def _true_counts(year: periods.FinancialYear) -> dict[str, int]:
    from lantern.entities.models import Mention
    from lantern.intelligence.models import IntelligenceReport
    from lantern.operations.models import Target
    from lantern.public.models import PublicReport
    from lantern.safeguarding.models import PotentialVictim

    measure = MEASURES["public_reports"]
    reports = set(
        PublicReport.objects.filter(**date_bounds(measure, year.start, year.end)).values_list(
            "pk", flat=True
        )
    )
    # Intelligence made from those reports: {intelligence id: public report id}.
    intelligence = dict(
        IntelligenceReport.objects.filter(public_report__in=reports).values_list(
            "pk", "public_report_id"
        )
    )
    # Entities each piece of intelligence mentions, canonical or merged.
    mentioned: dict[int, set[int]] = {}
    for report_id, entity_id, merged_into_id in Mention.objects.filter(
        report__in=intelligence, entity__isnull=False
    ).values_list("report_id", "entity_id", "entity__merged_into_id"):
        mentioned.setdefault(report_id, set()).update(
            {entity_id, *([merged_into_id] if merged_into_id else [])}
        )
    entities = set().union(*mentioned.values()) if mentioned else set()
    targets = Target.objects.exclude(operation__status="cancelled").filter(
        Q(justification__in=intelligence) | Q(entity__in=entities)
    )
    led: set[int] = set()
    target_reports: dict[int, set[int]] = {}
    for target_id, entity_id, justified_by in targets.values_list(
        "pk", "entity_id", "justification"
    ):
        hits = {
            intelligence_id for intelligence_id, found in mentioned.items() if entity_id in found
        }
        if justified_by in intelligence:
            hits.add(justified_by)
        target_reports.setdefault(target_id, set()).update(hits)
        led.update(hits)
    victims = PotentialVictim.objects.filter(
        Q(intelligence__in=intelligence) | Q(target__in=target_reports)
    ).values_list("intelligence_id", "target_id", "nrm_referral__reasonable_grounds")
    identified: set[int] = set()
    positive: set[int] = set()
    for intelligence_id, target_id, decision in victims:
        hits = set()
        if intelligence_id in intelligence:
            hits.add(intelligence_id)
        hits.update(target_reports.get(target_id, set()))
        identified.update(hits)
        if decision == "positive":
            positive.update(hits)

    def public(intelligence_ids: set[int]) -> int:
        return len({intelligence[pk] for pk in intelligence_ids})

    return {
        "reported": len(reports),
        "intelligence": len(set(intelligence.values())),
        "operation": public(led),
        "victim": public(identified),
        "positive_rg": public(positive),
    }


def outcome_chain(
    user: User,
    year: periods.FinancialYear,
    *,
    controlled: bool = False,
    release: str = "outcome chain",
) -> list[Stage]:
    """The chain for a year, as ``user`` may see it (``controlled`` forces disclosure control)."""
    if not access.can_view_kpis(user):
        raise NotFoundOrNotAllowed
    controlled = controlled or access.sees_controlled_figures(user)
    true = _true_counts(year)
    shown: dict[str, int | None] = {}
    previous: int | None = None
    for code, _label in STAGES:
        value = true[code]
        gap = None if previous is None else previous - value
        if controlled:
            figure = released.release_count(
                table_id="outcome-chain",
                cell=code,
                period=year.key,
                value=value,
                release=release,
                actor=user,
                withhold=gap is not None and 0 < gap < disclosure.threshold(),
            )
        else:
            figure = disclosure.Figure(value)
        shown[code] = figure.shown
        previous = value
    reported = shown["reported"]
    return [
        Stage(
            code=code,
            label=str(label),
            value=shown[code],
            share_of_reports=None
            if shown[code] is None or not reported
            else 100.0 * shown[code] / reported,
        )
        for code, label in STAGES
    ]
