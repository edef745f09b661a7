"""Every read about potential victims, starting from ``core.access``.

Anyone allowed a record sees its pseudonymous reference and non-identifying facts;
personal details come only from ``personal_details``, which asks the access policy and
audits each time they are shown. Statistics are counts over ``access.readable_victims``.
"""

import datetime
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, TruncMonth
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from lantern.core import access, audit
from lantern.core.access import NotFoundOrNotAllowed
from lantern.core.models import ExploitationType, Organisation, OrganisationType, User
from lantern.core.roles import Role
from lantern.entities.models import Entity
from lantern.intelligence.models import IntelligenceReport
from lantern.operations.models import Operation, Target
from lantern.safeguarding import nrm
from lantern.safeguarding.models import (
    ADULT_AGE,
    SHAREABLE_DETAILS,
    AgeGroup,
    Decision,
    NRMReferral,
    PotentialVictim,
    SafeguardingAction,
    SupportReferral,
    SupportReferralStatus,
)

READ_PURPOSE = "potential victim page"
PERSONAL_DATA_PURPOSE = "personal details shown"
SHARED_DETAILS_PURPOSE = "support referral details shown"
SUPPORT_REFERRAL_PURPOSE = "support referral page"


def readable_victims(user: User) -> QuerySet[PotentialVictim]:
    return access.readable_victims(user).select_related(
        "identified_by", "nrm_referral", "duty_to_notify"
    )


def victim_for_reading(
    user: User, reference: str, *, request: HttpRequest | None = None
) -> PotentialVictim:
    """One record, its read audited; ``Http404`` alike for missing and not allowed."""
    victim = (
        readable_victims(user)
        .select_related("area", "entity", "intelligence", "operation", "target", "recorded_by")
        .prefetch_related("exploitation_types")
        .filter(reference=reference)
        .first()
    )
    if victim is None:
        raise Http404
    audit.record_read(actor=user, target=victim, purpose=READ_PURPOSE, request=request)
    return victim


def submitted_victim(user: User, submission_key: uuid.UUID) -> PotentialVictim | None:
    """The record this user already sent with this form, if any (a double submission)."""
    return PotentialVictim.objects.filter(submission_key=submission_key, recorded_by=user).first()


def victim_list(user: User) -> QuerySet[PotentialVictim]:
    """The records the user may see, the latest identified first."""
    return readable_victims(user).prefetch_related("exploitation_types")


@dataclass(frozen=True)
class Detail:
    name: str
    label: str
    value: Any


def _details(victim: PotentialVictim, names: Iterable[str]) -> list[Detail]:
    return [
        Detail(
            name=name,
            label=str(PotentialVictim._meta.get_field(name).verbose_name),
            value=getattr(victim, name),
        )
        for name in names
    ]


def personal_details(
    user: User, victim: PotentialVictim, *, request: HttpRequest | None = None
) -> list[Detail] | None:
    """The details the user may see of the person (each showing audited, naming the
    fields shown); ``None`` when they may see none."""
    names = access.shown_personal_details(user, victim)
    if not names:
        return None
    audit.record(
        action=audit.Action.VICTIM_PERSONAL_DATA_READ,
        actor=user,
        target=victim,
        purpose=PERSONAL_DATA_PURPOSE,
        request=request,
        detail={"fields": list(names)},
    )
    return _details(victim, names)


def held_detail_labels(user: User, victim: PotentialVictim) -> list[str] | None:
    """The names of the personal details the user's organisation was given, for a user who
    does not see them all (a supporting organisation); ``None`` for one who does.

    What the user records about the person (an NRM referral above all) is made on these
    only: the page says so, so that nobody believes the referral carries more.
    """
    names = access.shown_personal_details(user, victim)
    if names == SHAREABLE_DETAILS:
        return None
    return [str(PotentialVictim._meta.get_field(name).verbose_name) for name in names]


def victim_for_change(
    user: User, reference: str, *, request: HttpRequest | None = None
) -> PotentialVictim:
    """A record the user may change: 404 if unreadable, 404 too if only pseudonymised to them.

    A pseudonymised viewer learns nothing from the difference, and a change page would
    show what was recorded.
    """
    victim = victim_for_reading(user, reference, request=request)
    if not access.can_change_victim(user, victim):
        raise Http404
    return victim


def victim_for_correction(
    user: User, reference: str, *, request: HttpRequest | None = None
) -> PotentialVictim:
    """A record whose personal details and NRM decisions the user may correct."""
    victim = victim_for_change(user, reference, request=request)
    if not access.can_correct_victim(user, victim):
        raise Http404
    return victim


