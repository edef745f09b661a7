"""The demo partnership's potential victims, drawn from its own intelligence.

Every potential victim named in a demo report may become a record: the same name, the
person entity the report's mention resolved to, the report's area, date and types of
exploitation. Proportions follow DOMAIN.md §1 — about half adults and 45% children, three
in four male (as the names the reports give them are), criminal exploitation first among
children, UK nationals the largest group, positive reasonable grounds ≈ 58% and conclusive
grounds ≈ 65% — at the local scale DOMAIN.md assumes (some 120 NRM referrals and 45 Duty to
Notify reports a year). Routes follow the rules the service enforces: children referred
without consent, consenting adults referred by a First Responder Organisation, adults who
decline notified anonymously by a public authority.

Written in bulk like the demo intelligence, once per seed; ``tests/demo`` checks every
record against ``safeguarding.rules``.
"""

import datetime
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from lantern.core import references
from lantern.core.models import ExploitationType, Organisation, OrganisationType, User
from lantern.core.roles import Role
from lantern.demo.data import intelligence as intelligence_tables
from lantern.entities.models import Mention, MentionKind, MentionRole
from lantern.intelligence.models import IntelligenceReport
from lantern.safeguarding.models import (
    ActionKind,
    CompetentAuthority,
    Decision,
    DutyToNotify,
    Gender,
    NRMReferral,
    Outcome,
    PotentialVictim,
    SafeguardingAction,
    SupportReferral,
    SupportReferralStatus,
    SupportService,
)

_NAMESPACE = uuid.UUID("6f1d0c55-2a8e-4c1b-b7e3-93d0a4f5e211")
# Share of named potential victims in reports who become a record: about 170 a year.
RECORDED_SHARE = 0.9
UNKNOWN_AGE_SHARE = 0.05
CONSENTING_ADULT_SHARE = 0.5
_NATIONALITIES = (
    ("GB", 24),
    ("AL", 12),
    ("VN", 9),
    ("RO", 8),
    ("ER", 5),
    ("SD", 5),
    ("PL", 5),
    ("CN", 4),
    ("IN", 4),
    ("SO", 3),
    ("IR", 3),
    ("NG", 3),
    ("AF", 3),
    ("BG", 2),
    ("PK", 2),
)
_LANGUAGES = {
    "GB": "English",
    "AL": "Albanian",
    "VN": "Vietnamese",
    "RO": "Romanian",
    "ER": "Tigrinya",
    "SD": "Arabic",
    "PL": "Polish",
    "CN": "Mandarin",
    "IN": "Punjabi, Hindi",
    "SO": "Somali",
    "IR": "Farsi",
    "NG": "English, Yoruba",
    "AF": "Pashto, Dari",
    "BG": "Bulgarian",
    "PK": "Urdu",
}
_CONCLUSIVE_AFTER_DAYS = (150, 480)


@dataclass(frozen=True)
class _Sighting:
    """A potential victim named in a report: who, where, when, in what."""

    mention: Mention
    types: tuple[int, ...]
    child: bool


def generate(
    *, seed: int, today: datetime.date | None = None, share: float = RECORDED_SHARE
) -> int:
    """Record the demo's potential victims; returns how many were new (0 on a second run).

    ``share`` of the people named as potential victims in intelligence become a record;
    a benchmark lowers it to reach a partnership's number of victims for its reports.
    """
    today = today or timezone.localdate()
    first_key = uuid.uuid5(_NAMESPACE, f"{seed}-0")
    if PotentialVictim.objects.filter(submission_key=first_key).exists():
        return 0
    randomiser = random.Random(seed)  # noqa: S311  (synthetic data, not security)
    world = _World.build(randomiser)
    if world is None:
        return 0
    count = 0
    with transaction.atomic():
        for sighting in _sightings():
            if randomiser.random() > share:
                continue
            _record(world, sighting, uuid.uuid5(_NAMESPACE, f"{seed}-{count}"), today)
            count += 1
    return count


def _sightings() -> list[_Sighting]:
    mentions = (
        Mention.objects.filter(
            kind=MentionKind.PERSON,
            role=MentionRole.POTENTIAL_VICTIM,
            report__sanitised_from__isnull=True,
        )
        .select_related("report", "entity")
        .order_by("report__created_at", "pk")
    )
    types: dict[int, list[int]] = {}
    through = IntelligenceReport.exploitation_types.through
    for report_id, type_id in through.objects.values_list(
        "intelligencereport_id", "exploitationtype_id"
    ):
        types.setdefault(report_id, []).append(type_id)
    return [
        _Sighting(mention, tuple(types.get(mention.report_id, ())), mention.report.child_involved)
        for mention in mentions
    ]


