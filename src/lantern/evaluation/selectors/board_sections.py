"""What the board pack's own sections read: the action plan's status, the campaigns and
the training of the year.

Both go through the access policy of the person generating the pack: the plan's status
only for those who read the whole plan, campaigns one by one only for campaign managers
(board viewers get their totals, as ADR 0019 decides), and counts of public reports
through disclosure control and the ledger, as every figure in a pack is. Training is
read as totals only (staff trained by sector, paired results by topic), for those who may
see training totals.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from lantern.core import access
from lantern.core.models import OrganisationType, User
from lantern.evaluation.models.action_plan import Action
from lantern.evaluation.periods import FinancialYear
from lantern.evaluation.selectors import action_plan
from lantern.evaluation.services import disclosure as released
from lantern.outreach import statistics
from lantern.outreach.models import ReachKind
from lantern.outreach.selectors import campaigns as campaign_selectors
from lantern.outreach.selectors import training as training_selectors

# More overdue actions than this are summarised by their count (the plan lists them all).
OVERDUE_LISTED = 25


@dataclass(frozen=True)
class PlanStatus:
    summary: action_plan.RagSummary
    overdue: list[Action]


def plan_status(user: User) -> PlanStatus | None:
    """The RAG summary and the overdue actions; None for someone who does not read the
    whole plan."""
    if not access.can_read_whole_action_plan(user):
        return None
    return PlanStatus(
        summary=action_plan.rag_summary(user),
        overdue=action_plan.overdue_actions(user, limit=OVERDUE_LISTED),
    )


@dataclass(frozen=True)
class CampaignLine:
    name: str
    code: str
    starts_on: datetime.date
    ends_on: datetime.date
    channels: list[str]
    reach: int
    visits: int
    reports: int | None  # None: withheld


@dataclass
class CampaignsInYear:
    """The year's campaigns (listed for campaign managers only) and their totals."""

    listed: bool
    lines: list[CampaignLine] = field(default_factory=list)
    reach_by_kind: list[tuple[str, int]] = field(default_factory=list)
    visits: int = 0
    reports: int | None = 0


def _in_year(day: datetime.date, year: FinancialYear) -> bool:
    return year.start <= day <= year.end


def campaigns_in_year(user: User, year: FinancialYear, *, release: str) -> CampaignsInYear | None:
    """Campaigns running in the financial year, with reach, visits and public reports
    through their links; None for someone who may not see campaign totals."""
    if not access.can_see_campaign_totals(user):
        return None
    reach: dict[str, int] = defaultdict(int)
    for (month, kind), total in campaign_selectors.reach_totals(user).items():
        if _in_year(month, year):
            reach[kind] += total
    attributed = campaign_selectors.attribution_totals(user)
    visits = sum(
        count for month, count in attributed.get("visits", {}).items() if _in_year(month, year)
    )
    through_links = sum(
        count
        for month, count in attributed.get("reports_through_links", {}).items()
        if _in_year(month, year)
    )
    result = CampaignsInYear(
        listed=access.can_manage_campaigns(user),
        reach_by_kind=[
            (str(label), reach[kind]) for kind, label in ReachKind.choices if reach[kind]
        ],
        visits=visits,
    )
    running = list(
        campaign_selectors.campaigns(user)
        .filter(starts_on__lte=year.end, ends_on__gte=year.start)
        .exclude(status="cancelled")
        .prefetch_related("channel_rows")
        .order_by("starts_on", "pk")
    )
    counts = {
        campaign.code: campaign_selectors.attribution(user, campaign).through_links
        for campaign in running
    }
    # Listed campaigns: their reports through links (whenever sent) in one table, whose
    # total is the only total shown beside it. Otherwise: the year's reports through any
    # campaign link, one figure. Two tables, so the ledger never compares the two.
    shown: dict[str, int | None] = {}
    if running:
        table = released.release_series(
            table_id="board pack:reports by campaign",
            values=counts,
            keys=list(counts),
            periods={code: year.key for code in counts},
            total_period=year.key,
            release=release,
            actor=user,
        )
        shown = {code: table.shown("all", code) for code in counts}
        result.reports = table.grand_total.shown
    else:
        result.reports = released.release_count(
            table_id="board pack:reports through campaign links",
            cell="total",
            period=year.key,
            value=through_links,
            release=release,
            actor=user,
        ).shown
    for campaign in running:
        result.lines.append(
            CampaignLine(
                name=campaign.name,
                code=campaign.code,
                starts_on=campaign.starts_on,
                ends_on=campaign.ends_on,
                channels=[row.get_channel_display() for row in campaign.channel_rows.all()],
                reach=sum(total for _label, total in campaign_selectors.reach_by_kind(campaign)),
                visits=campaign_selectors.visit_count(campaign),
                reports=shown[campaign.code],
            )
        )
    return result


