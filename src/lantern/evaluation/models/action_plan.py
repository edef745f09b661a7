"""The partnership's action plan: objectives under the four Ps, and the actions that meet them.

Who may read or change what is decided in ``core.access`` (the hub coordinator edits the
plan, a partner updates the actions its own organisation owns, the board viewer reads it).
Every change leaves an ``ActionUpdate`` — the action's timeline — as well as an audit record.
Nothing personal is kept here: an action's lead is a role or a name its owner chose to give.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantern.core.models import Organisation

TEXT_MAX_LENGTH = 5000


class Pillar(models.TextChoices):
    """The four Ps of the UK modern slavery strategy (DOMAIN.md)."""

    PURSUE = "pursue", _("Pursue")
    PREVENT = "prevent", _("Prevent")
    PROTECT = "protect", _("Protect")
    PREPARE = "prepare", _("Prepare")


class Rag(models.TextChoices):
    GREEN = "green", _("Green")
    AMBER = "amber", _("Amber")
    RED = "red", _("Red")


# Amber and red say something is at risk: the plan is read by the board, which must know why.
RAG_NEEDING_REASON = frozenset({Rag.AMBER, Rag.RED})


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETE = "complete", _("Complete")


class Objective(models.Model):
    """What the partnership means to achieve under one of the four Ps."""

    submission_key = models.UUIDField(unique=True, editable=False)
    pillar = models.CharField(_("strand"), max_length=10, choices=Pillar, db_index=True)
    title = models.CharField(_("objective"), max_length=200)
    description = models.TextField(_("description"), max_length=TEXT_MAX_LENGTH, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        permissions = [
            ("manage_action_plan", _("Can create and edit the action plan")),
            ("view_action_plan", _("Can read the whole action plan")),
            ("update_owned_actions", _("Can update the actions their organisation owns")),
        ]

    def __str__(self) -> str:
        return self.title


class Action(models.Model):
    """One thing an organisation has undertaken to do, by a date, with its RAG status."""

    reference = models.CharField(_("reference"), max_length=12, unique=True, editable=False)
    submission_key = models.UUIDField(unique=True, editable=False)
    objective = models.ForeignKey(
        Objective, verbose_name=_("objective"), on_delete=models.PROTECT, related_name="actions"
    )
    title = models.CharField(_("action"), max_length=200)
    description = models.TextField(_("description"), max_length=TEXT_MAX_LENGTH, blank=True)
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("owner organisation"),
        on_delete=models.PROTECT,
        related_name="action_plan_actions",
    )
    lead_name = models.CharField(_("lead (name or role)"), max_length=200, blank=True)
    lead_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead (Lantern user)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    due_on = models.DateField(_("due date"), db_index=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus, default=ActionStatus.NOT_STARTED
    )
    rag = models.CharField(_("RAG status"), max_length=5, choices=Rag, default=Rag.GREEN)
    rag_reason = models.TextField(_("reason for the RAG status"), max_length=1000, blank=True)
    completed_on = models.DateField(_("completed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(rag=Rag.GREEN) | ~Q(rag_reason=""),
                name="evaluation_amber_red_need_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.reference})"

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """Past its due date and not complete."""
        today = today or timezone.localdate()
        return self.status != ActionStatus.COMPLETE and self.due_on < today

    @property
    def lead(self) -> str:
        """Who leads it, as the plan shows it: the named lead, else the Lantern user."""
        if self.lead_name:
            return self.lead_name
        if self.lead_user_id:
            return self.lead_user.full_name
        return ""


class UpdateKind(models.TextChoices):
    CREATED = "created", _("Action added")
    EDITED = "edited", _("Action changed")
    PROGRESS = "progress", _("Progress update")
    EVIDENCE = "evidence", _("Evidence linked")


class ActionUpdate(models.Model):
    """One entry on an action's timeline: what changed, who changed it, when and why."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    submission_key = models.UUIDField(unique=True, null=True, editable=False)
    kind = models.CharField(max_length=10, choices=UpdateKind)
    note = models.TextField(_("progress update"), max_length=TEXT_MAX_LENGTH, blank=True)
    from_status = models.CharField(max_length=12, choices=ActionStatus, blank=True)
    to_status = models.CharField(max_length=12, choices=ActionStatus, blank=True)
    from_rag = models.CharField(max_length=5, choices=Rag, blank=True)
    to_rag = models.CharField(max_length=5, choices=Rag, blank=True)
    rag_reason = models.TextField(max_length=1000, blank=True)
    # The fields an edit changed, by name (their labels are shown in the reader's language).
    changed_fields = models.JSONField(default=list, blank=True)
    evidence = models.ForeignKey(
        "Evidence", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("action update")
        verbose_name_plural = _("action updates")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.action.reference}"


class EvidenceKind(models.TextChoices):
    """What an action's evidence points at. Campaigns and courses belong to the outreach app:
    the kind and reference are enough to link them once it validates them (``evidence``)."""

    OPERATION = "operation", _("Joint operation")
    KPI = "kpi", _("Key performance indicator")
    PAGE = "page", _("Page in Lantern")
    CAMPAIGN = "campaign", _("Awareness campaign")
    COURSE = "course", _("Training course")


class Evidence(models.Model):
    """A Lantern record that shows an action's progress: a kind and the record's reference."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="evidence")
    submission_key = models.UUIDField(unique=True, editable=False)
    kind = models.CharField(_("kind of evidence"), max_length=10, choices=EvidenceKind)
    reference = models.CharField(_("reference"), max_length=200)
    description = models.CharField(_("what it shows"), max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.UniqueConstraint(
                fields=["action", "kind", "reference"], name="evaluation_evidence_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"
