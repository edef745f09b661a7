"""Checks every training write shares: text fields, and who manages training."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.core import access
from lantern.core.models import User
from lantern.outreach.models.training import (
    TEXT_MAX_LENGTH,
)

# The partnership began training after the Modern Slavery Act 2015; an earlier session is
# a mistyped year. Sessions are planned up to two years ahead.
EARLIEST_SESSION = datetime.datetime(2015, 1, 1, tzinfo=datetime.UTC)
PLANNING_HORIZON = datetime.timedelta(days=2 * 366)
LONGEST_SESSION = datetime.timedelta(days=5)
LONGEST_COURSE_MINUTES = 5 * 24 * 60
MAX_CAPACITY = 1000
FOLLOW_UP_AFTER = datetime.timedelta(days=90)
FOLLOW_UP_OPEN_FOR = datetime.timedelta(days=30)
POST_OPEN_AFTER_END = datetime.timedelta(days=7)


def _now() -> datetime.datetime:
    return timezone.now()


def _required(field_name: str, value: str, message: str, *, limit: int = TEXT_MAX_LENGTH) -> str:
    value = _optional(field_name, value, limit=limit)
    if not value:
        raise ValidationError({field_name: message})
    return value


def _optional(field_name: str, value: str, *, limit: int = TEXT_MAX_LENGTH) -> str:
    """Text trimmed; refused by field if too long or holding a NUL (PostgreSQL refuses it)."""
    value = (value or "").strip()
    if len(value) > limit:
        message = _("Enter %(limit)s characters or fewer") % {"limit": limit}
        raise ValidationError({field_name: message})
    if "\x00" in value:
        raise ValidationError({field_name: _("Remove the invisible characters from the text")})
    return value


def _check_manager(actor: User) -> None:
    if not access.can_manage_training(actor):
        raise PermissionDenied
