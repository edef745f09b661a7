"""Every read of awareness campaigns, through the access policy.

Campaign managers (``access.can_manage_campaigns``) see every campaign; anyone else finds
none, and a campaign they ask for by code is missing (404), exactly like one that does not
exist. What the campaign page counts beside a campaign — public reports through its
links, intelligence from its areas — is counts only, and only over what the viewer may
read. ``reach_totals`` and ``attribution_totals`` are the aggregates the evaluation app
builds its KPIs from.
"""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from lantern.core import access
from lantern.core.access import NotFoundOrNotAllowed
from lantern.core.models import LocalAuthorityArea, Organisation, User
from lantern.outreach.models import (
    Activity,
    Campaign,
    Channel,
    LinkVisit,
    Material,
    ReachFigure,
    ReachKind,
)
from lantern.outreach.models.campaigns import CODE_LENGTH
from lantern.public.models import HeardFrom, PublicReport

_LINK_CODE = re.compile(rf"[A-Z0-9]{{{CODE_LENGTH}}}(?:-[1-9][0-9]{{0,5}})?")


def campaigns(user: User) -> QuerySet[Campaign]:
    """Every campaign the user may see: all of them for managers, none for anyone else."""
    if not access.can_manage_campaigns(user):
        return Campaign.objects.none()
    return Campaign.objects.all()


@dataclass(frozen=True)
class CampaignFilters:
    year: int | None = None
    channel: str = ""
    area: LocalAuthorityArea | None = None
    status: str = ""


def campaigns_for_listing(user: User, filters: CampaignFilters) -> QuerySet[Campaign]:
    """The campaigns list: filtered by year (a campaign overlapping it), channel, area, status."""
    found = campaigns(user).prefetch_related("channel_rows", "areas")
    if filters.year:
        found = found.filter(
            starts_on__lte=datetime.date(filters.year, 12, 31),
            ends_on__gte=datetime.date(filters.year, 1, 1),
        )
    if filters.channel:
        found = found.filter(channel_rows__channel=filters.channel)
    if filters.area is not None:
        found = found.filter(areas=filters.area)
    if filters.status:
        found = found.filter(status=filters.status)
    return found.distinct()


def campaign_years(user: User) -> list[int]:
    """The years the user's campaigns run in, newest first, for the year filter."""
    years: set[int] = set()
    for starts_on, ends_on in campaigns(user).values_list("starts_on", "ends_on"):
        years.update(range(starts_on.year, ends_on.year + 1))
    return sorted(years, reverse=True)


def _is_code(code: str) -> bool:
    """Whether ``code`` could name a campaign: ASCII letters and digits only.

    Codes come from the address or a query string, so they may hold anything; one with a
    NUL byte would fail the query on PostgreSQL (a server error) while SQLite finds nothing.
    Refusing it before the lookup makes it missing on both.
    """
    return code.isascii() and code.isalnum()


def link_target(code: str) -> tuple[Campaign, Activity | None] | None:
    """The campaign (and activity) a short link ``code`` names; ``None`` if unknown.

    The public landing page needs no permission: a link code is printed on posters.
    """
    if not _LINK_CODE.fullmatch(code or ""):
        return None
    campaign_code, _dash, number = code.partition("-")
    campaign = Campaign.objects.filter(code=campaign_code).first()
    if campaign is None:
        return None
    activity = None
    if number:
        activity = campaign.activities.filter(number=int(number)).first()
        if activity is None:
            return None
    return campaign, activity


def campaign_for_reading(user: User, code: str) -> Campaign:
    """The campaign with ``code`` if the user may see it; otherwise 404, as if missing."""
    if not _is_code(code):
        raise NotFoundOrNotAllowed
    campaign = (
        campaigns(user)
        .select_related("created_by")
        .prefetch_related("channel_rows", "areas", "partners")
        .filter(code=code)
        .first()
    )
    if campaign is None:
        raise NotFoundOrNotAllowed
    return campaign


def activity_for_changing(user: User, code: str, number: int) -> Activity:
    """An activity of a campaign the user may see; otherwise 404."""
    campaign = campaign_for_reading(user, code)
    activity = campaign.activities.select_related("campaign").filter(number=number).first()
    if activity is None:
        raise NotFoundOrNotAllowed
    return activity


def submitted_campaign(user: User, submission_key: object) -> Campaign | None:
    """The campaign this user already created with this key (a form sent twice)."""
    return campaigns(user).filter(submission_key=submission_key, created_by=user).first()


def activities(campaign: Campaign) -> QuerySet[Activity]:
    return campaign.activities.select_related("area", "campaign").prefetch_related("reach")


def materials(campaign: Campaign) -> QuerySet[Material]:
    return campaign.materials.all()


def material_for_download(user: User, code: str, pk: int) -> Material:
    campaign = campaign_for_reading(user, code)
    material = campaign.materials.filter(pk=pk).first()
    if material is None:
        raise NotFoundOrNotAllowed
    return material


def public_material(code: str, pk: int) -> Material:
    """A material marked public, for anyone; any other is missing (404)."""
    material = (
        Material.objects.filter(campaign__code=code, pk=pk, is_public=True)
        .select_related("campaign")
        .first()
    )
    if material is None:
        raise NotFoundOrNotAllowed
    return material


def partner_choices() -> QuerySet[Organisation]:
    return Organisation.objects.filter(is_active=True).order_by("name")


# What the campaign page counts.


def reach_by_kind(campaign: Campaign) -> list[tuple[str, int]]:
    """The campaign's reach totals by kind, in the order of ``ReachKind``."""
    totals = dict(
        ReachFigure.objects.filter(activity__campaign=campaign)
        .values_list("kind")
        .annotate(total=Sum("value"))
    )
    return [(label, totals[kind]) for kind, label in ReachKind.choices if kind in totals]