@dataclass
class _World:
    randomiser: random.Random
    referrers_by_area: dict[int | None, list[Organisation]]
    national_referrers: list[Organisation]
    notifiers: list[Organisation]
    adult_support: Organisation
    child_support: Organisation
    users: dict[int, User]
    fallback_user: User
    type_codes: dict[int, str]
    used_references: set[str]

    @classmethod
    def build(cls, randomiser: random.Random) -> "_World | None":
        fallback = (
            User.objects.filter(groups__name=Role.SAFEGUARDING_LEAD.value, is_active=True)
            .order_by("pk")
            .first()
        )
        partners = list(
            Organisation.objects.filter(is_active=True, isa_signed_on__isnull=False)
            .prefetch_related("areas")
            .order_by("name")
        )
        first_responders = [o for o in partners if o.is_first_responder]
        by_name = {o.name: o for o in partners}
        adult_support = by_name.get("The Salvation Army")
        child_support = by_name.get("Barnardo's")
        if fallback is None or not first_responders or not adult_support or not child_support:
            return None
        by_area: dict[int | None, list[Organisation]] = {}
        for organisation in first_responders:
            if organisation.organisation_type == OrganisationType.LOCAL_AUTHORITY:
                for area in organisation.areas.all():
                    by_area.setdefault(area.pk, []).append(organisation)
        users: dict[int, User] = {}
        for user in User.objects.filter(organisation__in=partners, is_active=True).order_by("-pk"):
            users[user.organisation_id] = user
        return cls(
            randomiser=randomiser,
            referrers_by_area=by_area,
            national_referrers=[
                o
                for o in first_responders
                if o.organisation_type != OrganisationType.LOCAL_AUTHORITY
            ],
            notifiers=[
                o
                for o in first_responders
                if o.organisation_type
                in {OrganisationType.POLICE, OrganisationType.LOCAL_AUTHORITY}
            ],
            adult_support=adult_support,
            child_support=child_support,
            users=users,
            fallback_user=fallback,
            type_codes=dict(ExploitationType.objects.values_list("pk", "code")),
            used_references=set(PotentialVictim.objects.values_list("reference", flat=True)),
        )

    def user_of(self, organisation: Organisation) -> User:
        return self.users.get(organisation.pk, self.fallback_user)

    def reference(self) -> str:
        while True:
            reference = references.new_reference(self.randomiser)
            if reference not in self.used_references:
                self.used_references.add(reference)
                return reference

    def referrer(self, area_id: int | None, child: bool) -> Organisation:
        """Local authorities refer most children; police and national bodies most adults."""
        local = self.referrers_by_area.get(area_id) or []
        if local and (child or self.randomiser.random() < 0.3):
            return self.randomiser.choice(local)
        return self.randomiser.choice(self.national_referrers)


def _weighted[Item](randomiser: random.Random, pairs: Sequence[tuple[Item, int]]) -> Item:
    items, weights = zip(*pairs, strict=True)
    return randomiser.choices(items, weights=weights)[0]


def _record(world: _World, sighting: _Sighting, key: uuid.UUID, today: datetime.date) -> None:
    randomiser = world.randomiser
    report = sighting.mention.report
    identified_on = min(
        report.created_at.date() + datetime.timedelta(days=randomiser.randrange(0, 10)), today
    )
    codes = {world.type_codes[pk] for pk in sighting.types}
    age = _age(randomiser, sighting.child)
    nationality = _weighted(randomiser, _NATIONALITIES)
    identifying = world.referrer(report.area_id, age is not None and age < 18)
    victim = PotentialVictim.objects.create(
        reference=world.reference(),
        submission_key=key,
        name=sighting.mention.value,
        date_of_birth=_birth_date(randomiser, age, identified_on),
        identified_on=identified_on,
        age_at_identification=age,
        # With no age known, a report about a child means they may be one.
        may_be_child=age is None and sighting.child,
        # The name the intelligence gave them decides; the demo's names are three in four
        # men's, as NRM referrals are.
        gender=Gender.FEMALE
        if sighting.mention.value.split()[0] in intelligence_tables.FEMALE_GIVEN_NAMES
        else Gender.MALE,
        nationality=nationality,
        languages=_LANGUAGES[nationality],
        interpreter_needed=nationality != "GB" and randomiser.random() < 0.7,
        county_lines="criminal" in codes and age is not None and age < 18,
        area_id=report.area_id,
        identified_by=identifying,
        entity=sighting.mention.entity,
        intelligence=report,
        recorded_by=world.user_of(identifying),
    )
    victim.exploitation_types.set(sighting.types)
    consenting = victim.is_child or randomiser.random() < CONSENTING_ADULT_SHARE
    if consenting:
        _refer(world, victim, identifying, today)
    else:
        notifier = (
            identifying if identifying in world.notifiers else randomiser.choice(world.notifiers)
        )
        DutyToNotify.objects.create(
            victim=victim,
            notifying_organisation=notifier,
            notified_on=identified_on,
            identified_with_consent=False,
            notified_by=world.user_of(notifier),
        )
    _support(world, victim, identifying, consenting, today)


def _age(randomiser: random.Random, child: bool) -> int | None:
    if randomiser.random() < UNKNOWN_AGE_SHARE:
        return None
    if child:
        return _weighted(randomiser, ((15, 5), (16, 6), (17, 6), (14, 3), (13, 2), (11, 1)))
    return randomiser.randrange(18, 56)


