"""What a page needs to warn before its session times out (WCAG 2.2.1, Timing adjustable).

Staff sessions and public report drafts live in the session, which ends after
``SESSION_COOKIE_AGE`` seconds without a request. A page that has something to lose carries
a warning dialog, shown by ``session-timeout.mjs`` ``LANTERN_SESSION_WARNING_SECONDS`` before
the end, from which the user extends the session; without JavaScript the page states the
limit instead. The public app uses ``for_draft`` for its report form; core's context
processor uses ``for_staff`` for every signed-in page.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

STAFF = "staff"
DRAFT = "draft"


@dataclass(frozen=True)
class SessionTimeout:
    """The timing and addresses the warning dialog is built from."""

    kind: str
    seconds: int
    warning_seconds: int
    timed_out_url: str
    next_url: str

    @property
    def minutes(self) -> int:
        """The limit in whole minutes, as the page states it."""
        return idle_minutes()

    @property
    def is_draft(self) -> bool:
        return self.kind == DRAFT


def idle_seconds() -> int:
    return int(settings.SESSION_COOKIE_AGE)


def idle_minutes() -> int:
    """The limit in whole minutes, as pages state it (at least one)."""
    return max(1, idle_seconds() // 60)


def warning_seconds() -> int:
    """How long before the end the dialog opens: at most half the limit, so it can be read."""
    return min(int(settings.LANTERN_SESSION_WARNING_SECONDS), idle_seconds() // 2)


def for_staff(request: HttpRequest) -> SessionTimeout:
    """A signed-in page: when time runs out, the sign-in page says why and leads back."""
    query = urlencode({"next": request.get_full_path(), "timed_out": "1"})
    return SessionTimeout(
        kind=STAFF,
        seconds=idle_seconds(),
        warning_seconds=warning_seconds(),
        timed_out_url=f"{reverse('core:login')}?{query}",
        next_url=request.get_full_path(),
    )


def for_draft(request: HttpRequest, *, timed_out_url: str) -> SessionTimeout:
    """A page of the public report form once answers are kept in the session."""
    return SessionTimeout(
        kind=DRAFT,
        seconds=idle_seconds(),
        warning_seconds=warning_seconds(),
        timed_out_url=timed_out_url,
        next_url=request.get_full_path(),
    )