@dataclass(frozen=True)
class Links:
    """What a victim record links to, as far as the viewer may follow it.

    The person entity and the intelligence naming the person would put a name to the
    pseudonym, so they are shown only to those who see the personal details, and only when
    they may read them; the operation only to those who may read the operation.
    """

    entity: Entity | None
    intelligence: IntelligenceReport | None
    operation: Operation | None
    target: Target | None


def links(user: User, victim: PotentialVictim) -> Links:
    identifiable = access.can_read_victim_personal_data(user, victim)
    entity = intelligence = None
    if identifiable and victim.entity_id is not None:
        from lantern.entities.selectors import entity_for_reading

        try:
            entity = entity_for_reading(user, victim.entity_id)
        except NotFoundOrNotAllowed:
            entity = None
    if identifiable and victim.intelligence_id is not None:
        intelligence = access.readable_intelligence(user).filter(pk=victim.intelligence_id).first()
    operation = (
        access.readable_operations(user).filter(pk=victim.operation_id).first()
        if victim.operation_id is not None
        else None
    )
    return Links(
        entity=entity,
        intelligence=intelligence,
        operation=operation,
        target=victim.target if operation is not None else None,
    )


def nrm_timeline(
    victim: PotentialVictim, *, today: datetime.date | None = None
) -> nrm.Timeline | None:
    """The NRM timeline of the person's referral, or ``None`` without one."""
    try:
        referral = victim.nrm_referral
    except NRMReferral.DoesNotExist:
        return None
    return nrm.timeline(referral, today=today or timezone.localdate())


def nrm_referral(victim: PotentialVictim) -> NRMReferral | None:
    return NRMReferral.objects.filter(victim=victim).select_related("victim").first()


def may_read_victim(user: User, victim: PotentialVictim) -> bool:
    """Whether the record's page opens for the user (after accepting a referral, it does)."""
    return access.readable_victims(user).filter(pk=victim.pk).exists()


@dataclass(frozen=True)
class ActionRow:
    """One safeguarding action as the viewer may see it: what, when and which organisation
    for everyone; the note and the person who acted only for those who see every personal
    detail, or for the organisation that acted (a note may say where the person is)."""

    action: SafeguardingAction
    note: str
    done_by: str


def victim_actions(user: User, victim: PotentialVictim) -> list[ActionRow]:
    identifiable = access.can_read_victim_personal_data(user, victim)
    return [
        ActionRow(action, action.note, action.done_by.full_name)
        if identifiable or action.organisation_id == user.organisation_id
        else ActionRow(action, "", "")
        for action in victim.actions.select_related("organisation", "done_by")
    ]


def victim_support_referrals(victim: PotentialVictim) -> QuerySet[SupportReferral]:
    return victim.support_referrals.select_related(
        "from_organisation", "to_organisation", "referred_by", "decided_by"
    )


def incoming_support_referrals(user: User) -> QuerySet[SupportReferral]:
    """Referrals sent to the user's organisation, those waiting for an answer first."""
    return (
        access.readable_support_referrals(user)
        .select_related("victim", "from_organisation")
        .order_by(
            Case(When(status=SupportReferralStatus.PENDING, then=0), default=1),
            "-referred_at",
        )
    )


def support_referral_for_receiver(
    user: User, pk: int, *, request: HttpRequest | None = None
) -> SupportReferral:
    referral = incoming_support_referrals(user).filter(pk=pk).first()
    if referral is None:
        raise Http404
    audit.record_read(
        actor=user, target=referral, purpose=SUPPORT_REFERRAL_PURPOSE, request=request
    )
    return referral


def shared_details(
    user: User, referral: SupportReferral, *, request: HttpRequest | None = None
) -> list[Detail]:
    """What the receiving organisation was sent: only the shared details, each showing audited."""
    # Once declined, the receiver has no reason to keep seeing what it was sent.
    if (
        referral.status == SupportReferralStatus.DECLINED
        or not access.readable_support_referrals(user).filter(pk=referral.pk).exists()
    ):
        return []
    names = [name for name in SHAREABLE_DETAILS if name in referral.shared_details]
    if names:
        audit.record(
            action=audit.Action.VICTIM_PERSONAL_DATA_READ,
            actor=user,
            target=referral.victim,
            purpose=SHARED_DETAILS_PURPOSE,
            request=request,
            detail={"fields": names},
        )
    return _details(referral.victim, names)


