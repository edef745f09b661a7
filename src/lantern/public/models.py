"""What the public portal stores: where to get help, and the concerns people report.

A report is anonymous unless the reporter chose to leave contact details and agreed to be
contacted. Its follow-up token is stored only as a hash, so the database never holds a
link that could open the follow-up page.
"""

import uuid

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lantern.core.models import ExploitationType, Indicator, LocalAuthorityArea


class HelpChannel(models.Model):
    """A number or service to contact, shown on the get-help pages (DOMAIN.md §5).

    Numbers change and partnerships add local services, so channels are data that a
    system administrator edits, not text in templates.
    """

    class Audience(models.TextChoices):
        EMERGENCY = "emergency", _("Someone is in immediate danger")
        ANYONE = "anyone", _("Anyone with a concern")
        WORKERS = "workers", _("Workers")
        VICTIMS = "victims", _("People being exploited")
        PROFESSIONALS = "professionals", _("Professionals")

    code = models.SlugField(_("code"), max_length=50, unique=True)
    audience = models.CharField(_("who it is for"), max_length=20, choices=Audience)
    name = models.CharField(_("name in English"), max_length=200)
    name_fr = models.CharField(_("name in French"), max_length=200)
    phone_number = models.CharField(
        _("phone number"),
        max_length=30,
        help_text=_("As people should dial it, e.g. 0800 555 111."),
    )
    textphone = models.CharField(_("textphone"), max_length=30, blank=True)
    description = models.TextField(_("description in English"), max_length=1000)
    description_fr = models.TextField(_("description in French"), max_length=1000)
    website = models.URLField(_("website"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("shown"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("help channel")
        verbose_name_plural = _("help channels")

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.name_fr if get_language() == "fr" else self.name

    @property
    def text(self) -> str:
        return self.description_fr if get_language() == "fr" else self.description

    @property
    def phone_href(self) -> str:
        return _dial(self.phone_number)

    @property
    def textphone_href(self) -> str:
        return _dial(self.textphone)


class LocalContact(models.Model):
    """A local service for one local authority area: where to turn nearby, beside the
    national numbers.

    Councils' adult social care and children's services, the local police's non-emergency
    route and the partnership's own contact differ from one area to the next and change
    without notice, so they are data an administrator edits. They are shown on the get-help
    page for the area a visitor chooses and after a report for the area it names.
    """

    class Kind(models.TextChoices):
        ADULT_SOCIAL_CARE = "adult_social_care", _("Adult social care")
        CHILDRENS_SERVICES = "childrens_services", _("Children’s services")
        POLICE = "police", _("Police, not an emergency")
        PARTNERSHIP = "partnership", _("The partnership")
        OTHER = "other", _("Other local service")

    area = models.ForeignKey(
        "core.LocalAuthorityArea",
        on_delete=models.CASCADE,
        related_name="local_contacts",
        verbose_name=_("local authority area"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    name = models.CharField(_("name in English"), max_length=200)
    name_fr = models.CharField(_("name in French"), max_length=200)
    phone_number = models.CharField(
        _("phone number"), max_length=30, blank=True, help_text=_("As people should dial it.")
    )
    out_of_hours_phone_number = models.CharField(
        _("out-of-hours phone number"), max_length=30, blank=True
    )
    email = models.EmailField(_("email address"), blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description in English"), max_length=1000, blank=True)
    description_fr = models.TextField(_("description in French"), max_length=1000, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("shown"), default=True)

    class Meta:
        ordering = ["area__name", "order", "kind", "name"]
        verbose_name = _("local contact")
        verbose_name_plural = _("local contacts")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(phone_number="", email="", website=""),
                name="public_localcontact_has_a_way_to_reach",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.area})"

    @property
    def label(self) -> str:
        return self.name_fr if get_language() == "fr" else self.name

    @property
    def text(self) -> str:
        return self.description_fr if get_language() == "fr" else self.description

    @property
    def phone_href(self) -> str:
        return _dial(self.phone_number)

    @property
    def out_of_hours_href(self) -> str:
        return _dial(self.out_of_hours_phone_number)


def _dial(number: str) -> str:
    return "tel:" + "".join(character for character in number if character.isdigit())


class ChildrenInvolved(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_SURE = "not_sure", _("I’m not sure")


class HeardFrom(models.TextChoices):
    """Answers to "How did you hear about this service?". The channel values are those of
    the outreach app's campaign channels, so that a campaign finds the reports naming it."""

    SOCIAL_MEDIA = "social_media", _("Social media")
    LOCAL_RADIO = "local_radio", _("Local radio")
    POP_UP = "pop_up", _("A pop-up event or stall")
    PRINT = "print", _("A poster, leaflet or other printed material")
    PRESS = "press", _("A newspaper or magazine")
    PARTNER_BRIEFING = "partner_briefing", _("A talk or briefing by a local organisation")
    FRIEND_FAMILY = "friend_family", _("A friend or family member")
    WORK = "work", _("My work")
    OTHER = "other", _("Other")


# What a campaign code may look like: a campaign's code, or it and an activity's number.
CAMPAIGN_CODE_MAX_LENGTH = 20


class PublicReport(models.Model):
    """A concern reported by a member of the public through the online form."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        UNDER_ASSESSMENT = "under_assessment", _("Under assessment")
        CLOSED = "closed", _("Closed")

    reference = models.CharField(_("reference"), max_length=12, unique=True, editable=False)
    submission_key = models.UUIDField(unique=True, editable=False)
    follow_up_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.NEW)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True, db_index=True)

    immediate_danger = models.BooleanField(_("someone in immediate danger"))
    what_happened = models.TextField(_("what they saw"))
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="+")
    suspected_types = models.ManyToManyField(ExploitationType, blank=True, related_name="+")
    type_not_sure = models.BooleanField(_("not sure what kind"), default=False)
    children_involved = models.CharField(
        _("children may be involved"), max_length=10, choices=ChildrenInvolved
    )
    location = models.TextField(_("where"))
    postcode = models.CharField(_("postcode"), max_length=8, blank=True)
    area = models.ForeignKey(
        LocalAuthorityArea, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    when = models.TextField(_("when"), blank=True)
    people = models.TextField(_("people"), blank=True)
    vehicles = models.TextField(_("vehicles"), blank=True)
    vehicle_registrations = models.JSONField(_("vehicle registrations"), default=list)
    phone_numbers = models.JSONField(_("phone numbers"), default=list)
    business_name = models.CharField(_("business name"), max_length=200, blank=True)

    consent_to_contact = models.BooleanField(_("agreed to be contacted"), default=False)
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)

    # Attribution without tracking: the code of the campaign link the reporter arrived
    # through (nothing else about the visit), and their own answer to the last question.
    campaign_code = models.CharField(
        _("campaign code"), max_length=CAMPAIGN_CODE_MAX_LENGTH, blank=True, db_index=True
    )
    heard_from = models.CharField(
        _("heard about the service from"), max_length=20, choices=HeardFrom, blank=True
    )

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("public report")
        verbose_name_plural = _("public reports")
        permissions = [("view_public_reports", _("Can read reports from the public"))]

    def __str__(self) -> str:
        return self.reference


class PrivateStorage(LazyObject):
    """``STORAGES["private"]``: outside the static and media web roots.

    Resolved on first use and again whenever the setting changes, like Django's own
    ``default_storage``.
    """

    def _setup(self) -> None:
        self._wrapped = storages["private"]


private_storage = PrivateStorage()


@receiver(setting_changed)
def _storages_changed(*, setting: str, **kwargs: object) -> None:
    if setting == "STORAGES":
        private_storage._wrapped = empty


def _private_storage() -> Storage:
    return private_storage  # type: ignore[return-value]


def _photo_path(photo: "ReportPhoto", filename: str) -> str:
    return f"report-photos/{photo.draft_key}/{uuid.uuid4().hex}.{photo.extension}"


class ReportPhoto(models.Model):
    """A photo sent with a report, re-encoded without its metadata.

    Photos are uploaded while the form is being filled in, so they belong to the draft
    (``draft_key``) until the report is sent. They live in private storage, outside every
    web root, and are served only through the staff view.
    """

    report = models.ForeignKey(
        PublicReport, on_delete=models.CASCADE, null=True, related_name="photos"
    )
    draft_key = models.UUIDField(db_index=True)
    file = models.FileField(storage=_private_storage, upload_to=_photo_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=20)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def extension(self) -> str:
        return "png" if self.content_type == "image/png" else "jpg"


class ReportAddition(models.Model):
    """Information a reporter added later through their private follow-up link."""

    report = models.ForeignKey(PublicReport, on_delete=models.CASCADE, related_name="additions")
    text = models.TextField(_("information added"))
    language = models.CharField(max_length=8, choices=settings.LANGUAGES)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["submitted_at", "id"]

    def __str__(self) -> str:
        return f"{self.report} +{self.submitted_at:%Y-%m-%d %H:%M}"


class IndicatorSuggestion(models.Model):
    """An indicator or exploitation type the lexicon found in a report's free text.

    Suggestions are for the hub to accept or ignore; ``phrases`` keeps the words that
    triggered each one so that an analyst can judge it.
    """

    report = models.ForeignKey(PublicReport, on_delete=models.CASCADE, related_name="suggestions")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, null=True, related_name="+")
    exploitation_type = models.ForeignKey(
        ExploitationType, on_delete=models.CASCADE, null=True, related_name="+"
    )
    phrases = models.JSONField(default=list)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.indicator or self.exploitation_type)
