"""Joiners and leavers: invitations to join Lantern, accounts flagged as unused, the
periodic access review, and organisations' own identity providers (single sign-on).

Docs: docs/adr/0026-accounts.md. Nobody chooses another person's password: an account is
created only when the invited person opens their link and sets one themselves.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device
from encrypted_fields.fields import EncryptedCharField

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


class IdentityProvider(models.Model):
    """An organisation's own OpenID Connect provider (Microsoft Entra ID, most often).

    Its staff may sign in through it instead of with a Lantern password. Only accounts that
    already exist in this organisation are matched, by a verified email address in one of
    ``email_domains``; nothing is ever created from what the provider says. The endpoints
    are read from the issuer's discovery document when an administrator saves it.
    """

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="identity_provider",
    )
    issuer = models.URLField(
        _("issuer"),
        max_length=300,
        help_text=_(
            "The provider's issuer address, as in its discovery document, for example "
            "https://login.microsoftonline.com/<tenant>/v2.0"
        ),
    )
    client_id = models.CharField(_("client ID"), max_length=200)
    client_secret = EncryptedCharField(_("client secret"), max_length=500)
    email_domains = models.CharField(
        _("email domains"),
        max_length=500,
        help_text=_("The organisation's email domains, separated by spaces or commas."),
    )
    trust_provider_mfa = models.BooleanField(
        _("accept the provider's second factor"),
        default=False,
        help_text=_(
            "Where the partnership agrees: a sign-in the provider says used more than one "
            "factor (amr 'mfa', or one of the acr values below) is not asked for "
            "Lantern's code. Otherwise Lantern's second factor is always asked for."
        ),
    )
    mfa_acr_values = models.CharField(
        _("acr values meaning more than one factor"),
        max_length=300,
        blank=True,
        help_text=_("Optional, separated by spaces."),
    )
    authorization_endpoint = models.URLField(
        _("authorisation endpoint"), max_length=500, blank=True, editable=False
    )
    token_endpoint = models.URLField(
        _("token endpoint"), max_length=500, blank=True, editable=False
    )
    jwks_uri = models.URLField(_("keys address"), max_length=500, blank=True, editable=False)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")

    def __str__(self) -> str:
        return str(self.organisation)

    @property
    def domains(self) -> list[str]:
        return sorted(
            {
                domain.strip().lstrip("@").lower()
                for domain in self.email_domains.replace(",", " ").split()
                if domain.strip().lstrip("@")
            }
        )

    @property
    def acr_values(self) -> set[str]:
        return set(self.mfa_acr_values.split())


class IdentityProviderDevice(Device):
    """Stands, in a session, for the second factor the organisation's provider checked.

    django-otp marks a session verified through a device; this one is created when a
    provider the partnership trusts for it says the sign-in used more than one factor. It
    verifies no code (``accepts_codes``), so it is never offered on the code page and
    never counts as an enrolled authenticator.
    """

    accepts_codes = False

    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="devices")

    class Meta:
        verbose_name = _("identity provider's second factor")
        verbose_name_plural = _("identity providers' second factors")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "provider"], name="accounts_one_provider_device_per_user"
            ),
        ]

    def verify_token(self, token: object) -> bool:
        return False
