"""Several years of synthetic intelligence for Leicester, Leicestershire and Rutland.

``lantern demo`` loads a few thousand reports so that the hub's pages look like a working
partnership; ``bench/intelligence.py`` loads 300,000 with the same function to measure the
pages at scale. Everything is invented, assembled from templates: monthly volumes follow
the growth of national NRM referrals, exploitation types lean the way DOMAIN.md §1
describes (criminal and labour first, most children in criminal exploitation), places are
LLR towns and postcode districts (§6), and premises, businesses, vehicles, phones and
people recur across reports from different agencies, as real intelligence does. Phone
numbers are Ofcom's drama range (07700 900000 to 900999), registrations carry a Q among
their last three letters (never issued by the DVLA), web and email addresses use reserved
example domains.

The reports are written in bulk, without the submission service: the audit log records
no submission for them. The generator is deterministic for a seed and a cut-off time, and
idempotent: a seed's reports are written once, in one transaction, or not at all.
"""

import contextlib
import datetime
import math
import random
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from lantern.core import access, lookups, normalisers, references
from lantern.core import selectors as core_selectors
from lantern.core.models import LocalAuthorityArea, Organisation, OrganisationType, User
from lantern.demo import partnership
from lantern.demo.data import intelligence as tables
from lantern.entities.models import Mention, MentionKind, MentionRole
from lantern.intelligence.models import (
    ClosingReason,
    HandlingCode,
    IntelligenceReport,
    Regrading,
    Status,
    StatusChange,
    Tasking,
    TaskingResult,
    TaskingStatus,
)

DEMO_COUNT = 2500
FIRST_DAY = partnership.FIRST_DAY
DEFAULT_SEED = partnership.DEFAULT_SEED
_NAMESPACE = uuid.UUID("0b7c2f8e-3d4a-4e61-9a57-6c1e8d2f4b90")
_CHUNK = 5000


# The people, places and things that recur across reports.


@dataclass(frozen=True)
class _Place:
    address: str
    postcode: str
    town: str
    street: str
    area_id: int | None

    @property
    def written(self) -> str:
        return f"{self.address}, {self.postcode}"


@dataclass(frozen=True)
class _Business:
    name: str
    place: _Place


@dataclass(frozen=True)
class _Vehicle:
    description: str
    registration: str


@dataclass
class _Partner:
    organisation: Organisation
    submitters: list[User]
    area_ids: set[int]


@dataclass
class _World:
    """What every report draws on: partners, analysts, places and recurring entities."""

    randomiser: random.Random
    partners: list[_Partner]
    partner_weights: list[float]
    analysts: list[User]
    towns_by_area: dict[int, list[tables.Town]]
    area_ids_by_name: dict[str, int]
    population_by_area: dict[int, float]
    type_ids: dict[str, int]
    indicator_ids: dict[str, int]
    places: dict[int, list[_Place]]
    businesses: dict[int, list[_Business]]
    vehicles: list[_Vehicle]
    phones: list[str]
    people: list[str]
    profiles: list[str]
    emails: list[str]
    keys: dict[tuple[str, str], str] = field(default_factory=dict)

    def key(self, kind: str, value: str) -> str:
        """``normalisers.mention_key``, once per value: the same values recur all the time."""
        if (kind, value) not in self.keys:
            self.keys[kind, value] = normalisers.mention_key(kind, value)
        return self.keys[kind, value]

    def recurring[Item](self, items: Sequence[Item]) -> Item:
        """An item of a pool, the first ones far more often (a few hotspots, a long tail)."""
        return items[int(len(items) * self.randomiser.random() ** 1.5)]


