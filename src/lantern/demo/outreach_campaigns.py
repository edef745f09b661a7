"""Five years of the demo partnership's awareness campaigns, and what followed them.

Each year: a campaign through October around Anti-Slavery Day (18 October) on social
media, local radio, stalls and posters; a local radio campaign from December into
January; pop-up stalls at markets and community events across Leicester, the districts
and Rutland in summer; and a short social media burst in spring. Each has activities with
plausible reach, and visits through its short link. A share of the demo's public reports
carry a campaign code or say how the reporter heard of the service. Nothing names or
singles out a community, nationality or sector. Loading twice adds nothing: every record
has a stable key.
"""

import datetime
import random
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from lantern.core.models import LocalAuthorityArea, Organisation, User
from lantern.outreach.models import Campaign, CampaignStatus, LinkVisit
from lantern.outreach.services import campaigns as services
from lantern.public.models import HeardFrom, PublicReport

_NAMESPACE = uuid.UUID("6f1d2b7e-93a4-4c55-b0e8-2a7c5d9e1f30")
OFFICER_EMAIL = "outreach@lantern.example"
YEARS = 5

# Places stalls are held, by area (GSS code): markets and community events.
_STALLS = (
    ("E06000016", "Leicester Market"),
    ("E06000016", "Riverside Festival, Leicester"),
    ("E07000130", "Loughborough Market"),
    ("E07000131", "Market Harborough Market"),
    ("E07000133", "Melton Mowbray Market"),
    ("E07000132", "Hinckley Market"),
    ("E07000134", "Coalville Market"),
    ("E07000129", "Blaby community fun day"),
    ("E07000135", "Wigston Market"),
    ("E06000017", "Oakham Market"),
    ("E06000017", "Uppingham community fair"),
)
_PARTNERS = (
    "Leicester City Council",
    "Leicestershire Police",
    "Leicestershire Fire and Rescue Service",
    "The Salvation Army",
)


@dataclass(frozen=True)
class _Plan:
    slug: str
    name: str
    purpose: str
    channels: tuple[str, ...]
    starts_on: datetime.date
    ends_on: datetime.date
    audiences: tuple[str, ...]
    landing: str = "signs"


def _plans(year: int) -> list[_Plan]:
    # Winter radio runs from December into the new year, so one is running or coming.
    return [
        _Plan(
            "winter-radio",
            f"Winter radio: know the signs {year}-{year + 1}",
            "Radio trails and a phone-in on local stations, telling listeners the signs of "
            "modern slavery and where to report a concern.",
            ("local_radio",),
            datetime.date(year, 12, 1),
            datetime.date(year + 1, 1, 31),
            ("general_public",),
        ),
        _Plan(
            "spring-social",
            f"Spring social media burst {year}",
            "Three weeks of short posts and videos sharing the signs and the report form.",
            ("social_media",),
            datetime.date(year, 3, 1),
            datetime.date(year, 3, 21),
            ("general_public",),
            "report",
        ),
        _Plan(
            "summer-stalls",
            f"Summer stalls {year}",
            "Stalls at markets and community events across Leicester, Leicestershire and "
            "Rutland: conversations, leaflets in several languages and the report form.",
            ("pop_up", "print"),
            datetime.date(year, 6, 1),
            datetime.date(year, 8, 31),
            ("general_public", "community_faith", "employers"),
        ),
        _Plan(
            "anti-slavery-day",
            f"Anti-Slavery Day {year}",
            "The partnership's main campaign around Anti-Slavery Day (18 October): posts, "
            "a radio interview, posters in public buildings and stalls in every area.",
            ("social_media", "local_radio", "pop_up", "print", "press"),
            datetime.date(year, 10, 1),
            datetime.date(year, 10, 31),
            ("general_public", "frontline", "schools"),
            "report",
        ),
    ]


@transaction.atomic
def generate(*, seed: int = 2026, today: datetime.date | None = None) -> int:
    """Load the demo campaigns (idempotent); returns how many campaigns the demo has."""
    officer = User.objects.filter(email=OFFICER_EMAIL).first()
    if officer is None:
        return 0
    today = today or timezone.localdate()
    randomiser = random.Random(seed)  # noqa: S311  (synthetic data, not security)
    areas = {area.gss_code: area for area in LocalAuthorityArea.objects.all()}
    partners = list(Organisation.objects.filter(name__in=_PARTNERS, is_active=True))
    campaigns = []
    for year in range(today.year - YEARS + 1, today.year + 1):
        for plan in _plans(year):
            campaign = _campaign(officer, plan, areas, partners, today)
            _activities(officer, campaign, plan, areas, randomiser)
            _visits(campaign, today, randomiser)
            campaigns.append(campaign)
    _attribute_public_reports(campaigns, today)
    return len(campaigns)


def _key(name: str) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, name)


def _status(plan: _Plan, today: datetime.date) -> str:
    if plan.ends_on < today:
        return CampaignStatus.FINISHED
    if plan.starts_on <= today:
        return CampaignStatus.RUNNING
    return CampaignStatus.PLANNED


