"""Writes for the core app: each runs in a transaction and writes its audit record."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern.core import access, audit
from lantern.core.audit import AuditContext
from lantern.core.models import ApiToken, RoleGrant, RoleGrantStatus, User
from lantern.core.roles import SECOND_APPROVAL_ROLES, Role


def pending_totp_device(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator a user is enrolling, created on first visit."""
    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def confirm_totp_device(
    *, user: User, device: TOTPDevice, token: str, context: AuditContext
) -> bool:
    """Confirm enrolment with a first code. Replaces any authenticator enrolled before."""
    if not device.verify_token(token):
        audit.record(action=audit.Action.SECOND_FACTOR_FAILED, actor=user, context=context)
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit.record(action=audit.Action.SECOND_FACTOR_ENROLLED, actor=user, context=context)
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
    context: AuditContext | None = None,
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
            context=context,
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
    context: AuditContext | None = None,
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
            context=context,
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
    context: AuditContext | None = None,
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
                context=context,
                target=account,
                detail={"revoked": revoked},
            )
    return len(revoked)


def expire_api_tokens(
    *, tokens: Iterable[ApiToken], actor: User, context: AuditContext | None = None
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
                context=context,
                target=token.user,
                detail={"token": token.token_key, "expires": now.isoformat()},
            )
            expired += 1
    return expired


# Roles that need a second administrator (docs/adr/0016-separation-of-duties.md) ----------


def _refuse(
    actor: User | None, *, message: str, context: AuditContext | None, **detail: object
) -> None:
    """Record a refused attempt to widen access, then refuse it: an administrator trying
    to give themselves a role is exactly what a reviewer of the audit log looks for."""
    audit.record(
        action=audit.Action.ADMIN_REFUSED,
        actor=actor,
        context=context,
        detail={"reason": message, **detail},
    )
    raise PermissionDenied(message)


def request_role_grant(
    *, actor: User, user: User, role: Role, context: AuditContext | None = None
) -> RoleGrant:
    """Ask for ``role`` to be given to ``user``; a different administrator approves it.

    Returns the grant waiting for approval: the one already waiting if the same role was
    asked for before. Nothing changes for ``user`` until it is approved.
    """
    if not access.can_administer(actor):
        raise PermissionDenied
    if not access.can_change_access_of(actor, user):
        _refuse(
            actor,
            message="an administrator cannot ask for a role for themselves",
            context=context,
            role=role.value,
        )
    if role not in SECOND_APPROVAL_ROLES:
        raise ValidationError({"role": _("This role is given directly, without approval")})
    if role in user.roles():
        raise ValidationError({"role": _("The user already holds this role")})
    with transaction.atomic():
        grant = (
            RoleGrant.objects.select_for_update()
            .filter(user=user, role=role, status=RoleGrantStatus.PENDING)
            .first()
        )
        if grant is not None:
            return grant
        grant = RoleGrant.objects.create(user=user, role=role, requested_by=actor)
        audit.record(
            action=audit.Action.ROLE_GRANT_REQUESTED,
            actor=actor,
            target=user,
            context=context,
            detail={"role": role.value, "grant": grant.pk},
        )
    return grant


def _locked_pending(grant: RoleGrant) -> RoleGrant:
    locked = RoleGrant.objects.select_for_update().select_related("user").get(pk=grant.pk)
    if locked.status != RoleGrantStatus.PENDING:
        raise ValidationError(_("This role grant has already been decided"))
    return locked


def approve_role_grant(
    *, actor: User, grant: RoleGrant, context: AuditContext | None = None
) -> RoleGrant:
    """A different administrator approves: only now is the role added to the user."""
    if not access.can_approve_role_grant(actor, grant):
        if not access.can_administer(actor):
            raise PermissionDenied
        _refuse(
            actor,
            message="a role grant is approved by an administrator who neither asked for it "
            "nor receives it",
            context=context,
            grant=grant.pk,
            role=grant.role,
        )
    with transaction.atomic():
        grant = _locked_pending(grant)
        if not grant.user.is_active:
            raise ValidationError(_("The user’s account is deactivated"))
        grant.user.groups.add(Group.objects.get(name=grant.role))
        grant.status = RoleGrantStatus.APPROVED
        grant.decided_by = actor
        grant.decided_at = timezone.now()
        grant.save(update_fields=["status", "decided_by", "decided_at"])
        audit.record(
            action=audit.Action.ROLE_GRANT_APPROVED,
            actor=actor,
            target=grant.user,
            context=context,
            detail={
                "role": grant.role,
                "grant": grant.pk,
                "requested_by": grant.requested_by.email,
            },
        )
    return grant


