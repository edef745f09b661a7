"""Writes for the core app: each runs in a transaction and writes its audit record."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern.core import audit
from lantern.core.models import ApiToken, User


def pending_totp_device(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator a user is enrolling, created on first visit."""
    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def confirm_totp_device(
    *, user: User, device: TOTPDevice, token: str, request: HttpRequest
) -> bool:
    """Confirm enrolment with a first code. Replaces any authenticator enrolled before."""
    if not device.verify_token(token):
        audit.record(action=audit.Action.SECOND_FACTOR_FAILED, actor=user, request=request)
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit.record(action=audit.Action.SECOND_FACTOR_ENROLLED, actor=user, request=request)
    return True


@dataclass(frozen=True)
class IssuedToken:
    """A new API token: ``token`` is shown once to whoever issued it and never stored.

    Left out of the repr, so that no log line or error report shows it by accident.
    """

    token: str = field(repr=False)
    record: ApiToken


def _token_detail(record: ApiToken) -> dict[str, str | None]:
    return {
        "token": record.token_key,
        "expires": record.expiry.isoformat() if record.expiry is not None else None,
    }


def _new_token(account: User, expires_in: datetime.timedelta) -> IssuedToken:
    if not account.is_active:
        raise ValueError(f"{account.email} is deactivated: its tokens would not work.")
    if expires_in <= datetime.timedelta(0):
        raise ValueError("A token must expire in the future.")
    record, token = ApiToken.objects.create(user=account, expiry=expires_in)
    return IssuedToken(token=token, record=record)


def issue_api_token(
    *,
    account: User,
    expires_in: datetime.timedelta,
    actor: User | None = None,
    actor_email: str = "",
    request: HttpRequest | None = None,
) -> IssuedToken:
    """Issue one more token for a service account; only its hash is stored.

    An account may hold several, so that a partner system can move to a new token before
    the old one is revoked. ``actor_email`` names an operator who has no account (the
    ``lantern api-token`` command).
    """
    with transaction.atomic():
        issued = _new_token(account, expires_in)
        audit.record(
            action=audit.Action.API_TOKEN_ISSUED,
            actor=actor,
            actor_email=actor_email,
            request=request,
            target=account,
            detail=_token_detail(issued.record),
        )
    return issued


def rotate_api_tokens(
    *,
    account: User,
    expires_in: datetime.timedelta,
    actor: User | None = None,
    actor_email: str = "",
    request: HttpRequest | None = None,
) -> IssuedToken:
    """Replace every token of an account with one new token: the old ones stop at once."""
    with transaction.atomic():
        old = list(ApiToken.objects.filter(user=account).values_list("token_key", flat=True))
        ApiToken.objects.filter(user=account).delete()
        issued = _new_token(account, expires_in)
        audit.record(
            action=audit.Action.API_TOKEN_ROTATED,
            actor=actor,
            actor_email=actor_email,
            request=request,
            target=account,
            detail={**_token_detail(issued.record), "revoked": sorted(old)},
        )
    return issued


def revoke_api_tokens(
    *,
    account: User,
    token_key: str = "",
    actor: User | None = None,
    actor_email: str = "",
    request: HttpRequest | None = None,
) -> int:
    """Delete an account's tokens (only the one that begins ``token_key``, if given).

    Returns how many were revoked; nothing is audited when none matched.
    """
    with transaction.atomic():
        tokens = ApiToken.objects.filter(user=account)
        if token_key:
            tokens = tokens.filter(token_key=token_key)
        revoked = sorted(tokens.values_list("token_key", flat=True))
        if revoked:
            tokens.delete()
            audit.record(
                action=audit.Action.API_TOKEN_REVOKED,
                actor=actor,
                actor_email=actor_email,
                request=request,
                target=account,
                detail={"revoked": revoked},
            )
    return len(revoked)


def expire_api_tokens(
    *, tokens: Iterable[ApiToken], actor: User, request: HttpRequest | None = None
) -> int:
    """Expire tokens now (the admin's action): the next request with one is refused.

    Tokens already expired are left as they are. Returns how many were expired.
    """
    now = timezone.now()
    expired = 0
    with transaction.atomic():
        for token in tokens:
            if token.expiry is not None and token.expiry <= now:
                continue
            ApiToken.objects.filter(digest=token.digest).update(expiry=now)
            audit.record(
                action=audit.Action.API_TOKEN_EXPIRED,
                actor=actor,
                request=request,
                target=token.user,
                detail={"token": token.token_key, "expires": now.isoformat()},
            )
            expired += 1
    return expired
