"""What the action plan's pages and its workbook show, shaped so templates stay free of logic."""

import datetime
import io
from dataclasses import dataclass

import xlsxwriter
from django.core.exceptions import FieldDoesNotExist
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from lantern.core.models import User
from lantern.evaluation.models.action_plan import Action, Evidence, EvidenceKind
from lantern.evaluation.selectors import action_plan as selectors

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class EvidenceRow:
    kind: str
    label: str
    url: str | None
    description: str


def evidence_rows(user: User, action: Action) -> list[EvidenceRow]:
    """Each piece of evidence, linked where the reader may open it.

    An operation the reader may not read is named by its reference only, never by its name.
    """
    linked = list(selectors.evidence(action))
    operations = [item.reference for item in linked if item.kind == EvidenceKind.OPERATION]
    readable = selectors.readable_operation_references(user, operations)
    names = selectors.operation_names(readable)
    campaigns = selectors.readable_campaign_names(
        user, [item.reference for item in linked if item.kind == EvidenceKind.CAMPAIGN]
    )
    courses = selectors.readable_course_titles(
        user, [item.reference for item in linked if item.kind == EvidenceKind.COURSE]
    )
    return [_evidence_row(item, readable, names, campaigns, courses) for item in linked]


def _evidence_row(
    item: Evidence,
    readable: set[str],
    names: dict[str, str],
    campaigns: dict[str, str],
    courses: dict[str, str],
) -> EvidenceRow:
    label, url = item.reference, None
    if item.kind == EvidenceKind.OPERATION and item.reference in readable:
        label = f"{names.get(item.reference, '')} ({item.reference})"
        url = _url_or_none("operations:operation", item.reference)
    elif item.kind == EvidenceKind.CAMPAIGN and item.reference in campaigns:
        label = f"{campaigns[item.reference]} ({item.reference})"
        url = _url_or_none("outreach:campaign", item.reference)
    elif item.kind == EvidenceKind.COURSE and item.reference in courses:
        label = f"{courses[item.reference]} ({item.reference})"
        url = _url_or_none("outreach:training_course", int(item.reference))
    elif item.kind == EvidenceKind.PAGE:
        url = item.reference
    return EvidenceRow(
        kind=item.get_kind_display(), label=label, url=url, description=item.description
    )


def _url_or_none(name: str, *args: object) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def changed_field_labels(fields: list[str]) -> str:
    """The names of the fields an edit changed, in the reader's language."""
    return ", ".join(
        str(Action._meta.get_field(name).verbose_name) for name in fields if _is_field(name)
    )


def _is_field(name: str) -> bool:
    try:
        Action._meta.get_field(name)
    except FieldDoesNotExist:  # a field renamed since: leave it out
        return False
    return True


def workbook(actions: list[Action], *, today: datetime.date | None = None) -> bytes:
    """The plan as an XLSX workbook: a cover sheet, then one row per action."""
    today = today or timezone.localdate()
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True, "strings_to_formulas": False})
    title = book.add_format({"bold": True, "font_size": 16})
    bold = book.add_format({"bold": True})
    header = book.add_format(
        {"bold": True, "bg_color": "#1d3a5f", "font_color": "#ffffff", "text_wrap": True}
    )
    wrapped = book.add_format({"text_wrap": True, "valign": "top"})
    date = book.add_format({"num_format": "yyyy-mm-dd", "valign": "top"})

    cover = book.add_worksheet(_("About"))
    cover.set_column(0, 0, 28)
    cover.set_column(1, 1, 70)
    cover.write(0, 0, _("Partnership action plan"), title)
    rows = [
        (_("Exported on"), formats.date_format(today, "j F Y")),
        (_("Actions"), len(actions)),
        (_("Overdue"), sum(action.is_overdue(today) for action in actions)),
        (
            _("Overdue means"),
            _("The due date has passed and the action is not complete."),
        ),
        (
            _("RAG status"),
            _("Green: on track. Amber: at risk. Red: will not be met without help."),
        ),
    ]
    for number, (label, value) in enumerate(rows, start=2):
        cover.write(number, 0, label, bold)
        cover.write(number, 1, value, wrapped)

    sheet = book.add_worksheet(_("Actions"))
    columns = [
        (_("Reference"), 12),
        (_("Strand"), 10),
        (_("Objective"), 40),
        (_("Action"), 45),
        (_("Owner organisation"), 35),
        (_("Lead"), 25),
        (_("Due date"), 12),
        (_("Status"), 14),
        (_("RAG status"), 10),
        (_("Reason for the RAG status"), 45),
        (_("Overdue"), 9),
        (_("Completed"), 12),
    ]
    for number, (label, width) in enumerate(columns):
        sheet.set_column(number, number, width)
        sheet.write(0, number, label, header)
    sheet.freeze_panes(1, 0)
    for row, action in enumerate(actions, start=1):
        sheet.write(row, 0, action.reference)
        sheet.write(row, 1, action.objective.get_pillar_display())
        sheet.write(row, 2, action.objective.title, wrapped)
        sheet.write(row, 3, action.title, wrapped)
        sheet.write(row, 4, action.owner.name, wrapped)
        sheet.write(row, 5, action.lead, wrapped)
        sheet.write_datetime(row, 6, action.due_on, date)
        sheet.write(row, 7, action.get_status_display())
        sheet.write(row, 8, action.get_rag_display())
        sheet.write(row, 9, action.rag_reason, wrapped)
        sheet.write(row, 10, _("Yes") if action.is_overdue(today) else _("No"))
        if action.completed_on:
            sheet.write_datetime(row, 11, action.completed_on, date)
    if actions:
        sheet.autofilter(0, 0, len(actions), len(columns) - 1)
    book.close()
    return output.getvalue()
