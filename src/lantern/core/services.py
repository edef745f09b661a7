"""Writes for the core app: each runs in a transaction and writes its audit record."""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern.core import access, audit
from lantern.core.models import RoleGrant, RoleGrantStatus, User
from lantern.core.roles import SECOND_APPROVAL_ROLES, Role


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


# Roles that need a second administrator (docs/adr/0016-separation-of-duties.md) ----------


def _refuse(
    actor: User | None, *, message: str, request: HttpRequest | None, **detail: object
) -> None:
    """Record a refused attempt to widen access, then refuse it: an administrator trying
    to give themselves a role is exactly what a reviewer of the audit log looks for."""
    audit.record(
        action=audit.Action.ADMIN_REFUSED,
        actor=actor,
        request=request,
        detail={"reason": message, **detail},
    )
    raise PermissionDenied(message)


def request_role_grant(
    *, actor: User, user: User, role: Role, request: HttpRequest | None = None
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
            request=request,
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
            request=request,
            detail={"role": role.value, "grant": grant.pk},
        )
    return grant


def _locked_pending(grant: RoleGrant) -> RoleGrant:
    locked = RoleGrant.objects.select_for_update().select_related("user").get(pk=grant.pk)
    if locked.status != RoleGrantStatus.PENDING:
        raise ValidationError(_("This role grant has already been decided"))
    return locked


def approve_role_grant(
    *, actor: User, grant: RoleGrant, request: HttpRequest | None = None
) -> RoleGrant:
    """A different administrator approves: only now is the role added to the user."""
    if not access.can_approve_role_grant(actor, grant):
        if not access.can_administer(actor):
            raise PermissionDenied
        _refuse(
            actor,
            message="a role grant is approved by an administrator who neither asked for it "
            "nor receives it",
            request=request,
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
            request=request,
            detail={
                "role": grant.role,
                "grant": grant.pk,
                "requested_by": grant.requested_by.email,
            },
        )
    return grant


def decline_role_grant(
    *, actor: User, grant: RoleGrant, request: HttpRequest | None = None
) -> RoleGrant:
    """Decline (or, for the administrator who asked, withdraw): the user gets nothing."""
    if not access.can_decline_role_grant(actor, grant):
        if not access.can_administer(actor):
            raise PermissionDenied
        _refuse(
            actor,
            message="nobody decides a role grant for themselves",
            request=request,
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
            request=request,
            detail={
                "role": grant.role,
                "grant": grant.pk,
                "requested_by": grant.requested_by.email,
            },
        )
    return grant


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
            request=None,
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
            request=None,
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
