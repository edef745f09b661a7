"""Password reset: a single-use link that expires in an hour, and never the second factor.

Resetting a password changes only the password. An authenticator stays enrolled, so the
next sign-in still asks for its code; a lost authenticator is removed only by an
administrator (docs/adr/0003-authentication.md, docs/adr/0026-accounts.md).
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import password_validation
from django.db import transaction
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import get_language

from lantern.accounts.services.mail import enqueue
from lantern.accounts.tokens import password_reset_tokens
from lantern.core import audit
from lantern.core.audit import AuditContext
from lantern.core.models import User, normalise_email


class ResetLinkUnusable(Exception):
    """The link is unknown, used, expired or for a closed account: one answer for all."""


def request_reset(
    *,
    email: str,
    link_for: Callable[[str, str], str],
    limited: bool = False,
    context: AuditContext | None = None,
) -> None:
    """Email a reset link if ``email`` belongs to an active account; say nothing either way.

    The caller shows the same page whatever happens here, so nobody learns from it whether
    an address has an account. ``limited`` (too many requests for this address or client)
    sends nothing and is audited.
    """
    email = normalise_email(email)
    user = User.objects.filter(email=email, is_active=True).first()
    if limited:
        audit.record(
            action=audit.Action.PASSWORD_RESET_LIMITED,
            actor_email=email,
            context=context,
            detail={"account": user is not None},
        )
        return
    with transaction.atomic():
        audit.record(
            action=audit.Action.PASSWORD_RESET_REQUESTED,
            actor_email=email,
            target=user,
            context=context,
            detail={"account": user is not None},
        )
        if user is None or not user.has_usable_password():
            return
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = password_reset_tokens.make_token(user)
        enqueue(
            template="password_reset",
            to=user.email,
            language=get_language(),
            context={
                "user": user,
                "link": link_for(uid, token),
                "minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
            },
        )


def user_for_link(*, uid: str, token: str, context: AuditContext | None = None) -> User:
    """The account a reset link opens, or ``ResetLinkUnusable`` (audited)."""

    try:
        pk = int(urlsafe_base64_decode(uid).decode("ascii"))
    except (ValueError, TypeError, UnicodeDecodeError, OverflowError):
        pk = None
    if pk is not None and not 0 < pk < 2**63:
        pk = None  # no such key, and too large for the database to compare
    user = User.objects.filter(pk=pk, is_active=True).first() if pk is not None else None
    if user is None or not password_reset_tokens.check_token(user, token):
        audit.record(
            action=audit.Action.PASSWORD_RESET_LINK_REFUSED,
            actor_email=user.email if user is not None else "",
            context=context,
        )
        raise ResetLinkUnusable
    return user


def reset_password(
    *, uid: str, token: str, password: str, context: AuditContext | None = None
) -> User:
    """Set the new password the person chose. Their authenticator is left as it is."""
    user = user_for_link(uid=uid, token=token, context=context)
    password_validation.validate_password(password, user=user)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        # Checked again under the lock: two tabs submitting the same link set one password.
        if not password_reset_tokens.check_token(user, token):
            raise ResetLinkUnusable
        user.set_password(password)
        user.save(update_fields=["password"])
        audit.record(action=audit.Action.PASSWORD_RESET, actor=user, context=context)
    return user