def visit_count(campaign: Campaign) -> int:
    return campaign.visits.aggregate(total=Sum("count"))["total"] or 0


def _through_links(campaign: Campaign) -> Q:
    return Q(campaign_code=campaign.code) | Q(campaign_code__startswith=f"{campaign.code}-")


def _naming_channels(campaign: Campaign) -> Q:
    named = [
        channel
        for channel in campaign.channel_list
        if channel != Channel.OTHER and channel in HeardFrom.values
    ]
    start, end = _window(campaign)
    return Q(heard_from__in=named, submitted_at__date__gte=start, submitted_at__date__lte=end)


def _window(campaign: Campaign) -> tuple[datetime.date, datetime.date]:
    return campaign.starts_on, campaign.ends_on


@dataclass(frozen=True)
class Attribution:
    """What followed a campaign: counts only.

    ``through_links`` and ``named_channel`` count anonymous public reports that carry the
    campaign's code or, during the campaign, name one of its channels (the campaign's own
    outcome, shown to its managers). ``references`` are listed only for a viewer who may
    read public reports. Area counts are taken over what the viewer may read; ``None``
    says the viewer reads none of that kind.
    """

    visits: int
    through_links: int
    named_channel: int
    references: list[str]
    public_reports_during: int | None
    public_reports_before: int | None
    intelligence_during: int | None
    intelligence_before: int | None
    before_starts_on: datetime.date
    before_ends_on: datetime.date


def attribution(user: User, campaign: Campaign) -> Attribution:
    """Reports through the campaign's links and from its areas, during and before it."""
    reports = PublicReport.objects.all()
    linked = reports.filter(_through_links(campaign))
    start, end = _window(campaign)
    length = end - start + datetime.timedelta(days=1)
    before_start, before_end = start - length, start - datetime.timedelta(days=1)
    area_ids = list(campaign.areas.values_list("pk", flat=True))
    readable_reports = access.can_view_public_reports(user)
    readable_intelligence = access.can_read_intelligence(user)

    def public_between(first: datetime.date, last: datetime.date) -> int | None:
        if not readable_reports:
            return None
        return reports.filter(
            area_id__in=area_ids, submitted_at__date__gte=first, submitted_at__date__lte=last
        ).count()

    def intelligence_between(first: datetime.date, last: datetime.date) -> int | None:
        if not readable_intelligence:
            return None
        return (
            access.readable_intelligence(user)
            .filter(area_id__in=area_ids, created_at__date__gte=first, created_at__date__lte=last)
            .count()
        )

    return Attribution(
        visits=visit_count(campaign),
        through_links=linked.count(),
        named_channel=reports.filter(_naming_channels(campaign)).count(),
        references=list(linked.values_list("reference", flat=True)[:50])
        if readable_reports
        else [],
        public_reports_during=public_between(start, end),
        public_reports_before=public_between(before_start, before_end),
        intelligence_during=intelligence_between(start, end),
        intelligence_before=intelligence_between(before_start, before_end),
        before_starts_on=before_start,
        before_ends_on=before_end,
    )


# Aggregates for the evaluation app.


def reach_totals(user: User) -> dict[tuple[datetime.date, str], int]:
    """Reach by (month, kind) over every campaign, for those who may see campaign totals
    (managers and board viewers); empty for anyone else.

    The evaluation app turns these into KPIs; a month is the first day of the month the
    activity happened in.
    """
    if not access.can_see_campaign_totals(user):
        return {}
    totals: dict[tuple[datetime.date, str], int] = defaultdict(int)
    rows = (
        ReachFigure.objects.all()
        .annotate(month=TruncMonth("activity__happened_on"))
        .values_list("month", "kind")
        .annotate(total=Sum("value"))
    )
    for month, kind, total in rows:
        totals[(month, kind)] += total
    return dict(totals)


def attribution_totals(user: User) -> dict[str, dict[datetime.date, int]]:
    """Per month: visits through campaign links, public reports carrying a campaign code,
    and public reports by how the reporter heard of the service (``heard_from:<answer>``).

    Counts only; empty for a user who may not see campaign totals.
    """
    if not access.can_see_campaign_totals(user):
        return {}
    totals: dict[str, dict[datetime.date, int]] = defaultdict(dict)
    for month, count in (
        LinkVisit.objects.annotate(month=TruncMonth("day"))
        .values_list("month")
        .annotate(total=Sum("count"))
    ):
        totals["visits"][month] = count
    coded = PublicReport.objects.exclude(campaign_code="")
    for month, count in (
        coded.annotate(month=TruncMonth("submitted_at"))
        .values_list("month")
        .annotate(total=Count("pk"))
    ):
        totals["reports_through_links"][_as_date(month)] = count
    for month, answer, count in (
        PublicReport.objects.exclude(heard_from="")
        .annotate(month=TruncMonth("submitted_at"))
        .values_list("month", "heard_from")
        .annotate(total=Count("pk"))
    ):
        totals[f"heard_from:{answer}"][_as_date(month)] = count
    return dict(totals)


def _as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


# The calendar.


def campaigns_in_year(user: User, year: int) -> list[Campaign]:
    return list(
        campaigns(user)
        .filter(starts_on__lte=datetime.date(year, 12, 31), ends_on__gte=datetime.date(year, 1, 1))
        .order_by("starts_on", "pk")
    )


def campaigns_on_home(user: User, today: datetime.date) -> list[Campaign]:
    """Running and coming campaigns, soonest first, for the home page panel."""
    return list(
        campaigns(user)
        .filter(ends_on__gte=today)
        .exclude(status__in=["cancelled", "finished"])
        .order_by("starts_on", "pk")[:5]
    )
