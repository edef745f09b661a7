"""Joint multi-agency operations, from plan to debrief.

Only the participating organisations, the hub's analysts and its coordinators see an
operation (``core.access.readable_operations``). Debrief totals are computed from the
linked records — targets' outcomes, potential victims, NRM referrals, intelligence —
never typed twice (``selectors.debrief_totals``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from lantern.core.models import LocalAuthorityArea, Organisation
from lantern.core.workflow import Workflow

TEXT_MAX_LENGTH = 5000
# The word planners put in front of an operational name, in either language.
_OPERATION_WORDS = frozenset({"operation", "opération", "op"})


class OperationStatus(models.TextChoices):
    # In context: French agrees the status with "une opération" (Planifiée, Clôturée),
    # where the same English words for a report or a tasking are masculine.
    PLANNED = "planned", pgettext_lazy("operation status", "Planned")
    BRIEFED = "briefed", pgettext_lazy("operation status", "Briefed")
    LIVE = "live", pgettext_lazy("operation status", "Live")
    DEBRIEFED = "debriefed", pgettext_lazy("operation status", "Debriefed")
    CLOSED = "closed", pgettext_lazy("operation status", "Closed")
    CANCELLED = "cancelled", pgettext_lazy("operation status", "Cancelled")


# The only moves an operation makes; anything else is refused (``services.move``).
# Cancelling needs a reason and is possible until the operation goes live.
TRANSITIONS = Workflow(
    OperationStatus,
    {
        OperationStatus.PLANNED: (OperationStatus.BRIEFED, OperationStatus.CANCELLED),
        OperationStatus.BRIEFED: (OperationStatus.LIVE, OperationStatus.CANCELLED),
        OperationStatus.LIVE: (OperationStatus.DEBRIEFED,),
        OperationStatus.DEBRIEFED: (OperationStatus.CLOSED,),
        OperationStatus.CLOSED: (),
        OperationStatus.CANCELLED: (),
    },
)
# The plan (participants, targets) changes until the debrief; a closed or cancelled
# operation is a record, not a plan.
PLAN_OPEN_STATUSES = frozenset(
    {OperationStatus.PLANNED, OperationStatus.BRIEFED, OperationStatus.LIVE}
)
# Outcomes are recorded once the operation has gone live, until it is closed.
DEBRIEF_STATUSES = frozenset({OperationStatus.LIVE, OperationStatus.DEBRIEFED})


class Operation(models.Model):
    """A joint operation: its plan, its participants and its status."""

    reference = models.CharField(_("reference"), max_length=12, unique=True, editable=False)
    submission_key = models.UUIDField(unique=True, editable=False)
    name = models.CharField(_("operational name"), max_length=100)
    objective = models.TextField(_("objective"), max_length=TEXT_MAX_LENGTH)
    lead_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("lead agency"),
        on_delete=models.PROTECT,
        related_name="led_operations",
    )
    area = models.ForeignKey(
        LocalAuthorityArea,
        verbose_name=_("local authority area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    briefing_notes = models.TextField(_("briefing notes"), max_length=TEXT_MAX_LENGTH, blank=True)
    risk_assessment = models.TextField(_("risk assessment"), max_length=TEXT_MAX_LENGTH)
    # The rest of the IIMARCH operation order (Information = briefing notes, Intent =
    # objective, Risk assessment, Humanitarian issues = the safeguarding plan below).
    method = models.TextField(_("method"), max_length=TEXT_MAX_LENGTH, blank=True)
    rendezvous_point = models.CharField(_("rendezvous point"), max_length=300, blank=True)
    administration = models.TextField(_("administration"), max_length=TEXT_MAX_LENGTH, blank=True)
    command_roles = models.TextField(
        _("command roles and contacts"), max_length=TEXT_MAX_LENGTH, blank=True
    )
    communications = models.TextField(_("communications"), max_length=TEXT_MAX_LENGTH, blank=True)
    interpreters = models.CharField(_("interpreters"), max_length=500, blank=True)
    reception_centre = models.CharField(_("reception centre"), max_length=500, blank=True)
    support_on_standby = models.TextField(
        _("support on standby"), max_length=TEXT_MAX_LENGTH, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OperationStatus,
        default=OperationStatus.PLANNED,
        db_index=True,
    )
    went_live_at = models.DateTimeField(_("went live"), null=True, blank=True)
    debrief_notes = models.TextField(_("debrief notes"), max_length=TEXT_MAX_LENGTH, blank=True)
    intelligence_generated = models.ManyToManyField(
        "intelligence.IntelligenceReport",
        verbose_name=_("new intelligence generated"),
        related_name="generated_by_operations",
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("planned"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("operation")
        verbose_name_plural = _("operations")
        permissions = [("plan_operations", _("Can plan and run joint operations"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="operations_window_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.reference})"

    @property
    def title(self) -> str:
        """The name as people say it: "Operation Kestrel", never "Operation Operation Kestrel".

        Planners type the name with or without the word (both are in use); the pages add it
        only when it is not there already.
        """
        first_word = self.name.split(maxsplit=1)[0].casefold() if self.name.strip() else ""
        if first_word.rstrip(".") in _OPERATION_WORDS:
            return self.name
        return gettext("Operation %(name)s") % {"name": self.name}

    @property
    def plan_is_open(self) -> bool:
        return self.status in PLAN_OPEN_STATUSES

    @property
    def can_be_debriefed(self) -> bool:
        """Only an operation that went live has outcomes; a closed one keeps them as they are."""
        return self.status in DEBRIEF_STATUSES


class Participant(models.Model):
    """An agency taking part in an operation, and its role. It sees the plan from now on."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="participants")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="operation_participations",
    )
    role = models.CharField(_("role in the operation"), max_length=200)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("participating agency")
        verbose_name_plural = _("participating agencies")
        constraints = [
            models.UniqueConstraint(
                fields=["operation", "organisation"], name="operations_one_participation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.role}"


class Target(models.Model):
    """A premises, business, vehicle or person the operation acts on, and what came of it.

    ``description`` is what the planner chose to share with participants; the hub entity
    and the intelligence behind it are shown only to those who may read them.
    """

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="targets")
    entity = models.ForeignKey(
        "entities.Entity",
        verbose_name=_("hub entity"),
        on_delete=models.PROTECT,
        related_name="operation_targets",
    )
    description = models.CharField(_("description for participants"), max_length=300)
    justification = models.ManyToManyField(
        "intelligence.IntelligenceReport",
        verbose_name=_("intelligence that justifies it"),
        related_name="operation_targets",
    )
    # Debrief outcomes for this target; the operation's totals add these up.
    visited = models.BooleanField(_("visited"), default=False)
    people_spoken_to = models.PositiveIntegerField(_("people spoken to"), default=0)
    arrests = models.PositiveIntegerField(_("arrests"), default=0)
    charges = models.PositiveIntegerField(_("charges"), default=0)
    warrants_executed = models.PositiveIntegerField(_("warrants executed"), default=0)
    closure_orders = models.PositiveIntegerField(_("closure orders and notices"), default=0)
    items_seized = models.PositiveIntegerField(_("items seized"), default=0)
    outcome_notes = models.TextField(_("what happened"), max_length=TEXT_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["operation", "entity"], name="operations_one_target"),
        ]

    def __str__(self) -> str:
        return self.description


class EnforcementKind(models.TextChoices):
    LICENSING = "licensing", _("Licensing")
    TAX = "tax", _("Tax")
    IMMIGRATION = "immigration", _("Immigration")
    HEALTH_AND_SAFETY = "health_and_safety", _("Health and safety")
    FIRE = "fire", _("Fire safety")


class Disruption(models.Model):
    """A business disrupted at a target, by which kind of enforcement."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="disruptions")
    kind = models.CharField(_("enforcement"), max_length=20, choices=EnforcementKind)
    note = models.CharField(_("what was done"), max_length=500, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("business disruption")
        verbose_name_plural = _("business disruptions")
        constraints = [
            models.UniqueConstraint(fields=["target", "kind"], name="operations_one_disruption"),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class StatusChange(models.Model):
    """One move of an operation's status: the timeline, and who moved it."""

    operation = models.ForeignKey(
        Operation, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=10, choices=OperationStatus, blank=True)
    to_status = models.CharField(max_length=10, choices=OperationStatus)
    reason = models.TextField(_("reason"), max_length=TEXT_MAX_LENGTH, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.operation.reference}: {self.from_status} → {self.to_status}"