def decline_role_grant(
    *, actor: User, grant: RoleGrant, context: AuditContext | None = None
) -> RoleGrant:
    """Decline (or, for the administrator who asked, withdraw): the user gets nothing."""
    if not access.can_decline_role_grant(actor, grant):
        if not access.can_administer(actor):
            raise PermissionDenied
        _refuse(
            actor,
            message="nobody decides a role grant for themselves",
            context=context,
            grant=grant.pk,
            role=grant.role,
        )
    with transaction.atomic():
        grant = _locked_pending(grant)
        grant.status = RoleGrantStatus.DECLINED
        grant.decided_by = actor
        grant.decided_at = timezone.now()
        grant.save(update_fields=["status", "decided_by", "decided_at"])
        audit.record(
            action=audit.Action.ROLE_GRANT_DECLINED,
            actor=actor,
            target=grant.user,
            context=context,
            detail={
                "role": grant.role,
                "grant": grant.pk,
                "requested_by": grant.requested_by.email,
            },
        )
    return grant


def cancel_role_grants_on_move(
    *, actor: User, user: User, moved_from: int | None, context: AuditContext | None = None
) -> int:
    """``user`` has moved to another organisation: the roles asked for them in the old one
    are cancelled (each audited), so that an approval cannot give them in the new one what
    was justified in the old. Returns how many were cancelled."""
    with transaction.atomic():
        grants = list(
            RoleGrant.objects.select_for_update().filter(user=user, status=RoleGrantStatus.PENDING)
        )
        now = timezone.now()
        for grant in grants:
            grant.status = RoleGrantStatus.DECLINED
            grant.decided_by = actor
            grant.decided_at = now
            grant.save(update_fields=["status", "decided_by", "decided_at"])
            audit.record(
                action=audit.Action.ROLE_GRANT_CANCELLED,
                actor=actor,
                target=user,
                context=context,
                detail={
                    "role": grant.role,
                    "grant": grant.pk,
                    "reason": "moved to another organisation",
                    "from_organisation": moved_from,
                    "to_organisation": user.organisation_id,
                },
            )
    return len(grants)


def grant_role_by_command(*, user: User, role: Role, authorised_by: User, operator: str) -> bool:
    """``lantern roles grant``: give a role on a named administrator's authority.

    ``authorised_by`` must be an active system administrator other than ``user``; the audit
    record names them and the operating-system account that ran the command. Returns
    whether the role was added now (False if the user already held it).
    """
    if not access.can_administer(authorised_by):
        raise ValidationError(
            {"authorised_by": _("The person authorising must be an active system administrator")}
        )
    if not access.can_change_access_of(authorised_by, user):
        _refuse(
            authorised_by,
            message="an administrator cannot authorise a role for themselves",
            context=None,
            role=role.value,
            operator=operator,
        )
    if not user.is_active:
        raise ValidationError({"user": _("The user’s account is deactivated")})
    pending = RoleGrant.objects.filter(user=user, role=role, status=RoleGrantStatus.PENDING)
    if pending.filter(requested_by=authorised_by).exists():
        _refuse(
            authorised_by,
            message="an administrator cannot authorise a role grant they asked for",
            context=None,
            role=role.value,
            operator=operator,
        )
    if role in user.roles():
        return False
    with transaction.atomic():
        user.groups.add(Group.objects.get(name=role.value))
        # A request waiting in the admin is settled by this authority, not left to approve.
        pending.select_for_update().update(
            status=RoleGrantStatus.APPROVED, decided_by=authorised_by, decided_at=timezone.now()
        )
        audit.record(
            action=audit.Action.ROLE_GRANTED_BY_COMMAND,
            actor=authorised_by,
            target=user,
            detail={
                "role": role.value,
                "authorised_by": authorised_by.email,
                "operator": operator,
            },
        )
    return True
