"""People, places, businesses, vehicles, phones and profiles that intelligence mentions.

A ``Mention`` is one thing an intelligence report names; it points at the entity it was
resolved to when it was saved (ADR 0012). Entities owns mentions, below intelligence, so
that every app above can call down into it (ADR 0027). Identifiers that name one thing
whoever writes them (a phone number, an email, a registration, an online profile) share
one entity per normalised key, so the link is made at once; names, places, businesses and
bank accounts become an entity of their own, and a ``Match`` suggests the existing entity
they may be, for an analyst to confirm (merge) or reject. A merge points the absorbed
entity at the survivor (``merged_into``, always one level deep) and can be undone.
"""

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lantern.core import normalisers


class MentionKind(models.TextChoices):
    """What a report mentions (issue 5 resolves mentions into entities)."""

    PERSON = "person", _("Person")
    LOCATION = "location", _("Address or place")
    BUSINESS = "business", _("Business")
    VEHICLE = "vehicle", _("Vehicle")
    PHONE = "phone", _("Phone number")
    EMAIL = "email", _("Email address")
    ONLINE_PROFILE = "online_profile", _("Online profile or advert")
    BANK_ACCOUNT = "bank_account", _("Bank account (last 4 digits)")


class MentionRole(models.TextChoices):
    SUSPECTED_EXPLOITER = "suspected_exploiter", _("Suspected exploiter")
    POTENTIAL_VICTIM = "potential_victim", _("Potential victim")
    WITNESS = "witness", _("Witness")
    PREMISES = "premises", _("Premises")
    VEHICLE_USED = "vehicle_used", _("Vehicle used")
    CONTACT = "contact", _("Used to make contact")
    PAYMENT = "payment", _("Used for payment")
    OTHER = "other", _("Other")


MENTION_VALUE_MAX_LENGTH = 300
# Different people, places and things one report may mention. A real report names a few,
# a long one a few dozen; thousands (one name pasted 3,500 times) only make correlation
# look for matches until the worker times out. Repeated mentions count once.
MENTIONS_MAX = 100


def mentions_over_limit_message(count: int) -> str:
    """What a submitter is told when a report mentions too many things, however sent."""
    return gettext(
        "A report can mention at most %(limit)s different people, places and things; "
        "this one mentions %(count)s. Keep the ones that matter and send the rest as "
        "another report."
    ) % {"limit": MENTIONS_MAX, "count": count}


def mention_value_error(kind: str, value: str) -> str | None:
    """Why ``value`` cannot be a mention of ``kind``, or ``None`` if it can.

    Only the last 4 digits of a bank account are ever kept, so anything else is refused
    rather than stored.
    """
    if kind == MentionKind.BANK_ACCOUNT and not (len(value) == 4 and value.isdecimal()):
        return str(_("Enter only the last 4 digits of the bank account"))
    if normalisers.mention_key(kind, value):
        return None
    messages = {
        MentionKind.PHONE: _("Enter a real phone number, like 07700 900123"),
        MentionKind.VEHICLE: _("Enter a vehicle registration of 2 to 8 letters and numbers"),
        MentionKind.EMAIL: _("Enter an email address, like name@example.com"),
    }
    return str(messages.get(kind, _("Enter a name, an address or a description")))


# Older than anyone alive: a date of birth before this is a typing mistake.
OLDEST_AGE_YEARS = 120


def person_details_error(date_of_birth: datetime.date | None) -> str | None:
    """Why a person's date of birth cannot be right, or ``None``."""
    if date_of_birth is None:
        return None
    today = timezone.localdate()
    if date_of_birth > today:
        return str(_("The date of birth must be in the past"))
    if today.year - date_of_birth.year > OLDEST_AGE_YEARS:
        return str(
            _("The date of birth must be less than %(years)s years ago")
            % {"years": OLDEST_AGE_YEARS}
        )
    return None


class Mention(models.Model):
    """A person, place, business, vehicle, phone or profile as one report mentions it.

    ``value`` is what the submitter wrote; ``key`` its normalised form for matching
    (``core.normalisers``), empty where the value could not be normalised.
    """

    # Declared by name: entities sits below intelligence and never imports it (ADR 0027).
    report = models.ForeignKey(
        "intelligence.IntelligenceReport",
        verbose_name=_("intelligence report"),
        on_delete=models.CASCADE,
        related_name="mentions",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MentionKind)
    role = models.CharField(_("role"), max_length=30, choices=MentionRole)
    value = models.CharField(_("as written"), max_length=MENTION_VALUE_MAX_LENGTH)
    key = models.CharField(_("matching key"), max_length=300, blank=True)
    details = models.TextField(_("details"), max_length=1000, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    nationality = models.CharField(_("nationality"), max_length=100, blank=True)
    # The entity this mention was resolved to; empty until correlation has run on it.
    entity = models.ForeignKey(
        "entities.Entity",
        verbose_name=_("entity"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mentions",
    )

    class Meta:
        # Moved here from intelligence, table and all (ADR 0027).
        db_table = "intelligence_mention"
        ordering = ["id"]
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        # Report last: correlation counts the reports mentioning a value from the index alone.
        indexes = [
            models.Index(fields=["kind", "key", "report"], name="intelligence_mention_value")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


# An intelligence report: entities sits below intelligence and knows the model only by the
# name a mention's foreign key gives it (ADR 0027).
Report = Any


def intelligence_reports() -> "models.QuerySet[Any]":
    """Every intelligence report, reached through the mention's foreign key rather than an
    import of intelligence; callers filter it as they would ``IntelligenceReport.objects``."""
    return Mention._meta.get_field("report").related_model._default_manager.all()


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
