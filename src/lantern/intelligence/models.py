"""Intelligence reports from partners, graded with the UK 3x5x2 scheme (DOMAIN.md §3).

Who may read a report is decided by ``core.access.readable_intelligence`` from its
handling code: P is shared with every partner user holding an intelligence role; C only
with the originating organisation, the hub's analysts and coordinators, and the
organisations named in its conditions (``shared_with``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lantern.core.models import ExploitationType, Indicator, LocalAuthorityArea, Organisation

SUMMARY_MAX_LENGTH = 200
NARRATIVE_MAX_LENGTH = 20000


class SourceEvaluation(models.TextChoices):
    RELIABLE = "1", _("1 – Reliable")
    UNTESTED = "2", _("2 – Untested")
    NOT_RELIABLE = "3", _("3 – Not reliable")


class IntelligenceAssessment(models.TextChoices):
    KNOWN_DIRECTLY = "A", _("A – Known directly to the source")
    CORROBORATED = "B", _("B – Known indirectly to the source but corroborated")
    KNOWN_INDIRECTLY = "C", _("C – Known indirectly to the source")
    NOT_KNOWN = "D", _("D – Not known")
    SUSPECTED_FALSE = "E", _("E – Suspected to be false or malicious")


class HandlingCode(models.TextChoices):
    P = "P", _("P – Lawful sharing permitted")
    C = "C", _("C – Lawful sharing permitted with conditions")


class Sector(models.TextChoices):
    """Where exploitation hides (DOMAIN.md §4)."""

    HAND_CAR_WASH = "hand_car_wash", _("Hand car wash")
    NAIL_BAR = "nail_bar", _("Nail bar")
    AGRICULTURE = "agriculture", _("Agriculture and food processing")
    CONSTRUCTION = "construction", _("Construction")
    CANNABIS = "cannabis", _("Cannabis cultivation")
    HOSPITALITY = "hospitality", _("Hospitality")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    SEX_WORK = "sex_work", _("Sex work and adult services")
    DOMESTIC_WORK = "domestic_work", _("Domestic work")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Not known")


class Status(models.TextChoices):
    NEW = "new", _("New")
    UNDER_ASSESSMENT = "under_assessment", _("Under assessment")
    TASKED = "tasked", _("Tasked")
    ACTIONED = "actioned", _("Actioned")
    CLOSED = "closed", _("Closed")


class IntelligenceReport(models.Model):
    """A piece of intelligence a partner organisation shares with the hub."""

    reference = models.CharField(_("reference"), max_length=12, unique=True, editable=False)
    submission_key = models.UUIDField(unique=True, editable=False)
    summary = models.CharField(_("summary"), max_length=SUMMARY_MAX_LENGTH)
    narrative = models.TextField(_("narrative"), max_length=NARRATIVE_MAX_LENGTH)
    occurred_on = models.DateField(_("date it happened"), null=True, blank=True)
    location = models.TextField(_("location"), max_length=1000, blank=True)
    postcode = models.CharField(_("postcode"), max_length=8, blank=True)
    area = models.ForeignKey(
        LocalAuthorityArea,
        verbose_name=_("local authority area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    exploitation_types = models.ManyToManyField(
        ExploitationType, verbose_name=_("exploitation types"), blank=True, related_name="+"
    )
    child_involved = models.BooleanField(_("child involved"), default=False)
    indicators = models.ManyToManyField(
        Indicator, verbose_name=_("indicators"), blank=True, related_name="+"
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector, default=Sector.UNKNOWN)
    source_evaluation = models.CharField(
        _("source evaluation"), max_length=1, choices=SourceEvaluation
    )
    intelligence_assessment = models.CharField(
        _("intelligence assessment"), max_length=1, choices=IntelligenceAssessment
    )
    handling_code = models.CharField(
        _("handling code"), max_length=1, choices=HandlingCode, db_index=True
    )
    handling_conditions = models.TextField(_("handling conditions"), max_length=2000, blank=True)
    shared_with = models.ManyToManyField(
        Organisation,
        verbose_name=_("organisations named in the conditions"),
        blank=True,
        related_name="intelligence_shared_with",
    )
    originating_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("originating organisation"),
        on_delete=models.PROTECT,
        related_name="intelligence_originated",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True, db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.NEW)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("intelligence report")
        verbose_name_plural = _("intelligence reports")
        permissions = [
            ("submit_intelligence", _("Can submit intelligence")),
            ("view_intelligence", _("Can read intelligence shared with them")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(handling_code=HandlingCode.P)
                | (Q(handling_code=HandlingCode.C) & ~Q(handling_conditions="")),
                name="intelligence_c_states_its_conditions",
            ),
            models.CheckConstraint(
                condition=Q(source_evaluation__in=SourceEvaluation.values)
                & Q(intelligence_assessment__in=IntelligenceAssessment.values)
                & Q(handling_code__in=HandlingCode.values),
                name="intelligence_grading_in_scheme",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def grading(self) -> str:
        """``"2 / B / C"``: source evaluation, intelligence assessment, handling code."""
        return f"{self.source_evaluation} / {self.intelligence_assessment} / {self.handling_code}"
