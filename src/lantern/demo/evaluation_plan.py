"""The demo partnership's action plan: objectives under the four Ps and twenty actions.

Actions are owned by demo organisations (among them those of the demo log-ins, so each
sees some on its home page), with progress reported over the last two years, some of them
overdue, amber or red with their reasons, and evidence linking demo operations and pages.
Dates are relative to today, so the plan looks current whenever the demo is loaded. Written
once per seed: a second run finds the first objective and changes nothing.
"""

import datetime
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from lantern.core import references
from lantern.core.models import Organisation, User
from lantern.core.roles import Role
from lantern.evaluation.models import (
    Action,
    ActionStatus,
    ActionUpdate,
    Evidence,
    EvidenceKind,
    Objective,
    Pillar,
    Rag,
    UpdateKind,
)
from lantern.operations.models import Operation

_NAMESPACE = uuid.UUID("9b1c3f52-7a4e-4d2b-a8c6-0e5f3d7b1a94")

_POLICE = "Leicestershire Police"
_CITY = "Leicester City Council"
_COUNTY = "Leicestershire County Council"
_FIRE = "Leicestershire Fire and Rescue Service"
_HOPE = "Hope Against Trafficking Leicester"
_OPCC = "Office of the Police and Crime Commissioner for Leicestershire"
_GLAA = "Gangmasters and Labour Abuse Authority"
_SALVATION = "The Salvation Army"
_ICB = "LLR Integrated Care Board"
_RUTLAND = "Rutland County Council"
_FAITHS = "Leicester Council of Faiths"
_DMU = "De Montfort University"
_TRADING = "Leicestershire Trading Standards"
_GARMENT = "Leicester Garment Manufacturers Ethical Trade Forum"


@dataclass(frozen=True)
class _Update:
    days_ago: int
    note: str
    status: str = ActionStatus.IN_PROGRESS
    rag: str = Rag.GREEN
    reason: str = ""


@dataclass(frozen=True)
class _Action:
    title: str
    owner: str
    lead: str
    due_in_days: int  # negative: already due
    updates: tuple[_Update, ...] = ()
    evidence: tuple[tuple[str, str, str], ...] = ()  # kind, reference or operation name, note
    added_days_ago: int = 700


@dataclass(frozen=True)
class _Objective:
    pillar: str
    title: str
    description: str
    actions: tuple[_Action, ...] = field(default_factory=tuple)


_DONE = ActionStatus.COMPLETE

