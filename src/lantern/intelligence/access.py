"""Who may read intelligence reports and taskings: intelligence's part of the access
policy, registered with ``core.access`` (``access.rule``) and asked for through it
(``access.readable_intelligence(user)``), so that core imports nothing above it (ADR 0027).
The policy as a whole is described in ``core/access.py``.
"""

from django.db.models import Q, QuerySet

from lantern.core import access
from lantern.core.models import User
from lantern.core.roles import HUB_ROLES
from lantern.intelligence.models import (
    HandlingCode,
    IntelligenceReport,
    Tasking,
    TaskingStatus,
)


@access.rule
def readable_intelligence(user: User) -> QuerySet[IntelligenceReport]:
    """Every intelligence report the user may read, as one query.

    Lists, pages, search, counts and exports all start from this queryset, so that what
    a user may not read is absent everywhere alike.
    """
    reports = IntelligenceReport.objects.all()
    if not access.can_read_intelligence(user):
        return reports.none()
    if any(role in HUB_ROLES for role in user.roles()):
        return reports
    organisation_id = user.organisation_id
    named = IntelligenceReport.shared_with.through.objects.filter(
        organisation_id=organisation_id
    ).values("intelligencereport_id")
    tasked = (
        Tasking.objects.filter(organisation_id=organisation_id)
        .exclude(status=TaskingStatus.WITHDRAWN)
        .values("report_id")
    )
    return reports.filter(
        Q(handling_code=HandlingCode.P)
        | Q(originating_organisation_id=organisation_id)
        | Q(pk__in=named)
        | Q(pk__in=tasked)
    )


@access.rule
def can_add_report_update(user: User, report: IntelligenceReport) -> bool:
    """Those who may submit intelligence add updates to the reports their own
    organisation submitted (and may still read)."""
    return (
        access.can_submit_intelligence(user)
        and report.originating_organisation_id == user.organisation_id
        and readable_intelligence(user).filter(pk=report.pk).exists()
    )


@access.rule
def readable_taskings(user: User) -> QuerySet[Tasking]:
    """The taskings a user may see, as one query.

    The hub sees them all, to follow up what it asked; a partner sees only what its own
    organisation was asked, so one agency never learns what another was tasked with.
    """
    taskings = Tasking.objects.all()
    if not access.can_read_intelligence(user):
        return taskings.none()
    if any(role in HUB_ROLES for role in user.roles()):
        return taskings
    return taskings.filter(organisation_id=user.organisation_id).exclude(
        status=TaskingStatus.WITHDRAWN
    )


@access.rule
def can_answer_tasking(user: User, tasking: Tasking) -> bool:
    """A user of the tasked organisation answers the tasking while it is still open."""
    return (
        access.can_answer_taskings(user)
        and tasking.organisation_id == user.organisation_id
        and tasking.status == TaskingStatus.OPEN
    )
