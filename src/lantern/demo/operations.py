"""A dozen joint operations across Leicester, Leicestershire and Rutland since 2021.

Each acts on the premises and businesses the demo intelligence keeps coming back to in
its area (the entities most reported there before the operation in intelligence that may
be shared freely, handling code P), justified by those reports. Most are closed with
their debrief; one is cancelled, one briefed and one still planned. Potential victims the
demo identified in the area around an operation's date are linked to it, so its totals
(computed from those records, never typed) show victims identified, safeguarded and
referred.
"""

import datetime
import random
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Min
from django.utils import timezone

from lantern.core import access, references
from lantern.core.models import LocalAuthorityArea, Organisation, User
from lantern.core.roles import Role
from lantern.entities.models import Mention, MentionKind
from lantern.intelligence.models import HandlingCode, IntelligenceReport
from lantern.operations.models import (
    Disruption,
    EnforcementKind,
    Operation,
    OperationStatus,
    Participant,
    StatusChange,
    Target,
)
from lantern.safeguarding.models import PotentialVictim

_NAMESPACE = uuid.UUID("2c7e9a41-5b3d-4f08-8e6a-d1f4b27c9a63")
_VICTIM_WINDOW_DAYS = 60


@dataclass(frozen=True)
class _Plan:
    name: str
    area: str  # GSS code
    day: datetime.date | None  # None: planned for a fortnight from today
    lead: str
    partners: tuple[tuple[str, str], ...]
    objective: str
    status: OperationStatus = OperationStatus.CLOSED
    cancelled_because: str = ""


_FIRE = ("Leicestershire Fire and Rescue Service", "Fire safety inspection of premises")
_IMMIGRATION = ("Immigration Enforcement", "Immigration checks")
_HMRC = ("HM Revenue and Customs", "Tax and minimum wage compliance")
_GLAA = ("Gangmasters and Labour Abuse Authority", "Labour licensing checks")
_SALVATION = ("The Salvation Army", "Reception centre and victim support on standby")
_BARNARDOS = ("Barnardo's", "Support for children and young people")
_POLICE = "Leicestershire Police"

_PLANS = (
    _Plan(
        "Operation Aidant",
        "E06000016",
        datetime.date(2021, 6, 17),
        _POLICE,
        (("Leicester City Council", "Licensing and safeguarding"), _FIRE, _HMRC, _SALVATION),
        "Visit hand car washes named in partner intelligence; identify and support workers "
        "controlled by others.",
    ),
    _Plan(
        "Operation Bramble",
        "E07000131",
        datetime.date(2021, 11, 9),
        "Gangmasters and Labour Abuse Authority",
        (("Leicestershire County Council", "Adult safeguarding"), _IMMIGRATION, _SALVATION),
        "Check labour providers supplying warehouses near Magna Park.",
    ),
    _Plan(
        "Operation Cobalt",
        "E06000016",
        datetime.date(2022, 3, 24),
        _POLICE,
        (("Leicester City Council", "Children's services"), _BARNARDOS),
        "Disrupt a county lines network using children from Leicester.",
    ),
    _Plan(
        "Operation Dunlin",
        "E06000016",
        datetime.date(2022, 9, 14),
        _POLICE,
        (("Leicester City Council", "Licensing and safeguarding"), _FIRE, _IMMIGRATION),
        "Visit nail bars and massage parlours reported by the public and health partners.",
    ),
    _Plan(
        "Operation Elder",
        "E06000017",
        datetime.date(2023, 2, 8),
        _POLICE,
        (("Rutland County Council", "Adult safeguarding"), _GLAA, _SALVATION),
        "Check farms and packing sheds in Rutland for workers kept in caravans.",
    ),
    _Plan(
        "Operation Fennel",
        "E07000130",
        datetime.date(2023, 7, 20),
        _POLICE,
        (("Leicestershire County Council", "Adult safeguarding"), _FIRE, _HMRC),
        "Inspect houses in multiple occupation in Loughborough named in intelligence.",
    ),
    _Plan(
        "Operation Garnet",
        "E06000016",
        datetime.date(2024, 1, 25),
        _POLICE,
        (("Leicester City Council", "Licensing and safeguarding"), _HMRC, _GLAA, _SALVATION),
        "Visit garment factories where partners reported long hours and pay below the "
        "minimum wage.",
    ),
    _Plan(
        "Operation Heron",
        "E07000132",
        datetime.date(2024, 6, 12),
        _POLICE,
        (("Leicestershire County Council", "Adult safeguarding"), _FIRE, _IMMIGRATION),
        "Visit car washes and takeaways in Hinckley reported by the public.",
        status=OperationStatus.CANCELLED,
        cancelled_because="Intelligence showed the premises had closed the week before.",
    ),
    _Plan(
        "Operation Ivy",
        "E07000134",
        datetime.date(2025, 2, 19),
        _POLICE,
        (("Leicestershire County Council", "Adult safeguarding"), _IMMIGRATION, _SALVATION),
        "Check warehouses near East Midlands Airport for workers supplied by an unlicensed "
        "gangmaster.",
    ),
    _Plan(
        "Operation Juniper",
        "E06000016",
        datetime.date(2025, 9, 10),
        _POLICE,
        (("Leicester City Council", "Children's services"), _BARNARDOS, _FIRE),
        "Visit addresses used to exploit children for drug supply.",
    ),
    _Plan(
        "Operation Kestrel",
        "E07000133",
        None,
        "Gangmasters and Labour Abuse Authority",
        (("Leicestershire County Council", "Adult safeguarding"), _HMRC, _SALVATION),
        "Check food packing sites in Melton for debt bondage.",
        status=OperationStatus.BRIEFED,
    ),
    _Plan(
        "Operation Linden",
        "E06000016",
        None,
        _POLICE,
        (("Leicester City Council", "Licensing and safeguarding"), _FIRE, _IMMIGRATION),
        "Visit hand car washes named again in recent intelligence.",
        status=OperationStatus.PLANNED,
    ),
)
_PATH = (
    OperationStatus.PLANNED,
    OperationStatus.BRIEFED,
    OperationStatus.LIVE,
    OperationStatus.DEBRIEFED,
    OperationStatus.CLOSED,
)