_PLAN = (
    _Objective(
        Pillar.PURSUE,
        "Disrupt the networks exploiting people in LLR",
        "Joint operations on the premises and businesses partner intelligence keeps naming.",
        (
            _Action(
                "Run a joint operation on hand car washes in each district every year",
                _POLICE,
                "Detective Inspector, Modern Slavery Unit",
                -30,
                (
                    _Update(600, "Operation Aidant debriefed: four premises visited."),
                    _Update(420, "Districts without an operation this year: Melton, Rutland."),
                    _Update(45, "All districts covered.", _DONE),
                ),
                (("operation", "Operation Aidant", "Car washes in Leicester"),),
            ),
            _Action(
                "Check labour providers supplying warehouses around Magna Park",
                _GLAA,
                "Regional enforcement officer",
                -60,
                (
                    _Update(500, "Operation Bramble planned with the county council."),
                    _Update(
                        90,
                        "Two providers still to inspect.",
                        rag=Rag.AMBER,
                        reason="Inspector posts vacant until the spring",
                    ),
                ),
                (("operation", "Operation Bramble", "Warehouse labour providers"),),
            ),
            _Action(
                "Share every partner's intelligence with the hub within 48 hours",
                _POLICE,
                "Intelligence hub manager",
                120,
                (_Update(200, "Average time to share now 31 hours."),),
                (("page", "/intelligence/", "Intelligence shared with the hub"),),
            ),
        ),
    ),
    _Objective(
        Pillar.PURSUE,
        "Take away the profits of exploitation",
        "Financial investigation and enforcement against businesses that profit.",
        (
            _Action(
                "Refer every closed operation's businesses to HMRC for minimum wage checks",
                _POLICE,
                "Financial investigator",
                200,
                (_Update(300, "Three referrals accepted by HMRC."),),
            ),
            _Action(
                "Inspect textile factories named in intelligence with Trading Standards",
                _TRADING,
                "Principal trading standards officer",
                -14,
                (
                    _Update(
                        120,
                        "Access refused at two sites.",
                        rag=Rag.RED,
                        reason="Warrants needed; no police support booked",
                    ),
                ),
            ),
        ),
    ),
    _Objective(
        Pillar.PREVENT,
        "Help the public recognise the signs and report",
        "Campaigns around Anti-Slavery Day and all year, in the languages spoken locally.",
        (
            _Action(
                "Run an Anti-Slavery Day campaign every October",
                _HOPE,
                "Outreach and training officer",
                -50,
                (
                    _Update(430, "Campaign in seven languages; reports to the hub rose."),
                    _Update(60, "Second campaign run.", _DONE),
                ),
                (("page", "/hotspots/", "Reports by area before and after"),),
            ),
            _Action(
                "Train licensed taxi drivers in the signs",
                _CITY,
                "Licensing manager",
                90,
                (
                    _Update(250, "Course written with the police."),
                    _Update(40, "Four of ten sessions held."),
                ),
            ),
            _Action(
                "Give faith leaders a briefing on the signs and how to report",
                _FAITHS,
                "Faith communities coordinator",
                -120,
                (
                    _Update(
                        300,
                        "Venue booked.",
                        rag=Rag.AMBER,
                        reason="Few places of worship have replied",
                    ),
                ),
            ),
        ),
    ),
    _Objective(
        Pillar.PREVENT,
        "Keep exploitation out of supply chains",
        "Local employers and public buyers check their suppliers.",
        (
            _Action(
                "Publish a model modern slavery clause for council contracts",
                _COUNTY,
                "Head of procurement",
                -200,
                (_Update(260, "Clause adopted by four councils.", _DONE),),
            ),
            _Action(
                "Sign up garment manufacturers to the ethical trade forum's audit",
                _GARMENT,
                "Forum chair",
                150,
                (_Update(100, "Twelve manufacturers signed up."),),
            ),
        ),
    ),
    _Objective(
        Pillar.PROTECT,
        "Get every potential victim to safety and support",
        "From the first contact to the NRM's decisions and beyond.",
        (
            _Action(
                "Keep a reception centre on standby for every operation",
                _SALVATION,
                "Regional service manager",
                60,
                (
                    _Update(520, "Standby rota agreed."),
                    _Update(180, "Centre used by Operation Cobalt."),
                ),
                (("operation", "Operation Cobalt", "Reception centre used"),),
            ),
            _Action(
                "Make a safeguarding referral within 24 hours of every identification",
                _CITY,
                "Head of adult safeguarding",
                30,
                (_Update(150, "Median time to referral 20 hours."),),
                (("kpi", "NRM_REFERRALS", "NRM referrals by partners"),),
            ),
            _Action(
                "Offer every adult victim a health check",
                _ICB,
                "Designated nurse for safeguarding adults",
                -90,
                (
                    _Update(
                        200,
                        "Pathway agreed with two GP practices.",
                        rag=Rag.AMBER,
                        reason="Pathway not yet agreed in the county",
                    ),
                ),
            ),
        ),
    ),
    _Objective(
        Pillar.PROTECT,
        "Protect children from criminal exploitation",
        "County lines and children exploited by others, with children's services.",
        (
            _Action(
                "Screen every child missing from home for exploitation",
                _COUNTY,
                "Children's services team manager",
                45,
                (_Update(90, "Screening tool in use in the county."),),
            ),
            _Action(
                "Bring Rutland into the children's exploitation panel",
                _RUTLAND,
                "Designated safeguarding lead",
                -10,
                (
                    _Update(
                        70,
                        "Rutland attends but has no data sharing agreement yet.",
                        rag=Rag.RED,
                        reason="Agreement held up by legal review",
                    ),
                ),
            ),
        ),
    ),
    _Objective(
        Pillar.PREPARE,
        "Give frontline staff the skills to spot and respond",
        "Training for first responders and everyone who meets the public.",
        (
            _Action(
                "Train fire safety inspectors to recognise exploitation on visits",
                _FIRE,
                "Station manager, fire protection",
                20,
                (
                    _Update(300, "Course agreed with the hub."),
                    _Update(30, "Half the inspectors trained."),
                ),
            ),
            _Action(
                "Train every First Responder Organisation's referrers in the NRM",
                _HOPE,
                "Training lead",
                -40,
                (
                    _Update(
                        100,
                        "Police and councils trained; charities waiting.",
                        rag=Rag.AMBER,
                        reason="Trainer shared with the Anti-Slavery Day campaign",
                    ),
                ),
            ),
        ),
    ),
    _Objective(
        Pillar.PREPARE,
        "Know what works",
        "Measure the partnership's results and report them to the board.",
        (
            _Action(
                "Report the partnership's figures to the board every quarter",
                _OPCC,
                "Partnership coordinator",
                10,
                (
                    _Update(360, "First quarterly report presented."),
                    _Update(20, "Report now drawn from Lantern."),
                ),
                (("page", "/action-plan/", "The action plan"),),
            ),
            _Action(
                "Evaluate the Anti-Slavery Day campaign's effect on reports",
                _DMU,
                "Senior lecturer in criminology",
                240,
                (),
                (),
                30,
            ),
        ),
    ),
)


