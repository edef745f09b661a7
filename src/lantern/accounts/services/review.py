"""Leavers nobody reported: accounts unused for ``ACCOUNT_IDLE_DAYS`` are flagged to their
organisation's administrators and closed ``ACCOUNT_IDLE_GRACE_DAYS`` later unless someone
confirms them (``lantern accounts review``, run daily by the worker or cron)."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language

from lantern.accounts.models import IdleAccount
from lantern.accounts.services.common import refuse
from lantern.accounts.services.mail import enqueue
from lantern.accounts.services.users import close_account
from lantern.core import access, audit
from lantern.core.audit import AuditContext
from lantern.core.models import ApiToken, User
from lantern.core.roles import Role

REVIEWER = "lantern accounts review"


@dataclass(frozen=True)
class ReviewResult:
    flagged: list[str]
    deactivated: list[str]
    signed_in_again: list[str]


def _idle_candidates(now: datetime.datetime) -> list[User]:
    cutoff = now - datetime.timedelta(days=settings.ACCOUNT_IDLE_DAYS)
    service_accounts = ApiToken.objects.filter(Q(expiry__isnull=True) | Q(expiry__gt=now))
    return list(
        User.objects.filter(is_active=True, is_superuser=False)
        .filter(Q(last_login__lte=cutoff) | Q(last_login__isnull=True, date_joined__lte=cutoff))
        # Flagged already, or confirmed within the idle period: not again yet.
        .exclude(
            pk__in=IdleAccount.objects.filter(outcome=IdleAccount.Outcome.OPEN).values("user_id")
        )
        .exclude(
            pk__in=IdleAccount.objects.filter(
                outcome=IdleAccount.Outcome.CONFIRMED, resolved_at__gt=cutoff
            ).values("user_id")
        )
        # Partner systems use API tokens and never sign in; their tokens expire instead.
        .exclude(pk__in=service_accounts.values("user_id"))
        .select_related("organisation")
    )


def _tell_administrators(user: User) -> None:
    if user.organisation_id is None:
        return
    administrators = User.objects.filter(
        organisation_id=user.organisation_id,
        is_active=True,
        groups__name=Role.ORGANISATION_ADMINISTRATOR.value,
    ).exclude(pk=user.pk)
    for administrator in administrators:
        enqueue(
            template="idle_account",
            to=administrator.email,
            language=get_language(),
            context={
                "administrator": administrator,
                "user": user,
                "idle_days": settings.ACCOUNT_IDLE_DAYS,
                "grace_days": settings.ACCOUNT_IDLE_GRACE_DAYS,
            },
        )


def review_idle_accounts(*, now: datetime.datetime | None = None) -> ReviewResult:
    """Settle the flags raised before, then flag the accounts newly unused."""
    now = now or timezone.now()
    grace_cutoff = now - datetime.timedelta(days=settings.ACCOUNT_IDLE_GRACE_DAYS)
    flagged, deactivated, signed_in = [], [], []
    with transaction.atomic():
        open_flags = IdleAccount.objects.select_for_update().filter(
            outcome=IdleAccount.Outcome.OPEN
        )
        for flag in open_flags.select_related("user"):
            user = flag.user
            if user.last_login is not None and user.last_login > flag.flagged_at:
                flag.outcome = IdleAccount.Outcome.SIGNED_IN
            elif not user.is_active:
                flag.outcome = IdleAccount.Outcome.DEACTIVATED
            elif flag.flagged_at <= grace_cutoff:
                revoked = close_account(user)
                flag.outcome = IdleAccount.Outcome.DEACTIVATED
                audit.record(
                    action=audit.Action.IDLE_ACCOUNT_DEACTIVATED,
                    actor_email=REVIEWER,
                    target=user,
                    detail={
                        "flagged": flag.flagged_at.isoformat(),
                        "api_tokens_revoked": revoked,
                    },
                )
                deactivated.append(user.email)
            else:
                continue
            if flag.outcome == IdleAccount.Outcome.SIGNED_IN:
                signed_in.append(user.email)
            flag.resolved_at = now
            flag.save(update_fields=["outcome", "resolved_at"])
        for user in _idle_candidates(now):
            IdleAccount.objects.create(user=user, flagged_at=now)
            audit.record(
                action=audit.Action.IDLE_ACCOUNT_FLAGGED,
                actor_email=REVIEWER,
                target=user,
                detail={
                    "last_sign_in": user.last_login.isoformat() if user.last_login else None,
                    "deactivate_after": (
                        now + datetime.timedelta(days=settings.ACCOUNT_IDLE_GRACE_DAYS)
                    ).isoformat(),
                },
            )
            _tell_administrators(user)
            flagged.append(user.email)
    return ReviewResult(flagged=flagged, deactivated=deactivated, signed_in_again=signed_in)


def confirm_idle_account(
    *, actor: User, flag: IdleAccount, context: AuditContext | None = None
) -> IdleAccount:
    """The organisation's administrator says the person still needs their account."""
    if not access.can_manage_organisation_users(actor):
        raise PermissionDenied
    if not access.can_manage_user(actor, flag.user):
        refuse(actor, reason="another organisation's account", context=context, user=flag.user_id)
    with transaction.atomic():
        flag = IdleAccount.objects.select_for_update().get(pk=flag.pk)
        if flag.outcome != IdleAccount.Outcome.OPEN:
            return flag
        flag.outcome = IdleAccount.Outcome.CONFIRMED
        flag.resolved_at = timezone.now()
        flag.resolved_by = actor
        flag.save(update_fields=["outcome", "resolved_at", "resolved_by"])
        audit.record(
            action=audit.Action.IDLE_ACCOUNT_CONFIRMED,
            actor=actor,
            target=flag.user,
            context=context,
        )
    return flag
