"""A lost authenticator, reset by the person's organisation administrator.

Only where the partnership allows it (``ORGANISATION_ADMINS_RESET_SECOND_FACTOR``), only
for their own organisation's staff, and never for themselves, another administrator, or
someone holding a role that needs a second approval (ADR 0016): those are reset by a
system administrator in the admin. The person must enrol again at their next sign-in and
is told by email; it cannot give anyone else their account, since nobody but them knows
their password.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import get_language
from django_otp import devices_for_user

from lantern.accounts.services.common import refuse
from lantern.accounts.services.mail import enqueue
from lantern.core import access, audit
from lantern.core.audit import AuditContext
from lantern.core.models import User
from lantern.core.roles import SECOND_APPROVAL_ROLES, Role

PROTECTED_ROLES = SECOND_APPROVAL_ROLES | {Role.ORGANISATION_ADMINISTRATOR}


def may_reset_second_factor(actor: User, user: User) -> bool:
    """Whether ``actor`` may remove ``user``'s authenticator from the users' pages."""
    if not access.can_manage_user(actor, user):
        return False
    if access.can_administer(actor):
        return True
    if not settings.ORGANISATION_ADMINS_RESET_SECOND_FACTOR:
        return False
    return not (set(user.roles()) & PROTECTED_ROLES)


def reset_second_factor(*, actor: User, user: User, context: AuditContext | None = None) -> int:
    """Remove every authenticator ``user`` has enrolled; returns how many were removed."""
    if not access.can_manage_organisation_users(actor):
        raise PermissionDenied
    if not may_reset_second_factor(actor, user):
        refuse(
            actor,
            reason="a second factor this administrator may not reset (their own, an "
            "administrator's, another organisation's, or a role that needs approval)",
            context=context,
            user=user.pk,
        )
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        devices = list(devices_for_user(user, confirmed=None))
        for device in devices:
            device.delete()
        audit.record(
            action=audit.Action.SECOND_FACTOR_RESET,
            actor=actor,
            target=user,
            context=context,
            detail={"devices_removed": len(devices)},
        )
        enqueue(
            template="second_factor_reset",
            to=user.email,
            language=get_language(),
            context={"user": user, "administrator": actor.full_name},
        )
    return len(devices)