# Fewer pairs than this and a topic's means are not shown: the means of so few people come
# close to telling each one's scores (docs/training.md).
MIN_PAIRS = statistics.MIN_ATTEMPTS_FOR_ITEMS


@dataclass(frozen=True)
class TopicUplift:
    """One topic's paired pre/post shares; the shares are None when withheld."""

    topic: str
    pairs: int | None  # None: withheld by disclosure control
    knowledge: statistics.PairedResult | None
    confidence: statistics.PairedResult | None


@dataclass
class TrainingInYear:
    sessions: int = 0
    trained_by_sector: list[tuple[str, int | None]] = field(default_factory=list)
    trained: int | None = 0
    uplift: list[TopicUplift] = field(default_factory=list)


def training_in_year(user: User, year: FinancialYear, *, release: str) -> TrainingInYear | None:
    """Sessions held in the financial year, staff trained by sector (the organisation's
    type) and the knowledge uplift by topic; None for someone who may not see training
    totals. Counts of people go through disclosure control; a topic's shares are shown only with at
    least ``MIN_PAIRS`` pairs, and never when its number of pairs is withheld."""
    if not access.can_see_training_totals(user):
        return None
    # Sessions are events on the partners' calendar, not people: their number is shown.
    result = TrainingInYear(
        sessions=training_selectors.sessions_held(user, since=year.start, until=year.end)
    )
    by_sector: dict[str, int] = defaultdict(int)
    for row in training_selectors.trained_staff(user, since=year.start, until=year.end):
        by_sector[row["sector"] or ""] += row["trained"]
    labels = dict(OrganisationType.choices)
    keys = sorted(by_sector)
    if keys:
        table = released.release_series(
            table_id="board pack:staff trained by sector",
            values=dict(by_sector),
            keys=keys,
            periods={key: year.key for key in keys},
            total_period=year.key,
            release=release,
            actor=user,
        )
        result.trained_by_sector = [
            (str(labels.get(key, key)), table.shown("all", key)) for key in keys
        ]
        result.trained = table.grand_total.shown
    topics = training_selectors.paired_results_by_topic(user, since=year.start, until=year.end)
    pairs = {
        each.topic.code: each.knowledge.n if each.knowledge is not None else 0 for each in topics
    }
    if topics:
        table = released.release_series(
            table_id="board pack:training pairs by topic",
            values=pairs,
            keys=list(pairs),
            periods={key: year.key for key in pairs},
            total_period=year.key,
            release=release,
            actor=user,
        )
        for each in topics:
            shown = table.shown("all", each.topic.code)
            enough = shown is not None and shown >= MIN_PAIRS
            result.uplift.append(
                TopicUplift(
                    topic=each.topic.label,
                    pairs=shown,
                    knowledge=each.knowledge if enough else None,
                    confidence=each.confidence
                    if enough and each.confidence and each.confidence.n >= MIN_PAIRS
                    else None,
                )
            )
    return result