def support_organisations(user: User) -> QuerySet[Organisation]:
    """Partners a support referral can go to: active, sharing, working with victims (as the
    partner directory records it), not the user's own."""
    return (
        Organisation.objects.with_shared_data_access()
        .filter(helps_with_victims=True)
        .exclude(pk=user.organisation_id)
    )


def _active_safeguarding_leads() -> QuerySet[User]:
    return User.objects.filter(is_active=True, groups__name=Role.SAFEGUARDING_LEAD.value)


def receiving_organisations(operation: Operation) -> QuerySet[Organisation]:
    """Organisations a person found in the operation can be handed to: taking part in it,
    sharing data, and with an active safeguarding lead to take them on."""
    return (
        Organisation.objects.with_shared_data_access()
        .filter(
            operation_participations__operation=operation,
            pk__in=_active_safeguarding_leads().values("organisation_id"),
        )
        .distinct()
        .order_by("name")
    )


def safeguarding_lead_addresses(organisation: Organisation) -> QuerySet:
    """Email addresses of the organisation's active safeguarding leads."""
    return (
        _active_safeguarding_leads()
        .filter(organisation=organisation)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


def linkable_operations(user: User) -> QuerySet[Operation]:
    """Operations the user may read that have gone live: where a person can be identified."""
    return access.readable_operations(user).filter(went_live_at__isnull=False)


def linkable_targets(user: User) -> QuerySet[Target]:
    return Target.objects.filter(operation__in=linkable_operations(user)).select_related(
        "operation"
    )


def readable_report(user: User, reference: str) -> IntelligenceReport | None:
    return access.readable_intelligence(user).filter(reference=reference).first()


def report_reference(user: User, pk: Any) -> str:
    """The reference of a report the user may read, to prefill the form with; else ""."""
    try:
        report = access.readable_intelligence(user).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return ""
    return report.reference if report is not None else ""


def entity_victims(user: User, entity: Entity) -> list[str]:
    """References of the potential victims, readable by the user, linked to this entity.

    Linked to the entity itself or to any entity merged into it; only references, never
    personal details.
    """
    from lantern.entities.selectors import cluster_members

    members = cluster_members([entity.root_id])
    # The entity page names the person: only records the user may identify are listed.
    return list(
        access.identifiable_victims(user)
        .filter(entity_id__in=list(members))
        .order_by("-identified_on", "-pk")
        .values_list("reference", flat=True)
    )


# Statistics -------------------------------------------------------------------------


class ReferrerType(models.TextChoices):
    """NRM statistics' first responder types, which Lantern's organisation types map onto."""

    GOVERNMENT_AGENCY = "government_agency", gettext_lazy("Government agency")
    POLICE = "police", gettext_lazy("Police")
    LOCAL_AUTHORITY = "local_authority", gettext_lazy("Local authority")
    NGO = "ngo", gettext_lazy("NGO")


REFERRER_TYPES: dict[str, ReferrerType] = {
    OrganisationType.POLICE: ReferrerType.POLICE,
    OrganisationType.LOCAL_AUTHORITY: ReferrerType.LOCAL_AUTHORITY,
    OrganisationType.CHARITY: ReferrerType.NGO,
    OrganisationType.FAITH_OR_COMMUNITY: ReferrerType.NGO,
    OrganisationType.BUSINESS: ReferrerType.NGO,
    OrganisationType.ACADEMIC: ReferrerType.NGO,
    # Other law enforcement (NCA, GLAA, Home Office), health, fire and other public bodies.
}


class Route(models.TextChoices):
    NRM = "nrm", gettext_lazy("NRM referral")
    DUTY_TO_NOTIFY = "duty_to_notify", gettext_lazy("Duty to Notify")
    NONE = "none", gettext_lazy("Neither yet")


@dataclass(frozen=True)
class Row:
    label: str
    count: int


@dataclass(frozen=True)
class Statistics:
    since: datetime.date
    until: datetime.date
    total: int
    by_period: list[Row]
    by_exploitation_type: list[Row]
    by_age_group: list[Row]
    by_nationality: list[Row]
    by_referrer_type: list[Row]
    by_route: list[Row]
    by_reasonable_grounds: list[Row]
    by_conclusive_grounds: list[Row]

    def tables(self) -> list[tuple[str, list[Row]]]:
        return [
            (_("Identified by month"), self.by_period),
            (_("Type of exploitation"), self.by_exploitation_type),
            (_("Age group"), self.by_age_group),
            (_("Nationality"), self.by_nationality),
            (_("Referring or notifying organisation"), self.by_referrer_type),
            (_("Route"), self.by_route),
            (_("Reasonable grounds decision"), self.by_reasonable_grounds),
            (_("Conclusive grounds decision"), self.by_conclusive_grounds),
        ]


def _counts(victims: QuerySet, key: Any) -> Counter:
    """Distinct people per value of ``key`` (a field path or an expression)."""
    group = F(key) if isinstance(key, str) else key
    rows = victims.order_by().values(group=group).annotate(people=Count("pk", distinct=True))
    return Counter({row["group"]: row["people"] for row in rows})


def _in_order(counts: Counter, choices: Iterable[tuple[Any, Any]]) -> list[Row]:
    return [Row(str(label), counts.get(value, 0)) for value, label in choices]


def _decisions(counts: Counter) -> list[Row]:
    return _in_order(counts, [*Decision.choices, ("", _("Not yet decided"))])


def statistics(user: User, *, since: datetime.date, until: datetime.date) -> Statistics:
    """Counts of the people the user may see, identified between ``since`` and ``until``.

    Categories follow the NRM statistics (DOMAIN.md §1). A person with two types of
    exploitation counts once under each, so that table adds up to more than the total.
    """
    victims = access.readable_victims(user).filter(identified_on__range=(since, until))
    age_group = Case(
        When(
            age_at_identification__isnull=True,
            may_be_child=True,
            then=Value(AgeGroup.CHILD.value),
        ),
        When(age_at_identification__isnull=True, then=Value(AgeGroup.UNKNOWN.value)),
        When(age_at_identification__lt=ADULT_AGE, then=Value(AgeGroup.CHILD.value)),
        default=Value(AgeGroup.ADULT.value),
        output_field=CharField(),
    )
    route = Case(
        When(nrm_referral__isnull=False, then=Value(Route.NRM.value)),
        When(duty_to_notify__isnull=False, then=Value(Route.DUTY_TO_NOTIFY.value)),
        default=Value(Route.NONE.value),
        output_field=CharField(),
    )
    referrers = Counter()
    for organisation_type, people in _counts(
        victims.exclude(nrm_referral=None, duty_to_notify=None),
        Coalesce(
            "nrm_referral__referring_organisation__organisation_type",
            "duty_to_notify__notifying_organisation__organisation_type",
        ),
    ).items():
        referrers[REFERRER_TYPES.get(organisation_type, ReferrerType.GOVERNMENT_AGENCY)] += people
    types = _counts(victims, "exploitation_types__code")
    type_labels = [(kind.code, kind.label) for kind in ExploitationType.objects.all()]
    nationalities = _counts(victims, "nationality")
    referred = victims.exclude(nrm_referral=None)
    return Statistics(
        since=since,
        until=until,
        total=victims.count(),
        by_period=[
            Row(date_format(month, "F Y"), people)
            for month, people in sorted(_counts(victims, TruncMonth("identified_on")).items())
        ],
        by_exploitation_type=_in_order(types, [*type_labels, (None, _("Not specified"))]),
        by_age_group=_in_order(_counts(victims, age_group), AgeGroup.choices),
        by_nationality=sorted(
            (
                Row(countries.name(code) if code else _("Not known"), people)
                for code, people in nationalities.items()
            ),
            key=lambda row: (-row.count, row.label),
        ),
        by_referrer_type=_in_order(referrers, ReferrerType.choices),
        by_route=_in_order(_counts(victims, route), Route.choices),
        by_reasonable_grounds=_decisions(_counts(referred, "nrm_referral__reasonable_grounds")),
        by_conclusive_grounds=_decisions(
            _counts(
                referred.filter(
                    Q(nrm_referral__reasonable_grounds=Decision.POSITIVE)
                    | Q(nrm_referral__reconsideration=Decision.POSITIVE)
                ),
                "nrm_referral__conclusive_grounds",
            )
        ),
    )


# An outcome not recorded this long after the person was identified is chased from the
# worklist: a local working target, like the CG one in ``nrm.py``.
OUTCOME_CHASED_AFTER_DAYS = 90
# A recovery period ending within this many days is flagged so support can be planned.
RECOVERY_ENDING_WITHIN_DAYS = 7


@dataclass(frozen=True)
class WorkItem:
    """One thing waiting for the safeguarding lead, by the person's reference only."""

    reference: str
    what: str
    due_on: datetime.date | None = None
    # Where the item is worked; the person's page unless said otherwise (a referral sent
    # to the organisation is answered on its own page, before the person's opens to it).
    url: str = ""

    @property
    def link(self) -> str:
        return self.url or reverse("safeguarding:victim", args=[self.reference])


@dataclass(frozen=True)
class Worklist:
    handed_over: list[WorkItem]
    decisions_overdue: list[WorkItem]
    recovery_ending: list[WorkItem]
    support_awaiting: list[WorkItem]
    outcomes_missing: list[WorkItem]

    @property
    def sections(self) -> list[tuple[str, str, list[WorkItem]]]:
        """(anchor, heading, items), in the order the lead works them."""
        return [
            ("handed-over", _("Handed over by an operation"), self.handed_over),
            ("decisions-overdue", _("NRM decisions overdue"), self.decisions_overdue),
            ("recovery-ending", _("Recovery periods ending"), self.recovery_ending),
            ("support-awaiting", _("Support referrals awaiting an answer"), self.support_awaiting),
            ("outcomes-missing", _("Outcomes not recorded"), self.outcomes_missing),
        ]

    @property
    def count(self) -> int:
        return sum(len(items) for _anchor, _heading, items in self.sections)


def can_have_worklist(user: User) -> bool:
    """The hub coordinator and safeguarding leads who record victims have a worklist."""
    return access.can_record_victims(user) and (
        access.has_role(user, Role.HUB_COORDINATOR) or access.has_role(user, Role.SAFEGUARDING_LEAD)
    )


def worklist(user: User, *, today: datetime.date | None = None) -> Worklist:
    """What waits for the user: the people their organisation is responsible for (every
    person for the hub coordinator) and the support referrals sent to it.

    Computed from the records' dates (``nrm.timeline``), never stored, so nothing has to be
    ticked off twice: recording the decision or the outcome takes the item away.
    """
    today = today or timezone.localdate()
    empty = Worklist([], [], [], [], [])
    if not can_have_worklist(user):
        return empty
    responsible = access.identifiable_victims(user)
    handed_over = [
        WorkItem(
            victim.reference,
            _("From %(operation)s, handed over by %(organisation)s")
            % {
                "operation": victim.operation.title if victim.operation_id else "",
                "organisation": victim.handed_over_by,
            },
            victim.identified_on,
        )
        for victim in responsible.filter(
            handed_over_by__isnull=False, taken_on_at__isnull=True
        ).select_related("operation", "handed_over_by")
    ]
    overdue, ending = [], []
    referrals = NRMReferral.objects.filter(victim__in=responsible, conclusive_grounds="")
    for referral in referrals.select_related("victim").order_by("referred_on", "pk"):
        line = nrm.timeline(referral, today=today)
        if line.rg_overdue:
            overdue.append(
                WorkItem(
                    referral.victim.reference, _("Reasonable grounds decision"), line.rg_due_on
                )
            )
        elif line.cg_overdue:
            overdue.append(
                WorkItem(
                    referral.victim.reference, _("Conclusive grounds decision"), line.cg_due_on
                )
            )
        ends = line.recovery_period_ends_on
        if (
            line.stage == nrm.Stage.RECOVERY_PERIOD
            and ends is not None
            and today <= ends <= today + datetime.timedelta(days=RECOVERY_ENDING_WITHIN_DAYS)
        ):
            ending.append(WorkItem(referral.victim.reference, _("Recovery period ends"), ends))
    ending.sort(key=lambda item: item.due_on)
    pending = (
        SupportReferral.objects.filter(status=SupportReferralStatus.PENDING)
        .filter(
            Q(victim__in=responsible)
            | Q(pk__in=access.readable_support_referrals(user).values("pk"))
        )
        .select_related("victim", "to_organisation", "from_organisation")
        .order_by("referred_at", "pk")
    )
    support = [
        WorkItem(
            referral.victim.reference,
            _("Sent by %(sender)s to %(receiver)s")
            % {"sender": referral.from_organisation, "receiver": referral.to_organisation},
            timezone.localdate(referral.referred_at),
            url=reverse("safeguarding:support_referral", args=[referral.pk])
            if referral.to_organisation_id == user.organisation_id
            else "",
        )
        for referral in pending
    ]
    chase_before = today - datetime.timedelta(days=OUTCOME_CHASED_AFTER_DAYS)
    outcomes = [
        WorkItem(victim.reference, _("Identified"), victim.identified_on)
        for victim in responsible.filter(outcome="", identified_on__lte=chase_before).order_by(
            "identified_on", "pk"
        )
    ]
    return Worklist(handed_over, overdue, ending, support, outcomes)
