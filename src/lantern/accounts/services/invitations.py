"""Joiners: an administrator invites a person, who sets their own password and is in.

Nobody chooses another person's password: the account is created only when the invited
person opens the single-use link and sets one (docs/adr/0026-accounts.md).
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lantern.accounts.models import Invitation
from lantern.accounts.services.common import refuse
from lantern.accounts.services.mail import enqueue
from lantern.accounts.tokens import hash_secret, new_secret
from lantern.core import access, audit
from lantern.core import services as core_services
from lantern.core.audit import AuditContext
from lantern.core.models import Organisation, User, normalise_email
from lantern.core.roles import SECOND_APPROVAL_ROLES, Role

LinkFor = Callable[[str], str]


class InvitationUnusable(Exception):
    """The link is unknown, expired, withdrawn or already used: one answer for all."""


@dataclass(frozen=True)
class SentInvitation:
    """An invitation and whether an email went out now (not for a repeated submission)."""

    invitation: Invitation
    sent: bool = field(default=True)


def _expiry(now: datetime.datetime) -> datetime.datetime:
    return now + datetime.timedelta(hours=settings.INVITATION_HOURS)


def _email(invitation: Invitation, secret: str, link_for: LinkFor) -> None:
    enqueue(
        template="invitation",
        to=invitation.email,
        language=get_language(),
        context={
            "invitation": invitation,
            "link": link_for(secret),
            "organisation": invitation.organisation.name,
            "invited_by": invitation.invited_by.full_name,
            "hours": settings.INVITATION_HOURS,
        },
    )


def _sees_account(actor: User, account: User) -> bool:
    """Whether ``actor`` may learn that ``account`` exists: it is in an organisation they
    manage (a system administrator manages them all)."""
    if access.can_administer(actor):
        return True
    return access.managed_organisations(actor).filter(pk=account.organisation_id).exists()


def _tell_account_holder(invitation: Invitation) -> None:
    """The address already has an account elsewhere: its holder, not the inviter, is told.

    The invitation stays pending like any other (and can be resent or withdrawn) but its
    link is never sent; accepting it would be refused anyway.
    """
    enqueue(
        template="already_registered",
        to=invitation.email,
        language=get_language(),
        context={
            "invitation": invitation,
            "organisation": invitation.organisation.name,
            "invited_by": invitation.invited_by.full_name,
        },
    )


def _check_may_invite(
    actor: User, organisation: Organisation, roles: Iterable[Role], context: AuditContext | None
) -> None:
    if not access.can_manage_organisation_users(actor):
        raise PermissionDenied
    if not access.managed_organisations(actor).filter(pk=organisation.pk).exists():
        refuse(
            actor,
            reason="an organisation administrator invites people to their own organisation only",
            context=context,
            organisation=organisation.pk,
        )
    not_grantable = sorted(set(roles) - access.grantable_roles(actor))
    if not_grantable:
        refuse(
            actor,
            reason="a role that this administrator may not give",
            context=context,
            roles=[str(role) for role in not_grantable],
        )


def invite(
    *,
    actor: User,
    email: str,
    full_name: str,
    organisation: Organisation,
    roles: Iterable[Role],
    link_for: LinkFor,
    job_title: str = "",
    context: AuditContext | None = None,
) -> SentInvitation:
    """Invite a person to join ``organisation`` with ``roles``; the email is queued with it.

    Submitting the same invitation twice (a double click) returns the first one and sends
    nothing more. Roles that need a second approval are asked for when the person accepts
    and wait for a different system administrator (docs/adr/0016-separation-of-duties.md).
    """
    roles = sorted({Role(role) for role in roles})
    _check_may_invite(actor, organisation, roles, context)
    email = normalise_email(email)
    # Only what the inviter may see is reported: an address with an account, or a pending
    # invitation, in an organisation they do not manage gets the same answer as a new one.
    account = User.objects.filter(email=email).first()
    if account is not None and _sees_account(actor, account):
        raise ValidationError({"email": _("This email address already has a Lantern account")})
    now = timezone.now()
    with transaction.atomic():
        existing = (
            Invitation.objects.pending()
            .select_for_update()
            .filter(email=email, organisation__in=access.managed_organisations(actor))
            .first()
        )
        if existing is not None:
            if (
                existing.invited_by_id == actor.pk
                and existing.organisation_id == organisation.pk
                and existing.roles == [role.value for role in roles]
                and not existing.has_expired
            ):
                return SentInvitation(invitation=existing, sent=False)
            raise ValidationError(
                {
                    "email": _(
                        "This person has already been invited. Resend or withdraw that invitation"
                    )
                }
            )
        secret, token_hash = new_secret()
        try:
            with transaction.atomic():
                invitation = Invitation.objects.create(
                    email=email,
                    full_name=full_name.strip(),
                    job_title=job_title.strip(),
                    organisation=organisation,
                    roles=[role.value for role in roles],
                    token_hash=token_hash,
                    invited_by=actor,
                    sent_at=now,
                    expires_at=_expiry(now),
                )
        except IntegrityError:
            # Another submission invited the same address a moment ago.
            raise ValidationError(
                {
                    "email": _(
                        "This person has already been invited. Resend or withdraw that invitation"
                    )
                }
            ) from None
        audit.record(
            action=audit.Action.INVITATION_SENT,
            actor=actor,
            target=invitation,
            context=context,
            detail={
                "email": email,
                "organisation": organisation.name,
                "roles": invitation.roles,
                "expires": invitation.expires_at.isoformat(),
                "existing_account": account is not None,
            },
        )
        if account is None:
            _email(invitation, secret, link_for)
        else:
            _tell_account_holder(invitation)
    return SentInvitation(invitation=invitation)


def _locked_pending(
    actor: User, invitation: Invitation, context: AuditContext | None
) -> Invitation:
    if not access.managed_organisations(actor).filter(pk=invitation.organisation_id).exists():
        refuse(
            actor,
            reason="another organisation's invitation",
            context=context,
            invitation=invitation.pk,
        )
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_pending:
        raise ValidationError(_("This invitation has already been accepted or withdrawn"))
    return locked


def resend(
    *, actor: User, invitation: Invitation, link_for: LinkFor, context: AuditContext | None = None
) -> Invitation:
    """Send a new link with a new expiry; the link sent before stops working."""
    with transaction.atomic():
        invitation = _locked_pending(actor, invitation, context)
        secret, invitation.token_hash = new_secret()
        invitation.sent_at = timezone.now()
        invitation.expires_at = _expiry(invitation.sent_at)
        invitation.save(update_fields=["token_hash", "sent_at", "expires_at"])
        audit.record(
            action=audit.Action.INVITATION_RESENT,
            actor=actor,
            target=invitation,
            context=context,
            detail={"email": invitation.email, "expires": invitation.expires_at.isoformat()},
        )
        if User.objects.filter(email=invitation.email).exists():
            _tell_account_holder(invitation)
        else:
            _email(invitation, secret, link_for)
    return invitation


def withdraw(
    *, actor: User, invitation: Invitation, context: AuditContext | None = None
) -> Invitation:
    """Withdraw an invitation: its link stops working at once."""
    with transaction.atomic():
        invitation = _locked_pending(actor, invitation, context)
        invitation.withdrawn_at = timezone.now()
        invitation.save(update_fields=["withdrawn_at"])
        audit.record(
            action=audit.Action.INVITATION_WITHDRAWN,
            actor=actor,
            target=invitation,
            context=context,
            detail={"email": invitation.email},
        )
    return invitation


def _refuse_link(reason: str, context: AuditContext | None, invitation: Invitation | None) -> None:
    audit.record(
        action=audit.Action.INVITATION_LINK_REFUSED,
        actor_email=invitation.email if invitation is not None else "",
        target=invitation,
        context=context,
        detail={"reason": reason},
    )
    raise InvitationUnusable(reason)


def usable_invitation(*, token: str, context: AuditContext | None = None) -> Invitation:
    """The invitation a link opens, or ``InvitationUnusable`` (audited) if it opens none."""
    invitation = (
        Invitation.objects.select_related("organisation")
        .filter(token_hash=hash_secret(token))
        .first()
    )
    if invitation is None:
        _refuse_link("unknown link", context, None)
    elif invitation.accepted_at is not None:
        _refuse_link("already used", context, invitation)
    elif invitation.withdrawn_at is not None:
        _refuse_link("withdrawn", context, invitation)
    elif invitation.has_expired:
        _refuse_link("expired", context, invitation)
    return invitation


def _give_roles(invitation: Invitation, user: User) -> dict[str, list[str]]:
    """Give the invitation's roles that its sender may still give; ask for the others.

    "Still" includes the organisation: an administrator who has since moved to another
    partner no longer manages the one the invitation is for, so gives nothing there.
    """
    inviter = invitation.invited_by
    grantable = access.grantable_roles(inviter)
    if not access.managed_organisations(inviter).filter(pk=invitation.organisation_id).exists():
        grantable = frozenset()
    given, requested, dropped = [], [], []
    for role in (Role(value) for value in invitation.roles):
        if role not in grantable:
            dropped.append(role.value)
        elif role in SECOND_APPROVAL_ROLES:
            core_services.request_role_grant(actor=inviter, user=user, role=role)
            requested.append(role.value)
        else:
            user.groups.add(Group.objects.get(name=role.value))
            given.append(role.value)
    return {"given": given, "requested": requested, "dropped": dropped}


def accept(*, token: str, password: str, context: AuditContext | None = None) -> User:
    """The invited person sets their password: the account exists from now on.

    The password is checked by Django's validators (including the common-password list).
    The roles given are those the inviter may still give now: an organisation
    administrator who lost the role since inviting gives nothing.
    """
    invitation = usable_invitation(token=token, context=context)
    if User.objects.filter(email=invitation.email).exists():
        _refuse_link("an account with this email address already exists", context, invitation)
    candidate = User(
        email=invitation.email, full_name=invitation.full_name, organisation=invitation.organisation
    )
    password_validation.validate_password(password, user=candidate)
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_usable:
            raise InvitationUnusable("used or withdrawn meanwhile")
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    invitation.email,
                    password,
                    full_name=invitation.full_name,
                    job_title=invitation.job_title,
                    organisation=invitation.organisation,
                )
        except IntegrityError:
            raise InvitationUnusable("an account with this email address already exists") from None
        roles = _give_roles(invitation, user)
        invitation.accepted_at = timezone.now()
        invitation.user = user
        invitation.save(update_fields=["accepted_at", "user"])
        audit.record(
            action=audit.Action.INVITATION_ACCEPTED,
            actor=user,
            target=invitation,
            context=context,
            detail={"invited_by": invitation.invited_by.email, **roles},
        )
    return user
