"""What the organisation users pages show of an account."""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from lantern.accounts.models import AccessReview
from lantern.core import access, audit
from lantern.core.models import AuditEvent, User
from lantern.core.roles import Role


@dataclass
class UserRow:
    """One account as its administrator sees it: roles in the reader's language, and
    whether the reader may change it (never their own, never another organisation's)."""

    person: User
    viewer: User
    roles: list[str] = field(init=False)
    may_manage: bool = field(init=False)

    def __post_init__(self) -> None:
        names = {group.name for group in self.person.groups.all()}
        self.roles = [str(role.label) for role in Role if role.value in names]
        self.may_manage = access.can_manage_user(self.viewer, self.person)


ACTIVITY_LABELS = {
    audit.Action.LOGIN: _("Signed in"),
    audit.Action.LOGOUT: _("Signed out"),
    audit.Action.SECOND_FACTOR_FAILED: _("Wrong authenticator code"),
    audit.Action.SECOND_FACTOR_ENROLLED: _("Set up an authenticator app"),
    audit.Action.PASSWORD_RESET: _("Reset their password"),
    audit.Action.INVITATION_ACCEPTED: _("Accepted an invitation"),
    audit.Action.EXPORT: _("Exported records"),
}


@dataclass
class ActivityRow:
    """One audit entry of the organisation's activity, its action in the reader's words."""

    event: AuditEvent

    @property
    def occurred_at(self) -> object:
        return self.event.occurred_at

    @property
    def actor_email(self) -> str:
        return self.event.actor_email

    @property
    def ip_address(self) -> str | None:
        return self.event.ip_address

    @property
    def label(self) -> str:
        return str(ACTIVITY_LABELS.get(self.event.action, self.event.action))


@dataclass
class AccessReviewRow:
    """One access review as a list shows it: its state in words, and what the reader may
    do with it (open it only if they manage that organisation's users)."""

    review: AccessReview
    viewer: User
    today: datetime.date
    overdue: bool = field(init=False)
    status: str = field(init=False)
    may_open: bool = field(init=False)

    def __post_init__(self) -> None:
        self.overdue = self.review.is_overdue(self.today)
        if self.review.is_confirmed:
            self.status = str(_("Confirmed"))
        elif self.overdue:
            self.status = str(_("Overdue"))
        else:
            self.status = str(_("Waiting"))
        self.may_open = (
            access.managed_organisations(self.viewer)
            .filter(pk=self.review.organisation_id)
            .exists()
        )
