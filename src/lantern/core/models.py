"""The partnership: organisations, the areas they cover, their people, and the audit log."""

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

from lantern.core.roles import Role


class LocalAuthorityArea(models.Model):
    """A local authority area (ONS GSS code). Loaded from ``data/local_authority_areas.csv``.

    ``postcode_districts`` is the best-guess mapping from DOMAIN.md §6: districts straddle
    boundaries, so it is data a partnership can replace with the ONS Postcode Directory.
    """

    gss_code = models.CharField(_("GSS code"), max_length=9, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    postcode_districts = models.CharField(
        _("postcode districts"),
        max_length=200,
        blank=True,
        help_text=_("Outward codes mainly in this area, separated by spaces."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("local authority area")
        verbose_name_plural = _("local authority areas")

    def __str__(self) -> str:
        return self.name


class OrganisationType(models.TextChoices):
    """Organisation types from DOMAIN.md §7."""

    POLICE = "police", _("Police")
    LAW_ENFORCEMENT = "law_enforcement", _("Other law enforcement")
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    FIRE_AND_RESCUE = "fire_and_rescue", _("Fire and rescue")
    HEALTH = "health", _("NHS and health")
    CHARITY = "charity", _("Charity or NGO")
    FAITH_OR_COMMUNITY = "faith_or_community", _("Faith or community group")
    BUSINESS = "business", _("Business")
    ACADEMIC = "academic", _("Academic")
    PUBLIC_BODY = "public_body", _("Other public body")


class OrganisationQuerySet(models.QuerySet):
    def with_shared_data_access(self, *, on: datetime.date | None = None) -> "OrganisationQuerySet":
        """Active organisations whose information sharing agreement is signed."""
        on = on or timezone.localdate()
        return self.filter(is_active=True, isa_signed_on__lte=on)


class Organisation(models.Model):
    """A partner organisation. Without a signed, current ISA it sees no shared data."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    organisation_type = models.CharField(_("type"), max_length=32, choices=OrganisationType.choices)
    is_first_responder = models.BooleanField(
        _("NRM First Responder Organisation"),
        default=False,
        help_text=_(
            "Only First Responder Organisations may refer to the National Referral Mechanism."
        ),
    )
    areas = models.ManyToManyField(
        LocalAuthorityArea,
        verbose_name=_("local authority areas covered"),
        related_name="organisations",
        blank=True,
    )
    # The four things police need partners for (DOMAIN.md §7).
    helps_with_victims = models.BooleanField(_("working with victims"), default=False)
    helps_with_operations = models.BooleanField(_("planning operations"), default=False)
    helps_with_intelligence = models.BooleanField(
        _("building the intelligence picture"), default=False
    )
    helps_with_information = models.BooleanField(
        _("information about premises, companies and people"), default=False
    )
    isa_signed_on = models.DateField(
        _("information sharing agreement signed on"),
        null=True,
        blank=True,
        help_text=_(
            "Leave empty until the agreement is signed: until then the organisation "
            "sees no shared data."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        permissions = [
            ("view_partner_directory", _("Can see the directory of partner organisations")),
            ("administer_partnership", _("Can administer organisations, users and roles")),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_shared_data_access(self) -> bool:
        return bool(
            self.is_active
            and self.isa_signed_on is not None
            and self.isa_signed_on <= timezone.localdate()
        )

    def capabilities(self) -> list[str]:
        """Labels of the kinds of help this organisation can give, in the user's language."""
        fields = (
            "helps_with_victims",
            "helps_with_operations",
            "helps_with_intelligence",
            "helps_with_information",
        )
        return [
            str(self._meta.get_field(field).verbose_name)
            for field in fields
            if getattr(self, field)
        ]


def normalise_email(email: str) -> str:
    """Email addresses sign people in, so they compare without regard to case."""
    return email.strip().lower()


class LanternUserManager(UserManager):
    use_in_migrations = True

    def _create_user_object(
        self, email: str, password: str | None, **extra_fields: object
    ) -> "User":
        user = self.model(email=normalise_email(email), **extra_fields)
        user.password = ""
        user.set_password(password)
        return user

    def get_by_natural_key(self, username: str) -> "User":
        return self.get(email=normalise_email(username))

    def create_user(
        self, email: str, password: str | None = None, **extra_fields: object
    ) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        user = self._create_user_object(email, password, **extra_fields)
        user.save(using=self._db)
        return user

    def create_superuser(
        self, email: str, password: str | None = None, **extra_fields: object
    ) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in. Belongs to one organisation; holds roles as groups."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="members",
        null=True,
        blank=True,
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects = LanternUserManager()

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"

    def save(self, *args: object, **kwargs: object) -> None:
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def roles(self) -> list[Role]:
        """The roles this user holds, in the order Role declares them."""
        names = set(self.groups.values_list("name", flat=True))
        return [role for role in Role if role.value in names]


class RoleGrantStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class RoleGrant(models.Model):
    """A request to give a user a role that needs a second administrator's approval.

    Separation of duties (docs/adr/0016-separation-of-duties.md): the administrator who
    asks is never the one who approves, and nobody approves a role for themselves. The
    role is added to the user only when the grant is approved (``services``).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="role_grants",
    )
    role = models.CharField(_("role"), max_length=50, choices=Role)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RoleGrantStatus,
        default=RoleGrantStatus.PENDING,
        db_index=True,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(status="pending"),
                name="core_one_pending_grant_per_role",
            ),
            models.CheckConstraint(
                condition=~models.Q(requested_by=models.F("user")),
                name="core_no_grant_requested_for_oneself",
            ),
            models.CheckConstraint(
                condition=models.Q(decided_by__isnull=True)
                | (
                    ~models.Q(decided_by=models.F("user"))
                    & (
                        ~models.Q(decided_by=models.F("requested_by"))
                        | ~models.Q(status="approved")
                    )
                ),
                name="core_grant_approved_by_another",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} → {self.user}"


class AuditEventQuerySet(models.QuerySet):
    """Audit rows can be added and read, never changed or removed."""

    def update(self, **kwargs: object) -> int:
        raise PermissionError("The audit log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit log is append-only.")


class AuditEvent(models.Model):
    """One entry of the append-only, hash-chained audit log. Written only by ``core.audit``.

    Who acted is copied in as text rather than referenced, so that no later change to a
    user or organisation can alter, or be blocked by, the record of what they did.
    """

    occurred_at = models.DateTimeField(_("when"), db_index=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    actor_id = models.BigIntegerField(_("user id"), null=True, blank=True, db_index=True)
    actor_email = models.CharField(_("user"), max_length=254, blank=True)
    organisation_id = models.BigIntegerField(_("organisation id"), null=True, blank=True)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        default_permissions = ("add", "view")
        permissions = [("verify_audit_log", _("Can verify the audit log"))]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.actor_email}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit log is append-only.")


class LocalisedLookup(models.Model):
    """A lookup kept as data (DOMAIN.md): a stable code and its name in each language."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name in English"), max_length=200)
    name_fr = models.CharField(_("name in French"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the language of the current request."""
        return self.name_fr if get_language() == "fr" else self.name


class ExploitationType(LocalisedLookup):
    """NRM statistics exploitation types (DOMAIN.md §1), from ``data/exploitation_types.csv``."""

    class Meta(LocalisedLookup.Meta):
        verbose_name = _("exploitation type")
        verbose_name_plural = _("exploitation types")


class Indicator(LocalisedLookup):
    """A sign of modern slavery (DOMAIN.md §4), from ``data/indicators.csv``."""

    class Meta(LocalisedLookup.Meta):
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")


class IndicatorPhrase(models.Model):
    """A phrase that suggests an indicator or an exploitation type when found in free text.

    The lexicon is data (``data/lexicon.csv``) that analysts can extend, in English and
    French; matching ignores case and accents.
    """

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, null=True, blank=True, related_name="phrases"
    )
    exploitation_type = models.ForeignKey(
        ExploitationType,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="phrases",
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    phrase = models.CharField(_("phrase"), max_length=200)

    class Meta:
        ordering = ["language", "phrase"]
        verbose_name = _("lexicon phrase")
        verbose_name_plural = _("lexicon phrases")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(indicator__isnull=False, exploitation_type__isnull=True)
                | models.Q(indicator__isnull=True, exploitation_type__isnull=False),
                name="phrase_suggests_one_thing",
            ),
            models.UniqueConstraint(
                fields=["indicator", "exploitation_type", "language", "phrase"],
                name="unique_phrase",
            ),
        ]

    def __str__(self) -> str:
        return self.phrase


class ApiToken(AuthToken):
    """A partner system's API token, as django-rest-knox stores it: a hash, never the token.

    ``token_key`` is the token's first characters (the ``lantern_`` prefix and a few
    more), kept in clear so that a token can be found and named; the rest of the token
    exists only as its SHA-512 ``digest``. Issued, rotated and revoked by
    ``lantern api-token`` (docs/adr/0018-hashed-api-tokens.md).
    """

    class Meta:
        proxy = True
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.token_key}… ({self.user})"

    @property
    def has_expired(self) -> bool:
        return self.expiry is not None and self.expiry <= timezone.now()
