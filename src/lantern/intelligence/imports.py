"""Bulk import of intelligence from a CSV file in the template (docs/intelligence-import.md).

Every row is checked by the submission form and the service's rules, exactly as a report
submitted on the page; the file is stored only when every row passes, in one transaction,
or not at all.

Formula injection is refused, not neutralised. A cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return (other than a plain number such as a phone
number's ``+44``) is either an attack on whoever opens an export later, or a spreadsheet
formula whose text, not its result, was saved in the file: storing it would keep
something the partner never saw. The message names the line and column; a partner who
means the text writes it with a leading ``'``, the escape Lantern's own CSV files use,
which the import removes, so a file Lantern wrote imports back as it was.
"""

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lantern.core import access, audit, bulk, references
from lantern.core.audit import AuditContext
from lantern.core.models import User
from lantern.entities import correlation, hits
from lantern.entities import selectors as entity_selectors
from lantern.entities import tasks as entity_tasks
from lantern.entities.mentions import new_mentions
from lantern.entities.models import HitContext, Mention
from lantern.intelligence import csv_formats
from lantern.intelligence.forms import IntelligenceForm
from lantern.intelligence.models import IntelligenceReport, Status, StatusChange
from lantern.intelligence.services import submission as submission_services
from lantern.intelligence.submitted import ReportFields

# Problems a dry run lists; the page says how many more there are.
PROBLEMS_SHOWN = 1000
_ATTEMPTS = 5


@dataclass(frozen=True)
class Problem:
    """What is wrong with one cell (or one row): line of the file, column, message."""

    line: int
    column: str
    message: str


@dataclass(frozen=True)
class CheckedRow:
    """A row that passed every check: the report as the submission form built it."""

    line: int
    fields: ReportFields


