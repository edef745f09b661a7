"""Background jobs as administrators see them, and the overdue notices already sent.

``Job`` is the task table of ``django-tasks-db`` under a name of our own (a proxy: no
table of its own), so that the administration shows it as "background jobs", translated.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
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
    INTELLIGENCE = "intelligence", _("Intelligence reports")
    ENTITY = "entity", _("Entities (people, places, businesses, things)")
    VICTIM = "victim", _("Potential victims’ personal details")
    SUPPORT_REFERRAL = "support_referral", _("Support referrals")
    AUDIT_LOG = "audit_log", _("Audit log")
    SESSION = "session", _("Expired sessions")


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