def generate(*, seed: int, today: datetime.date | None = None) -> int:
    """Write the demo plan once per seed; returns how many actions were new."""
    today = today or timezone.localdate()
    if Objective.objects.filter(submission_key=uuid.uuid5(_NAMESPACE, f"{seed}-o0")).exists():
        return 0
    coordinator = (
        User.objects.filter(groups__name=Role.HUB_COORDINATOR.value, is_active=True)
        .order_by("pk")
        .first()
    )
    if coordinator is None:
        return 0
    organisations = {organisation.name: organisation for organisation in Organisation.objects.all()}
    operations = dict(Operation.objects.values_list("name", "reference"))
    written = 0
    with transaction.atomic():
        for number, planned in enumerate(_PLAN):
            objective = Objective.objects.create(
                submission_key=uuid.uuid5(_NAMESPACE, f"{seed}-o{number}"),
                pillar=planned.pillar,
                title=planned.title,
                description=planned.description,
                created_by=coordinator,
            )
            for index, action in enumerate(planned.actions):
                owner = organisations.get(action.owner)
                if owner is None:
                    continue
                key = uuid.uuid5(_NAMESPACE, f"{seed}-a{number}-{index}")
                _write(objective, action, owner, key, coordinator, operations, today)
                written += 1
    return written


def _when(today: datetime.date, days_ago: int) -> datetime.datetime:
    day = today - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 30)))


def _write(
    objective: Objective,
    planned: _Action,
    owner: Organisation,
    key: uuid.UUID,
    coordinator: User,
    operations: dict[str, str],
    today: datetime.date,
) -> None:
    reporter = (
        User.objects.filter(organisation=owner, is_active=True).order_by("pk").first()
        or coordinator
    )
    action = Action.objects.create(
        reference=references.new_reference(),
        submission_key=key,
        objective=objective,
        title=planned.title,
        owner=owner,
        lead_name=planned.lead,
        due_on=today + datetime.timedelta(days=planned.due_in_days),
        created_by=coordinator,
    )
    ActionUpdate.objects.create(
        action=action,
        kind=UpdateKind.CREATED,
        to_status=ActionStatus.NOT_STARTED,
        to_rag=Rag.GREEN,
        recorded_by=coordinator,
        recorded_at=_when(today, planned.added_days_ago),
    )
    status, rag = ActionStatus.NOT_STARTED, Rag.GREEN
    for update in planned.updates:
        ActionUpdate.objects.create(
            action=action,
            kind=UpdateKind.PROGRESS,
            note=update.note,
            from_status=status,
            to_status=update.status,
            from_rag=rag,
            to_rag=update.rag,
            rag_reason=update.reason,
            recorded_by=reporter,
            recorded_at=_when(today, update.days_ago),
        )
        status, rag = update.status, update.rag
        action.rag_reason = update.reason
        if status == ActionStatus.COMPLETE:
            action.completed_on = today - datetime.timedelta(days=update.days_ago)
    action.status, action.rag = status, rag
    action.save()
    for kind, reference, note in planned.evidence:
        if kind == EvidenceKind.OPERATION:
            reference = operations.get(reference, "")
            if not reference:
                continue
        linked = Evidence.objects.create(
            action=action,
            submission_key=uuid.uuid5(key, f"{kind}-{reference}"),
            kind=kind,
            reference=reference,
            description=note,
            added_by=reporter,
            added_at=_when(today, 30),
        )
        ActionUpdate.objects.create(
            action=action,
            kind=UpdateKind.EVIDENCE,
            evidence=linked,
            recorded_by=reporter,
            recorded_at=linked.added_at,
        )