def generate(*, seed: int, today: datetime.date | None = None) -> int:
    """Write the demo operations once per seed; returns how many were new."""
    today = today or timezone.localdate()
    first_key = uuid.uuid5(_NAMESPACE, f"{seed}-0")
    if Operation.objects.filter(submission_key=first_key).exists():
        return 0
    randomiser = random.Random(seed)  # noqa: S311  (synthetic data, not security)
    organisations = {o.name: o for o in Organisation.objects.all()}
    planners = {
        role: User.objects.filter(groups__name=role.value, is_active=True).order_by("pk").first()
        for role in (Role.OPERATIONS_LEAD, Role.HUB_COORDINATOR)
    }
    if None in planners.values() or _POLICE not in organisations:
        return 0
    written = 0
    with transaction.atomic():
        for number, plan in enumerate(_PLANS):
            day = plan.day or today + datetime.timedelta(days=14 + number)
            # The police's operations lead plans the police's operations; the hub
            # coordinator plans those another agency leads, as the service allows.
            operations_lead = planners[Role.OPERATIONS_LEAD]
            planner = (
                operations_lead
                if organisations[plan.lead].pk == operations_lead.organisation_id
                else planners[Role.HUB_COORDINATOR]
            )
            _write(
                plan,
                day,
                uuid.uuid5(_NAMESPACE, f"{seed}-{number}"),
                organisations,
                planner,
                randomiser,
            )
            written += 1
    return written


def _write(
    plan: _Plan,
    day: datetime.date,
    key: uuid.UUID,
    organisations: dict[str, Organisation],
    planner: User,
    randomiser: random.Random,
) -> None:
    area = LocalAuthorityArea.objects.get(gss_code=plan.area)
    starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(6, 0)))
    lead = organisations[plan.lead]
    operation = Operation.objects.create(
        reference=references.new_reference(randomiser),
        submission_key=key,
        name=plan.name,
        objective=plan.objective,
        lead_organisation=lead,
        area=area,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=10),
        briefing_notes="Briefing at 05:00 at the lead agency's station; radio channel 3.",
        risk_assessment="Dogs reported at two addresses; occupants may include children. "
        "Entry teams in pairs; safeguarding lead present at each address.",
        interpreters="Albanian, Romanian and Vietnamese interpreters booked",
        reception_centre="Community centre reserved from 06:00 to 18:00",
        support_on_standby="The Salvation Army on call for adults; children's services duty "
        "team for children.",
        created_by=planner,
    )
    Participant.objects.create(
        operation=operation, organisation=lead, role="Lead agency", added_by=planner
    )
    for name, role in plan.partners:
        if name in organisations:
            Participant.objects.create(
                operation=operation, organisation=organisations[name], role=role, added_by=planner
            )
    targets = _targets(operation, area, day, planner, randomiser)
    _move(operation, plan, planner)
    if operation.status == OperationStatus.CLOSED:
        _debrief(operation, targets, day, randomiser)


