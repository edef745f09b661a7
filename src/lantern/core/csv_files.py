"""Reading CSV files people upload: one reader for every import, whatever its columns.

An import is all rows or none, and every problem names its line and column; that begins
here, where the file as a whole is refused (``FileRefused``) when it is too big, not UTF-8,
not CSV, or its header is not the template's. Each app then checks its rows' values.

Spreadsheets run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return) as a formula, which is how a CSV file attacks whoever opens it (OWASP "CSV
injection"). Every CSV Lantern writes goes through ``escape_cell``; ``unescape_cell`` reads
the escape back, so a file Lantern wrote imports as it was; imports refuse a cell that
``looks_like_formula``.
"""

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.utils.formats import number_format
from django.utils.translation import gettext as _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


# Escaping, both ways.


def escape_cell(value: object) -> str:
    """The cell as text a spreadsheet shows and never runs: a formula gets a leading ``'``."""
    text = "" if value is None else str(value)
    return ESCAPE + text if text.startswith(FORMULA_STARTS) else text


def unescape_cell(value: str) -> str:
    """Undo ``escape_cell``: ``"'=SUM(A1)"`` → ``"=SUM(A1)"``; anything else as it is."""
    if value.startswith(ESCAPE) and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


# A leading "+" or "-" before nothing but digits and separators is a phone number or a
# count, which a spreadsheet shows as written; with anything else it is a formula.
_NUMBER_LIKE = re.compile(r"[+-][\d\s().;+-]*")


def looks_like_formula(value: str) -> bool:
    """Whether a spreadsheet would run the cell as a formula (``=HYPERLINK(…)``, ``@SUM``)."""
    return value.startswith(FORMULA_STARTS) and not _NUMBER_LIKE.fullmatch(value)


class _Echo:
    """A file-like object ``csv.writer`` writes to, handing each line straight back."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """CSV text, line by line, every cell escaped; a byte order mark first for Excel."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for row in rows:
        yield writer.writerow([escape_cell(cell) for cell in row])


# Reading an uploaded file.


class FileRefused(Exception):
    """The file as a whole cannot be read as the template; the message says why."""


@dataclass(frozen=True)
class Row:
    """One row of the file: the line of the file it starts on and its cells by column."""

    line: int
    values: dict[str, str]


def read_rows(
    upload: UploadedFile,
    *,
    columns: Sequence[str],
    required: Sequence[str] | None = None,
    max_rows: int,
    max_bytes: int,
    no_rows_message: str,
) -> list[Row]:
    """The rows of an uploaded CSV file whose header names ``columns``, or ``FileRefused``.

    ``required`` columns must be in the header (all of ``columns`` unless given); the
    others may be left out, and any column not in ``columns`` is refused. Accepts UTF-8
    with or without a byte order mark (what Excel's "CSV UTF-8" writes) and refuses
    anything else rather than guess an encoding and store mangled text. Cells keep their
    text exactly as written (formulas and escapes are the caller's to judge).
    """
    too_big = _("The file is larger than %(size)s MB. Split it into smaller files.") % {
        "size": max_bytes // (1024 * 1024)
    }
    if upload.size is not None and upload.size > max_bytes:
        raise FileRefused(too_big)
    raw = upload.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise FileRefused(too_big)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused(
            _(
                "The file is not in UTF-8. In your spreadsheet, choose Save as, then "
                "“CSV UTF-8 (comma delimited)”, and upload that file."
            )
        ) from None
    if not text.strip():
        raise FileRefused(_("The selected file is empty"))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
        check_header(header, columns=columns, required=columns if required is None else required)
        rows: list[Row] = []
        line = reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):
                if len(rows) == max_rows:
                    raise FileRefused(
                        _(
                            "The file has more than %(limit)s rows. Split it into files of "
                            "%(limit)s rows or fewer."
                        )
                        % {"limit": number_format(max_rows, force_grouping=True)}
                    )
                if len(cells) != len(header):
                    raise FileRefused(
                        _(
                            "Line %(line)s has %(found)s cells but the header has %(expected)s. "
                            "Check for a missing or extra comma."
                        )
                        % {"line": line, "found": len(cells), "expected": len(header)}
                    )
                rows.append(Row(line=line, values=dict(zip(header, cells, strict=True))))
            line = reader.line_num + 1
    except csv.Error as error:
        raise FileRefused(
            _("Line %(line)s cannot be read as CSV: %(problem)s")
            % {"line": reader.line_num, "problem": error}
        ) from None
    if not rows:
        raise FileRefused(no_rows_message)
    return rows


def check_header(header: list[str], *, columns: Sequence[str], required: Sequence[str]) -> None:
    """Normalise ``header`` in place (trimmed, lower case) and refuse one unlike the template."""
    names = [name.strip().lower() for name in header]
    header[:] = names
    missing = [name for name in required if name not in names]
    unknown = [name for name in names if name not in columns]
    repeated = sorted({name for name in names if names.count(name) > 1})
    problems = []
    if missing:
        problems.append(_("The file is missing the columns: %s.") % ", ".join(missing))
    if unknown:
        shown = ", ".join(name or _("(a column without a name)") for name in unknown)
        problems.append(_("The file has columns the template does not: %s.") % shown)
    if repeated:
        problems.append(_("The file repeats the columns: %s.") % ", ".join(repeated))
    if problems:
        problems.append(_("Use the header row of the template."))
        raise FileRefused(" ".join(problems))
