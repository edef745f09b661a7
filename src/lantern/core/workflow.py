"""State machines declared as data: the moves each status allows, and nothing else.

A report's triage and an operation's stages were each checked by hand against a dict of
plain strings. One small typed class holds the table instead, so that a service asks
``allows`` and a selector asks ``moves_from`` of the same declaration, and a status
missing from the table fails at import rather than on a user's click.
"""

from collections.abc import Iterable, Mapping

from django.core.exceptions import ImproperlyConfigured
from django.db import models


class Workflow[S: models.TextChoices]:
    """The allowed moves between the members of one ``TextChoices`` enum.

    Every status must appear as a key (a final status maps to nothing). Moves are kept in
    the order declared, which is the order in which pages offer them.
    """

    def __init__(self, states: type[S], moves: Mapping[S, Iterable[S]]) -> None:
        missing = [state.value for state in states if state not in moves]
        if missing:
            raise ImproperlyConfigured(f"{states.__name__}: no moves declared from {missing}")
        self.states = states
        self._moves: dict[str, tuple[S, ...]] = {
            states(state).value: tuple(states(target) for target in targets)
            for state, targets in moves.items()
        }

    def state(self, value: str) -> S | None:
        """The member named by ``value`` (as stored or posted), or None if there is none."""
        try:
            return self.states(value)
        except ValueError:
            return None

    def moves_from(self, current: str) -> tuple[S, ...]:
        """Where a record in ``current`` may go next; nothing from an unknown status."""
        return self._moves.get(str(current), ())

    def allows(self, current: str, to: str) -> bool:
        """Whether moving from ``current`` to ``to`` is one of the declared moves."""
        return to in self.moves_from(current)

    def choices_from(self, current: str) -> list[tuple[str, str]]:
        """The next statuses as (value, label) choices for a form, in declared order."""
        return [(state.value, str(state.label)) for state in self.moves_from(current)]
