"""Reads for accounts, each through the access policy: an organisation administrator sees
their own organisation's users, invitations and activity, and nothing of anyone else's."""

from django.db.models import QuerySet

from lantern.accounts.models import AccessReview, IdentityProvider, IdleAccount, Invitation
from lantern.core import access, audit
from lantern.core.access import NotFoundOrNotAllowed
from lantern.core.audit import AuditContext
from lantern.core.models import AuditEvent, Organisation, User, normalise_email
from lantern.core.roles import Role

# What an organisation administrator follows of their staff: signing in and exporting.
ACTIVITY_ACTIONS = (
    audit.Action.LOGIN,
    audit.Action.LOGOUT,
    audit.Action.SECOND_FACTOR_FAILED,
    audit.Action.SECOND_FACTOR_ENROLLED,
    audit.Action.PASSWORD_RESET,
    audit.Action.INVITATION_ACCEPTED,
    audit.Action.EXPORT,
)
ACTIVITY_LIMIT = 200


def users(user: User) -> QuerySet[User]:
    """The accounts ``user`` manages, active first, then by name."""
    return (
        access.manageable_users(user)
        .select_related("organisation")
        .prefetch_related("groups")
        .order_by("-is_active", "full_name", "pk")
    )


def user(viewer: User, user_id: int) -> User:
    """One managed account; ``NotFoundOrNotAllowed`` alike for one that is missing and one
    not theirs."""
    found = users(viewer).filter(pk=user_id).first()
    if found is None:
        raise NotFoundOrNotAllowed
    return found


def organisations(viewer: User) -> QuerySet[Organisation]:
    """Organisations ``viewer`` may invite people to."""
    return access.managed_organisations(viewer)


def pending_invitations(viewer: User) -> QuerySet[Invitation]:
    return (
        Invitation.objects.pending()
        .filter(organisation__in=access.managed_organisations(viewer))
        .select_related("organisation", "invited_by")
        .order_by("-created_at", "-pk")
    )


def pending_invitation(viewer: User, invitation_id: int) -> Invitation:
    found = pending_invitations(viewer).filter(pk=invitation_id).first()
    if found is None:
        raise NotFoundOrNotAllowed
    return found


def open_idle_flags(viewer: User) -> QuerySet[IdleAccount]:
    """Unused accounts waiting for the administrator to confirm them."""
    return (
        IdleAccount.objects.filter(outcome=IdleAccount.Outcome.OPEN)
        .filter(user__in=access.manageable_users(viewer))
        .exclude(user=viewer)
        .select_related("user")
    )


def open_idle_flag(viewer: User, flag_id: int) -> IdleAccount:
    found = open_idle_flags(viewer).filter(pk=flag_id).first()
    if found is None:
        raise NotFoundOrNotAllowed
    return found


def organisation_activity(viewer: User, *, context: AuditContext | None = None) -> list[AuditEvent]:
    """The latest sign-in and export activity of the viewer's own organisation (audited).

    Only events recorded against the organisation: an organisation administrator never
    sees another organisation's, nor failed sign-ins typed with an address (those belong
    to no organisation until someone has signed in).
    """
    if not access.can_manage_organisation_users(viewer) or viewer.organisation_id is None:
        raise NotFoundOrNotAllowed
    events = list(
        AuditEvent.objects.filter(
            organisation_id=viewer.organisation_id, action__in=ACTIVITY_ACTIONS
        ).order_by("-id")[:ACTIVITY_LIMIT]
    )
    audit.record(
        action=audit.Action.READ,
        actor=viewer,
        context=context,
        purpose="organisation activity",
        detail={"organisation": viewer.organisation_id, "rows": len(events)},
    )
    return events


def access_reviews(viewer: User) -> QuerySet[AccessReview]:
    """Access reviews ``viewer`` may see: every organisation's for the hub coordinator and
    system administrators, their own organisation's for its administrator."""
    if access.can_oversee_access_reviews(viewer):
        reviews = AccessReview.objects.all()
    else:
        reviews = AccessReview.objects.filter(organisation__in=access.managed_organisations(viewer))
    return reviews.select_related("organisation", "confirmed_by").order_by(
        "-period_start", "organisation__name", "pk"
    )


def access_review(viewer: User, review_id: int) -> AccessReview:
    """One review to confirm: only for those who manage its organisation's users (the hub
    coordinator sees the list of reviews, not another organisation's users)."""
    found = (
        AccessReview.objects.filter(organisation__in=access.managed_organisations(viewer))
        .select_related("organisation", "confirmed_by")
        .filter(pk=review_id)
        .first()
    )
    if found is None:
        raise NotFoundOrNotAllowed
    return found


def waiting_access_reviews(viewer: User) -> QuerySet[AccessReview]:
    """Reviews ``viewer`` is asked to confirm (shown at the top of the users' page): a
    system administrator, only those of organisations without their own administrator."""
    reviews = AccessReview.objects.filter(
        organisation__in=access.managed_organisations(viewer), confirmed_at__isnull=True
    )
    if access.can_administer(viewer):
        reviews = reviews.exclude(
            organisation__in=User.objects.filter(
                is_active=True, groups__name=Role.ORGANISATION_ADMINISTRATOR.value
            ).values("organisation_id")
        )
    return reviews.select_related("organisation").order_by("due_on", "organisation__name")


def identity_provider_for(email: str) -> IdentityProvider | None:
    """The provider in use for ``email``'s domain, if its organisation has one (public:
    whether a domain signs in through its organisation says nothing about any account)."""
    domain = normalise_email(email).rpartition("@")[2]
    if not domain:
        return None
    candidates = IdentityProvider.objects.select_related("organisation").filter(
        is_active=True, organisation__is_active=True, email_domains__icontains=domain
    )
    return next((provider for provider in candidates if domain in provider.domains), None)


def identity_provider(provider_id: int) -> IdentityProvider:
    found = (
        IdentityProvider.objects.select_related("organisation")
        .filter(pk=provider_id, is_active=True, organisation__is_active=True)
        .exclude(authorization_endpoint="")
        .first()
    )
    if found is None:
        raise NotFoundOrNotAllowed
    return found
