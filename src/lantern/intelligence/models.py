"""Intelligence reports from partners, graded with the UK 3x5x2 scheme (DOMAIN.md §3).

Who may read a report is decided by ``core.access.readable_intelligence`` from its
handling code: P is shared with every partner user holding an intelligence role; C only
with the originating organisation, the hub's analysts and coordinators, and the
organisations named in its conditions (``shared_with``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantern.core.models import ExploitationType, Indicator, LocalAuthorityArea, Organisation
from lantern.core.workflow import Workflow

SUMMARY_MAX_LENGTH = 200
NARRATIVE_MAX_LENGTH = 20000


class SourceEvaluation(models.TextChoices):
    RELIABLE = "1", _("1 – Reliable")
    UNTESTED = "2", _("2 – Untested")
    NOT_RELIABLE = "3", _("3 – Not reliable")


class IntelligenceAssessment(models.TextChoices):
    KNOWN_DIRECTLY = "A", _("A – Known directly to the source")
    CORROBORATED = "B", _("B – Known indirectly to the source but corroborated")
    KNOWN_INDIRECTLY = "C", _("C – Known indirectly to the source")
    NOT_KNOWN = "D", _("D – Not known")
    SUSPECTED_FALSE = "E", _("E – Suspected to be false or malicious")


class HandlingCode(models.TextChoices):
    P = "P", _("P – Lawful sharing permitted")
    C = "C", _("C – Lawful sharing permitted with conditions")


class Sector(models.TextChoices):
    """Where exploitation hides (DOMAIN.md §4)."""

    HAND_CAR_WASH = "hand_car_wash", _("Hand car wash")
    NAIL_BAR = "nail_bar", _("Nail bar")
    AGRICULTURE = "agriculture", _("Agriculture and food processing")
    CONSTRUCTION = "construction", _("Construction")
    CANNABIS = "cannabis", _("Cannabis cultivation")
    HOSPITALITY = "hospitality", _("Hospitality")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    SEX_WORK = "sex_work", _("Sex work and adult services")
    DOMESTIC_WORK = "domestic_work", _("Domestic work")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Not known")


class Status(models.TextChoices):
    NEW = "new", _("New")
    UNDER_ASSESSMENT = "under_assessment", _("Under assessment")
    TASKED = "tasked", _("Tasked")
    ACTIONED = "actioned", _("Actioned")
    CLOSED = "closed", _("Closed")


# The moves triage allows (issue 4): forward through the workflow, back to assessment to
# re-task, back to tasked when an action needs more, and closing once assessed or actioned.
TRANSITIONS = Workflow(
    Status,
    {
        Status.NEW: (Status.UNDER_ASSESSMENT,),
        Status.UNDER_ASSESSMENT: (Status.TASKED, Status.CLOSED),
        Status.TASKED: (Status.ACTIONED, Status.UNDER_ASSESSMENT),
        Status.ACTIONED: (Status.CLOSED, Status.TASKED),
        Status.CLOSED: (),
    },
)


class ClosingReason(models.TextChoices):
    NO_FURTHER_ACTION = "no_further_action", _("No further action")
    REFERRED_TO_OPERATION = "referred_to_operation", _("Referred to an operation")
    REFERRED_FOR_SAFEGUARDING = "referred_for_safeguarding", _("Referred for safeguarding")
    PASSED_ON = "passed_on", _("Passed to another force or agency")


NOTE_MAX_LENGTH = 2000


class IntelligenceReport(models.Model):
    """A piece of intelligence a partner organisation shares with the hub."""

    reference = models.CharField(_("reference"), max_length=12, unique=True, editable=False)
    submission_key = models.UUIDField(unique=True, editable=False)
    summary = models.CharField(_("summary"), max_length=SUMMARY_MAX_LENGTH)
    narrative = models.TextField(_("narrative"), max_length=NARRATIVE_MAX_LENGTH)
    occurred_on = models.DateField(_("date it happened"), null=True, blank=True)
    location = models.TextField(_("location"), max_length=1000, blank=True)
    postcode = models.CharField(_("postcode"), max_length=8, blank=True)
    area = models.ForeignKey(
        LocalAuthorityArea,
        verbose_name=_("local authority area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    exploitation_types = models.ManyToManyField(
        ExploitationType, verbose_name=_("exploitation types"), blank=True, related_name="+"
    )
    child_involved = models.BooleanField(_("child involved"), default=False)
    indicators = models.ManyToManyField(
        Indicator, verbose_name=_("indicators"), blank=True, related_name="+"
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector, default=Sector.UNKNOWN)
    source_evaluation = models.CharField(
        _("source evaluation"), max_length=1, choices=SourceEvaluation
    )
    intelligence_assessment = models.CharField(
        _("intelligence assessment"), max_length=1, choices=IntelligenceAssessment
    )
    handling_code = models.CharField(_("handling code"), max_length=1, choices=HandlingCode)
    handling_conditions = models.TextField(_("handling conditions"), max_length=2000, blank=True)
    shared_with = models.ManyToManyField(
        Organisation,
        verbose_name=_("organisations named in the conditions"),
        blank=True,
        related_name="intelligence_shared_with",
    )
    originating_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("originating organisation"),
        on_delete=models.PROTECT,
        related_name="intelligence_originated",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True, db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.NEW)
    assessment = models.TextField(
        _("analyst's assessment"), max_length=NARRATIVE_MAX_LENGTH, blank=True
    )
    public_report = models.OneToOneField(
        "public.PublicReport",
        verbose_name=_("report from the public it came from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intelligence_report",
    )
    sanitised_from = models.OneToOneField(
        "self",
        verbose_name=_("restricted original"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sanitised_version",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        # The triage queue: open reports by age, counted and paged without reading the
        # closed ones that make up most of a partnership's history.
        indexes = [
            models.Index(
                fields=["created_at", "id"],
                condition=~Q(status="closed"),
                name="intelligence_open_queue",
            )
        ]
        verbose_name = _("intelligence report")
        verbose_name_plural = _("intelligence reports")
        permissions = [
            ("submit_intelligence", _("Can submit intelligence")),
            ("view_intelligence", _("Can read intelligence shared with them")),
            ("triage_intelligence", _("Can triage intelligence and change its status")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(handling_code=HandlingCode.P)
                | (Q(handling_code=HandlingCode.C) & ~Q(handling_conditions="")),
                name="intelligence_c_states_its_conditions",
            ),
            models.CheckConstraint(
                condition=Q(source_evaluation__in=SourceEvaluation.values)
                & Q(intelligence_assessment__in=IntelligenceAssessment.values)
                & Q(handling_code__in=HandlingCode.values),
                name="intelligence_grading_in_scheme",
            ),
            # A sanitised version exists to be shared widely: it is always P.
            models.CheckConstraint(
                condition=Q(sanitised_from__isnull=True) | Q(handling_code=HandlingCode.P),
                name="intelligence_sanitised_version_is_p",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def grading(self) -> str:
        """``"2 / B / C"``: source evaluation, intelligence assessment, handling code."""
        return f"{self.source_evaluation} / {self.intelligence_assessment} / {self.handling_code}"


class StatusChange(models.Model):
    """One step of a report's timeline: the status it left, the one it took, who and why.

    A report's first entry is its submission (``from_status`` empty, ``to_status`` new).
    """

    report = models.ForeignKey(
        IntelligenceReport,
        verbose_name=_("intelligence report"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    from_status = models.CharField(_("from status"), max_length=20, choices=Status, blank=True)
    to_status = models.CharField(_("to status"), max_length=20, choices=Status)
    reason = models.CharField(
        _("reason for closing"), max_length=30, choices=ClosingReason, blank=True
    )
    note = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        constraints = [
            models.CheckConstraint(
                condition=~Q(to_status=Status.CLOSED) | ~Q(reason=""),
                name="intelligence_closing_states_its_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} → {self.to_status}"


class Regrading(models.Model):
    """An analyst's change to a report's 3x5x2 grading, kept with the reason for it."""

    report = models.ForeignKey(
        IntelligenceReport,
        verbose_name=_("intelligence report"),
        on_delete=models.CASCADE,
        related_name="regradings",
    )
    previous_grading = models.CharField(_("previous grading"), max_length=9)
    grading = models.CharField(_("new grading"), max_length=9)
    reason = models.TextField(_("reason"), max_length=NOTE_MAX_LENGTH)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("regrading")
        verbose_name_plural = _("regradings")

    def __str__(self) -> str:
        return f"{self.report}: {self.previous_grading} → {self.grading}"


class TaskingStatus(models.TextChoices):
    OPEN = "open", _("Awaiting an answer")
    ANSWERED = "answered", _("Answered")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class TaskingResult(models.TextChoices):
    ACTION_TAKEN = "action_taken", _("Action taken")
    INTELLIGENCE_CONFIRMED = "intelligence_confirmed", _("Intelligence confirmed")
    NOTHING_FOUND = "nothing_found", _("Nothing found")
    COULD_NOT_ACT = "could_not_act", _("Could not act")


REQUEST_MAX_LENGTH = 2000
UPDATE_MAX_LENGTH = 5000


class Tasking(models.Model):
    """A hub analyst's request to one agency to act on a report, by a deadline.

    The tasked organisation may read the report while it holds the tasking (see
    ``core.access.readable_intelligence``), whatever its handling code.
    """

    report = models.ForeignKey(
        IntelligenceReport,
        verbose_name=_("intelligence report"),
        on_delete=models.CASCADE,
        related_name="taskings",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("tasked organisation"),
        on_delete=models.PROTECT,
        related_name="taskings",
    )
    submission_key = models.UUIDField(unique=True, editable=False)
    request = models.TextField(_("what is asked"), max_length=REQUEST_MAX_LENGTH)
    deadline = models.DateField(_("deadline"), db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=TaskingStatus, default=TaskingStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tasked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tasked"), auto_now_add=True)
    result = models.CharField(_("result"), max_length=30, choices=TaskingResult, blank=True)
    response = models.TextField(_("what was done"), max_length=REQUEST_MAX_LENGTH, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("tasking")
        verbose_name_plural = _("taskings")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=TaskingStatus.ANSWERED)
                | (~Q(result="") & ~Q(response="") & Q(responded_at__isnull=False)),
                name="intelligence_answered_tasking_states_its_result",
            ),
        ]
        # Covers "the reports my organisation is tasked on" in the access policy.
        indexes = [
            models.Index(fields=["organisation", "status", "report"], name="intelligence_tasked")
        ]

    def __str__(self) -> str:
        return f"{self.report} → {self.organisation}"

    @property
    def is_overdue(self) -> bool:
        return self.status == TaskingStatus.OPEN and self.deadline < timezone.localdate()


class ReportUpdate(models.Model):
    """An update the originating organisation adds to a report it submitted: an addendum
    on the timeline, never an edit of what was sent (the original stays as the hub read
    it). It follows the report's handling code: whoever reads the report reads it."""

    report = models.ForeignKey(IntelligenceReport, on_delete=models.CASCADE, related_name="updates")
    submission_key = models.UUIDField(unique=True, editable=False)
    text = models.TextField(_("update"), max_length=UPDATE_MAX_LENGTH)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("update to a report")
        verbose_name_plural = _("updates to reports")

    def __str__(self) -> str:
        return f"{self.report.reference}: {self.created_at:%Y-%m-%d}"
