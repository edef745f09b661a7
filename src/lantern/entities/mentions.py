"""What a report mentions, as a submitter wrote it, checked and made ready to store.

The submission form, the import and the API of intelligence build ``MentionData`` and call
down here (ADR 0027): the checks and the matching keys live with the ``Mention`` model.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from lantern.core import normalisers
from lantern.entities.models import (
    MENTION_VALUE_MAX_LENGTH,
    MENTIONS_MAX,
    Mention,
    MentionKind,
    MentionRole,
    mention_value_error,
    mentions_over_limit_message,
    person_details_error,
)


@dataclass(frozen=True)
class MentionData:
    """One thing a report mentions, as the submitter wrote it."""

    kind: str
    role: str
    value: str
    details: str = ""
    date_of_birth: datetime.date | None = None
    nationality: str = ""


def distinct_mentions(mentions: Sequence[MentionData]) -> list[MentionData]:
    """The mentions without repeats, in their order: the same name pasted twice (or 3,500
    times) is one mention, stored and correlated once."""
    seen: set[tuple[Any, ...]] = set()
    distinct = []
    for mention in mentions:
        identity = (
            mention.kind,
            mention.role,
            mention.value.strip().casefold(),
            mention.details.strip(),
            mention.date_of_birth,
            mention.nationality.strip().casefold(),
        )
        if identity not in seen:
            seen.add(identity)
            distinct.append(mention)
    return distinct


def _details_with_note(mention: MentionData) -> str:
    """The details given, and what was written around an identifier ("mob" of
    "07700 900 123 (mob)"), so that nothing typed is lost when the key is extracted."""
    note = normalisers.split_identifier(mention.kind, mention.value)[1]
    details = mention.details.strip()
    if note and note not in details:
        details = f"{details}\n{note}" if details else note
    # The column holds 1,000 characters, as the forms allow.
    return details[:1000]


def new_mentions(report: models.Model, mentions: Sequence[MentionData]) -> list[Mention]:
    """The report's mentions with their matching keys, unsaved (the bulk import saves many);
    repeats are left out."""
    return [
        Mention(
            report=report,
            kind=mention.kind,
            role=mention.role,
            value=mention.value.strip(),
            key=normalisers.mention_key(mention.kind, mention.value),
            details=_details_with_note(mention),
            date_of_birth=mention.date_of_birth,
            nationality=mention.nationality.strip(),
        )
        for mention in distinct_mentions(mentions)
    ]


def check_mentions(mentions: Sequence[MentionData]) -> None:
    """Refuse too many mentions, or the first that is not one, naming it by its position."""
    if len(mentions) > MENTIONS_MAX:
        raise ValidationError({"mentions": mentions_over_limit_message(len(mentions))})
    for number, mention in enumerate(mentions, start=1):
        if mention.kind not in MentionKind.values:
            problem = _("Select what kind of thing it is from the list")
        elif mention.role not in MentionRole.values:
            problem = _("Select its role from the list")
        elif len(mention.value) > MENTION_VALUE_MAX_LENGTH or len(mention.details) > 1000:
            problem = _("Shorten it to %(limit)s characters or fewer, details to 1000") % {
                "limit": MENTION_VALUE_MAX_LENGTH
            }
        elif (mention.date_of_birth or mention.nationality) and mention.kind != MentionKind.PERSON:
            problem = _("Only a person has a date of birth or a nationality")
        elif len(mention.nationality) > 100:
            problem = _("Shorten the nationality to 100 characters or fewer")
        else:
            problem = person_details_error(mention.date_of_birth) or mention_value_error(
                mention.kind, mention.value.strip()
            )
        if problem:
            message = _("Mention %(number)s: %(problem)s")
            raise ValidationError({"mentions": message % {"number": number, "problem": problem}})
