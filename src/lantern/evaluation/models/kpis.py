"""Key performance indicators: described, computed from the records, never typed in.

A KPI names a registered *measure* (a countable set of records defined once in code,
``lantern.evaluation.measures``) as its numerator and, for a share, another as its
denominator; the statistic to compute; the direction that counts as better; and a note
where "up" is ambiguous. Baselines and targets are the partnership's choice, so they are
data the coordinator edits. Population estimates per area are shipped as data with their
source and year, for rates per 100,000 people.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lantern.core.models import LocalAuthorityArea


class Statistic(models.TextChoices):
    COUNT = "count", _("Count")
    PERCENT = "percent", _("Per cent")
    RATE = "rate_per_100k", _("Per 100,000 people")
    MEDIAN = "median", _("Median time")
    P90 = "p90", _("90th percentile time")


class Direction(models.TextChoices):
    UP = "up", _("Higher is better")
    DOWN = "down", _("Lower is better")
    NEITHER = "neither", _("Neither: read with the note")


class Kpi(models.Model):
    """One indicator, as the partnership defines it."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name in English"), max_length=200)
    name_fr = models.CharField(_("name in French"), max_length=200)
    measure = models.CharField(_("what is counted"), max_length=60)
    denominator = models.CharField(
        _("counted out of"),
        max_length=60,
        blank=True,
        help_text=_("For a percentage: the records the share is taken of."),
    )
    filters = models.JSONField(
        _("filters"),
        default=dict,
        blank=True,
        help_text=_("Breakdown values the records must have, e.g. organisation type: police."),
    )
    statistic = models.CharField(
        _("statistic"), max_length=20, choices=Statistic, default=Statistic.COUNT
    )
    direction = models.CharField(
        _("better when"), max_length=10, choices=Direction, default=Direction.UP
    )
    note = models.TextField(_("note in English"), max_length=1000, blank=True)
    note_fr = models.TextField(_("note in French"), max_length=1000, blank=True)
    baseline_year = models.PositiveSmallIntegerField(
        _("baseline year"),
        null=True,
        blank=True,
        help_text=_("The financial year (April to March) compared with, by its first year."),
    )
    target = models.DecimalField(
        _("target"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    is_headline = models.BooleanField(_("headline figure"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("shown"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        permissions = [
            ("view_kpis", _("Can see the partnership's KPIs")),
            ("manage_kpis", _("Can add KPIs and set their baselines and targets")),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.name_fr if get_language() == "fr" and self.name_fr else self.name

    @property
    def note_text(self) -> str:
        return self.note_fr if get_language() == "fr" and self.note_fr else self.note


class PopulationEstimate(models.Model):
    """People living in an area in a year (ONS mid-year estimates), for rates."""

    area = models.ForeignKey(
        LocalAuthorityArea, on_delete=models.CASCADE, related_name="population_estimates"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    population = models.PositiveIntegerField(_("population"))
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        ordering = ["area__name", "-year"]
        verbose_name = _("population estimate")
        verbose_name_plural = _("population estimates")
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="evaluation_one_estimate"),
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.year}: {self.population}"
