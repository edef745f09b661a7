"""The demo partnership: Leicester, Leicestershire and Rutland as Lantern would see it.

Everything is synthetic apart from the public names of partner bodies. The generator is
deterministic for a given seed and idempotent: records are matched on natural keys
(organisation name, email), so running it again changes nothing.
"""

import csv
import datetime
import random
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from lantern.core import normalisers
from lantern.core.models import LocalAuthorityArea, Organisation, User
from lantern.public import services as public_services
from lantern.public.models import PublicReport

DATA_DIR = Path(__file__).resolve().parent / "data"
DEMO_PASSWORD = "lantern-demo-2026"  # noqa: S105  (published demo credential, refused in production)
DEFAULT_SEED = 2018  # the year the partnership was founded
# Fixed submission keys make the demo reports idempotent: a second run finds them sent.
_DEMO_NAMESPACE = uuid.UUID("6f1d4c1e-8a0b-4c55-9d3e-2b7f0e5a9c41")

_FIRST_NAMES = [
    "Aisha",
    "Ben",
    "Chloe",
    "Dev",
    "Ewa",
    "Farah",
    "Gareth",
    "Hannah",
    "Imran",
    "Jas",
    "Kasia",
    "Liam",
    "Maya",
    "Niall",
    "Olu",
    "Pooja",
    "Raj",
    "Sam",
    "Tariq",
    "Una",
    "Vikram",
    "Wendy",
    "Yusuf",
    "Zara",
]
_LAST_NAMES = [
    "Ahmed",
    "Bailey",
    "Clarke",
    "Das",
    "Evans",
    "Fischer",
    "Green",
    "Hussain",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Mistry",
    "Novak",
    "Owens",
    "Patel",
    "Quinn",
    "Rahman",
    "Singh",
    "Taylor",
    "Varga",
    "Walsh",
    "Young",
]
_CONTRIBUTOR_TITLES = (
    "Safeguarding officer",
    "Community support worker",
    "Licensing officer",
    "Project manager",
    "Caseworker",
    "Compliance manager",
)


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str
    organisation: str


@dataclass(frozen=True)
class DemoSummary:
    organisations: int
    users: int
    accounts: list[DemoAccount]


# The demo partnership's records start here (intelligence, public reports).
FIRST_DAY = datetime.date(2021, 1, 1)


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8") as rows:
        return list(csv.DictReader(rows))


@transaction.atomic
def generate(*, seed: int = DEFAULT_SEED) -> DemoSummary:
    """Create (or leave as they are) the demo organisations and users."""
    randomiser = random.Random(seed)  # noqa: S311  (synthetic data, not security)
    # Hashing is deliberately slow: hash the shared demo password once for every account.
    password_hash = make_password(DEMO_PASSWORD)
    all_areas = list(LocalAuthorityArea.objects.all())
    areas_by_code = {area.gss_code: area for area in all_areas}
    organisations: dict[str, Organisation] = {}
    for row in _rows("organisations.csv"):
        signed_on = datetime.date(2018, 6, 1) + datetime.timedelta(
            days=randomiser.randrange(0, 2400)
        )
        capabilities = set(row["helps_with"].split())
        organisation, created = Organisation.objects.get_or_create(
            name=row["name"],
            defaults={
                "organisation_type": row["type"],
                "is_first_responder": row["first_responder"] == "yes",
                "helps_with_victims": "victims" in capabilities,
                "helps_with_operations": "operations" in capabilities,
                "helps_with_intelligence": "intelligence" in capabilities,
                "helps_with_information": "information" in capabilities,
                "isa_signed_on": None if row["status"] == "isa_pending" else signed_on,
                "is_active": row["status"] != "inactive",
            },
        )
        if created:
            codes = row["areas"].split()
            organisation.areas.set(
                all_areas if codes == ["*"] else [areas_by_code[code] for code in codes]
            )
        organisations[organisation.name] = organisation

    accounts = []
    for row in _rows("people.csv"):
        _ensure_user(
            email=row["email"],
            full_name=row["full_name"],
            job_title=row["job_title"],
            organisation=organisations[row["organisation"]],
            role=row["role"],
            password_hash=password_hash,
        )
        accounts.append(DemoAccount(row["email"], row["role"], row["organisation"]))

    for index, organisation in enumerate(organisations.values()):
        for number in range(1 + randomiser.randrange(2)):
            first, last = randomiser.choice(_FIRST_NAMES), randomiser.choice(_LAST_NAMES)
            _ensure_user(
                email=f"{first}.{last}.{index}-{number}@partner.lantern.example".lower(),
                full_name=f"{first} {last}",
                job_title=randomiser.choice(_CONTRIBUTOR_TITLES),
                organisation=organisation,
                role="partner contributor",
                password_hash=password_hash,
            )
    _public_reports()
    return DemoSummary(
        organisations=Organisation.objects.filter(name__in=organisations).count(),
        users=User.objects.filter(email__endswith="lantern.example").count(),
        accounts=accounts,
    )


def _public_reports() -> None:
    """Concerns sent through the public form, for hub analysts to read (idempotent).

    They are dated across the demo's years (the first in 2021, the last today), as the
    intelligence is: all dated the day the demo loads, they would make the public-report
    KPIs, the outcome chain and the campaign pages count them in the wrong year.
    """
    rows = _rows("public_reports.csv")
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    first = datetime.datetime.combine(FIRST_DAY, datetime.time(10), tzinfo=datetime.UTC)
    step = (now - first) / max(len(rows) - 1, 1)
    for number, row in enumerate(rows):
        answers: dict[str, object] = {
            **row,
            "indicators": row["indicators"].split(),
            "suspected_types": row["suspected_types"].split(),
            "vehicle_registrations": [
                normalised
                for value in row["vehicle_registrations"].split(",")
                if (normalised := normalisers.normalise_registration(value))
            ],
            "phone_numbers": [
                normalised
                for value in row["phone_numbers"].split(",")
                if (normalised := normalisers.normalise_phone_number(value))
            ],
            "wants_contact": "no",
            "photo_count": 0,
        }
        report, _token = public_services.submit_report(
            submission_key=uuid.uuid5(_DEMO_NAMESPACE, f"public-report-{number}"),
            answers=answers,
            language=row["language"],
        )
        sent = first + step * number
        if report.submitted_at > sent + datetime.timedelta(days=1):
            # Only a report just made today moves back; a rerun leaves the dates alone.
            PublicReport.objects.filter(pk=report.pk).update(submitted_at=sent)


def _ensure_user(
    *,
    email: str,
    full_name: str,
    job_title: str,
    organisation: Organisation,
    role: str,
    password_hash: str,
) -> User:
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "full_name": full_name,
            "job_title": job_title,
            "organisation": organisation,
            "password": password_hash,
        },
    )
    if created:
        user.groups.add(Group.objects.get(name=role))
    return user
