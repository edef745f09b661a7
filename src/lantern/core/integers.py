"""An integer beyond the database's range matches nothing, in every query.

Every id Lantern is sent (a form's choice of organisations, ``<int:pk>`` in a URL, a filter
in a query string) ends in a lookup on an integer column. Django already answers ``=``,
``<`` and ``>`` on an integer field with "nothing" for a value outside the column's range,
but not ``IN`` (a multiple choice: ``ModelMultipleChoiceField`` checks ``pk__in``) nor a
foreign key compared with a number: SQLite then fails with ``OverflowError`` (a server
error for a 20-digit number typed into a form) where PostgreSQL simply finds nothing.
The lookups registered here make every database behave like PostgreSQL: such a value is
dropped from an ``IN`` list (an empty list matches nothing), makes ``=`` match nothing,
and a ``BETWEEN`` bound is brought back to the range, whatever the form, view or
selector built the query.
"""

from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignObject, IntegerField
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
from django.db.models.lookups import In, Range


def _bounds(lookup: Any, connection: Any) -> tuple[int | None, int | None]:
    field = lookup.lhs.output_field
    # A foreign key holds its target's values: its range is the target's.
    field = getattr(field, "target_field", None) or field
    try:
        return connection.ops.integer_field_range(field.get_internal_type())
    except (AttributeError, KeyError):
        return None, None


def _in_range(value: object, bounds: tuple[int | None, int | None]) -> bool:
    if not isinstance(value, int) or isinstance(value, bool):
        return True
    low, high = bounds
    return (low is None or value >= low) and (high is None or value <= high)


class _DropOutOfRange:
    """``IN``: values out of range cannot match and are left out of the list."""

    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        if self.rhs_is_direct_value():  # type: ignore[attr-defined]
            bounds = _bounds(self, connection)
            self.rhs = [value for value in self.rhs if _in_range(value, bounds)]  # type: ignore[has-type]
        return super().process_rhs(compiler, connection)  # type: ignore[misc]


class _NothingOutOfRange:
    """``=``: a value out of range matches nothing."""

    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        if self.rhs_is_direct_value() and not _in_range(self.rhs, _bounds(self, connection)):  # type: ignore[attr-defined]
            raise EmptyResultSet
        return super().process_rhs(compiler, connection)  # type: ignore[misc]


class IntegerRange(Range):
    """``BETWEEN``: bounds beyond the column's range are brought back to it."""

    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        if self.rhs_is_direct_value() and len(self.rhs) == 2:
            low, high = _bounds(self, connection)
            start, end = self.rhs
            if isinstance(start, int) and high is not None and start > high:
                raise EmptyResultSet
            if isinstance(end, int) and low is not None and end < low:
                raise EmptyResultSet
            if isinstance(start, int) and low is not None:
                start = max(start, low)
            if isinstance(end, int) and high is not None:
                end = min(end, high)
            self.rhs = (start, end)
        return super().process_rhs(compiler, connection)


class IntegerIn(_DropOutOfRange, In):
    pass


class BoundedRelatedIn(_DropOutOfRange, RelatedIn):
    pass


class BoundedRelatedExact(_NothingOutOfRange, RelatedExact):
    pass


def register() -> None:
    """Install the lookups (``CoreConfig.ready``): they replace Django's of the same names."""
    IntegerField.register_lookup(IntegerIn)
    IntegerField.register_lookup(IntegerRange)
    ForeignObject.register_lookup(BoundedRelatedIn)
    ForeignObject.register_lookup(BoundedRelatedExact)
