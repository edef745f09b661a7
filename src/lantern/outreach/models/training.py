"""Training for frontline staff: courses, sessions, bookings and pre/post assessments.

Who may see what is decided in ``core.access`` (``can_manage_training``,
``can_book_training``); every write goes through ``outreach.services.training``. What the
evaluation app reads is documented on each model and served by
``outreach.selectors.training.training_aggregates``:

- trained staff: ``Booking.attended`` (people who came), by the booking's organisation,
  its sector (``Organisation.organisation_type``), the frontline ``role`` and the
  session's month;
- learning: ``Attempt`` rows, one per pairing code and stage of a session, paired on
  ``pairing_code`` — never linked to a name or an account.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lantern.core.models import LocalisedLookup, Organisation

TEXT_MAX_LENGTH = 5000
CODE_LENGTH = 6
PAIRING_KEY_LENGTH = 64  # the keyed hash of a code such as "K7PD-3XQA" (outreach.pairing)


class TrainingTopic(LocalisedLookup):
    """What a course teaches (signs of exploitation, the NRM and Duty to Notify, ...).

    Data an administrator extends; loaded by ``0003_training``. Questions belong to one.
    """

    class Meta(LocalisedLookup.Meta):
        verbose_name = _("training topic")
        verbose_name_plural = _("training topics")


class TrainingSector(LocalisedLookup):
    """Who a course is for (police, health, fire and rescue, local authority, ...)."""

    class Meta(LocalisedLookup.Meta):
        verbose_name = _("training sector")
        verbose_name_plural = _("training sectors")


class FrontlineRole(LocalisedLookup):
    """The service attendees work in (response officer, nurse, social worker, ...)."""

    class Meta(LocalisedLookup.Meta):
        verbose_name = _("frontline role")
        verbose_name_plural = _("frontline roles")


class Delivery(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")


class Course(models.Model):
    """A course the partnership teaches, with its assessment items (``CourseItem``)."""

    submission_key = models.UUIDField(unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=TEXT_MAX_LENGTH, blank=True)
    topics = models.ManyToManyField(TrainingTopic, verbose_name=_("topics"), related_name="+")
    sectors = models.ManyToManyField(
        TrainingSector, verbose_name=_("sectors"), related_name="+", blank=True
    )
    duration_minutes = models.PositiveIntegerField(_("length in minutes"))
    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery)
    materials = models.TextField(_("materials"), max_length=TEXT_MAX_LENGTH, blank=True)
    has_follow_up = models.BooleanField(_("three-month follow-up"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        permissions = [
            ("manage_training", _("Can manage training courses, sessions and question banks")),
            ("book_training", _("Can book training places for their organisation")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1), name="outreach_course_has_a_length"
            )
        ]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    CONFIDENCE = "confidence", _("Confidence statement (1 to 5)")
    FOLLOW_UP = "follow_up", _("Follow-up: what have you done since")


# Kinds marked right or wrong; a confidence statement counts as "confident" at 4 or 5.
KNOWLEDGE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE})
CONFIDENT_AT = 4


class Question(models.Model):
    """One version of a question in a topic's bank, in English and French.

    A question is never edited in place once it exists: revising it stores a new version
    (``replaces`` points at the old one, which stops being ``is_current``), so answers
    always refer to the words the attendee read. ``key`` is stable across versions and is
    the XLSForm ``name``.
    """

    topic = models.ForeignKey(
        TrainingTopic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="questions"
    )
    key = models.SlugField(_("key"), max_length=60)
    version = models.PositiveIntegerField(_("version"), default=1)
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    is_current = models.BooleanField(default=True)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind)
    text = models.CharField(_("question in English"), max_length=500)
    text_fr = models.CharField(_("question in French"), max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["topic__order", "key", "-version"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="outreach_question_version"),
            models.UniqueConstraint(
                fields=["key"], condition=Q(is_current=True), name="outreach_one_current_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"

    @property
    def label(self) -> str:
        return self.text_fr if get_language() == "fr" else self.text

    @property
    def is_knowledge(self) -> bool:
        return self.kind in KNOWLEDGE_KINDS


class Choice(models.Model):
    """An answer offered by a single or multiple choice (or follow-up) question."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField()
    name = models.SlugField(max_length=60)
    text = models.CharField(_("answer in English"), max_length=300)
    text_fr = models.CharField(_("answer in French"), max_length=300)
    is_correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["question", "name"], name="outreach_choice_name"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def label(self) -> str:
        return self.text_fr if get_language() == "fr" else self.text


