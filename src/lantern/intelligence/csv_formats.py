"""The flat format partners exchange intelligence in: CSV import and export, and the API.

One row is one report. Lists (exploitation types, indicators, organisations named in the
conditions, mentions) are values separated by ``;``. Codes are the stable ones Lantern
shows on the import page (exploitation types, indicators, sectors); an area is its ONS GSS
code; organisations are named as the partner directory names them.

Spreadsheets run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return) as a formula, which is how a CSV file attacks whoever opens it (OWASP "CSV
injection"). Every CSV Lantern writes goes through ``escape_cell``; ``unescape_cell`` reads
the escape back, so a file Lantern wrote imports as it was.
"""

import itertools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantern.core import csv_files, lookups

# Re-exported: the intelligence import and its tests name them here.
from lantern.core.csv_files import (  # noqa: F401
    ESCAPE,
    FORMULA_STARTS,
    FileRefused,
    Row,
    csv_lines,
    escape_cell,
    looks_like_formula,
    unescape_cell,
)
from lantern.core.models import LocalAuthorityArea, Organisation
from lantern.entities.mentions import MentionData, distinct_mentions
from lantern.entities.models import (
    MENTION_VALUE_MAX_LENGTH,
    MENTIONS_MAX,
    MentionKind,
    MentionRole,
    mention_value_error,
    mentions_over_limit_message,
)
from lantern.intelligence.models import IntelligenceReport, Sector
from lantern.public.forms import readable_text

SEPARATOR = ";"
MAX_ROWS = 50_000
MAX_FILE_BYTES = 64 * 1024 * 1024
EXPORT_CHUNK_SIZE = 2000


@dataclass(frozen=True)
class Column:
    name: str
    description: Any
    example: str


# The columns of the import template, in order, as the import page and docs/ describe them.
COLUMNS: tuple[Column, ...] = (
    Column(
        "summary",
        gettext_lazy("Required. One line, up to 200 characters."),
        "Men sleeping at a hand car wash",
    ),
    Column(
        "narrative",
        gettext_lazy("Required. The full account, up to 20,000 characters."),
        "Our crew saw six men sleeping in the back unit. No gloves or boots.",
    ),
    Column(
        "occurred_on",
        gettext_lazy("Optional. The date it happened, as YYYY-MM-DD (or DD/MM/YYYY)."),
        "2026-02-03",
    ),
    Column("location", gettext_lazy("Optional. An address or a description."), "Narborough Road"),
    Column("postcode", gettext_lazy("Optional. A UK postcode."), "LE3 0AA"),
    Column(
        "area",
        gettext_lazy(
            "Optional. The local authority area’s GSS code; empty to work it out from the postcode."
        ),
        "",
    ),
    Column(
        "exploitation_types",
        gettext_lazy("Optional. Exploitation type codes, separated by ;"),
        "labour",
    ),
    Column("child_involved", gettext_lazy("Optional. yes or no (empty means no)."), "no"),
    Column("indicators", gettext_lazy("Optional. Indicator codes, separated by ;"), "injuries"),
    Column(
        "sector", gettext_lazy("Optional. A sector code (empty means not known)."), "hand_car_wash"
    ),
    Column("source_evaluation", gettext_lazy("Required. 1, 2 or 3."), "2"),
    Column("intelligence_assessment", gettext_lazy("Required. A, B, C, D or E."), "B"),
    Column("handling_code", gettext_lazy("Required. P or C."), "P"),
    Column(
        "handling_conditions",
        gettext_lazy("Required for C: who may see it and what they may do with it."),
        "",
    ),
    Column(
        "shared_with",
        gettext_lazy(
            "Optional, for C. Names of partner organisations the conditions name, separated by ;"
        ),
        "",
    ),
    Column(
        "phones",
        gettext_lazy("Optional. Phone numbers used to make contact, separated by ;"),
        "07700 900123",
    ),
    Column("vehicles", gettext_lazy("Optional. Vehicle registrations, separated by ;"), "AB12 CDE"),
    Column("people", gettext_lazy("Optional. Names of people, separated by ;"), ""),
    Column(
        "addresses",
        gettext_lazy("Optional. Addresses of premises, separated by ;"),
        "Unit 3, Narborough Road, Leicester LE3 0AA",
    ),
    Column(
        "businesses", gettext_lazy("Optional. Names of businesses, separated by ;"), "Sparkle Wash"
    ),
)
COLUMN_NAMES = tuple(column.name for column in COLUMNS)

