"""People, places, businesses, vehicles, phones and profiles that intelligence mentions.

Every ``intelligence.Mention`` points at the entity it was resolved to when it was saved
(ADR 0012). Identifiers that name one thing whoever writes them (a phone number, an email,
a registration, an online profile) share one entity per normalised key, so the link is
made at once; names, places, businesses and bank accounts become an entity of their own,
and a ``Match`` suggests the existing entity they may be, for an analyst to confirm
(merge) or reject. A merge points the absorbed entity at the survivor
(``merged_into``, always one level deep) and can be undone.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantern.core import normalisers
from lantern.intelligence.models import MentionKind

EntityKind = MentionKind

# Kinds whose normalised key identifies one real thing: the same key is the same entity.
IDENTIFYING_KINDS = frozenset(
    {MentionKind.PHONE, MentionKind.EMAIL, MentionKind.VEHICLE, MentionKind.ONLINE_PROFILE}
)
# A business key carrying its Companies House number names one company too.
COMPANY_NUMBER_PREFIX = "ch:"
# Identifiers the database keeps unique (one entity per key). Addresses and businesses
# keyed by postcode are identifiers too, but their keys are checked in Python (below).
IDENTIFIERS = (
    Q(kind__in=sorted(IDENTIFYING_KINDS - {MentionKind.ONLINE_PROFILE}))
    | Q(kind=MentionKind.ONLINE_PROFILE, key__contains=":")
    | Q(kind=MentionKind.BUSINESS, key__startswith=COMPANY_NUMBER_PREFIX)
)


def is_identifier(kind: str, key: str) -> bool:
    """Whether an entity of ``kind`` with ``key`` is the same thing whoever mentions it.

    Beyond phones, emails, registrations and profiles: a business by its Companies House
    number, or by its name at a postcode; a place by its postcode and building number.
    A bare name ("John Smith", "Star Car Wash", "High Street") is never enough.
    """
    if kind == MentionKind.ONLINE_PROFILE:
        # "platform:handle" names one account; words without one describe an advert.
        return ":" in key
    if kind in IDENTIFYING_KINDS:
        return True
    if kind == MentionKind.BUSINESS and key.startswith(COMPANY_NUMBER_PREFIX):
        return True
    words = key.split()
    if kind not in {MentionKind.BUSINESS, MentionKind.LOCATION} or len(words) < 3:
        return False
    if normalisers.normalise_postcode("".join(words[:2])) != f"{words[0]} {words[1]}":
        return False
    return kind == MentionKind.BUSINESS or any(
        character.isdigit() for word in words[2:] for character in word
    )


class Entity(models.Model):
    """One real-world thing, however many reports mention it and however it was written."""

    kind = models.CharField(_("kind"), max_length=20, choices=EntityKind)
    key = models.CharField(_("matching key"), max_length=300)
    label = models.CharField(_("name"), max_length=300)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    nationality = models.CharField(_("nationality"), max_length=100, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="absorbed",
    )
    excluded_at = models.DateTimeField(_("excluded from linking"), null=True, blank=True)
    excluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("excluded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    exclusion_reason = models.CharField(_("why it is excluded"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("entity")
        verbose_name_plural = _("entities")
        indexes = [models.Index(fields=["kind", "key"], name="entities_kind_key")]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key"],
                condition=IDENTIFIERS & Q(merged_into=None),
                name="entities_one_entity_per_identifier",
            ),
            models.CheckConstraint(condition=~Q(key=""), name="entities_key_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.label}"

    def get_absolute_url(self) -> str:
        return reverse("entities:entity", args=[self.root_id])

    @property
    def root_id(self) -> int:
        """The entity this one stands for now: itself, or the one it was merged into."""
        return self.merged_into_id or self.pk

    @property
    def is_excluded(self) -> bool:
        return self.excluded_at is not None


class EntityBlock(models.Model):
    """A short key that puts an entity beside the ones it may be (blocking, for fuzzy matches).

    Looking candidates up by block keeps matching one new person against a million
    existing ones an indexed read, not a scan.
    """

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="blocks")
    block = models.CharField(max_length=100)

    class Meta:
        indexes = [models.Index(fields=["block"], name="entities_block")]

    def __str__(self) -> str:
        return self.block


class MatchSource(models.TextChoices):
    SUBMISSION = "submission", _("When the report was saved")
    BATCH = "batch", _("Batch entity resolution")


class MatchStatus(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")
    UNDONE = "undone", _("Merge undone")
    NOT_SURE = "not_sure", _("Not sure")


# Suggestions still to be decided: "not sure" leaves the question open for a colleague or
# for more intelligence, out of the way of the queue's "next suggestion".
OPEN_MATCH_STATUSES = (MatchStatus.SUGGESTED, MatchStatus.NOT_SURE)


class MatchReason(models.TextChoices):
    """Which fields agreed (or disagreed), as the analyst reads them beside a suggestion."""

    SAME_KEY = "same_key", _("Written the same way once normalised")
    NAME_SAME = "name_same", _("Same name")
    NAME_SIMILAR = "name_similar", _("Similar name")
    DATE_OF_BIRTH_AGREES = "date_of_birth_agrees", _("Same date of birth")
    DATE_OF_BIRTH_SIMILAR = "date_of_birth_similar", _("Date of birth one typing slip apart")
    DATE_OF_BIRTH_DIFFERS = "date_of_birth_differs", _("Different date of birth")
    BIRTH_YEAR_AGREES = "birth_year_agrees", _("Same year of birth")
    BIRTH_YEAR_DIFFERS = "birth_year_differs", _("Different year of birth")
    GENDER_DIFFERS = "gender_differs", _("Different gender")
    NATIONALITY_AGREES = "nationality_agrees", _("Same nationality")
    NATIONALITY_DIFFERS = "nationality_differs", _("Different nationality")
    POSTCODE_AGREES = "postcode_agrees", _("Same postcode")
    ADDRESS_SIMILAR = "address_similar", _("Similar address")
    MODEL = "model", _("Batch model's match probability")


class Match(models.Model):
    """A suggestion that ``entity`` is ``candidate``, and what an analyst decided."""

    entity = models.ForeignKey(
        Entity, verbose_name=_("entity"), on_delete=models.CASCADE, related_name="+"
    )
    candidate = models.ForeignKey(
        Entity, verbose_name=_("existing entity"), on_delete=models.CASCADE, related_name="+"
    )
    confidence = models.FloatField(_("confidence"))
    reasons = models.JSONField(_("reasons"), default=list)
    source = models.CharField(_("found"), max_length=20, choices=MatchSource)
    status = models.CharField(
        _("status"), max_length=20, choices=MatchStatus, default=MatchStatus.SUGGESTED
    )
    created_at = models.DateTimeField(_("suggested"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # {"survivor": id, "moved": [ids]}: the entities a confirmation pointed at the survivor,
    # so that the merge can be undone.
    merged_entities = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-confidence", "id"]
        verbose_name = _("suggested match")
        verbose_name_plural = _("suggested matches")
        constraints = [
            models.UniqueConstraint(fields=["entity", "candidate"], name="entities_match_once"),
            models.CheckConstraint(
                condition=~Q(entity=models.F("candidate")), name="entities_match_not_itself"
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="entities_match_status")]

    def __str__(self) -> str:
        return f"{self.entity_id} ~ {self.candidate_id} ({self.confidence:.2f})"

    @property
    def reason_labels(self) -> list[str]:
        """The reasons in the reader's language; codes from newer models shown as they are."""
        return [
            str(MatchReason(reason).label) if reason in MatchReason.values else reason
            for reason in self.reasons
        ]

    @property
    def percent(self) -> int:
        return round(self.confidence * 100)


class HitContext(models.TextChoices):
    SEARCH = "search", _("Search")
    SUBMISSION = "submission", _("Submitted intelligence")
    ENTITY_PAGE = "entity_page", _("Entity page")
    REPORT = "report", _("Intelligence report")


class RestrictedHit(models.Model):
    """Someone touched an entity that appears in intelligence they may not read.

    They learn only that restricted intelligence exists and this reference to quote to the
    hub; the hub's analysts see who matched what, when and where (DESIGN.md, hit / no-hit),
    and so do the organisations whose intelligence it was (``owners``), whose authors of
    it are emailed the reference.
    """

    reference = models.CharField(_("reference"), max_length=9, unique=True)
    entity = models.ForeignKey(
        Entity, verbose_name=_("entity"), on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    context = models.CharField(_("where"), max_length=20, choices=HitContext)
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    # The organisations that originated the reports the user could not read.
    owners = models.ManyToManyField(
        "core.Organisation",
        verbose_name=_("whose intelligence it was"),
        related_name="+",
        blank=True,
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("restricted hit")
        verbose_name_plural = _("restricted hits")
        indexes = [models.Index(fields=["user", "entity", "created_at"], name="entities_hit")]

    def __str__(self) -> str:
        return self.reference