@dataclass
class CheckedFile:
    rows: list[CheckedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    row_count: int = 0

    @property
    def rows_with_problems(self) -> int:
        return len({problem.line for problem in self.problems})


def check_file(upload: UploadedFile) -> CheckedFile:
    """Read and check every row of the file; ``csv_formats.FileRefused`` for the file."""
    return check_rows(csv_formats.read_rows(upload))


def check_rows(rows: Sequence[csv_formats.Row]) -> CheckedFile:
    """Every row through the submission form; every problem with its line and column."""
    names = csv_formats.Names.current()
    form = _row_form()({"submission_key": str(uuid.uuid4())})
    checked = CheckedFile(row_count=len(rows))
    for row in rows:
        values, problems = {}, {}
        for column, cell in row.values.items():
            if csv_formats.looks_like_formula(cell):
                problems[column] = [
                    _(
                        "Starts with “%(character)s”, which spreadsheets run as a formula. "
                        "Remove it, or put a ' before it to keep it as text"
                    )
                    % {"character": cell[0].replace("\t", "tab").replace("\r", "return")}
                ]
            else:
                values[column] = csv_formats.unescape_cell(cell)
        submission = csv_formats.submission(values, names)
        for column, messages in submission.problems.items():
            problems.setdefault(column, messages)
        # One form cleaned again for each row: building a form deep-copies its fields,
        # which for a large file costs more than cleaning them. ``full_clean`` starts
        # from nothing each time (new errors, new cleaned data) and reads ``form.data``.
        form.data = {**submission.form_data, "submission_key": str(uuid.uuid4())}
        form.full_clean()
        if form.is_valid() and not problems:
            checked.rows.append(
                CheckedRow(line=row.line, fields=form.report_fields(submission.mentions))
            )
            continue
        for column, messages in form.errors.items():
            problems.setdefault("" if column == "__all__" else column, messages)
        for column in sorted(problems, key=_column_order):
            for message in problems[column]:
                checked.problems.append(Problem(line=row.line, column=column, message=message))
    return checked


class _PreloadedChoice(forms.ModelChoiceField):
    """The submission form's choice of one, looked up among objects read once."""

    def __init__(self, field: forms.ModelChoiceField) -> None:
        super().__init__(
            queryset=field.queryset, required=field.required, error_messages=field.error_messages
        )
        self.preloaded = {str(item.pk): item for item in field.queryset.all()}

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        try:
            return self.preloaded[str(value)]
        except KeyError:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None


class _PreloadedMultipleChoice(forms.ModelMultipleChoiceField):
    """The submission form's choice of several, looked up among objects read once."""

    def __init__(self, field: forms.ModelMultipleChoiceField) -> None:
        super().__init__(
            queryset=field.queryset,
            to_field_name=field.to_field_name,
            required=field.required,
            error_messages=field.error_messages,
        )
        key = self.to_field_name or "pk"
        self.preloaded = {str(getattr(item, key)): item for item in field.queryset.all()}

    def clean(self, value: Any) -> Any:
        # An empty choice is an empty list, not ``queryset.none()``, which is a query
        # for the bulk insert to run later.
        if not value and not self.required:
            return []
        return super().clean(value)

    def _check_values(self, value: Any) -> list[Any]:
        try:
            return [self.preloaded[str(item)] for item in frozenset(value)]
        except (KeyError, TypeError):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None


def _row_form() -> type[IntelligenceForm]:
    """The submission form with its lists read once per file rather than once per row.

    Same fields, messages and rules (``clean_*`` and ``clean`` are inherited): only where
    the choices are looked up changes, which is most of the time a 50,000-row file takes.
    """
    fields = IntelligenceForm.base_fields
    preloaded: dict[str, forms.Field] = {"area": _PreloadedChoice(fields["area"])}
    for name in ("exploitation_types", "indicators", "shared_with"):
        preloaded[name] = _PreloadedMultipleChoice(fields[name])
    return type("ImportRowForm", (IntelligenceForm,), preloaded)


def _column_order(column: str) -> int:
    names = csv_formats.COLUMN_NAMES
    return names.index(column) if column in names else -1


@dataclass(frozen=True)
class ImportResult:
    """How many reports the import holds, and whether this call stored them."""

    created: bool
    count: int
    # Whether the import's mentions are linked to entities yet (see _link_entities).
    linked: bool = True
    # The reports' own submission keys, to find them again.
    submission_keys: tuple[uuid.UUID, ...] = ()
    # Whether what they mention appears in intelligence the importer may not read (the
    # hits are recorded by the import; each report's page gives the references).
    restricted: bool = False


def import_intelligence(
    *,
    actor: User,
    submission_key: uuid.UUID,
    rows: Sequence[CheckedRow],
    context: AuditContext | None = None,
) -> ImportResult:
    """Store every checked row as a report, all in one transaction, once per submission key.

    Each report gets what a single submission gets: a reference, its first timeline
    entry, its mentions with their matching keys and its own audit entry, written in bulk;
    one more audit entry records the import. The same upload sent again (a refresh, a
    double click) finds the reports the first one stored and stores nothing.
    """
    if not access.can_submit_intelligence(actor):
        raise PermissionDenied
    if not rows:
        return ImportResult(created=False, count=0)
    keys = [uuid.uuid5(submission_key, str(row.line)) for row in rows]
    prepared = []
    for row, key in zip(rows, keys, strict=True):
        columns, shared_with = submission_services.report_columns(
            actor=actor, submission_key=key, fields=row.fields
        )
        prepared.append((columns, shared_with, row))
    for _attempt in range(_ATTEMPTS):
        already = _imported_count(actor, keys)
        if already:
            return ImportResult(created=False, count=already, submission_keys=tuple(keys))
        try:
            with transaction.atomic():
                _store(actor, submission_key, prepared, context)
                mentions = sum(len(row.fields.mentions) for _columns, _shared, row in prepared)
                if mentions > INLINE_CORRELATION_LIMIT:
                    # Too many to link now: the worker links them, queued with the import.
                    entity_tasks.correlate_unresolved.enqueue()
        except IntegrityError:
            # Another request stored this upload, or a reference was taken meanwhile.
            continue
        linked = _link_entities(keys, mentions)
        # As for a single report: the hub and the owners are told, once (a repeated upload
        # stores nothing and was told the first time).
        touched = entity_selectors.restricted_entities_imported(actor, keys) if linked else []
        hits.record_hits(user=actor, entities=touched, where=HitContext.SUBMISSION, context=context)
        return ImportResult(
            created=True,
            count=len(prepared),
            linked=linked,
            submission_keys=tuple(keys),
            restricted=bool(touched),
        )
    raise RuntimeError("Could not store the import")  # pragma: no cover


# Mentions an import links to entities before it answers; a larger import is linked by
# the background worker, queued with the import (at a few milliseconds a mention, 100,000
# mentions would hold the request for minutes).
INLINE_CORRELATION_LIMIT = 2000


def _link_entities(keys: Sequence[uuid.UUID], mentions: int) -> bool:
    """Correlate a small import's mentions now; say whether it was done."""
    if mentions > INLINE_CORRELATION_LIMIT:
        return False
    correlation.correlate(
        Mention.objects.filter(report__submission_key__in=keys, entity__isnull=True)
    )
    return True


def _store(
    actor: User,
    submission_key: uuid.UUID,
    prepared: list[tuple[dict[str, Any], Any, CheckedRow]],
    context: AuditContext | None,
) -> None:
    reports = [
        IntelligenceReport(reference=reference, **fields)
        for reference, (fields, _shared, _row) in zip(
            _new_references(len(prepared)), prepared, strict=True
        )
    ]
    bulk.insert_all(reports)
    # The new ids, to link each report's rows to it (found by its unique key).
    ids = {}
    for chunk in _chunks([report.submission_key for report in reports]):
        ids.update(
            IntelligenceReport.objects.filter(submission_key__in=chunk).values_list(
                "submission_key", "pk"
            )
        )
    for report in reports:
        report.pk = ids[report.submission_key]
    through = IntelligenceReport.exploitation_types.through
    indicator_through = IntelligenceReport.indicators.through
    shared_through = IntelligenceReport.shared_with.through
    links: dict[Any, list[Any]] = {through: [], indicator_through: [], shared_through: []}
    mentions: list[Mention] = []
    for report, (_fields, shared_with, row) in zip(reports, prepared, strict=True):
        links[through] += [
            through(intelligencereport_id=report.pk, exploitationtype_id=kind.pk)
            for kind in row.fields.exploitation_types
        ]
        links[indicator_through] += [
            indicator_through(intelligencereport_id=report.pk, indicator_id=indicator.pk)
            for indicator in row.fields.indicators
        ]
        links[shared_through] += [
            shared_through(intelligencereport_id=report.pk, organisation_id=organisation.pk)
            for organisation in shared_with
        ]
        mentions += new_mentions(report, row.fields.mentions)
    for objects in links.values():
        bulk.insert_all(objects)
    bulk.insert_all(mentions)
    bulk.insert_all(
        [
            StatusChange(
                report=report,
                to_status=Status.NEW,
                changed_by=actor,
                changed_at=report.created_at,
            )
            for report in reports
        ]
    )
    import_name = str(submission_key)
    audit.record_each(
        action=audit.Action.INTELLIGENCE_SUBMITTED,
        actor=actor,
        targets=reports,
        details=[{"grading": report.grading, "import": import_name} for report in reports],
        context=context,
    )
    audit.record(
        action=audit.Action.INTELLIGENCE_IMPORTED,
        actor=actor,
        context=context,
        # Each report's own entry names the import, which links them to this one.
        detail={"import": import_name, "rows": len(reports)},
    )


def _new_references(count: int) -> list[str]:
    """``count`` distinct references that no report holds yet."""
    chosen: set[str] = set()
    while len(chosen) < count:
        wanted = {references.new_reference() for _ in range(count - len(chosen))} - chosen
        for chunk in _chunks(sorted(wanted)):
            wanted -= set(
                IntelligenceReport.objects.filter(reference__in=chunk).values_list(
                    "reference", flat=True
                )
            )
        chosen |= wanted
    return list(chosen)


def _imported_count(actor: User, keys: Sequence[uuid.UUID]) -> int:
    """How many of these rows are stored already (all or none: imports are atomic)."""
    first = IntelligenceReport.objects.filter(submission_key=keys[0]).first()
    if first is None:
        return 0
    # The same upload sent again answers only to the person who sent it.
    if first.created_by_id != actor.pk:
        raise PermissionDenied
    return sum(
        IntelligenceReport.objects.filter(submission_key__in=chunk).count()
        for chunk in _chunks(keys)
    )


def _chunks[Item](items: Sequence[Item], size: int = 900) -> Iterator[Sequence[Item]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