def generate(
    count: int, *, seed: int = DEFAULT_SEED, until: datetime.datetime | None = None
) -> int:
    """Write ``count`` reports from ``FIRST_DAY`` to ``until`` (now); return how many were new.

    Needs the demo partnership (``partnership.generate``): partners with people who may
    submit, and at least one hub analyst. Runs once per seed: if the seed's first report
    exists, nothing is written and 0 is returned.
    """
    until = until or timezone.now().replace(second=0, microsecond=0)
    keys = _submission_keys(seed)
    if count <= 0 or IntelligenceReport.objects.filter(submission_key=next(keys)).exists():
        return 0
    world = _world(random.Random(seed), count)  # noqa: S311  (synthetic data, not security)
    used_references = set(IntelligenceReport.objects.values_list("reference", flat=True))
    keys = _submission_keys(seed)
    with transaction.atomic(), _keeping_creation_times(IntelligenceReport, Tasking):
        batch: list[_Draft] = []
        for created_at in _creation_times(world.randomiser, count, until):
            batch.append(_draft(world, created_at, until, next(keys), used_references))
            if len(batch) == _CHUNK:
                _write(batch)
                batch = []
        _write(batch)
    return count


@contextlib.contextmanager
def _keeping_creation_times(*record_types: type[models.Model]) -> Iterator[None]:
    """Let inserts keep the past ``created_at`` they carry instead of stamping the present.

    ``created_at`` is ``auto_now_add``; stamping and then updating 300,000 rows again would
    double the load's time. The flag is lifted only while the generator writes, which is
    safe in the processes that call it (the demo command, the benchmark, tests), never in
    a process serving requests.
    """
    stamps = [record_type._meta.get_field("created_at") for record_type in record_types]
    for stamp in stamps:
        stamp.auto_now_add = False
    try:
        yield
    finally:
        for stamp in stamps:
            stamp.auto_now_add = True


def _submission_keys(seed: int) -> Iterator[uuid.UUID]:
    number = 0
    while True:
        yield uuid.uuid5(_NAMESPACE, f"{seed}-{number}")
        number += 1


