"""Potential victims of modern slavery and the routes that bring them to safety.

A ``PotentialVictim`` is known everywhere by a pseudonymous reference. Their personal
details live in encrypted fields (docs/adr/0013-encrypted-fields.md) and are shown only
to those ``core.access.can_read_victim_personal_data`` allows, each read audited.

The National Referral Mechanism rules (DOMAIN.md §1) are enforced in ``rules.py``, which
both the forms and the services call, so that no path records a route the law does not
allow.
"""

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from encrypted_fields.fields import (
    EncryptedCharField,
    EncryptedDateField,
    EncryptedTextField,
)

from lantern.core.models import ExploitationType, LocalAuthorityArea, Organisation

ADULT_AGE = 18
OLDEST_AGE = 120
TEXT_MAX_LENGTH = 2000


class Gender(models.TextChoices):
    """NRM statistics record gender as given by the person."""

    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Not known")


class AgeGroup(models.TextChoices):
    """NRM statistics' age at exploitation."""

    ADULT = "adult", _("Adult")
    CHILD = "child", _("Child")
    UNKNOWN = "unknown", _("Age not known")


class ExploitationLocation(models.TextChoices):
    UK_ONLY = "uk", _("UK only")
    OVERSEAS_ONLY = "overseas", _("Overseas only")
    UK_AND_OVERSEAS = "uk_and_overseas", _("UK and overseas")
    UNKNOWN = "unknown", _("Not known")


class Outcome(models.TextChoices):
    """Where the person ended up. ``SAFEGUARDED`` is the one the KPIs count.

    "Safeguarded" means: the person was brought to safety *and* accepted support — at
    least one protective safeguarding action (place of safety, police protection) was
    taken or a support referral was accepted. ``rules.is_safeguarded`` is that test in
    code and ``rules.check_outcome`` refuses the outcome otherwise; docs/safeguarding.md
    gives the definition to partners.
    """

    SAFEGUARDED = "safeguarded", _("Safeguarded")
    DECLINED_SUPPORT = "declined_support", _("Declined support")
    WENT_MISSING = "went_missing", _("Went missing")
    RETURNED_HOME = "returned_home", _("Returned home")
    UNKNOWN = "unknown", _("Not known")


# An operation and one of its targets, in type hints: safeguarding sits below operations
# and knows those models only by the names its foreign keys give them (ADR 0027).
Operation = Any
Target = Any


def operation_targets() -> "models.QuerySet[Any]":
    """Every operation target, reached through ``PotentialVictim.target`` rather than an
    import of operations; callers filter it as they would ``Target.objects``."""
    return PotentialVictim._meta.get_field("target").related_model._default_manager.all()


