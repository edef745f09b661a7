"""Adding KPIs and setting their baselines and targets (the hub coordinator).

A KPI is built from the registered measures only: the coordinator chooses what is
counted, never writes a query.
"""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lantern.core import access, audit
from lantern.core.audit import Action, AuditContext
from lantern.core.models import User
from lantern.evaluation import measures
from lantern.evaluation.models import Kpi, Statistic

DURATION_STATISTICS = {Statistic.MEDIAN, Statistic.P90}


def check_definition(*, measure: str, denominator: str, statistic: str) -> None:
    """Refuse a KPI whose statistic does not fit its measures, naming the field."""
    counted = measures.get(measure)
    if counted is None:
        raise ValidationError({"measure": _("Choose what is counted from the list.")})
    if counted.kind == measures.PAIRED:
        if statistic != Statistic.PERCENT or denominator:
            message = _("A knowledge uplift is a percentage of its own, out of nothing else.")
            raise ValidationError({"statistic": message})
        return
    if statistic in DURATION_STATISTICS and counted.kind != measures.DURATION:
        raise ValidationError(
            {"statistic": _("A median or percentile needs a time measure, such as time to triage.")}
        )
    if statistic not in DURATION_STATISTICS and counted.kind == measures.DURATION:
        raise ValidationError(
            {"statistic": _("A time measure is shown as a median or a 90th percentile.")}
        )
    if statistic == Statistic.PERCENT:
        bottom = measures.get(denominator)
        if bottom is None or bottom.kind == measures.DURATION:
            raise ValidationError(
                {"denominator": _("A percentage needs the records it is a share of.")}
            )
    elif denominator:
        raise ValidationError({"denominator": _("Only a percentage is counted out of something.")})


@transaction.atomic
def add_kpi(
    *,
    actor: User,
    code: str,
    name: str,
    name_fr: str,
    measure: str,
    denominator: str = "",
    statistic: str = Statistic.COUNT,
    direction: str = "up",
    note: str = "",
    note_fr: str = "",
    baseline_year: int | None = None,
    target: Decimal | None = None,
    is_headline: bool = False,
    context: AuditContext | None = None,
) -> Kpi:
    """A new KPI; sending the same definition twice makes one KPI."""
    if not access.can_manage_kpis(actor):
        raise PermissionError
    check_definition(measure=measure, denominator=denominator, statistic=statistic)
    fields: dict[str, Any] = {
        "name": name,
        "name_fr": name_fr,
        "measure": measure,
        "denominator": denominator,
        "statistic": statistic,
        "direction": direction,
        "note": note,
        "note_fr": note_fr,
        "baseline_year": baseline_year,
        "target": target,
        "is_headline": is_headline,
    }
    existing = Kpi.objects.select_for_update().filter(code=code).first()
    if existing is not None:
        if all(getattr(existing, key) == value for key, value in fields.items()):
            return existing
        raise ValidationError({"code": _("A KPI with this code already exists.")})
    kpi = Kpi.objects.create(code=code, **fields)
    audit.record(
        action=Action.KPI_ADDED,
        actor=actor,
        context=context,
        target=kpi,
        detail={"code": code, "measure": measure, "statistic": statistic},
    )
    return kpi


@transaction.atomic
def set_baseline_and_target(
    *,
    actor: User,
    kpi: Kpi,
    baseline_year: int | None,
    target: Decimal | None,
    is_headline: bool,
    context: AuditContext | None = None,
) -> Kpi:
    """The year a KPI is compared with, its target and whether it is a headline figure."""
    if not access.can_manage_kpis(actor):
        raise PermissionError
    kpi = Kpi.objects.select_for_update().get(pk=kpi.pk)
    before = {
        "baseline_year": kpi.baseline_year,
        "target": None if kpi.target is None else str(kpi.target),
        "is_headline": kpi.is_headline,
    }
    kpi.baseline_year, kpi.target, kpi.is_headline = baseline_year, target, is_headline
    kpi.save(update_fields=["baseline_year", "target", "is_headline", "updated_at"])
    audit.record(
        action=Action.KPI_CHANGED,
        actor=actor,
        context=context,
        target=kpi,
        detail={
            "before": before,
            "after": {
                "baseline_year": baseline_year,
                "target": None if target is None else str(target),
                "is_headline": is_headline,
            },
        },
    )
    return kpi