def _world(randomiser: random.Random, count: int) -> _World:
    partners = _partners()
    analysts = [
        user
        for user in User.objects.filter(is_active=True).order_by("email")
        if access.can_triage_intelligence(user)
    ]
    if not partners or not analysts:
        raise RuntimeError("Load the demo partnership first: intelligence needs partners.")
    areas = list(LocalAuthorityArea.objects.order_by("gss_code"))
    towns_by_area: dict[int, list[tables.Town]] = {}
    for town in tables.TOWNS:
        area_id = core_selectors.area_id_for_postcode(f"{town.district} 1AA")
        if area_id is not None:
            towns_by_area.setdefault(area_id, []).append(town)
    population_by_area = {
        area.pk: float(area.population or 1) for area in areas if area.pk in towns_by_area
    }
    world = _World(
        randomiser=randomiser,
        partners=partners,
        partner_weights=_partner_weights(partners),
        analysts=analysts,
        towns_by_area=towns_by_area,
        area_ids_by_name={area.name: area.pk for area in areas},
        population_by_area=population_by_area,
        type_ids=lookups.exploitation_type_ids(),
        indicator_ids=lookups.indicator_ids(),
        places={},
        businesses={},
        vehicles=[],
        phones=[],
        people=[],
        profiles=[],
        emails=[],
    )
    pool = max(40, count // 10)
    for area_id in towns_by_area:
        world.places[area_id] = [_new_place(world, area_id) for _ in range(pool // 4 + 5)]
    for index, scenario in enumerate(tables.SCENARIOS):
        if scenario.business_words is not None:
            size = max(6, int(count * scenario.weight / 100 / 15))
            world.businesses[index] = [
                _new_business(world, scenario, scenario.business_words) for _ in range(size)
            ]
    world.vehicles = [_new_vehicle(randomiser) for _ in range(pool)]
    world.phones = [f"07700 900{number:03d}" for number in randomiser.sample(range(1000), 1000)]
    world.people = [_new_name(randomiser) for _ in range(pool)]
    world.profiles = [
        f"https://adverts.example/leicester/{randomiser.choice(tables.HANDLE_WORDS)}-"
        f"{randomiser.choice(tables.HANDLE_WORDS)}-{randomiser.randrange(10, 99)}"
        for _ in range(pool // 2)
    ]
    world.emails = [
        f"{randomiser.choice(tables.HANDLE_WORDS)}.{randomiser.choice(tables.HANDLE_WORDS)}"
        f"{randomiser.randrange(1, 99)}@example.net"
        for _ in range(pool // 4)
    ]
    return world


def _partners() -> list[_Partner]:
    """Partners that take part in sharing and have someone who may submit, by name."""
    organisations = (
        Organisation.objects.filter(is_active=True, isa_signed_on__isnull=False)
        .order_by("name")
        .prefetch_related("areas")
    )
    submitters: dict[int, list[User]] = {}
    for user in User.objects.filter(organisation__in=organisations, is_active=True).order_by(
        "email"
    ):
        if access.can_submit_intelligence(user):
            submitters.setdefault(user.organisation_id, []).append(user)
    return [
        _Partner(
            organisation, submitters[organisation.pk], {a.pk for a in organisation.areas.all()}
        )
        for organisation in organisations
        if organisation.pk in submitters
    ]


def _partner_weights(partners: list[_Partner]) -> list[float]:
    per_type: dict[str, int] = {}
    for partner in partners:
        kind = partner.organisation.organisation_type
        per_type[kind] = per_type.get(kind, 0) + 1
    return [
        tables.SUBMISSION_WEIGHTS.get(partner.organisation.organisation_type, 1)
        / per_type[partner.organisation.organisation_type]
        for partner in partners
    ]


def _new_place(world: _World, area_id: int) -> _Place:
    randomiser = world.randomiser
    town = randomiser.choice(world.towns_by_area[area_id])
    street = randomiser.choice(town.streets)
    inward = (
        f"{randomiser.randrange(10)}"
        f"{randomiser.choice(tables.POSTCODE_LETTERS)}{randomiser.choice(tables.POSTCODE_LETTERS)}"
    )
    postcode = f"{town.district} {inward}"
    number = randomiser.randrange(1, 240)
    address = (
        f"Unit {number % 40 + 1}, {street}, {town.name}"
        if street.endswith("Park")
        else f"{number} {street}, {town.name}"
    )
    return _Place(
        address=address,
        postcode=postcode,
        town=town.name,
        street=street,
        area_id=core_selectors.area_id_for_postcode(postcode),
    )


def _new_business(
    world: _World, scenario: tables.Scenario, words: tuple[tuple[str, ...], tuple[str, ...]]
) -> _Business:
    first, second = words
    name = f"{world.randomiser.choice(first)} {world.randomiser.choice(second)}"
    return _Business(name=name, place=_new_place(world, _area_for(world, scenario)))


def _new_vehicle(randomiser: random.Random) -> _Vehicle:
    letters = [randomiser.choice(tables.REGISTRATION_LETTERS) for _ in range(2)]
    letters.insert(randomiser.randrange(3), "Q")  # ...so a Q marks the registration fictional
    age = randomiser.choice([*range(10, 25), *range(60, 75)])
    registration = f"{randomiser.choice(tables.MEMORY_TAGS.split())}{age} {''.join(letters)}"
    return _Vehicle(description=randomiser.choice(tables.VEHICLES), registration=registration)


def _new_name(randomiser: random.Random) -> str:
    return f"{randomiser.choice(tables.GIVEN_NAMES)} {randomiser.choice(tables.FAMILY_NAMES)}"


def _area_for(world: _World, scenario: tables.Scenario) -> int:
    if scenario.areas:
        names = list(scenario.areas)
        name = world.randomiser.choices(names, weights=list(scenario.areas.values()))[0]
        return world.area_ids_by_name[name]
    area_ids = list(world.population_by_area)
    return world.randomiser.choices(area_ids, weights=list(world.population_by_area.values()))[0]


# When: monthly volumes that grow like national referrals, none after ``until``.


def _creation_times(
    randomiser: random.Random, count: int, until: datetime.datetime
) -> Iterator[datetime.datetime]:
    """``count`` submission times, oldest first, spread over the months to ``until``."""
    months = list(_months(until.date()))
    weights = [_monthly_weight(randomiser, month, until) for month in months]
    total = sum(weights)
    shares = [count * weight / total for weight in weights]
    per_month = [math.floor(share) for share in shares]
    # Largest remainders take the reports rounding left over, so the total is exact.
    leftovers = sorted(range(len(months)), key=lambda index: per_month[index] - shares[index])
    for index in leftovers[: count - sum(per_month)]:
        per_month[index] += 1
    for month, number in zip(months, per_month, strict=True):
        start = datetime.datetime.combine(month, datetime.time(), tzinfo=datetime.UTC)
        end = min(_next_month(start), until)
        seconds = int((end - start).total_seconds())
        yield from sorted(
            _working_time(randomiser, start, seconds) for _ in range(number) if seconds > 0
        )


def _months(last_day: datetime.date) -> Iterator[datetime.date]:
    month = FIRST_DAY.replace(day=1)
    while month <= last_day:
        yield month
        month = _next_month(month)


def _next_month[Day: datetime.date](day: Day) -> Day:
    return day.replace(year=day.year + day.month // 12, month=day.month % 12 + 1, day=1)


def _monthly_weight(
    randomiser: random.Random, month: datetime.date, until: datetime.datetime
) -> float:
    """The national yearly figure, interpolated through the year, give or take 12%."""
    last_year = max(tables.NATIONAL_REFERRALS)
    growth = tables.NATIONAL_REFERRALS[last_year] / tables.NATIONAL_REFERRALS[last_year - 1]

    def yearly(year: int) -> float:
        if year in tables.NATIONAL_REFERRALS:
            return tables.NATIONAL_REFERRALS[year]
        return tables.NATIONAL_REFERRALS[last_year] * growth ** (year - last_year)

    fraction = (month.month - 0.5) / 12
    level = yearly(month.year) * (1 - fraction) + yearly(month.year + 1) * fraction
    start = datetime.datetime.combine(month, datetime.time(), tzinfo=datetime.UTC)
    end = _next_month(start)
    covered = max(0.0, min(1.0, (until - start) / (end - start)))
    return level * covered * randomiser.uniform(0.88, 1.12)


def _working_time(
    randomiser: random.Random, start: datetime.datetime, seconds: int
) -> datetime.datetime:
    """A moment in the period, mostly in office hours on a weekday."""
    moment = start + datetime.timedelta(seconds=randomiser.randrange(seconds))
    if randomiser.random() < 0.8 and moment.weekday() < 5 and not 8 <= moment.hour < 18:
        office = moment.replace(hour=randomiser.randrange(8, 18))
        if start <= office < start + datetime.timedelta(seconds=seconds):
            moment = office
    return moment


# One report, with its timeline, taskings, regrading and mentions, before it is written.


@dataclass
class _Draft:
    report: IntelligenceReport
    type_ids: list[int]
    indicator_ids: list[int]
    shared_with: list[int]
    changes: list[StatusChange]
    taskings: list[Tasking]
    regrading: Regrading | None
    mentions: list[Mention]


def _draft(
    world: _World,
    created_at: datetime.datetime,
    until: datetime.datetime,
    submission_key: uuid.UUID,
    used_references: set[str],
) -> _Draft:
    randomiser = world.randomiser
    scenario = randomiser.choices(tables.SCENARIOS, weights=[s.weight for s in tables.SCENARIOS])[0]
    partner = randomiser.choices(world.partners, weights=world.partner_weights)[0]
    organisation = partner.organisation
    business = None
    if scenario.business_words is not None:
        pool = world.businesses[tables.SCENARIOS.index(scenario)]
        business = (
            world.recurring(pool)
            if randomiser.random() < 0.7
            else _new_business(world, scenario, scenario.business_words)
        )
        place = business.place
    else:
        area_id = _area_for(world, scenario)
        place = (
            world.recurring(world.places[area_id])
            if randomiser.random() < 0.5
            else _new_place(world, area_id)
        )
    child = randomiser.random() < scenario.child_share
    words = {
        "town": place.town,
        "street": place.street,
        "business": business.name if business else place.town,
        "count": str(randomiser.randrange(3, 9)),
        "age": str(randomiser.randrange(14, 17)),
        "place": business.name if business else place.street,
    }
    mentions = _mentions(world, scenario, place, business, words)
    narrative = _narrative(world, scenario, organisation, words)
    type_codes = list(scenario.types)
    if scenario.also and randomiser.random() < scenario.also[1]:
        type_codes.append(scenario.also[0])
    reference = references.new_reference(randomiser)
    while reference in used_references:
        reference = references.new_reference(randomiser)
    used_references.add(reference)
    source, assessment = _grading(randomiser)
    handling_code, conditions, shared_with = _handling(world, partner)
    described_only = randomiser.random() < 0.1
    report = IntelligenceReport(
        reference=reference,
        submission_key=submission_key,
        summary=randomiser.choice(scenario.summaries).format(**words)[:200],
        narrative=narrative,
        occurred_on=(
            None
            if randomiser.random() < 0.1
            else (created_at - datetime.timedelta(days=int(randomiser.expovariate(0.2)))).date()
        ),
        location=f"Near {place.street}, {place.town}" if described_only else place.address,
        postcode="" if described_only else place.postcode,
        area_id=place.area_id,
        child_involved=child,
        sector=scenario.sector,
        source_evaluation=source,
        intelligence_assessment=assessment,
        handling_code=handling_code,
        handling_conditions=conditions,
        originating_organisation=organisation,
        created_by=randomiser.choice(partner.submitters),
        created_at=created_at,
    )
    for mention in mentions:
        mention.report = report
    changes, taskings, regrading = _history(world, report, scenario, partner, until)
    return _Draft(
        report=report,
        type_ids=[world.type_ids[code] for code in type_codes if code in world.type_ids],
        indicator_ids=[
            world.indicator_ids[code]
            for code in randomiser.sample(
                scenario.indicators, randomiser.randrange(1, min(4, len(scenario.indicators)) + 1)
            )
            if code in world.indicator_ids
        ],
        shared_with=shared_with,
        changes=changes,
        taskings=taskings,
        regrading=regrading,
        mentions=mentions,
    )


def _mentions(
    world: _World,
    scenario: tables.Scenario,
    place: _Place,
    business: _Business | None,
    words: dict[str, str],
) -> list[Mention]:
    """The report's mentions; ``words`` gains what the narrative says about them."""
    randomiser = world.randomiser
    mentions = [_mention(world, MentionKind.LOCATION, MentionRole.PREMISES, place.written)]
    if business is not None:
        mentions.append(
            _mention(
                world,
                MentionKind.BUSINESS,
                MentionRole.PREMISES,
                business.name,
                details=scenario.business_kind,
            )
        )
    sentences = []
    for kind in scenario.mentions:
        if randomiser.random() >= 0.55:
            continue
        if kind == "vehicle":
            vehicle = world.recurring(world.vehicles)
            written = randomiser.choice(
                [vehicle.registration, vehicle.registration.replace(" ", "").lower()]
            )
            words |= {"vehicle": vehicle.description, "registration": written}
            mentions.append(
                _mention(
                    world,
                    MentionKind.VEHICLE,
                    MentionRole.VEHICLE_USED,
                    written,
                    details=vehicle.description,
                )
            )
        elif kind == "phone":
            number = world.recurring(world.phones)
            written = randomiser.choice(
                [
                    number,
                    number.replace(" ", ""),
                    "+44 " + number[1:],
                    number[:9] + " " + number[9:],
                ]
            )
            words["phone"] = written
            mentions.append(_mention(world, MentionKind.PHONE, MentionRole.CONTACT, written))
        elif kind == "exploiter":
            name = world.recurring(world.people)
            words["exploiter"] = _written_name(randomiser, name)
            mentions.append(
                _mention(
                    world,
                    MentionKind.PERSON,
                    MentionRole.SUSPECTED_EXPLOITER,
                    words["exploiter"],
                    **_person_details(randomiser, name),
                )
            )
        elif kind == "victim":
            words["victim"] = _new_name(randomiser)
            mentions.append(
                _mention(world, MentionKind.PERSON, MentionRole.POTENTIAL_VICTIM, words["victim"])
            )
        elif kind == "online":
            words["profile"] = world.recurring(world.profiles)
            mentions.append(
                _mention(world, MentionKind.ONLINE_PROFILE, MentionRole.CONTACT, words["profile"])
            )
        elif kind == "email":
            words["email"] = world.recurring(world.emails)
            mentions.append(_mention(world, MentionKind.EMAIL, MentionRole.CONTACT, words["email"]))
        elif kind == "bank":
            words["account"] = f"{randomiser.randrange(10000):04d}"
            mentions.append(
                _mention(world, MentionKind.BANK_ACCOUNT, MentionRole.PAYMENT, words["account"])
            )
        sentences.append(randomiser.choice(tables.ENTITY_SENTENCES[kind]).format(**words))
    words["entities"] = " ".join(sentences)
    return mentions


def _mention(
    world: _World, kind: str, role: str, value: str, *, details: str = "", **person: Any
) -> Mention:
    return Mention(
        kind=kind, role=role, value=value, key=world.key(kind, value), details=details, **person
    )


def _written_name(randomiser: random.Random, name: str) -> str:
    """A recurring person's name as one agency or another writes it: as usual, in
    capitals, surname first, or with two letters swapped."""
    given, _space, surname = name.partition(" ")
    style = randomiser.random()
    if style < 0.35:
        return name
    if style < 0.6:
        return name.upper()
    if style < 0.85 or len(surname) < 4:
        return f"{surname.upper()}, {given}"
    slip = randomiser.randrange(1, len(surname) - 1)
    swapped = surname[:slip] + surname[slip + 1] + surname[slip] + surname[slip + 2 :]
    return f"{given} {swapped}"


def _person_details(randomiser: random.Random, name: str) -> dict[str, Any]:
    """Half the time, the date of birth and nationality of a recurring person: the same
    ones every time (seeded by the name), as several agencies would record them."""
    if randomiser.random() < 0.5:
        return {}
    person = random.Random(name)  # noqa: S311  (synthetic data, not security)
    born = datetime.date(person.randint(1962, 2001), person.randint(1, 12), person.randint(1, 28))
    return {"date_of_birth": born, "nationality": person.choice(tables.NATIONALITIES)}


def _narrative(
    world: _World, scenario: tables.Scenario, organisation: Organisation, words: dict[str, str]
) -> str:
    randomiser = world.randomiser
    openings = tables.OPENINGS.get(organisation.organisation_type, ("We were told that",))
    opening = randomiser.choice(openings).format(**words)
    details = randomiser.sample(
        scenario.details, min(len(scenario.details), randomiser.randint(2, 3))
    )
    first, *rest = (detail.format(**words) for detail in details)
    parts = [f"{opening} {first[0].lower()}{first[1:]}", *rest]
    if words["entities"]:
        parts.append(words["entities"])
    if (
        organisation.organisation_type in (OrganisationType.CHARITY, OrganisationType.HEALTH)
        and randomiser.random() < 0.05
    ):
        parts.append(f"In French, they said: « {randomiser.choice(tables.FRENCH_QUOTES)} »")
    return " ".join(parts)


def _grading(randomiser: random.Random) -> tuple[str, str]:
    source = randomiser.choices("123", weights=[25, 60, 15])[0]
    assessment = randomiser.choices("ABCDE", weights=[15, 30, 35, 15, 5])[0]
    return source, assessment


def _handling(world: _World, partner: _Partner) -> tuple[str, str, list[int]]:
    """P, or C with its conditions and, sometimes, the organisations they name."""
    randomiser = world.randomiser
    organisation = partner.organisation
    if randomiser.random() >= tables.CONDITIONS_SHARE.get(organisation.organisation_type, 0.15):
        return HandlingCode.P, "", []
    conditions = randomiser.choice(tables.CONDITIONS)
    if randomiser.random() >= 0.4:
        return HandlingCode.C, conditions, []
    others = [
        partner.organisation
        for partner in world.partners
        if partner.organisation.organisation_type in tables.NAMED_IN_CONDITIONS
        and partner.organisation.pk != organisation.pk
    ]
    named = randomiser.sample(others, randomiser.randint(1, 2))
    names = " and ".join(other.name for other in named)
    return HandlingCode.C, f"{conditions} May also be shared with {names}.", [o.pk for o in named]


def _history(
    world: _World,
    report: IntelligenceReport,
    scenario: tables.Scenario,
    partner: _Partner,
    until: datetime.datetime,
) -> tuple[list[StatusChange], list[Tasking], Regrading | None]:
    """The report's life in the hub to ``until``: status changes, taskings, a regrading.

    The whole life is drawn first and then cut at ``until``, so that recent reports are
    still new or being worked and old ones mostly closed; a few stall on the way, which
    leaves old reports open and taskings overdue.
    """
    randomiser = world.randomiser
    analyst = randomiser.choice(world.analysts)
    changes: list[StatusChange] = []
    taskings: list[Tasking] = []
    regrading = None

    def step(to_status: Status, at: datetime.datetime, *, reason: str = "", note: str = "") -> bool:
        if at > until:
            return False
        from_status = changes[-1].to_status if changes else ""
        changes.append(
            StatusChange(
                report=report,
                from_status=from_status,
                to_status=to_status,
                reason=reason,
                note=note,
                changed_by=report.created_by if not changes else analyst,
                changed_at=at,
            )
        )
        report.status = to_status
        return True

    def later(at: datetime.datetime, low: float, high: float) -> datetime.datetime:
        """Some days after ``at``, in office hours when that keeps the order."""
        moment = at + datetime.timedelta(days=randomiser.uniform(low, high))
        office = moment.replace(hour=randomiser.randrange(8, 18), microsecond=0)
        return office if office > at else moment.replace(microsecond=0)

    stall = randomiser.choice(Status.values) if randomiser.random() < 0.03 else None
    step(Status.NEW, report.created_at)
    at = later(report.created_at, 0.05, 5)
    if stall == Status.NEW or not step(Status.UNDER_ASSESSMENT, at):
        return changes, taskings, regrading
    if randomiser.random() < 0.07:
        regrading = _regrade(report, analyst, later(at, 0, 1), until)
    if randomiser.random() < 0.7:
        report.assessment = randomiser.choice(tables.ASSESSMENTS)
    if stall == Status.UNDER_ASSESSMENT:
        return changes, taskings, regrading
    if randomiser.random() < 0.45:
        reason = randomiser.choices(
            [
                ClosingReason.NO_FURTHER_ACTION,
                ClosingReason.PASSED_ON,
                ClosingReason.REFERRED_FOR_SAFEGUARDING,
            ],
            weights=[60, 25, 15],
        )[0]
        step(Status.CLOSED, later(at, 1, 30), reason=reason, note=tables.CLOSING_NOTES[reason])
        return changes, taskings, regrading
    rounds = 2 if randomiser.random() < 0.08 else 1
    for round_number in range(rounds):
        at = later(at, 1, 10)
        tasked = _task(world, report, scenario, partner, analyst, at, until)
        if not tasked or not step(Status.TASKED, at, note=tasked[0].request):
            return changes, taskings, regrading
        taskings.extend(tasked)
        if round_number == 0 and randomiser.random() < 0.05:
            # Withdrawn and given to another agency: back to assessment, then tasked again.
            at = later(at, 2, 7)
            if not step(Status.UNDER_ASSESSMENT, at, note="Tasking withdrawn: wrong agency."):
                return changes, taskings, regrading
            for tasking in tasked:
                tasking.status = TaskingStatus.WITHDRAWN
            at = later(at, 0.5, 3)
            tasked = _task(world, report, scenario, partner, analyst, at, until)
            if not tasked or not step(Status.TASKED, at, note=tasked[0].request):
                return changes, taskings, regrading
            taskings.extend(tasked)
        if stall == Status.TASKED:
            return changes, taskings, regrading
        answers = [_answer(world, tasking, until) for tasking in tasked]
        if None in answers:
            return changes, taskings, regrading
        at = max(answer for answer in answers if answer is not None)
        if not step(Status.ACTIONED, at, note="Every tasked agency has answered."):
            return changes, taskings, regrading
        if stall == Status.ACTIONED:
            return changes, taskings, regrading
    reason = randomiser.choices(ClosingReason.values, weights=[35, 25, 30, 10])[0]
    step(Status.CLOSED, later(at, 1, 21), reason=reason, note=tables.CLOSING_NOTES[reason])
    return changes, taskings, regrading


def _regrade(
    report: IntelligenceReport, analyst: User, at: datetime.datetime, until: datetime.datetime
) -> Regrading | None:
    if at > until:
        return None
    previous = report.grading
    if report.source_evaluation == "2":
        report.source_evaluation = "1"
        reason = tables.REGRADING_REASONS["1"]
    else:
        report.intelligence_assessment = {"C": "B", "B": "D", "A": "B", "D": "E", "E": "D"}[
            report.intelligence_assessment
        ]
        reason = tables.REGRADING_REASONS[report.intelligence_assessment]
    return Regrading(
        report=report,
        previous_grading=previous,
        grading=report.grading,
        reason=reason,
        changed_by=analyst,
        changed_at=at,
    )


def _task(
    world: _World,
    report: IntelligenceReport,
    scenario: tables.Scenario,
    originator: _Partner,
    analyst: User,
    at: datetime.datetime,
    until: datetime.datetime,
) -> list[Tasking]:
    """One or two agencies asked to act, preferring the scenario's and the area's."""
    randomiser = world.randomiser
    if at > until:
        return []
    chosen: list[_Partner] = []
    for _agency in range(2 if randomiser.random() < 0.2 else 1):
        kind = randomiser.choices(
            scenario.taskable, weights=[2**-rank for rank in range(len(scenario.taskable))]
        )[0]
        candidates = [
            partner
            for partner in world.partners
            if partner.organisation.organisation_type == kind
            and partner is not originator
            and partner not in chosen
        ]
        local = [partner for partner in candidates if report.area_id in partner.area_ids]
        if local or candidates:
            chosen.append(randomiser.choice(local or candidates))
    deadline_days = randomiser.choice([7, 14, 14, 28])
    return [
        Tasking(
            report=report,
            organisation=partner.organisation,
            submission_key=uuid.UUID(int=randomiser.getrandbits(128), version=4),
            request=tables.TASKING_REQUESTS.get(
                partner.organisation.organisation_type,
                "Please check your records and tell us what you know.",
            ),
            deadline=(at + datetime.timedelta(days=deadline_days)).date(),
            created_by=analyst,
            created_at=at,
        )
        for partner in chosen
    ]


def _answer(world: _World, tasking: Tasking, until: datetime.datetime) -> datetime.datetime | None:
    """Answer the tasking, mostly by its deadline; ``None`` if still open at ``until``."""
    randomiser = world.randomiser
    days = (tasking.deadline - tasking.created_at.date()).days
    at = tasking.created_at + datetime.timedelta(days=randomiser.uniform(1, days * 1.3))
    if at > until:
        return None
    partner = next(p for p in world.partners if p.organisation.pk == tasking.organisation.pk)
    result = randomiser.choices(TaskingResult.values, weights=[40, 25, 25, 10])[0]
    tasking.status = TaskingStatus.ANSWERED
    tasking.result = result
    tasking.response = tables.TASKING_RESPONSES[result]
    tasking.responded_by = randomiser.choice(partner.submitters)
    tasking.responded_at = at
    return at


# Writing: a chunk of reports at a time, then everything that points at them.


def _write(drafts: list[_Draft]) -> None:
    if not drafts:
        return
    _bulk(IntelligenceReport, [draft.report for draft in drafts])
    _link(IntelligenceReport.exploitation_types.through, "exploitationtype_id", drafts, "type_ids")
    _link(IntelligenceReport.indicators.through, "indicator_id", drafts, "indicator_ids")
    _link(IntelligenceReport.shared_with.through, "organisation_id", drafts, "shared_with")
    _bulk(StatusChange, [change for draft in drafts for change in draft.changes])
    _bulk(Tasking, [tasking for draft in drafts for tasking in draft.taskings])
    _bulk(Regrading, [draft.regrading for draft in drafts if draft.regrading is not None])
    _bulk(Mention, [mention for draft in drafts for mention in draft.mentions])


def _link(through: type, column: str, drafts: list[_Draft], attribute: str) -> None:
    rows = [
        through(intelligencereport_id=draft.report.pk, **{column: target})
        for draft in drafts
        for target in getattr(draft, attribute)
    ]
    _bulk(through, rows)


def _bulk(model: type, rows: list) -> None:
    """Insert in batches; rows pointing at a report pick up its new primary key."""
    model.objects.bulk_create(rows, batch_size=2000)
