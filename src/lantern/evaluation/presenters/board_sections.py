"""The board pack's action plan, campaign and training sections, for the PDF and the
workbook, registered with ``pack_sections`` (``register``) so the pack itself never imports
them."""

from django.template.loader import render_to_string
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from lantern.core.models import User
from lantern.evaluation import pack_sections
from lantern.evaluation.pack_sections import SheetTable
from lantern.evaluation.periods import FinancialYear
from lantern.evaluation.presenters.kpis import withheld_label
from lantern.evaluation.selectors import board_sections as selectors
from lantern.outreach.presenters.training import paired_figures


def _release(year: FinancialYear) -> str:
    # The same release name as the pack's KPIs: one pack, one release in the ledger.
    return f"board pack {year.key}"


def _plan_rows(status: selectors.PlanStatus) -> list[tuple[str, int]]:
    summary = status.summary
    return [
        (_("Green: on track"), summary.green),
        (_("Amber: at risk"), summary.amber),
        (_("Red: will not be met without help"), summary.red),
        (_("Complete"), summary.complete),
        (_("Overdue"), summary.overdue),
        (_("All actions"), summary.total),
    ]


def action_plan_html(user: User, year: FinancialYear) -> str:
    status = selectors.plan_status(user)
    if status is None:
        return ""
    return render_to_string(
        "evaluation/board_pack/action_plan_section.html",
        {
            "rows": _plan_rows(status),
            "overdue": status.overdue,
            "more_overdue": max(status.summary.overdue - len(status.overdue), 0),
        },
    )


def action_plan_table(user: User, year: FinancialYear) -> SheetTable | None:
    status = selectors.plan_status(user)
    if status is None:
        return None
    return SheetTable(
        title=_("Action plan status"),
        headings=[_("Status"), _("Actions")],
        rows=[[label, value] for label, value in _plan_rows(status)],
        notes=[
            _("Overdue: %(reference)s %(title)s (%(owner)s), due %(due)s, %(rag)s")
            % {
                "reference": action.reference,
                "title": action.title,
                "owner": action.owner.name,
                "due": action.due_on.isoformat(),
                "rag": action.get_rag_display(),
            }
            for action in status.overdue
        ],
    )


def _count(value: int | None) -> str:
    return withheld_label() if value is None else number_format(value, force_grouping=True)


def campaigns_html(user: User, year: FinancialYear) -> str:
    campaigns = selectors.campaigns_in_year(user, year, release=_release(year))
    if campaigns is None:
        return ""
    return render_to_string(
        "evaluation/board_pack/campaigns_section.html",
        {
            "year": year,
            "campaigns": campaigns,
            "lines": [
                {
                    "name": line.name,
                    "code": line.code,
                    "dates": f"{date_format(line.starts_on, 'j M Y')} – "
                    f"{date_format(line.ends_on, 'j M Y')}",
                    "channels": ", ".join(str(channel) for channel in line.channels),
                    "reach": _count(line.reach),
                    "visits": _count(line.visits),
                    "reports": _count(line.reports),
                }
                for line in campaigns.lines
            ],
            "reach": [(label, _count(value)) for label, value in campaigns.reach_by_kind],
            "visits": _count(campaigns.visits),
            "reports": _count(campaigns.reports),
        },
    )


