"""The periodic access review: each organisation's administrator confirms its users.

Every ``ACCESS_REVIEW_MONTHS`` (a quarter by default) the daily run opens a review for
each organisation with active users and asks its organisation administrators — or the
system administrators, for an organisation without one — to confirm the list of people
and their roles. It reminds them every ``ACCESS_REVIEW_REMINDER_DAYS`` until they do; a
review not confirmed ``ACCESS_REVIEW_GRACE_DAYS`` after it opened is reported to the hub
coordinators, once. Nobody is locked out by it (docs/adr/0028-accounts-sso-and-access-review.md).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from lantern.accounts.models import AccessReview
from lantern.accounts.services.common import refuse
from lantern.accounts.services.mail import enqueue_in_both_languages
from lantern.core import access, audit
from lantern.core.audit import AuditContext
from lantern.core.models import Organisation, User
from lantern.core.roles import Role

REVIEWER = "lantern daily"


@dataclass(frozen=True)
class AccessReviewRun:
    opened: list[str]
    reminded: list[str]
    reported_overdue: list[str]


def period_start(day: datetime.date) -> datetime.date:
    """The first day of the review period ``day`` falls in (1 January, 1 April… for a
    quarter)."""
    months = settings.ACCESS_REVIEW_MONTHS
    return datetime.date(day.year, (day.month - 1) // months * months + 1, 1)


def _active_with_role(role: Role) -> QuerySet[User]:
    return User.objects.filter(is_active=True, groups__name=role.value).distinct()


def reviewers(organisation: Organisation) -> list[User]:
    """Who confirms ``organisation``'s list: its organisation administrators, or the
    system administrators where it has none."""
    own = list(_active_with_role(Role.ORGANISATION_ADMINISTRATOR).filter(organisation=organisation))
    return own or list(_active_with_role(Role.SYSTEM_ADMINISTRATOR))


def _ask(review: AccessReview, *, reminder: bool) -> None:
    for reviewer in reviewers(review.organisation):
        enqueue_in_both_languages(
            template="access_review_due",
            to=reviewer.email,
            context={
                "reviewer": reviewer,
                "organisation": review.organisation.name,
                "due_on": review.due_on,
                "reminder": reminder,
            },
        )


def _report_overdue(reviews: Iterable[AccessReview]) -> None:
    reviews = list(reviews)
    if not reviews:
        return
    for coordinator in _active_with_role(Role.HUB_COORDINATOR):
        enqueue_in_both_languages(
            template="access_review_overdue",
            to=coordinator.email,
            context={"coordinator": coordinator, "reviews": reviews},
        )


def _organisations_to_review(start: datetime.date) -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(is_active=True)
        .filter(pk__in=User.objects.filter(is_active=True).values("organisation_id"))
        .exclude(pk__in=AccessReview.objects.filter(period_start=start).values("organisation_id"))
        .order_by("name")
    )


def run_access_reviews(*, now: datetime.datetime | None = None) -> AccessReviewRun:
    """Open this period's reviews, remind, and report the overdue; safe to run twice."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    start = period_start(today)
    grace = datetime.timedelta(days=settings.ACCESS_REVIEW_GRACE_DAYS)
    remind_before = now - datetime.timedelta(days=settings.ACCESS_REVIEW_REMINDER_DAYS)
    opened, reminded, overdue = [], [], []
    with transaction.atomic():
        for organisation in _organisations_to_review(start):
            review = AccessReview.objects.create(
                organisation=organisation,
                period_start=start,
                # Opened late (the first run mid-period): as long to answer all the same.
                due_on=max(start, today) + grace,
                opened_at=now,
                reminded_at=now,
            )
            audit.record(
                action=audit.Action.ACCESS_REVIEW_OPENED,
                actor_email=REVIEWER,
                target=review,
                detail={"organisation": organisation.name, "due": review.due_on.isoformat()},
            )
            _ask(review, reminder=False)
            opened.append(organisation.name)
        waiting = (
            AccessReview.objects.select_for_update()
            .filter(confirmed_at__isnull=True)
            .select_related("organisation")
            .order_by("organisation__name", "pk")
        )
        for review in waiting:
            if review.is_overdue(today) and review.reported_overdue_at is None:
                review.reported_overdue_at = now
                review.save(update_fields=["reported_overdue_at"])
                audit.record(
                    action=audit.Action.ACCESS_REVIEW_OVERDUE,
                    actor_email=REVIEWER,
                    target=review,
                    detail={"organisation": review.organisation.name},
                )
                overdue.append(review)
            current = review.period_start == start
            if current and review.reminded_at is not None and review.reminded_at <= remind_before:
                review.reminded_at = now
                review.save(update_fields=["reminded_at"])
                audit.record(
                    action=audit.Action.ACCESS_REVIEW_REMINDED,
                    actor_email=REVIEWER,
                    target=review,
                    detail={"organisation": review.organisation.name},
                )
                _ask(review, reminder=True)
                reminded.append(review.organisation.name)
        _report_overdue(overdue)
    return AccessReviewRun(
        opened=opened,
        reminded=reminded,
        reported_overdue=[review.organisation.name for review in overdue],
    )


def may_confirm(actor: User, review: AccessReview) -> bool:
    """An organisation's own administrator, or a system administrator, confirms."""
    return (
        access.can_manage_organisation_users(actor)
        and access.managed_organisations(actor).filter(pk=review.organisation_id).exists()
    )


def reviewed_users(review: AccessReview) -> QuerySet[User]:
    """The list being confirmed: the organisation's active accounts and their roles."""
    return (
        User.objects.filter(organisation_id=review.organisation_id, is_active=True)
        .filter(~Q(is_superuser=True))
        .prefetch_related("groups")
        .order_by("full_name", "pk")
    )


def confirm(
    *, actor: User, review: AccessReview, context: AuditContext | None = None
) -> AccessReview:
    """Confirm the organisation's list as it stands now; the audit entry keeps that list.

    Confirming twice (a double click) keeps the first confirmation.
    """
    if not access.can_manage_organisation_users(actor):
        raise PermissionDenied
    if not may_confirm(actor, review):
        refuse(
            actor,
            reason="another organisation's access review",
            context=context,
            review=review.pk,
        )
    with transaction.atomic():
        review = AccessReview.objects.select_for_update().get(pk=review.pk)
        if review.is_confirmed:
            return review
        review.confirmed_at = timezone.now()
        review.confirmed_by = actor
        review.save(update_fields=["confirmed_at", "confirmed_by"])
        audit.record(
            action=audit.Action.ACCESS_REVIEW_CONFIRMED,
            actor=actor,
            target=review,
            context=context,
            detail={
                "organisation": review.organisation.name,
                "period_start": review.period_start.isoformat(),
                "users": [
                    {
                        "email": user.email,
                        "roles": sorted(group.name for group in user.groups.all()),
                    }
                    for user in reviewed_users(review)
                ],
            },
        )
    return review
