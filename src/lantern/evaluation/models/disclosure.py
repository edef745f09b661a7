"""The ledger of published cells: what disclosure control compares a new release with."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PublishedCell(models.Model):
    """One figure as it was published (or withheld) in one release.

    A release that shows the same cell again is checked against the last value shown, so
    that the difference between two releases never reveals a small number of records
    (``lantern.evaluation.disclosure.ledger_suppressions``). ``shown`` is empty when the
    figure was withheld. Only the value shown is kept: the ledger holds no record and no
    true small count.
    """

    table_id = models.CharField(_("table"), max_length=200)
    cell_key = models.CharField(_("cell"), max_length=200)
    period = models.CharField(_("period"), max_length=50)
    shown = models.BigIntegerField(_("value shown"), null=True, blank=True)
    release = models.CharField(_("release"), max_length=200)
    published_at = models.DateTimeField(_("published"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(
                fields=["table_id", "period", "cell_key", "-published_at"],
                name="evaluation_ledger_lookup",
            )
        ]
        verbose_name = _("published cell")
        verbose_name_plural = _("published cells")

    def __str__(self) -> str:
        return f"{self.table_id} {self.cell_key} {self.period}: {self.shown}"