def _campaign(
    officer: User,
    plan: _Plan,
    areas: dict[str, LocalAuthorityArea],
    partners: list[Organisation],
    today: datetime.date,
) -> Campaign:
    fields = {
        "name": plan.name,
        "purpose": plan.purpose,
        "channels": list(plan.channels),
        "starts_on": plan.starts_on,
        "ends_on": plan.ends_on,
        "areas": list(areas.values()),
        "audiences": list(plan.audiences),
        "languages": ["English", "Polish", "Romanian", "Gujarati", "Punjabi"]
        if "print" in plan.channels
        else ["English"],
        "partners": partners,
        "landing": plan.landing,
    }
    campaign = services.create_campaign(
        actor=officer, submission_key=_key(f"campaign-{plan.name}"), **fields
    )
    status = _status(plan, today)
    if campaign.status != status:
        campaign = services.change_campaign(
            campaign=campaign, actor=officer, status=status, **fields
        )
    return campaign


def _activities(
    officer: User,
    campaign: Campaign,
    plan: _Plan,
    areas: dict[str, LocalAuthorityArea],
    randomiser: random.Random,
) -> None:
    entries = []
    start, end = plan.starts_on, plan.ends_on
    length = (end - start).days
    if "social_media" in plan.channels:
        for number in range(4):
            day = start + datetime.timedelta(days=length * number // 4 + 2)
            if plan.slug == "anti-slavery-day" and number == 2:
                day = datetime.date(start.year, 10, 18)
            impressions = randomiser.randrange(2_000, 18_000)
            entries.append(
                (
                    f"Post {number + 1}: the signs of modern slavery",
                    "social_media",
                    day,
                    None,
                    {
                        "impressions": impressions,
                        "link_clicks": impressions * randomiser.randrange(8, 25) // 1000,
                    },
                )
            )
    if "local_radio" in plan.channels:
        trails = 6 if plan.slug == "winter-radio" else 1
        for number in range(trails):
            day = start + datetime.timedelta(days=length * number // trails + 1)
            title = "Radio trail" if trails > 1 else "Breakfast show interview"
            entries.append(
                (
                    f"{title} {number + 1}" if trails > 1 else title,
                    "local_radio",
                    day,
                    None,
                    {"listeners": randomiser.randrange(8_000, 45_000)},
                )
            )
    if "pop_up" in plan.channels:
        count = 8 if plan.slug == "summer-stalls" else 4
        for number in range(count):
            code, place = _STALLS[(number * 3 + start.year) % len(_STALLS)]
            day = start + datetime.timedelta(days=length * number // count + 3)
            visitors = randomiser.randrange(60, 400)
            entries.append(
                (
                    f"Stall at {place}",
                    "pop_up",
                    day,
                    areas.get(code),
                    {
                        "stall_visitors": visitors,
                        "conversations": visitors * randomiser.randrange(20, 45) // 100,
                        "leaflets": visitors * randomiser.randrange(60, 120) // 100,
                    },
                )
            )
    if "print" in plan.channels:
        entries.append(
            (
                "Posters in libraries, surgeries and community centres",
                "print",
                start,
                None,
                {"leaflets": randomiser.randrange(500, 3_000)},
            )
        )
    if "press" in plan.channels:
        entries.append(
            ("Article in the local paper", "press", start + datetime.timedelta(17), None, {})
        )
    for number, (title, channel, day, area, reach) in enumerate(entries):
        services.record_activity(
            campaign=campaign,
            actor=officer,
            submission_key=_key(f"activity-{campaign.name}-{number}"),
            title=title,
            channel=channel,
            happened_on=day,
            area=area,
            reach=reach,
        )


def _visits(campaign: Campaign, today: datetime.date, randomiser: random.Random) -> None:
    """Visits through the campaign's link on some days of it (up to today), once."""
    if campaign.visits.exists():
        return
    day = campaign.starts_on
    rows = []
    while day <= min(campaign.ends_on, today):
        if randomiser.random() < 0.4:
            rows.append(LinkVisit(campaign=campaign, day=day, count=randomiser.randrange(1, 30)))
        day += datetime.timedelta(days=1)
    LinkVisit.objects.bulk_create(rows)


def _attribute_public_reports(campaigns: list[Campaign], today: datetime.date) -> None:
    """About half of the demo's public reports say how the reporter heard of the service,
    and some arrived through the link of the campaign running (or last run) when sent."""
    reports = list(
        PublicReport.objects.filter(campaign_code="", heard_from="").order_by("reference")
    )
    answers = [value for value in HeardFrom.values if value != HeardFrom.OTHER]
    for report in reports:
        # Each report's choice depends on it alone, so loading again chooses the same.
        chooser = random.Random(f"{report.reference}-heard")  # noqa: S311
        if chooser.random() < 0.5:
            continue
        changes = {"heard_from": chooser.choice(answers)}
        sent_on = min(timezone.localdate(report.submitted_at), today)
        latest = max(
            (campaign for campaign in campaigns if campaign.starts_on <= sent_on),
            key=lambda campaign: campaign.starts_on,
            default=None,
        )
        if latest is not None and chooser.random() < 0.5:
            changes["campaign_code"] = latest.code
            changes["heard_from"] = latest.channel_list[0]
        PublicReport.objects.filter(pk=report.pk).update(**changes)