def _birth_date(
    randomiser: random.Random, age: int | None, identified_on: datetime.date
) -> datetime.date | None:
    """A birth date giving ``age`` on the day identified; none known for a third of people."""
    if age is None or randomiser.random() < 0.33:
        return None
    days_after_birthday = randomiser.randrange(0, 365)
    birthday = identified_on - datetime.timedelta(days=days_after_birthday)
    try:
        return birthday.replace(year=birthday.year - age)
    except ValueError:  # 29 February
        return birthday.replace(year=birthday.year - age, day=28)


def _refer(
    world: _World, victim: PotentialVictim, identifying: Organisation, today: datetime.date
) -> None:
    randomiser = world.randomiser
    referred_on = victim.identified_on + datetime.timedelta(days=randomiser.randrange(0, 4))
    if referred_on > today:
        referred_on = today
    referral = NRMReferral(
        victim=victim,
        referring_organisation=identifying,
        referred_on=referred_on,
        competent_authority=CompetentAuthority.IECA
        if randomiser.random() < 0.06
        else CompetentAuthority.SCA,
        consent_given_on=None if victim.is_child else referred_on,
        referred_by=world.user_of(identifying),
    )
    decided_on = referred_on + datetime.timedelta(days=randomiser.choice((2, 3, 4, 5, 6, 9, 16)))
    if decided_on <= today:
        roll = randomiser.random()
        referral.reasonable_grounds = (
            Decision.POSITIVE
            if roll < 0.58
            else Decision.NEGATIVE
            if roll < 0.93
            else Decision.WITHDRAWN
        )
        referral.reasonable_grounds_on = decided_on
    if referral.reasonable_grounds == Decision.POSITIVE:
        concluded_on = decided_on + datetime.timedelta(
            days=randomiser.randrange(*_CONCLUSIVE_AFTER_DAYS)
        )
        if concluded_on <= today:
            referral.conclusive_grounds = (
                Decision.POSITIVE if randomiser.random() < 0.65 else Decision.NEGATIVE
            )
            referral.conclusive_grounds_on = concluded_on
    elif referral.reasonable_grounds == Decision.NEGATIVE and randomiser.random() < 0.2:
        requested_on = decided_on + datetime.timedelta(days=randomiser.randrange(5, 40))
        if requested_on <= today:
            referral.reconsideration_requested_on = requested_on
    referral.save()


def _support(
    world: _World,
    victim: PotentialVictim,
    identifying: Organisation,
    consenting: bool,
    today: datetime.date,
) -> None:
    """Immediate needs, a support referral for those who accept one, and the outcome."""
    randomiser = world.randomiser
    actor = world.user_of(identifying)
    day = victim.identified_on
    keys = (uuid.uuid5(_NAMESPACE, f"{victim.submission_key}-{n}") for n in range(10))
    protected = consenting and randomiser.random() < 0.8
    if protected:
        SafeguardingAction.objects.create(
            submission_key=next(keys),
            victim=victim,
            kind=ActionKind.PLACE_OF_SAFETY,
            note="Taken to a place of safety",
            done_on=day,
            organisation=identifying,
            done_by=actor,
        )
    if victim.interpreter_needed:
        SafeguardingAction.objects.create(
            submission_key=next(keys),
            victim=victim,
            kind=ActionKind.INTERPRETER,
            note=f"Interpreter: {victim.languages}",
            done_on=day,
            organisation=identifying,
            done_by=actor,
        )
    if randomiser.random() < 0.3:
        SafeguardingAction.objects.create(
            submission_key=next(keys),
            victim=victim,
            kind=ActionKind.MEDICAL,
            note="Seen by a GP",
            done_on=day,
            organisation=identifying,
            done_by=actor,
        )
    accepted = False
    if consenting:
        receiver = world.child_support if victim.is_child else world.adult_support
        accepted = randomiser.random() < 0.9
        SupportReferral.objects.create(
            submission_key=next(keys),
            victim=victim,
            from_organisation=identifying,
            to_organisation=receiver,
            service=SupportService.CHILDRENS_SERVICES
            if victim.is_child
            else SupportService.SUPPORT_PROVIDER,
            request="Support during the recovery period",
            shared_details=["name", "date_of_birth", "contact"],
            status=SupportReferralStatus.ACCEPTED if accepted else SupportReferralStatus.DECLINED,
            decline_reason="" if accepted else "No capacity in the area this month",
            referred_by=actor,
            decided_by=world.user_of(receiver),
            decided_at=timezone.now(),
        )
    if (today - day).days < 60:
        return
    if protected or accepted:
        outcome = Outcome.SAFEGUARDED if randomiser.random() < 0.88 else Outcome.WENT_MISSING
    else:
        outcome = _weighted(
            randomiser,
            (
                (Outcome.DECLINED_SUPPORT, 6),
                (Outcome.WENT_MISSING, 2),
                (Outcome.RETURNED_HOME, 1),
                (Outcome.UNKNOWN, 1),
            ),
        )
    PotentialVictim.objects.filter(pk=victim.pk).update(
        outcome=outcome, outcome_recorded_on=day + datetime.timedelta(days=45)
    )