def campaigns_table(user: User, year: FinancialYear) -> SheetTable | None:
    campaigns = selectors.campaigns_in_year(user, year, release=_release(year))
    if campaigns is None:
        return None

    def number(value: int | None) -> int | str:
        return withheld_label() if value is None else value

    notes = [
        _("Reach in %(year)s, %(kind)s: %(value)s")
        % {"year": year.label, "kind": label, "value": value}
        for label, value in campaigns.reach_by_kind
    ]
    notes.append(_("Visits through campaign links: %(value)s") % {"value": campaigns.visits})
    notes.append(
        _("Public reports through campaign links: %(value)s") % {"value": number(campaigns.reports)}
    )
    if not campaigns.listed:
        return SheetTable(
            title=_("Campaigns"),
            headings=[_("Kind of reach"), _("Total")],
            rows=[[label, value] for label, value in campaigns.reach_by_kind],
            notes=notes[len(campaigns.reach_by_kind) :],
        )
    return SheetTable(
        title=_("Campaigns"),
        headings=[
            _("Campaign"),
            _("Code"),
            _("Starts"),
            _("Ends"),
            _("Channels"),
            _("Reach (all kinds)"),
            _("Visits through its links"),
            _("Public reports through its links"),
        ],
        rows=[
            [
                line.name,
                line.code,
                line.starts_on.isoformat(),
                line.ends_on.isoformat(),
                ", ".join(str(channel) for channel in line.channels),
                line.reach,
                line.visits,
                number(line.reports),
            ]
            for line in campaigns.lines
        ],
        notes=notes,
    )


def _uplift_rows(training: selectors.TrainingInYear) -> list[dict[str, str]]:
    """Each topic's pairs, share correct and confident before and after, and the relative
    change ((after - before) / before); a dash where too few pairs were compared."""
    rows = []
    for line in training.uplift:
        knowledge = paired_figures(line.knowledge)
        confidence = paired_figures(line.confidence)
        rows.append(
            {
                "topic": line.topic,
                "pairs": _count(line.pairs),
                "correct_before": knowledge.mean_pre if knowledge else "–",
                "correct_after": knowledge.mean_post if knowledge else "–",
                "correct_change": knowledge.relative_change if knowledge else "–",
                "confident_before": confidence.mean_pre if confidence else "–",
                "confident_after": confidence.mean_post if confidence else "–",
                "confident_change": confidence.relative_change if confidence else "–",
            }
        )
    return rows


def training_html(user: User, year: FinancialYear) -> str:
    training = selectors.training_in_year(user, year, release=_release(year))
    if training is None:
        return ""
    return render_to_string(
        "evaluation/board_pack/training_section.html",
        {
            "year": year,
            "sessions": number_format(training.sessions, force_grouping=True),
            "by_sector": [(label, _count(value)) for label, value in training.trained_by_sector],
            "trained": _count(training.trained),
            "uplift": _uplift_rows(training),
            "minimum_pairs": selectors.MIN_PAIRS,
        },
    )


def training_table(user: User, year: FinancialYear) -> SheetTable | None:
    training = selectors.training_in_year(user, year, release=_release(year))
    if training is None:
        return None

    def number(value: int | None) -> int | str:
        return withheld_label() if value is None else value

    rows: list[list[object]] = [[_("Sessions held"), training.sessions]]
    rows += [
        [_("Staff trained: %(sector)s") % {"sector": label}, number(value)]
        for label, value in training.trained_by_sector
    ]
    rows.append([_("Staff trained in all"), number(training.trained)])
    notes = [
        _(
            "%(topic)s: %(pairs)s attendees took both tests; answers correct %(before)s "
            "before, %(after)s after (%(change)s); confident %(confident_before)s before, "
            "%(confident_after)s after (%(confident_change)s)"
        )
        % {
            "topic": row["topic"],
            "pairs": row["pairs"],
            "before": row["correct_before"],
            "after": row["correct_after"],
            "change": row["correct_change"],
            "confident_before": row["confident_before"],
            "confident_after": row["confident_after"],
            "confident_change": row["confident_change"],
        }
        for row in _uplift_rows(training)
    ]
    notes.append(
        _(
            "Relative change is (after − before) ÷ before. Means are shown for topics "
            "with at least %(minimum)s attendees who took both tests."
        )
        % {"minimum": selectors.MIN_PAIRS}
    )
    return SheetTable(
        title=_("Training"), headings=[_("Figure"), _("Value")], rows=rows, notes=notes
    )


def register() -> None:
    pack_sections.register(
        code="action_plan", html=action_plan_html, table=action_plan_table, order=10
    )
    pack_sections.register(code="campaigns", html=campaigns_html, table=campaigns_table, order=20)
    pack_sections.register(code="training", html=training_html, table=training_table, order=30)
