"""Background jobs as administrators see them, and the overdue notices already sent.

``Job`` is the task table of ``django-tasks-db`` under a name of our own (a proxy: no
table of its own), so that the administration shows it as "background jobs", translated.
"""

from django.db import models
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
