"""Generating a board pack: a PDF or an Excel workbook of the headline KPIs for a year.

A board pack is for people who may not read the records, so every figure in it is
released through disclosure control whoever generates it, and each pack is audited.
Sections other use cases add (the action plan, campaigns and training) come from
``pack_sections``.
"""

import io
import time
from dataclasses import dataclass

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lantern.core import audit
from lantern.core.audit import Action, AuditContext
from lantern.core.models import User
from lantern.evaluation import disclosure, pack_sections, periods
from lantern.evaluation.presenters import kpis as presenters
from lantern.evaluation.selectors import kpis as selectors
from lantern.evaluation.selectors.outcome_chain import outcome_chain

PDF = "pdf"
XLSX = "xlsx"
CONTENT_TYPES = {
    PDF: "application/pdf",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class BoardPack:
    filename: str
    content_type: str
    content: bytes


def _details(actor: User, year: periods.FinancialYear) -> list[presenters.Detail]:
    details = []
    for kpi in selectors.visible_kpis(actor):
        baseline = (
            periods.FinancialYear(kpi.baseline_year)
            if kpi.baseline_year is not None and kpi.baseline_year < year.start_year
            else periods.FinancialYear(year.start_year - 1)
        )
        result = selectors.kpi_result(
            actor,
            kpi,
            year=year,
            baseline_year=baseline,
            release=f"board pack {year.key}",
            controlled=True,
        )
        details.append(presenters.detail(result))
    return details


def caveats() -> list[str]:
    largest = disclosure.threshold() - 1
    return [
        _(
            "Counts from 1 to %(largest)s are withheld, and so is any figure from which one "
            "could be worked out from the totals or from an earlier release. Percentages "
            "are withheld when their count is."
        )
        % {"largest": largest},
        _(
            "Figures are for financial years (April to March), by quarter: fixed periods, so "
            "that two overlapping periods cannot be subtracted to reveal a small number."
        ),
        _(
            "More reports usually mean more awareness of the signs and of where to report, "
            "not more exploitation. Read each figure with its note."
        ),
        _(
            "The National Referral Mechanism counts only the people referred to it: it is "
            "an undercount of victims."
        ),
        _("Figures are computed from Lantern's records on the day the pack was generated."),
    ]


def generate_board_pack(
    *,
    actor: User,
    year: periods.FinancialYear,
    format: str,
    language: str,
    context: AuditContext | None = None,
) -> BoardPack:
    """Build the pack, record its release in the ledger and audit it, in one transaction."""
    if format not in CONTENT_TYPES:
        raise ValueError(f"Unknown board pack format: {format}")
    started = time.monotonic()
    with transaction.atomic(), translation.override(language):
        details = _details(actor, year)
        chain = presenters.chain(
            outcome_chain(actor, year, controlled=True, release=f"board pack {year.key}")
        )
        render = _pdf if format == PDF else _xlsx
        content = render(actor, year, details, chain)
        audit.record(
            action=Action.BOARD_PACK_GENERATED,
            actor=actor,
            context=context,
            purpose="board pack",
            detail={
                "year": year.key,
                "format": format,
                "language": language,
                "indicators": len(details),
                "seconds": round(time.monotonic() - started, 2),
            },
        )
    filename = f"lantern-board-pack-{year.start_year}-{year.start_year + 1}-{language}.{format}"
    return BoardPack(filename=filename, content_type=CONTENT_TYPES[format], content=content)


def _pdf(
    actor: User,
    year: periods.FinancialYear,
    details: list[presenters.Detail],
    chain: list[presenters.ChainRow],
) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "evaluation/kpis/board_pack.html",
        {
            "year": year,
            "details": details,
            "chain": chain,
            "caveats": caveats(),
            "sections": [section.html(actor, year) for section in pack_sections.sections()],
            "generated_at": timezone.localtime(),
            "language": translation.get_language(),
        },
    )
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")


