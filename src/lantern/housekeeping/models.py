"""Background jobs as administrators see them, and the overdue notices already sent.

``Job`` is the task table of ``django-tasks-db`` under a name of our own (a proxy: no
table of its own), so that the administration shows it as "background jobs", translated.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult


class Job(DBTaskResult):
    class Meta:
        proxy = True
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self) -> str:
        return f"{self.task_path} {self.pk}"


class OverdueKind(models.TextChoices):
    TASKING = "tasking", _("Tasking past its deadline")
    NRM_REASONABLE_GROUNDS = "nrm_rg", _("Reasonable grounds decision overdue")
    NRM_CONCLUSIVE_GROUNDS = "nrm_cg", _("Conclusive grounds decision overdue")


class OverdueNotice(models.Model):
    """That the owners of an overdue tasking or NRM decision were told, and when.

    One per thing and kind: the daily run tells the owners once, not every day; the pages
    keep flagging it as overdue (worked out from the dates) until it is done.
    """

    kind = models.CharField(_("kind"), max_length=10, choices=OverdueKind)
    object_id = models.PositiveBigIntegerField(_("record"))
    notified_on = models.DateField(_("notified on"))
    recipients = models.PositiveIntegerField(_("people told"))

    class Meta:
        verbose_name = _("overdue notice")
        verbose_name_plural = _("overdue notices")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id"], name="housekeeping_one_notice_per_overdue"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class RecordKind(models.TextChoices):
    """The kinds of record the retention schedule covers (issue 19)."""

    PUBLIC_REPORT = "public_report", _("Reports from the public")
    PUBLIC_REPORT_PHOTO = "public_report_photo", _("Photos sent with reports from the public")
    DRAFT_PHOTO = "draft_photo", _("Photos of report drafts never sent")
    INTELLIGENCE = "intelligence", _("Intelligence reports (any other)")
    INTELLIGENCE_CHILD = "intelligence_child", _("Intelligence involving a child")
    INTELLIGENCE_ACTED_ON = (
        "intelligence_acted_on",
        _("Intelligence acted on (an operation, safeguarding, passed on)"),
    )
    INTELLIGENCE_DOUBTFUL = (
        "intelligence_doubtful",
        _("Intelligence graded suspected false or malicious"),
    )
    ENTITY = "entity", _("Entities (people, places, businesses, things)")
    VICTIM = "victim", _("Potential victims’ personal details")
    SUPPORT_REFERRAL = "support_referral", _("Support referrals")
    AUDIT_LOG = "audit_log", _("Audit log")
    SESSION = "session", _("Expired sessions")


# Kinds reviewed record by record in the hub's worklist. The audit log is never disposed
# of in part (its hash chain); photos are reviewed with the report they came with.
REVIEWED_KINDS = (
    RecordKind.PUBLIC_REPORT,
    RecordKind.INTELLIGENCE_CHILD,
    RecordKind.INTELLIGENCE_ACTED_ON,
    RecordKind.INTELLIGENCE,
    RecordKind.INTELLIGENCE_DOUBTFUL,
    RecordKind.VICTIM,
    RecordKind.SUPPORT_REFERRAL,
    RecordKind.ENTITY,
)

AUTOMATIC_KINDS = frozenset({RecordKind.DRAFT_PHOTO, RecordKind.SESSION})
ONLY_DRAFTS_AND_SESSIONS = _(
    "Only drafts nobody sent and expired sessions may be disposed of automatically; "
    "every other record needs a decision."
)


class RetentionRule(models.Model):
    """How long a kind of record is kept before it is reviewed, as data the partnership sets.

    The defaults and their rationale are in docs/adr/0025-retention-schedule.md. Only a
    rule marked automatic disposes of records without a decision (drafts nobody sent,
    expired sessions); every other kind is only listed as due for review.
    """

    kind = models.CharField(_("kind of record"), max_length=30, choices=RecordKind, unique=True)
    review_after_days = models.PositiveIntegerField(
        _("review after (days)"),
        help_text=_("Days from when the record was made until it is due for review."),
    )
    automatic = models.BooleanField(
        _("disposed of automatically"),
        default=False,
        help_text=_("Only drafts nobody sent and expired sessions should be."),
    )
    rationale = models.TextField(_("why this period"), max_length=2000)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention schedule")
        constraints = [
            models.CheckConstraint(
                condition=Q(automatic=False) | Q(kind__in=sorted(AUTOMATIC_KINDS)),
                name="housekeeping_only_drafts_and_sessions_go_automatically",
                violation_error_message=ONLY_DRAFTS_AND_SESSIONS,
            )
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())

    def clean(self) -> None:
        # The constraint again, for forms where the kind is not editable (and so not
        # validated against constraints that name it).
        if self.automatic and self.kind not in AUTOMATIC_KINDS:
            raise ValidationError({"automatic": ONLY_DRAFTS_AND_SESSIONS})


class WorkerHeartbeat(models.Model):
    """That a ``lantern worker`` process is alive: it updates ``seen_at`` every few seconds.

    A job left *Running* by a worker whose heartbeat stopped (killed, machine lost) is
    queued again by the next worker that looks (``housekeeping.workers``); django-tasks-db
    itself never reclaims one.
    """

    worker_id = models.CharField(_("worker"), max_length=64, unique=True)
    host = models.CharField(_("machine"), max_length=255)
    pid = models.PositiveIntegerField(_("process"))
    started_at = models.DateTimeField(_("started"))
    seen_at = models.DateTimeField(_("last seen"), db_index=True)

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}:{self.pid})"


class RecordType(models.TextChoices):
    """The tables whose records the hub reviews: a decision and a tombstone name one row."""

    PUBLIC_REPORT = "public-report", _("Report from the public")
    INTELLIGENCE = "intelligence", _("Intelligence report")
    VICTIM = "victim", _("Potential victim’s personal details")
    SUPPORT_REFERRAL = "support-referral", _("Support referral")
    ENTITY = "entity", _("Entity")


class RetentionDecision(models.Model):
    """A reviewer kept a record due for review, with a reason, until a new review date.

    One per record and review date: a form sent twice records one decision. A record's
    next review is the latest decision's ``retain_until`` (else when it was made plus its
    kind's period).
    """

    record_type = models.CharField(_("record"), max_length=20, choices=RecordType)
    object_id = models.PositiveBigIntegerField(_("record number"))
    kind = models.CharField(_("kind of record"), max_length=30, choices=RecordKind)
    review_due_on = models.DateField(_("review was due on"))
    reason = models.TextField(_("why it is kept"), max_length=2000)
    retain_until = models.DateField(_("next review"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("retention decision")
        verbose_name_plural = _("retention decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "object_id", "review_due_on"],
                name="housekeeping_one_decision_per_review",
            )
        ]
        indexes = [models.Index(fields=["record_type", "object_id", "retain_until"])]

    def __str__(self) -> str:
        return f"{self.record_type} {self.object_id}: {self.retain_until}"


class Tombstone(models.Model):
    """What is left of a record disposed of: what it was, when, who decided, under which rule.

    No personal data and no content: the reference, the kind, when it was made and when
    disposed of. The record's row stays, emptied of personal data and content, so that
    statistics (counts by area, type, outcome) and every link to it stay whole; photos and
    files are removed from storage. One per record: disposing twice changes nothing.
    """

    record_type = models.CharField(_("record"), max_length=20, choices=RecordType)
    object_id = models.PositiveBigIntegerField(_("record number"))
    reference = models.CharField(_("reference"), max_length=40)
    kind = models.CharField(_("kind of record"), max_length=30, choices=RecordKind)
    review_after_days = models.PositiveIntegerField(_("review after (days) under the rule"))
    made_at = models.DateTimeField(_("made"))
    review_due_on = models.DateField(_("review was due on"))
    disposed_at = models.DateTimeField(_("disposed of"), default=timezone.now)
    disposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("why"), max_length=2000, blank=True)
    files_removed = models.PositiveIntegerField(_("files removed"), default=0)

    class Meta:
        ordering = ["-disposed_at", "-id"]
        verbose_name = _("tombstone of a record disposed of")
        verbose_name_plural = _("tombstones of records disposed of")
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "object_id"], name="housekeeping_one_tombstone_per_record"
            )
        ]

    def __str__(self) -> str:
        return self.reference
