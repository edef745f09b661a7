"""Sections other use cases add to the board pack (the action plan's status, campaigns and
training): the extension point, so the pack never imports them.

A section registers an HTML fragment for the PDF and rows for its own workbook sheet; both
must already be aggregates fit for people who may not read the records (send counts
through ``lantern.evaluation.disclosure``).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from lantern.core.models import User
from lantern.evaluation.periods import FinancialYear


@dataclass(frozen=True)
class SheetTable:
    """A table for the workbook: a title, column headings and rows of plain values."""

    title: str
    headings: list[str]
    rows: list[list[object]]
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True, order=True)
class PackSection:
    order: int
    code: str = field(compare=False)
    html: Callable[[User, FinancialYear], str] = field(compare=False)
    table: Callable[[User, FinancialYear], SheetTable | None] = field(compare=False)


_sections: list[PackSection] = []


def register(
    *,
    code: str,
    html: Callable[[User, FinancialYear], str],
    table: Callable[[User, FinancialYear], SheetTable | None],
    order: int = 100,
) -> None:
    """Add a section (idempotent: registering the same code again replaces it)."""
    _sections[:] = [section for section in _sections if section.code != code]
    _sections.append(PackSection(order=order, code=code, html=html, table=table))
    _sections.sort()


def sections() -> list[PackSection]:
    return list(_sections)
