"""Organisation administrators manage their own organisation's users: roles and leavers."""

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from lantern.accounts.models import IdleAccount
from lantern.accounts.services.common import refuse
from lantern.core import access, audit
from lantern.core import services as core_services
from lantern.core.audit import AuditContext
from lantern.core.models import ApiToken, User
from lantern.core.roles import SECOND_APPROVAL_ROLES, Role


def _check_may_manage(actor: User, user: User, context: AuditContext | None) -> None:
    if not access.can_manage_organisation_users(actor):
        raise PermissionDenied
    if not access.can_manage_user(actor, user):
        refuse(
            actor,
            reason="not a user this administrator manages (their own account, another "
            "organisation's, or a system administrator)",
            context=context,
            user=user.pk,
        )


def change_roles(
    *, actor: User, user: User, roles: Iterable[Role], context: AuditContext | None = None
) -> dict[str, list[str]]:
    """Make ``user`` hold exactly ``roles`` among those ``actor`` may give.

    Roles the actor may not give are left as they are. Giving one that needs a second
    approval asks for it (a different system administrator approves); removing any role
    is immediate. Returns what was given, asked for and removed.
    """
    _check_may_manage(actor, user, context)
    wanted = {Role(role) for role in roles}
    grantable = access.grantable_roles(actor)
    if wanted - grantable:
        refuse(
            actor,
            reason="a role that this administrator may not give",
            context=context,
            user=user.pk,
            roles=sorted(str(role) for role in wanted - grantable),
        )
    with transaction.atomic():
        held = set(user.roles())
        added = sorted((wanted - held) - SECOND_APPROVAL_ROLES)
        asked = sorted((wanted - held) & SECOND_APPROVAL_ROLES)
        removed = sorted((held & grantable) - wanted)
        user.groups.add(*Group.objects.filter(name__in=[role.value for role in added]))
        user.groups.remove(*Group.objects.filter(name__in=[role.value for role in removed]))
        for role in asked:
            core_services.request_role_grant(actor=actor, user=user, role=role, context=context)
        change = {
            "added": [role.value for role in added],
            "requested": [role.value for role in asked],
            "removed": [role.value for role in removed],
        }
        if added or removed or asked:
            audit.record(
                action=audit.Action.USER_ROLES_CHANGED,
                actor=actor,
                target=user,
                context=context,
                detail=change,
            )
    return change


def close_account(user: User) -> list[str]:
    """Deactivate ``user`` and delete their API tokens, returning the tokens' prefixes.

    The person's name stays on everything they did; their session ends at their next
    request (Django refuses an inactive user) and a token is refused at once, because it
    no longer exists.
    """
    tokens = ApiToken.objects.filter(user=user)
    revoked = sorted(tokens.values_list("token_key", flat=True))
    tokens.delete()
    user.is_active = False
    user.save(update_fields=["is_active"])
    return revoked


def deactivate(*, actor: User, user: User, context: AuditContext | None = None) -> User:
    """A leaver: deactivated, never deleted, so the audit log and records keep their name."""
    _check_may_manage(actor, user, context)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if not user.is_active:
            return user
        revoked = close_account(user)
        IdleAccount.objects.filter(user=user, outcome=IdleAccount.Outcome.OPEN).update(
            outcome=IdleAccount.Outcome.DEACTIVATED, resolved_at=timezone.now(), resolved_by=actor
        )
        audit.record(
            action=audit.Action.USER_DEACTIVATED,
            actor=actor,
            target=user,
            context=context,
            detail={"api_tokens_revoked": revoked},
        )
    return user