class Stage(models.TextChoices):
    PRE = "pre", _("Pre-test")
    POST = "post", _("Post-test")
    FOLLOW_UP = "follow_up", _("Three-month follow-up")


class CourseItem(models.Model):
    """A question version asked at a stage of a course's assessment.

    Pre and post tests usually hold the same items; a parallel form holds others.
    """

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="items")
    stage = models.CharField(max_length=10, choices=Stage)
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["stage", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "stage", "question"], name="outreach_item_once_per_stage"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} {self.stage} {self.question}"


class TrainingSession(models.Model):
    """One delivery of a course: when, where, by whom, for how many.

    ``code`` is the short code (and QR code) attendees type to take the assessment; each
    stage is open only between the times the officer set.
    """

    submission_key = models.UUIDField(unique=True, editable=False)
    code = models.CharField(_("session code"), max_length=CODE_LENGTH, unique=True)
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="sessions"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    trainer_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("trainer's organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    trainer_name = models.CharField(_("trainer's name"), max_length=200)
    venue = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), max_length=500, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"))
    pre_opens_at = models.DateTimeField(_("pre-test opens"))
    pre_closes_at = models.DateTimeField(_("pre-test closes"))
    post_opens_at = models.DateTimeField(_("post-test opens"))
    post_closes_at = models.DateTimeField(_("post-test closes"))
    follow_up_opens_at = models.DateTimeField(_("follow-up opens"), null=True, blank=True)
    follow_up_closes_at = models.DateTimeField(_("follow-up closes"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="outreach_session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(pre_closes_at__gt=F("pre_opens_at"))
                & Q(post_closes_at__gt=F("post_opens_at"))
                & Q(post_opens_at__gte=F("pre_opens_at")),
                name="outreach_session_stage_order",
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="outreach_session_capacity"),
        ]

    def __str__(self) -> str:
        return f"{self.course} ({self.code})"

    def window(self, stage: str) -> tuple:
        """The (opens, closes) times of a stage, ``(None, None)`` if it has none."""
        return {
            Stage.PRE: (self.pre_opens_at, self.pre_closes_at),
            Stage.POST: (self.post_opens_at, self.post_closes_at),
            Stage.FOLLOW_UP: (self.follow_up_opens_at, self.follow_up_closes_at),
        }[stage]


class Booking(models.Model):
    """Places a partner organisation booked for its staff of one frontline role.

    ``attended`` is recorded by the officer after the session: the staff trained.
    """

    submission_key = models.UUIDField(unique=True, editable=False)
    session = models.ForeignKey(TrainingSession, on_delete=models.PROTECT, related_name="bookings")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.ForeignKey(
        FrontlineRole, verbose_name=_("service"), on_delete=models.PROTECT, related_name="+"
    )
    places = models.PositiveIntegerField(_("places"))
    attended = models.PositiveIntegerField(_("attended"), null=True, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    booked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session", "organisation__name", "pk"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            models.CheckConstraint(condition=Q(places__gte=1), name="outreach_booking_places"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.places} ({self.session.code})"


class Attempt(models.Model):
    """One attendee's answers at one stage of a session, known only by a pairing code.

    No name, account or address is stored. The database allows one attempt per pairing
    code and stage of a session, so a double submit or a replay stores nothing more.
    ``score`` is the percentage of knowledge items answered correctly; ``confidence`` the
    percentage of confidence statements rated 4 or 5 (``None`` when the stage had none).
    """

    session = models.ForeignKey(TrainingSession, on_delete=models.PROTECT, related_name="attempts")
    stage = models.CharField(max_length=10, choices=Stage)
    # The keyed hash of the attendee's pairing code (``outreach.pairing.key``), never the
    # code itself.
    pairing_code = models.CharField(max_length=PAIRING_KEY_LENGTH)
    language = models.CharField(max_length=8, default="en-gb")
    score = models.FloatField(null=True)
    confidence = models.FloatField(null=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "stage", "pairing_code"], name="outreach_one_attempt_per_stage"
            ),
        ]

    def __str__(self) -> str:
        # No pairing code: an audit entry or an error page never shows it.
        return f"{self.get_stage_display()} #{self.pk}"


class Answer(models.Model):
    """An answer to one item: the choices picked, or a 1 to 5 rating, and whether it was right."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    choices = models.JSONField(default=list)
    rating = models.PositiveSmallIntegerField(null=True)
    is_correct = models.BooleanField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="outreach_one_answer"),
        ]

    def __str__(self) -> str:
        return f"{self.question} #{self.pk}"