def _targets(
    operation: Operation,
    area: LocalAuthorityArea,
    day: datetime.date,
    planner: User,
    randomiser: random.Random,
) -> list[Target]:
    """The premises and businesses most reported in the area before the operation, in
    intelligence the planner may read (as the target form requires).

    Only handling code P reports choose, describe and justify a target: every
    participating agency reads its description, and C-coded intelligence may be shared
    only on its conditions (the entity's label may have come from a C report, so the
    description is how a P report wrote it).
    """
    before = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
    readable = access.readable_intelligence(planner).filter(
        area=area, created_at__lt=before, handling_code=HandlingCode.P
    )
    mentions = Mention.objects.filter(
        kind__in=(MentionKind.BUSINESS, MentionKind.LOCATION),
        report__in=readable,
        entity__merged_into=None,
    )
    busiest = (
        mentions.values("entity_id")
        .annotate(reports=Count("report", distinct=True), written=Min("value"))
        .order_by("-reports", "entity_id")[: randomiser.randint(2, 4)]
    )
    targets = []
    for row in busiest:
        target = Target.objects.create(
            operation=operation, entity_id=row["entity_id"], description=row["written"]
        )
        reports = readable.filter(mentions__entity_id=row["entity_id"]).order_by("-created_at")[:3]
        target.justification.set(reports)
        targets.append(target)
    return targets


def _move(operation: Operation, plan: _Plan, planner: User) -> None:
    """Walk the operation along its statuses to where the plan says it is."""
    path = (
        [OperationStatus.PLANNED, OperationStatus.BRIEFED, OperationStatus.CANCELLED]
        if plan.status == OperationStatus.CANCELLED
        else list(_PATH[: _PATH.index(plan.status) + 1])
    )
    previous = ""
    for status in path:
        StatusChange.objects.create(
            operation=operation,
            from_status=previous,
            to_status=status,
            reason=plan.cancelled_because if status == OperationStatus.CANCELLED else "",
            changed_by=planner,
        )
        previous = status
    operation.status = previous
    if OperationStatus.LIVE in path:
        operation.went_live_at = operation.starts_at
    if previous == OperationStatus.CLOSED:
        operation.debrief_notes = (
            "All premises visited as planned. Workers spoken to with interpreters; those "
            "who accepted help taken to the reception centre."
        )
    operation.save()


def _debrief(
    operation: Operation, targets: list[Target], day: datetime.date, randomiser: random.Random
) -> None:
    for target in targets:
        target.visited = True
        target.people_spoken_to = randomiser.randint(3, 18)
        target.arrests = randomiser.choice((0, 0, 1, 2, 3))
        target.charges = randomiser.randint(0, target.arrests)
        target.warrants_executed = randomiser.choice((0, 1, 1))
        target.closure_orders = randomiser.choice((0, 0, 1))
        target.items_seized = randomiser.choice((0, 2, 5, 12))
        target.outcome_notes = "Premises visited; workers spoken to individually."
        target.save()
        for kind in randomiser.sample(list(EnforcementKind), randomiser.choice((0, 1, 2))):
            Disruption.objects.create(target=target, kind=kind)
    window = datetime.timedelta(days=_VICTIM_WINDOW_DAYS)
    # People identified in the area soon after, by an agency that took part: the agency
    # that identified them joins the operation's safeguarding if it was not already in it.
    victims = list(
        PotentialVictim.objects.filter(
            area=operation.area, operation=None, identified_on__range=(day, day + window)
        ).order_by("identified_on", "pk")[: randomiser.randint(1, 4)]
    )
    taking_part = set(operation.participants.values_list("organisation", flat=True))
    for victim in victims:
        if victim.identified_by_id not in taking_part:
            Participant.objects.create(
                operation=operation,
                organisation_id=victim.identified_by_id,
                role="Safeguarding and victim support",
                added_by=operation.created_by,
            )
            taking_part.add(victim.identified_by_id)
        PotentialVictim.objects.filter(pk=victim.pk).update(
            operation=operation, target=randomiser.choice(targets) if targets else None
        )
    after = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
    # What the agencies taking part reported from the area in the weeks after.
    new_intelligence = IntelligenceReport.objects.filter(
        area=operation.area,
        originating_organisation__in=operation.participants.values("organisation"),
        created_at__range=(after, after + datetime.timedelta(days=30)),
    ).order_by("created_at")[: randomiser.randint(1, 3)]
    operation.intelligence_generated.set(new_intelligence)