class PotentialVictim(models.Model):
    """A person identified as a potential victim, known by ``reference`` everywhere."""

    reference = models.CharField(_("reference"), max_length=12, unique=True, editable=False)
    submission_key = models.UUIDField(unique=True, editable=False)

    # Personal data: encrypted at rest, shown only under the access policy. The encrypted
    # fields store an empty value as NULL (the library encrypts only what is there).
    name = EncryptedCharField(_("name"), max_length=200, null=True, blank=True)
    date_of_birth = EncryptedDateField(_("date of birth"), null=True, blank=True)
    contact = EncryptedTextField(_("contact details"), max_length=1000, null=True, blank=True)
    address = EncryptedTextField(_("address"), max_length=1000, null=True, blank=True)
    immigration_status = EncryptedCharField(
        _("immigration status"), max_length=200, null=True, blank=True
    )

    # Non-identifying facts: what statistics and partners without access work from.
    identified_on = models.DateField(_("date identified"), db_index=True)
    age_at_identification = models.PositiveSmallIntegerField(
        _("age when identified"),
        null=True,
        blank=True,
        help_text=_("Worked out from the date of birth when it is given; otherwise estimated."),
    )
    may_be_child = models.BooleanField(
        _("may be under 18"),
        default=False,
        help_text=_(
            "There are reasons to believe the person is under 18: with no age known, they "
            "are treated as a child until their age is assessed (Modern Slavery Act 2015, "
            "section 51)."
        ),
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Gender, default=Gender.UNKNOWN)
    nationality = CountryField(_("nationality"), blank=True)
    languages = models.CharField(_("languages spoken"), max_length=200, blank=True)
    interpreter_needed = models.BooleanField(_("needs an interpreter"), default=False)
    exploitation_types = models.ManyToManyField(
        ExploitationType, verbose_name=_("types of exploitation"), related_name="+"
    )
    county_lines = models.BooleanField(_("county lines"), default=False)
    exploitation_location = models.CharField(
        _("where the exploitation happened"),
        max_length=20,
        choices=ExploitationLocation,
        default=ExploitationLocation.UK_ONLY,
    )
    area = models.ForeignKey(
        LocalAuthorityArea,
        verbose_name=_("local authority area identified in"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    identified_by = models.ForeignKey(
        Organisation,
        verbose_name=_("identified by"),
        on_delete=models.PROTECT,
        related_name="identified_victims",
    )
    entity = models.ForeignKey(
        "entities.Entity",
        verbose_name=_("person entity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="victims",
    )
    intelligence = models.ForeignKey(
        "intelligence.IntelligenceReport",
        verbose_name=_("intelligence it came from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="victims",
    )
    operation = models.ForeignKey(
        "operations.Operation",
        verbose_name=_("operation it came from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="victims",
    )
    target = models.ForeignKey(
        "operations.Target",
        verbose_name=_("operation target"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="victims",
    )
    # A person found during an operation by one agency and handed to another's safeguarding
    # lead: ``identified_by`` is the organisation that took them (responsible for them from
    # then on, and the only one to read their details); ``handed_over_by`` the agency that
    # found them. The receiving lead acknowledges ("takes them on") from their worklist.
    handed_over_by = models.ForeignKey(
        Organisation,
        verbose_name=_("handed over by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    taken_on_at = models.DateTimeField(_("taken on"), null=True, blank=True)
    taken_on_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome, blank=True)
    outcome_recorded_on = models.DateField(_("outcome recorded on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-identified_on", "-pk"]
        verbose_name = _("potential victim")
        verbose_name_plural = _("potential victims")
        permissions = [
            ("record_victims", _("Can record potential victims and their referrals")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(age_at_identification__lte=OLDEST_AGE),
                name="safeguarding_victim_age_plausible",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def age_group(self) -> str:
        """Child under 18; with no age known, a child if they may be one (the presumption
        of age), otherwise unknown — which the NRM rules treat as an adult."""
        if self.age_at_identification is None:
            return AgeGroup.CHILD if self.may_be_child else AgeGroup.UNKNOWN
        return AgeGroup.CHILD if self.age_at_identification < ADULT_AGE else AgeGroup.ADULT

    @property
    def age_group_label(self) -> str:
        return str(AgeGroup(self.age_group).label)

    @property
    def is_child(self) -> bool:
        return self.age_group == AgeGroup.CHILD


class CompetentAuthority(models.TextChoices):
    SCA = "sca", _("Single Competent Authority (Home Office)")
    IECA = "ieca", _("Immigration Enforcement Competent Authority")
    LOCAL_PANEL = "local_panel", _("Local multi-agency panel (devolved child decision)")


class Decision(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEGATIVE = "negative", _("Negative")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class NRMReferral(models.Model):
    """A referral to the National Referral Mechanism and its decisions.

    One per potential victim. The stage, the days spent at each stage and overdue flags
    are worked out from the dates (``nrm.py``), never stored.
    """

    victim = models.OneToOneField(
        PotentialVictim, on_delete=models.CASCADE, related_name="nrm_referral"
    )
    referring_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("referring First Responder Organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    referred_on = models.DateField(_("date referred"))
    # The Home Office gives the case a reference once the digital referral is submitted;
    # it is what the competent authority and the First Responder quote to each other.
    case_reference = models.CharField(_("NRM case reference"), max_length=30, blank=True)
    first_responder_officer = models.CharField(
        _("First Responder officer"),
        max_length=200,
        blank=True,
        help_text=_("The officer who completed the referral and answers the Home Office."),
    )
    competent_authority = models.CharField(
        _("competent authority"),
        max_length=20,
        choices=CompetentAuthority,
        default=CompetentAuthority.SCA,
    )
    consent_given_on = models.DateField(
        _("informed consent recorded on"),
        null=True,
        blank=True,
        help_text=_(
            "An adult must give informed consent before a referral. Not needed for a child."
        ),
    )
    reasonable_grounds = models.CharField(
        _("reasonable grounds decision"), max_length=10, choices=Decision, blank=True
    )
    reasonable_grounds_on = models.DateField(
        _("reasonable grounds decision date"), null=True, blank=True
    )
    conclusive_grounds = models.CharField(
        _("conclusive grounds decision"), max_length=10, choices=Decision, blank=True
    )
    conclusive_grounds_on = models.DateField(
        _("conclusive grounds decision date"), null=True, blank=True
    )
    reconsideration_requested_on = models.DateField(
        _("reconsideration requested on"), null=True, blank=True
    )
    reconsideration = models.CharField(
        _("reconsideration outcome"), max_length=10, choices=Decision, blank=True
    )
    reconsideration_on = models.DateField(_("reconsideration decided on"), null=True, blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("NRM referral")
        verbose_name_plural = _("NRM referrals")

    def __str__(self) -> str:
        return f"NRM {self.victim.reference}"


class DutyToNotify(models.Model):
    """A Duty to Notify report (Modern Slavery Act 2015 s.52) for an adult who did not consent.

    Anonymous unless the person agreed to be identified; ``rules.check_duty_to_notify``
    refuses one from an organisation that is not a public authority under the duty.
    """

    victim = models.OneToOneField(
        PotentialVictim, on_delete=models.CASCADE, related_name="duty_to_notify"
    )
    notifying_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("notifying public authority"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    notified_on = models.DateField(_("date notified"))
    identified_with_consent = models.BooleanField(
        _("the person agreed to be identified"),
        default=False,
        help_text=_("Otherwise the notification is anonymous."),
    )
    notified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Duty to Notify report")
        verbose_name_plural = _("Duty to Notify reports")

    def __str__(self) -> str:
        return f"DtN {self.victim.reference}"


class ActionKind(models.TextChoices):
    PLACE_OF_SAFETY = "place_of_safety", _("Place of safety")
    MEDICAL = "medical", _("Medical care")
    INTERPRETER = "interpreter", _("Interpreter")
    FOOD_AND_CLOTHING = "food_and_clothing", _("Food and clothing")
    POLICE_PROTECTION = "police_protection", _("Police protection")
    OTHER = "other", _("Other")


# Actions that bring a person to safety: one of these (or an accepted support referral)
# is what "safeguarded" requires.
PROTECTIVE_ACTIONS = frozenset({ActionKind.PLACE_OF_SAFETY, ActionKind.POLICE_PROTECTION})


class SafeguardingAction(models.Model):
    """Something done for the person: who did it, for which organisation, and when."""

    victim = models.ForeignKey(PotentialVictim, on_delete=models.CASCADE, related_name="actions")
    # The form's key: sending it twice records one action.
    submission_key = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("action"), max_length=20, choices=ActionKind)
    note = models.TextField(_("what was done"), max_length=TEXT_MAX_LENGTH, blank=True)
    done_on = models.DateField(_("date"))
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["done_on", "pk"]
        verbose_name = _("safeguarding action")
        verbose_name_plural = _("safeguarding actions")

    def __str__(self) -> str:
        return f"{self.victim.reference}: {self.get_kind_display()}"


class SupportService(models.TextChoices):
    SUPPORT_PROVIDER = "support_provider", _("Victim support provider")
    CHILDRENS_SERVICES = "childrens_services", _("Children’s services")
    HOUSING = "housing", _("Housing")
    HEALTH = "health", _("Health")
    OTHER = "other", _("Other")


class SupportReferralStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


# The personal details a support referral may share, by the victim's consent.
SHAREABLE_DETAILS = ("name", "date_of_birth", "contact", "address", "immigration_status")


class SupportReferral(models.Model):
    """A referral from one partner organisation to another for support.

    The receiving organisation sees only the details the person consented to share (or,
    where the law allows sharing without consent, those named with a recorded reason).
    Once it accepts, its safeguarding lead takes part in the record.
    """

    victim = models.ForeignKey(
        PotentialVictim, on_delete=models.CASCADE, related_name="support_referrals"
    )
    # The form's key: sending it twice makes one referral.
    submission_key = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    from_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("referred by")
    )
    to_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="support_referrals_received",
        verbose_name=_("referred to"),
    )
    service = models.CharField(_("support asked for"), max_length=20, choices=SupportService)
    request = models.TextField(_("what is asked"), max_length=TEXT_MAX_LENGTH)
    shared_details = models.JSONField(
        _("personal details shared"),
        default=list,
        blank=True,
        help_text=_("Only what the person consented to share."),
    )
    consent_override_reason = models.TextField(
        _("legal basis for sharing without consent"), max_length=TEXT_MAX_LENGTH, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SupportReferralStatus,
        default=SupportReferralStatus.PENDING,
        db_index=True,
    )
    decline_reason = models.TextField(
        _("reason for declining"), max_length=TEXT_MAX_LENGTH, blank=True
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    referred_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["referred_at", "pk"]
        verbose_name = _("support referral")
        verbose_name_plural = _("support referrals")
        constraints = [
            models.UniqueConstraint(
                fields=["victim", "to_organisation", "service"],
                condition=Q(status="pending"),
                name="safeguarding_one_pending_referral",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.victim.reference} → {self.to_organisation}"

    def shared_detail_labels(self) -> list[str]:
        """The names of the details shared, in the reader's language."""
        return [
            str(PotentialVictim._meta.get_field(name).verbose_name)
            for name in SHAREABLE_DETAILS
            if name in self.shared_details
        ]


def age_on(date_of_birth: datetime.date, day: datetime.date) -> int:
    """Age in whole years on ``day``."""
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - before_birthday
