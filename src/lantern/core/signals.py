"""Audit receivers for authentication events (log-in, log-out, failed log-in, lock-out)."""

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from lantern.core import audit
from lantern.core.models import User


@receiver(user_logged_in)
def audit_login(sender: type, request: HttpRequest, user: User, **kwargs: Any) -> None:
    audit.record(action=audit.Action.LOGIN, actor=user, request=request)


@receiver(user_logged_out)
def audit_logout(sender: type, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        audit.record(action=audit.Action.LOGOUT, actor=user, request=request)


@receiver(user_login_failed)
def audit_failed_login(
    sender: type, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Only the identifier typed is kept, never the password.
    audit.record(
        action=audit.Action.LOGIN_FAILED,
        actor_email=str(credentials.get("username", ""))[:254],
        request=request,
    )


@receiver(user_locked_out)
def audit_locked_out(
    sender: str, request: HttpRequest, username: str | None = None, **kwargs: Any
) -> None:
    audit.record(
        action=audit.Action.LOCKED_OUT, actor_email=(username or "")[:254], request=request
    )
