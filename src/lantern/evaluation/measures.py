"""Measures: the countable record sets every KPI is built from, defined once in code.

A measure says which records it counts, which date places a record in a period, and how
it can be broken down. KPIs (data) name measures; they never carry a query of their own.
Evaluation reads the other apps' models here and nowhere else, and only ever to count:
no field that identifies anyone is read.

Campaign measures (reach, visits through campaign links, public reports by how the
reporter heard of the service and by campaign code) count the outreach app's records the
same way. Frontline staff trained counts the attendance recorded on training bookings,
by session date. The knowledge uplift is a *paired* measure: not a count of records but
the relative change between attendees' pre- and post-test scores, which the outreach app
computes (``outreach.selectors.training.knowledge_uplift``); the number of pairs behind
it is what disclosure control releases.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import (
    Case,
    CharField,
    DateTimeField,
    F,
    IntegerField,
    Min,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Substr
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

COUNT = "count"
SUM = "sum"
DURATION = "duration"
PAIRED = "paired"


@dataclass(frozen=True)
class Breakdown:
    """A way to split a measure: the field path for each measure that supports it."""

    code: str
    label: Promise


BREAKDOWNS: dict[str, Breakdown] = {
    breakdown.code: breakdown
    for breakdown in (
        Breakdown("area", _("Local authority area")),
        Breakdown("exploitation_type", _("Type of exploitation")),
        Breakdown("sector", _("Sector")),
        Breakdown("age_group", _("Age group")),
        Breakdown("organisation_type", _("Organisation type")),
        Breakdown("reach_kind", _("Kind of reach")),
        Breakdown("channel", _("Campaign channel")),
        Breakdown("heard_from", _("How the reporter heard of the service")),
        Breakdown("campaign", _("Campaign")),
        Breakdown("frontline_role", _("Frontline role")),
        Breakdown("topic", _("Training topic")),
    )
}


@dataclass(frozen=True)
class Measure:
    """A set of records counted by date.

    ``kind`` is ``count`` (records), ``sum`` (a number recorded on each, e.g. arrests),
    ``duration`` (time from ``start_field`` to ``date_field``, in ``unit``) or ``paired``
    (a pre/post comparison computed by the app that holds the scores; ``breakdowns`` are
    then the filters it takes).
    ``breakdowns`` maps a breakdown code to the field path whose value splits the count
    (an exploitation type is counted once per type a record has, so its parts can add up
    to more than the total).
    """

    code: str
    label: Promise
    counted: Promise
    model: str
    date_field: str
    kind: str = COUNT
    condition: Q = field(default_factory=Q)
    annotations: Callable[[], dict[str, Any]] | None = None
    sum_field: str = ""
    start_field: str = ""
    unit: str = "days"
    breakdowns: dict[str, str] = field(default_factory=dict)
    records_url: str = ""
    records_query: dict[str, str] = field(default_factory=dict)

    def queryset(self) -> QuerySet:
        records = apps.get_model(self.model).objects.all()
        if self.annotations is not None:
            records = records.annotate(**self.annotations())
        return records.filter(self.condition)

    @property
    def date_is_datetime(self) -> bool:
        model = apps.get_model(self.model)
        if self.annotations is not None and self.date_field in self.annotations():
            return True
        target = model
        parts = self.date_field.split("__")
        for part in parts[:-1]:
            target = target._meta.get_field(part).related_model
        return isinstance(target._meta.get_field(parts[-1]), DateTimeField)


def _victim_age_group(prefix: str) -> Callable[[], dict[str, Any]]:
    def annotations() -> dict[str, Any]:
        return {
            "age_group": Case(
                When(**{f"{prefix}age_at_identification__lt": 18}, then=Value("child")),
                When(**{f"{prefix}age_at_identification__isnull": False}, then=Value("adult")),
                When(**{f"{prefix}may_be_child": True}, then=Value("child")),
                default=Value("unknown"),
            )
        }

    return annotations


_age_group = _victim_age_group("")


def _first_assessed() -> dict[str, Any]:
    return {
        "first_assessed_at": Min(
            "status_changes__changed_at",
            filter=Q(status_changes__to_status="under_assessment"),
        )
    }


def _on_time() -> dict[str, Any]:
    return {
        "answered_in_time": Case(
            When(
                status="answered",
                responded_at__date__lte=F("deadline"),
                then=Value(1),
            ),
            default=Value(0),
            output_field=IntegerField(),
        )
    }


_PARTNER_INTELLIGENCE = Q(public_report__isnull=True, sanitised_from__isnull=True)
_INTELLIGENCE_BREAKDOWNS = {
    "area": "area__gss_code",
    "exploitation_type": "exploitation_types__code",
    "sector": "sector",
    "organisation_type": "originating_organisation__organisation_type",
}
_VICTIM_BREAKDOWNS = {
    "area": "area__gss_code",
    "exploitation_type": "exploitation_types__code",
    "age_group": "age_group",
    "organisation_type": "identified_by__organisation_type",
}
_REFERRAL_BREAKDOWNS = {
    "area": "victim__area__gss_code",
    "exploitation_type": "victim__exploitation_types__code",
    "age_group": "age_group",
    "organisation_type": "referring_organisation__organisation_type",
}
# A report's campaign code is a campaign's six characters, or those and "-<activity>".
CAMPAIGN_CODE_LENGTH = 6


def _campaign_of_report() -> dict[str, Any]:
    return {"campaign": Substr("campaign_code", 1, CAMPAIGN_CODE_LENGTH, output_field=CharField())}


_LIVE_OPERATION = Q(went_live_at__isnull=False) & ~Q(status="cancelled")

MEASURES: dict[str, Measure] = {
    measure.code: measure
    for measure in (
        Measure(
            "public_reports",
            _("Concerns reported by the public"),
            _("Reports sent through the public portal, by the date they were sent."),
            "public.PublicReport",
            "submitted_at",
            breakdowns={"area": "area__gss_code", "exploitation_type": "suspected_types__code"},
            records_url="public:report_list",
        ),
        Measure(
            "partner_intelligence",
            _("Intelligence shared by partners"),
            _(
                "Intelligence reports submitted by partner organisations, by the date they "
                "were submitted. Reports made from a public concern and sanitised copies are "
                "not counted again."
            ),
            "intelligence.IntelligenceReport",
            "created_at",
            condition=_PARTNER_INTELLIGENCE,
            breakdowns=_INTELLIGENCE_BREAKDOWNS,
            records_url="intelligence:report_list",
        ),
        Measure(
            "intelligence_reports",
            _("Intelligence reports (all sources)"),
            _(
                "Every intelligence report, from partners and from public concerns, by the "
                "date it was recorded; sanitised copies are not counted again."
            ),
            "intelligence.IntelligenceReport",
            "created_at",
            condition=Q(sanitised_from__isnull=True),
            breakdowns=_INTELLIGENCE_BREAKDOWNS,
            records_url="intelligence:report_list",
        ),
        Measure(
            "time_to_triage",
            _("Time from report to triage"),
            _(
                "Hours from an intelligence report being recorded to an analyst first "
                "taking it under assessment, for reports assessed in the period."
            ),
            "intelligence.IntelligenceReport",
            "first_assessed_at",
            kind=DURATION,
            condition=Q(sanitised_from__isnull=True, first_assessed_at__isnull=False),
            annotations=_first_assessed,
            start_field="created_at",
            unit="hours",
            breakdowns=_INTELLIGENCE_BREAKDOWNS,
        ),
        Measure(
            "taskings_due",
            _("Taskings due"),
            _("Taskings whose deadline fell in the period, unless withdrawn."),
            "intelligence.Tasking",
            "deadline",
            condition=~Q(status="withdrawn"),
            breakdowns={"organisation_type": "organisation__organisation_type"},
        ),
        Measure(
            "taskings_on_time",
            _("Taskings answered on time"),
            _(
                "Taskings whose deadline fell in the period and that were answered on or "
                "before the deadline."
            ),
            "intelligence.Tasking",
            "deadline",
            condition=Q(status="answered", answered_in_time=1),
            annotations=_on_time,
            breakdowns={"organisation_type": "organisation__organisation_type"},
        ),
        Measure(
            "victims_identified",
            _("Potential victims identified"),
            _("People recorded as potential victims, by the date they were identified."),
            "safeguarding.PotentialVictim",
            "identified_on",
            annotations=_age_group,
            breakdowns=_VICTIM_BREAKDOWNS,
            records_url="safeguarding:victim_list",
        ),
        Measure(
            "victims_safeguarded",
            _("Victims safeguarded"),
            _(
                "Potential victims whose outcome is 'safeguarded' (brought to safety and "
                "accepted support), by the date the outcome was recorded."
            ),
            "safeguarding.PotentialVictim",
            "outcome_recorded_on",
            condition=Q(outcome="safeguarded"),
            annotations=_age_group,
            breakdowns=_VICTIM_BREAKDOWNS,
            records_url="safeguarding:victim_list",
        ),
        Measure(
            "nrm_referrals",
            _("NRM referrals"),
            _("Referrals to the National Referral Mechanism, by the date referred."),
            "safeguarding.NRMReferral",
            "referred_on",
            annotations=_victim_age_group("victim__"),
            breakdowns=_REFERRAL_BREAKDOWNS,
        ),
        Measure(
            "rg_decisions",
            _("Reasonable grounds decisions"),
            _("Positive or negative reasonable grounds decisions, by decision date."),
            "safeguarding.NRMReferral",
            "reasonable_grounds_on",
            condition=Q(reasonable_grounds__in=["positive", "negative"]),
            annotations=_victim_age_group("victim__"),
            breakdowns=_REFERRAL_BREAKDOWNS,
        ),
        Measure(
            "rg_positive",
            _("Positive reasonable grounds decisions"),
            _("Positive reasonable grounds decisions, by decision date."),
            "safeguarding.NRMReferral",
            "reasonable_grounds_on",
            condition=Q(reasonable_grounds="positive"),
            annotations=_victim_age_group("victim__"),
            breakdowns=_REFERRAL_BREAKDOWNS,
        ),
        Measure(
            "cg_decisions",
            _("Conclusive grounds decisions"),
            _("Positive or negative conclusive grounds decisions, by decision date."),
            "safeguarding.NRMReferral",
            "conclusive_grounds_on",
            condition=Q(conclusive_grounds__in=["positive", "negative"]),
            annotations=_victim_age_group("victim__"),
            breakdowns=_REFERRAL_BREAKDOWNS,
        ),
        Measure(
            "cg_positive",
            _("Positive conclusive grounds decisions"),
            _("Positive conclusive grounds decisions, by decision date."),
            "safeguarding.NRMReferral",
            "conclusive_grounds_on",
            condition=Q(conclusive_grounds="positive"),
            annotations=_victim_age_group("victim__"),
            breakdowns=_REFERRAL_BREAKDOWNS,
        ),
        Measure(
            "time_to_rg_decision",
            _("Time to a reasonable grounds decision"),
            _("Days from the NRM referral to its reasonable grounds decision."),
            "safeguarding.NRMReferral",
            "reasonable_grounds_on",
            kind=DURATION,
            condition=Q(reasonable_grounds__in=["positive", "negative"]),
            annotations=_victim_age_group("victim__"),
            start_field="referred_on",
            breakdowns=_REFERRAL_BREAKDOWNS,
        ),
        Measure(
            "time_to_cg_decision",
            _("Time to a conclusive grounds decision"),
            _("Days from the NRM referral to its conclusive grounds decision."),
            "safeguarding.NRMReferral",
            "conclusive_grounds_on",
            kind=DURATION,
            condition=Q(conclusive_grounds__in=["positive", "negative"]),
            annotations=_victim_age_group("victim__"),
            start_field="referred_on",
            breakdowns=_REFERRAL_BREAKDOWNS,
        ),
        Measure(
            "duty_to_notify",
            _("Duty to Notify reports"),
            _("Anonymous Duty to Notify reports for adults who did not consent, by date."),
            "safeguarding.DutyToNotify",
            "notified_on",
            annotations=_victim_age_group("victim__"),
            breakdowns={
                "area": "victim__area__gss_code",
                "exploitation_type": "victim__exploitation_types__code",
                "organisation_type": "notifying_organisation__organisation_type",
            },
        ),
        Measure(
            "operations",
            _("Joint operations run"),
            _("Joint operations that went live, by the date they went live."),
            "operations.Operation",
            "went_live_at",
            condition=_LIVE_OPERATION,
            breakdowns={
                "area": "area__gss_code",
                "organisation_type": "lead_organisation__organisation_type",
            },
            records_url="operations:operation_list",
        ),
        Measure(
            "operation_arrests",
            _("Arrests in joint operations"),
            _("Arrests recorded at the targets of operations that went live in the period."),
            "operations.Target",
            "operation__went_live_at",
            kind=SUM,
            condition=Q(operation__went_live_at__isnull=False) & ~Q(operation__status="cancelled"),
            sum_field="arrests",
            breakdowns={"area": "operation__area__gss_code"},
        ),
        Measure(
            "business_disruptions",
            _("Businesses disrupted in joint operations"),
            _(
                "Licensing, tax, immigration, health and safety or fire enforcement at the "
                "targets of operations that went live in the period."
            ),
            "operations.Disruption",
            "target__operation__went_live_at",
            condition=Q(target__operation__went_live_at__isnull=False),
            breakdowns={"area": "target__operation__area__gss_code"},
        ),
        Measure(
            "operation_victims_safeguarded",
            _("Victims safeguarded through joint operations"),
            _(
                "Potential victims found in a joint operation whose outcome is "
                "'safeguarded', by the date the outcome was recorded."
            ),
            "safeguarding.PotentialVictim",
            "outcome_recorded_on",
            condition=Q(outcome="safeguarded", operation__isnull=False),
            annotations=_age_group,
            breakdowns=_VICTIM_BREAKDOWNS,
        ),
        Measure(
            "campaign_reach",
            _("Campaign reach"),
            _(
                "People awareness campaigns reached, as their channels report it "
                "(impressions, listeners, leaflets, conversations…), by the date of the "
                "activity. Kinds of reach are added together in the total: read them "
                "by kind."
            ),
            "outreach.ReachFigure",
            "activity__happened_on",
            kind=SUM,
            sum_field="value",
            breakdowns={
                "area": "activity__area__gss_code",
                "reach_kind": "kind",
                "channel": "activity__channel",
                "campaign": "activity__campaign__code",
            },
        ),
        Measure(
            "campaign_link_visits",
            _("Visits through campaign links"),
            _(
                "Visits through campaigns' short links and QR codes, by day. A visit is a "
                "counter: the same person visiting twice counts twice."
            ),
            "outreach.LinkVisit",
            "day",
            kind=SUM,
            sum_field="count",
            breakdowns={"campaign": "campaign__code"},
        ),
        Measure(
            "public_reports_heard_from",
            _("Public reports saying how the reporter heard of the service"),
            _(
                "Reports from the public whose sender answered “How did you hear about "
                "this service?”, by the date they were sent; the answer is optional."
            ),
            "public.PublicReport",
            "submitted_at",
            condition=~Q(heard_from=""),
            breakdowns={"area": "area__gss_code", "heard_from": "heard_from"},
        ),
        Measure(
            "public_reports_by_campaign",
            _("Public reports through campaign links"),
            _(
                "Reports from the public sent after following a campaign's short link or "
                "QR code (they carry the campaign's code), by the date they were sent."
            ),
            "public.PublicReport",
            "submitted_at",
            condition=~Q(campaign_code=""),
            annotations=_campaign_of_report,
            breakdowns={"area": "area__gss_code", "campaign": "campaign"},
        ),
        Measure(
            "frontline_staff_trained",
            _("Frontline staff trained"),
            _(
                "Staff recorded as attending a training session, by the date of the "
                "session; one person trained twice counts twice."
            ),
            "outreach.Booking",
            "session__starts_at",
            kind=SUM,
            condition=Q(attended__gt=0),
            sum_field="attended",
            breakdowns={
                "organisation_type": "organisation__organisation_type",
                "frontline_role": "role__code",
            },
        ),
        Measure(
            "knowledge_uplift",
            _("Knowledge uplift after training"),
            _(
                "The relative change in the share of knowledge questions answered "
                "correctly, from the pre-test to the post-test, of the attendees who took "
                "both, by the date of the session: (after − before) ÷ before, so 35% "
                "before and 84% after is +140%. Shown only with 5 pairs or more."
            ),
            "outreach.Attempt",
            "session__starts_at",
            kind=PAIRED,
            breakdowns={"topic": "answers__question__topic__code"},
        ),
    )
}


def measure_choices() -> list[tuple[str, str]]:
    return [(code, str(measure.label)) for code, measure in MEASURES.items()]


def get(code: str) -> Measure | None:
    return MEASURES.get(code)


def filter_condition(measure: Measure, filters: dict[str, Any]) -> Q:
    """A KPI's filters as a condition: only breakdown values the measure knows are used."""
    condition = Q()
    for name, value in (filters or {}).items():
        path = measure.breakdowns.get(name)
        if path is None:
            raise ValueError(f"{measure.code} cannot be filtered by {name}")
        condition &= Q(**{path: value})
    return condition


__all__ = [
    "BREAKDOWNS",
    "COUNT",
    "DURATION",
    "MEASURES",
    "PAIRED",
    "SUM",
]
