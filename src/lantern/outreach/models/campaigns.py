"""Awareness campaigns: what ran, where, for whom, how many it reached, and what followed.

A campaign is attributed without tracking anyone. Its short link (``/c/<code>``) counts
visits per campaign per day in ``LinkVisit`` (a counter, no visitor data) and leaves only
the campaign code in the visitor's session; a public report sent afterwards keeps that
code as a plain string (``public.PublicReport.campaign_code``), which the outreach
selectors look reports up by. The evaluation app reads these models through
``outreach.selectors.campaigns.reach_totals`` and ``attribution_totals``.
"""

import uuid

from django.conf import settings
from django.core.files.storage import Storage
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lantern.core.models import LocalAuthorityArea, Organisation
from lantern.public.models import private_storage

TEXT_MAX_LENGTH = 5000
# Reach figures above this are mistyped, not a local campaign's audience.
MAX_REACH = 100_000_000
CODE_LENGTH = 6


class Channel(models.TextChoices):
    """How a campaign reaches people. The values match ``public.HeardFrom`` (the report
    form's "How did you hear about this service?"), so answers name a channel."""

    SOCIAL_MEDIA = "social_media", _("Social media")
    LOCAL_RADIO = "local_radio", _("Local radio")
    POP_UP = "pop_up", _("Pop-up event or stall")
    PRINT = "print", _("Print and posters")
    PRESS = "press", _("Press")
    PARTNER_BRIEFING = "partner_briefing", _("Partner briefing")
    OTHER = "other", _("Other")


class Audience(models.TextChoices):
    GENERAL_PUBLIC = "general_public", _("The general public")
    SECTOR_WORKERS = "sector_workers", _("Workers in a sector")
    EMPLOYERS = "employers", _("Employers")
    SCHOOLS = "schools", _("Schools and colleges")
    COMMUNITY_FAITH = "community_faith", _("Community and faith groups")
    FRONTLINE = "frontline", _("Frontline professionals")


class CampaignStatus(models.TextChoices):
    # In context: French agrees the word with "campagne", not with "opération".
    PLANNED = "planned", pgettext_lazy("campaign status", "Planned")
    RUNNING = "running", pgettext_lazy("campaign status", "Running")
    FINISHED = "finished", pgettext_lazy("campaign status", "Finished")
    CANCELLED = "cancelled", pgettext_lazy("campaign status", "Cancelled")


class Landing(models.TextChoices):
    """Where the short link and QR code take a visitor."""

    SIGNS = "signs", _("The public pages: spot the signs and get help")
    REPORT = "report", _("The report form")


class ReachKind(models.TextChoices):
    IMPRESSIONS = "impressions", _("Impressions")
    LINK_CLICKS = "link_clicks", _("Link clicks")
    LISTENERS = "listeners", _("Estimated listeners")
    STALL_VISITORS = "stall_visitors", _("Visitors to a stall")
    CONVERSATIONS = "conversations", _("Conversations held")
    LEAFLETS = "leaflets", _("Leaflets given out")
    ATTENDEES = "attendees", _("People attending")


class Campaign(models.Model):
    """An awareness campaign: its plan, its areas and audiences, and its short-link code."""

    code = models.CharField(_("campaign code"), max_length=CODE_LENGTH, unique=True, editable=False)
    submission_key = models.UUIDField(unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"), max_length=TEXT_MAX_LENGTH)
    # Channels, audiences and languages are short lists of codes; channels have rows of
    # their own (``CampaignChannel``) because the list is filtered by them.
    audiences = models.JSONField(_("audiences"), default=list)
    languages = models.JSONField(_("languages"), default=list)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    areas = models.ManyToManyField(
        LocalAuthorityArea, verbose_name=_("areas covered"), blank=True, related_name="+"
    )
    partners = models.ManyToManyField(
        Organisation,
        verbose_name=_("partner organisations taking part"),
        blank=True,
        related_name="campaigns",
    )
    cost = models.DecimalField(
        _("cost (£)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    landing = models.CharField(
        _("short link goes to"), max_length=10, choices=Landing, default=Landing.SIGNS
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CampaignStatus,
        default=CampaignStatus.PLANNED,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        permissions = [("manage_campaigns", _("Can run awareness campaigns"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="outreach_campaign_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def channel_list(self) -> list[str]:
        return [row.channel for row in self.channel_rows.all()]


class CampaignChannel(models.Model):
    """One channel a campaign uses (a row each, so that lists filter by channel)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="channel_rows")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel, db_index=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "channel"], name="outreach_campaign_channel_once"
            )
        ]

    def __str__(self) -> str:
        return self.get_channel_display()


class Activity(models.Model):
    """A post, broadcast, event or print run inside a campaign, with its own short link.

    ``number`` counts the campaign's activities from 1; the activity's link code is the
    campaign's code and that number (``K7PD3X-2``).
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="activities")
    number = models.PositiveIntegerField(editable=False)
    submission_key = models.UUIDField(unique=True, editable=False)
    title = models.CharField(_("what it was"), max_length=200)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel)
    happened_on = models.DateField(_("date"), db_index=True)
    area = models.ForeignKey(
        LocalAuthorityArea,
        verbose_name=_("local authority area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["happened_on", "number"]
        verbose_name = _("campaign activity")
        verbose_name_plural = _("campaign activities")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "number"], name="outreach_activity_number_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.link_code})"

    @property
    def link_code(self) -> str:
        return f"{self.campaign.code}-{self.number}"


class ReachFigure(models.Model):
    """How many an activity reached, of one kind (impressions, listeners, leaflets…)."""

    class Source(models.TextChoices):
        ENTERED = "entered", _("Entered by hand")
        IMPORTED = "imported", _("Imported from a file")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="reach")
    kind = models.CharField(_("kind of reach"), max_length=20, choices=ReachKind)
    value = models.PositiveIntegerField(_("figure"))
    source = models.CharField(max_length=10, choices=Source, default=Source.ENTERED)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "kind"], name="outreach_reach_kind_once"),
            models.CheckConstraint(
                condition=Q(value__lte=MAX_REACH), name="outreach_reach_plausible"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


def _private_storage() -> Storage:
    return private_storage  # type: ignore[return-value]


def _material_path(material: "Material", filename: str) -> str:
    return f"campaign-materials/{material.campaign.code}/{uuid.uuid4().hex}.{material.extension}"


class Material(models.Model):
    """A file of a campaign (poster, leaflet, script), kept in private storage.

    Staff download every material; one marked public is also served at its public link,
    for the public pages and partners' websites.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(storage=_private_storage, upload_to=_material_path, max_length=200)
    original_name = models.CharField(max_length=200)
    extension = models.CharField(max_length=5)
    size = models.PositiveIntegerField()
    is_public = models.BooleanField(_("may be linked from the public pages"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("campaign material")
        verbose_name_plural = _("campaign materials")

    def __str__(self) -> str:
        return self.title


class LinkVisit(models.Model):
    """Visits through a campaign's (or an activity's) short link on one day: a counter,
    nothing about the visitor."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="visits")
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, null=True, blank=True, related_name="visits"
    )
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["day", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "day"],
                condition=Q(activity__isnull=True),
                name="outreach_campaign_visit_day_once",
            ),
            models.UniqueConstraint(
                fields=["activity", "day"],
                condition=Q(activity__isnull=False),
                name="outreach_activity_visit_day_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign.code} {self.day}: {self.count}"
