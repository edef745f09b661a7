"""Joiners and leavers: invitations to join Lantern and accounts flagged as unused.

Docs: docs/adr/0026-accounts.md. Nobody chooses another person's password: an account is
created only when the invited person opens their link and sets one themselves.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantern.core.models import Organisation


class InvitationQuerySet(models.QuerySet):
    def pending(self) -> "InvitationQuerySet":
        """Neither accepted nor withdrawn (it may still have expired)."""
        return self.filter(accepted_at__isnull=True, withdrawn_at__isnull=True)


class Invitation(models.Model):
    """An invitation for one person to join Lantern in one organisation, with roles.

    Only the SHA-256 of the link's secret is kept (``token_hash``): whoever reads the
    database cannot open the link. Resending replaces the secret, so an older email's
    link stops working.
    """

    email = models.EmailField(_("email address"))
    full_name = models.CharField(_("full name"), max_length=150)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="invitations",
    )
    roles = models.JSONField(_("roles"), default=list, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("invited"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"))
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitation",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            # Per organisation: another organisation's pending invitation for the same
            # address must not be revealed by refusing this one.
            models.UniqueConstraint(
                fields=["email", "organisation"],
                condition=models.Q(accepted_at__isnull=True, withdrawn_at__isnull=True),
                name="accounts_one_pending_invitation_per_email_and_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.withdrawn_at is None

    @property
    def has_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return self.is_pending and not self.has_expired


class IdleAccount(models.Model):
    """An account nobody has signed in to for ``ACCOUNT_IDLE_DAYS``, flagged to its
    organisation's administrator by ``lantern accounts review``.

    Unless the administrator confirms it (or the person signs in) within
    ``ACCOUNT_IDLE_GRACE_DAYS``, the next review deactivates the account.
    """

    class Outcome(models.TextChoices):
        OPEN = "open", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed as still needed")
        SIGNED_IN = "signed_in", _("Signed in again")
        DEACTIVATED = "deactivated", _("Deactivated")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="idle_flags",
    )
    flagged_at = models.DateTimeField(_("flagged"), default=timezone.now)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=Outcome, default=Outcome.OPEN, db_index=True
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-flagged_at", "-pk"]
        verbose_name = _("unused account")
        verbose_name_plural = _("unused accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(outcome="open"),
                name="accounts_one_open_idle_flag_per_user",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)


class AccessReview(models.Model):
    """One organisation's periodic access review: its administrator confirms that everyone
    on its list of users still needs their access, with those roles.

    Opened by the daily run at the start of each period (``ACCESS_REVIEW_MONTHS``, a
    quarter by default); due ``ACCESS_REVIEW_GRACE_DAYS`` later. A review not confirmed by
    then is reported to the hub coordinators — nobody is locked out silently.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="access_reviews",
    )
    period_start = models.DateField(_("period starting"))
    due_on = models.DateField(_("due"))
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    reported_overdue_at = models.DateTimeField(_("reported overdue"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-period_start", "organisation__name", "pk"]
        verbose_name = _("access review")
        verbose_name_plural = _("access reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "period_start"],
                name="accounts_one_access_review_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.period_start:%Y-%m}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return not self.is_confirmed and (today or timezone.localdate()) > self.due_on