# Each mention column: the kind of thing it lists and the role it plays. People get the
# role "other": a spreadsheet cannot say who is a victim and who an exploiter, so the
# analyst decides at triage.
MENTION_COLUMNS: dict[str, tuple[str, str]] = {
    "phones": (MentionKind.PHONE, MentionRole.CONTACT),
    "vehicles": (MentionKind.VEHICLE, MentionRole.VEHICLE_USED),
    "people": (MentionKind.PERSON, MentionRole.OTHER),
    "addresses": (MentionKind.LOCATION, MentionRole.PREMISES),
    "businesses": (MentionKind.BUSINESS, MentionRole.PREMISES),
}
_MENTION_COLUMN_OF_KIND = {kind: name for name, (kind, _role) in MENTION_COLUMNS.items()}
EXPORT_COLUMNS = ("reference", "submitted", "status", "originating_organisation", *COLUMN_NAMES)


def export_lines(reports: QuerySet[IntelligenceReport]) -> Iterator[str]:
    """The reports as CSV, read from the database a chunk at a time while they stream out."""
    rows = (export_row(report) for report in reports.iterator(chunk_size=EXPORT_CHUNK_SIZE))
    return csv_lines(itertools.chain([EXPORT_COLUMNS], rows))


def template_lines() -> Iterator[str]:
    """The import template: the header row and one example row."""
    return csv_lines([COLUMN_NAMES, [column.example for column in COLUMNS]])


def export_row(report: IntelligenceReport) -> list[str]:
    """One report as a row of ``EXPORT_COLUMNS``.

    The report must come with its organisations, area, codes and mentions prefetched.
    """
    mentions: dict[str, list[str]] = {name: [] for name in MENTION_COLUMNS}
    for mention in report.mentions.all():
        column = _MENTION_COLUMN_OF_KIND.get(mention.kind)
        if column is not None:
            mentions[column].append(mention.value)
    values = {
        "reference": report.reference,
        "submitted": report.created_at.isoformat(timespec="seconds"),
        "status": report.status,
        "originating_organisation": report.originating_organisation.name,
        "summary": report.summary,
        "narrative": report.narrative,
        "occurred_on": report.occurred_on.isoformat() if report.occurred_on else "",
        "location": report.location,
        "postcode": report.postcode,
        "area": report.area.gss_code if report.area else "",
        "exploitation_types": _joined(kind.code for kind in report.exploitation_types.all()),
        "child_involved": "yes" if report.child_involved else "no",
        "indicators": _joined(indicator.code for indicator in report.indicators.all()),
        "sector": report.sector,
        "source_evaluation": report.source_evaluation,
        "intelligence_assessment": report.intelligence_assessment,
        "handling_code": report.handling_code,
        "handling_conditions": report.handling_conditions,
        "shared_with": _joined(organisation.name for organisation in report.shared_with.all()),
        **{column: _joined(found) for column, found in mentions.items()},
    }
    return [values[column] for column in EXPORT_COLUMNS]


def _joined(values: Iterable[str]) -> str:
    return f"{SEPARATOR} ".join(values)


# Reading an uploaded file.


def read_rows(upload: UploadedFile) -> list[Row]:
    """The rows of an uploaded CSV file in the template, or ``FileRefused``."""
    return csv_files.read_rows(
        upload,
        columns=COLUMN_NAMES,
        max_rows=MAX_ROWS,
        max_bytes=MAX_FILE_BYTES,
        no_rows_message=_("The file has a header row but no rows of intelligence under it"),
    )


# From the flat format to what the submission form and the service take.


@dataclass(frozen=True)
class Names:
    """The areas and organisations the flat format names, read once per import."""

    area_ids: dict[str, int]
    organisation_ids: dict[str, int]

    @classmethod
    def current(cls) -> "Names":
        return cls(
            area_ids=dict(LocalAuthorityArea.objects.values_list("gss_code", "pk")),
            organisation_ids={
                name.casefold(): pk for name, pk in Organisation.objects.values_list("name", "pk")
            },
        )


@dataclass
class Submission:
    """A row turned into the submission form's data, its mentions, and what was wrong."""

    form_data: dict[str, Any]
    mentions: list[MentionData]
    problems: dict[str, list[str]]