def _xlsx(
    actor: User,
    year: periods.FinancialYear,
    details: list[presenters.Detail],
    chain: list[presenters.ChainRow],
) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    heading = workbook.add_format({"bold": True, "font_size": 16})
    bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})

    cover = workbook.add_worksheet(_("Cover"))
    cover.set_column(0, 0, 100)
    cover.write(0, 0, _("Partnership board pack"), heading)
    cover.write(1, 0, year.long_label)
    cover.write(
        2,
        0,
        _("Generated on %(date)s") % {"date": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
    )
    cover.write(4, 0, _("Contents"), bold)
    contents = [
        _("Notes"),
        _("Headline indicators"),
        _("Outcome chain"),
        *(_sheet_title(d) for d in details),
    ]
    for index, title in enumerate(contents, start=5):
        cover.write(index, 0, title)

    notes = workbook.add_worksheet(_("Notes"))
    notes.set_column(0, 0, 110)
    notes.write(0, 0, _("Notes and caveats"), heading)
    row = 2
    for caveat in caveats():
        notes.write(row, 0, caveat, wrap)
        row += 1
    row += 1
    for detail in details:
        notes.write(row, 0, detail.summary.name, bold)
        notes.write(row + 1, 0, detail.counted, wrap)
        if detail.summary.note:
            notes.write(row + 2, 0, detail.summary.note, wrap)
        row += 4

    headline = workbook.add_worksheet(_("Headline indicators"))
    headings = [
        _("Indicator"),
        _("Unit"),
        year.label,
        _("Baseline year"),
        _("Baseline"),
        _("Change since baseline"),
        _("Change (%)"),
        _("Target figure"),
        _("Note"),
    ]
    headline.set_column(0, 0, 50)
    headline.set_column(1, 7, 16)
    headline.set_column(8, 8, 70)
    headline.write_row(0, 0, headings, bold)
    for index, detail in enumerate(details, start=1):
        result = detail.summary.result
        values = [
            detail.summary.name,
            result.unit or _("number"),
            _cell(result.value, result.value_withheld),
            result.baseline_year.label if result.baseline_year else "",
            _cell(result.baseline, result.baseline_withheld),
            _cell(result.change),
            _cell(result.change_percent),
            _cell(result.target),
            detail.summary.note,
        ]
        headline.write_row(index, 0, values, wrap)

    outcomes = workbook.add_worksheet(_("Outcome chain"))
    outcomes.set_column(0, 0, 50)
    outcomes.set_column(1, 2, 18)
    outcomes.write_row(0, 0, [_("Stage"), _("Public reports"), _("Share of reports")], bold)
    for index, stage in enumerate(chain, start=1):
        outcomes.write_row(index, 0, [stage.label, stage.value, stage.share])

    used = {
        title.lower()
        for title in (_("Cover"), _("Notes"), _("Headline indicators"), _("Outcome chain"))
    }
    for detail in details:
        title = _sheet_title(detail)
        name = _unique_sheet_name(title, used)
        sheet = workbook.add_worksheet(name)
        sheet.set_column(0, 0, 24)
        sheet.set_column(1, 1, 18)
        sheet.write(0, 0, detail.summary.finding, bold)
        sheet.write_row(2, 0, [_("Period"), _("Value")], bold)
        for offset, point in enumerate(detail.summary.result.trend, start=3):
            sheet.write(offset, 0, point.label)
            if point.value is None:
                sheet.write(offset, 1, presenters.withheld_label() if point.withheld else "")
            else:
                sheet.write_number(offset, 1, round(point.value, 1))
        sheet.write(4 + len(detail.summary.result.trend), 0, detail.counted, wrap)
        if detail.summary.result.trend:
            chart = workbook.add_chart({"type": "column"})
            last = 2 + len(detail.summary.result.trend)
            chart.add_series(
                {
                    "name": detail.summary.name,
                    "categories": [name, 3, 0, last, 0],
                    "values": [name, 3, 1, last, 1],
                    "fill": {"color": "#1d70b8"},
                }
            )
            chart.set_title({"name": detail.summary.finding[:250]})
            chart.set_legend({"none": True})
            sheet.insert_chart(2, 3, chart)

    for section in pack_sections.sections():
        table = section.table(actor, year)
        if table is None:
            continue
        sheet = workbook.add_worksheet(_unique_sheet_name(table.title, used))
        sheet.write_row(0, 0, table.headings, bold)
        for index, values in enumerate(table.rows, start=1):
            sheet.write_row(index, 0, values)
        for index, note in enumerate(table.notes, start=len(table.rows) + 2):
            sheet.write(index, 0, note, wrap)
    workbook.close()
    return buffer.getvalue()


def _cell(value: float | None, withheld: bool = False) -> float | str:
    """A number as a number (rounded as shown), a withheld one as the word."""
    if value is None:
        return presenters.withheld_label() if withheld else ""
    return round(value, 1)


def _sheet_title(detail: presenters.Detail) -> str:
    return detail.summary.name


def _unique_sheet_name(title: str, used: set[str]) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\ and unique."""
    clean = "".join(" " if character in "[]:*?/\\" else character for character in title)
    base = clean.strip()[:28] or "Sheet"
    name, number = base, 2
    while name.lower() in used:
        name = f"{base[:26]} {number}"
        number += 1
    used.add(name.lower())
    return name
