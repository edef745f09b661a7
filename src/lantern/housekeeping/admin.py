"""The background jobs page for system administrators: what ran, what waits, what failed
and why, and a retry for failed jobs (each retry audited).

A job's arguments are not shown: an email job's hold the address it goes to.
"""

import datetime

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.tasks import TaskResultStatus
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tasks_db.models import get_date_max

from lantern.core import access
from lantern.core.admin import AuditedAdmin, site
from lantern.core.audit import AuditContext
from lantern.housekeeping import selectors, services, workers
from lantern.housekeeping.models import Job, RetentionRule

TASK_NAMES = {
    "lantern.core.outbox.send_email": _("Send an email"),
    "lantern.entities.tasks.correlate_unresolved": _("Link imported mentions to entities"),
    "lantern.housekeeping.tasks.daily": _("Daily scheduled work"),
}


@admin.register(Job, site=site)
class JobAdmin(admin.ModelAdmin):
    list_display = ("task", "status", "enqueued_at", "finished_at", "runs", "error")
    list_filter = ("status",)
    ordering = ["-enqueued_at"]
    fields = (
        "task",
        "status",
        "enqueued_at",
        "waits_until",
        "started_at",
        "finished_at",
        "runs",
        "trace",
    )
    readonly_fields = fields
    actions = ["retry"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Job]:
        return selectors.jobs(request.user)

    @admin.display(description=_("runs"))
    def runs(self, obj: Job) -> str:
        """How many times a worker started it; a running job whose worker stopped says so."""
        started = len(obj.worker_ids)
        if obj.status == TaskResultStatus.RUNNING and workers.is_stalled(obj):
            if obj.task_path == workers.EMAIL_TASK:
                return _("%(runs)d. Its worker stopped: it will be marked failed") % {
                    "runs": started
                }
            return _("%(runs)d. Its worker stopped: it will be run again") % {"runs": started}
        if obj.status == TaskResultStatus.READY and started:
            return _("%(runs)d. Queued again after its worker stopped") % {"runs": started}
        return str(started)

    @admin.display(description=_("task"), ordering="task_path")
    def task(self, obj: Job) -> str:
        return str(TASK_NAMES.get(obj.task_path, obj.task_path))

    @admin.display(description=_("waits until"), empty_value=_("not waiting"))
    def waits_until(self, obj: Job) -> datetime.datetime | None:
        return None if obj.run_after == get_date_max() else obj.run_after

    @admin.display(description=_("error"), empty_value="")
    def error(self, obj: Job) -> str:
        lines = obj.traceback.strip().splitlines()
        return lines[-1][:300] if lines else ""

    @admin.display(description=_("what went wrong"), empty_value=_("nothing"))
    def trace(self, obj: Job) -> str:
        return obj.traceback

    @admin.action(description=_("Retry the selected failed jobs"))
    def retry(self, request: HttpRequest, queryset: QuerySet[Job]) -> None:
        retried = services.retry_jobs(
            jobs=queryset, actor=request.user, context=AuditContext.from_request(request)
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d failed job queued again.",
                "%(count)d failed jobs queued again.",
                retried,
            )
            % {"count": retried},
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return access.can_administer(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return access.can_administer(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(RetentionRule, site=site)
class RetentionRuleAdmin(AuditedAdmin):
    """The retention schedule: the partnership sets each kind's review period (audited).

    The kinds are fixed (each needs code that finds its records), so none is added or
    removed here.
    """

    list_display = ("kind", "review_after_days", "automatic")
    fields = ("kind", "review_after_days", "automatic", "rationale")
    readonly_fields = ("kind",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return access.can_administer(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return access.can_administer(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return access.can_administer(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