def submission(values: Mapping[str, Any], names: Names) -> Submission:
    """Translate one row (or one API request) into the submission form's data.

    The rules themselves are the form's and the service's: this only turns codes and names
    into what the form expects and says which names or codes Lantern does not know.
    """
    problems: dict[str, list[str]] = {}
    data: dict[str, Any] = {}
    for name in ("summary", "narrative", "occurred_on", "location", "postcode"):
        data[name] = _text(values, name, problems)
    for name in (
        "source_evaluation",
        "intelligence_assessment",
        "handling_code",
        "handling_conditions",
    ):
        data[name] = _text(values, name, problems).strip()
    data["sector"] = _text(values, "sector", problems).strip() or Sector.UNKNOWN
    area = _text(values, "area", problems).strip().upper()
    if area:
        if area in names.area_ids:
            data["area"] = names.area_ids[area]
        else:
            problems["area"] = [
                _("“%(value)s” is not the GSS code of a local authority area, like E06000016")
                % {"value": area}
            ]
    data["exploitation_types"] = _codes(
        values,
        "exploitation_types",
        lookups.exploitation_type_ids(),
        gettext_lazy(
            "“%(value)s” is not an exploitation type code. Use a code listed on the import page"
        ),
        problems,
    )
    data["indicators"] = _codes(
        values,
        "indicators",
        lookups.indicator_ids(),
        gettext_lazy("“%(value)s” is not an indicator code. Use a code listed on the import page"),
        problems,
    )
    shared_with = []
    for organisation in _list(values, "shared_with", problems):
        pk = names.organisation_ids.get(organisation.casefold())
        if pk is None:
            problems.setdefault("shared_with", []).append(
                _("“%(value)s” is not the name of a partner organisation") % {"value": organisation}
            )
        else:
            shared_with.append(pk)
    data["shared_with"] = shared_with
    data["child_involved"] = _yes_no(values, "child_involved", problems)
    return Submission(form_data=data, mentions=_mentions(values, problems), problems=problems)


def _text(values: Mapping[str, Any], name: str, problems: dict[str, list[str]]) -> str:
    value = values.get(name)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        problems.setdefault(name, []).append(_("Enter text, not a list or a true/false value"))
        return ""
    return str(value)


def _list(values: Mapping[str, Any], name: str, problems: dict[str, list[str]]) -> list[str]:
    """A ``;``-separated cell, or a list (in the API), as its non-empty values."""
    value = values.get(name)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        items = value
    else:
        items = _text(values, name, problems).split(SEPARATOR)
    return [item.strip() for item in items if item.strip()]


def _codes(
    values: Mapping[str, Any],
    name: str,
    known: Mapping[str, int],
    message: Any,
    problems: dict[str, list[str]],
) -> list[str]:
    codes = []
    for code in _list(values, name, problems):
        if code.lower() in known:
            codes.append(code.lower())
        else:
            problems.setdefault(name, []).append(message % {"value": code})
    return codes


def _yes_no(values: Mapping[str, Any], name: str, problems: dict[str, list[str]]) -> bool:
    value = values.get(name)
    if isinstance(value, bool):
        return value
    answer = _text(values, name, problems).strip().lower()
    if answer in {"yes", "y", "true", "1"}:
        return True
    if answer not in {"", "no", "n", "false", "0"}:
        problems.setdefault(name, []).append(_("Enter yes or no"))
    return False


def _mentions(values: Mapping[str, Any], problems: dict[str, list[str]]) -> list[MentionData]:
    """The row's mentions, repeats once, and at most ``MENTIONS_MAX`` different ones: past
    that the column with the most is named (the same rule as the form's and the API's)."""
    mentions = []
    counts: dict[str, int] = {}
    for column, (kind, role) in MENTION_COLUMNS.items():
        # A value repeated in a cell is checked (and, if wrong, reported) once.
        column_values = list(dict.fromkeys(_list(values, column, problems)))
        counts[column] = len(column_values)
        for value in column_values:
            problem = None
            if len(value) > MENTION_VALUE_MAX_LENGTH:
                problem = _("Shorten each value to %(limit)s characters or fewer") % {
                    "limit": MENTION_VALUE_MAX_LENGTH
                }
            else:
                try:
                    readable_text(value)
                except ValidationError as error:
                    problem = error.messages[0]
                else:
                    problem = mention_value_error(kind, value)
            if problem:
                problems.setdefault(column, []).append(f"“{value[:50]}”: {problem}")
            else:
                mentions.append(MentionData(kind=kind, role=role, value=value))
    mentions = distinct_mentions(mentions)
    if len(mentions) > MENTIONS_MAX:
        column = max(counts, key=lambda name: counts[name])
        problems.setdefault(column, []).append(mentions_over_limit_message(len(mentions)))
    return mentions
