"""The access policy: the single answer to "may this user see or do this?".

Selectors, views, the admin, exports and search ask these functions; none of them
re-implements a rule. Later apps extend this module with their own predicates (handling
codes, victim data, aggregates) built on the organisation and role checks below.

Rules so far (DESIGN.md, "The access policy"):

- A user sees shared partnership data only while their account is active and their
  organisation is active with a signed information sharing agreement (ISA).
- What a user may do beyond that comes from their roles (Django groups with permissions).
- System administrators administer organisations, users and roles, and verify the audit
  log. Administration is not shared data, so it does not depend on an ISA.
- Board viewers see aggregates only, never individual records.
- Intelligence (``readable_intelligence``): handling code P is shared with every user who
  holds an intelligence role in a partner organisation; handling code C only with the
  originating organisation, hub analysts and hub coordinators, and the organisations
  named in its conditions, and organisations tasked to act on it (until the tasking is
  withdrawn). A report a user may not read does not exist for them.
- Triage (``can_triage_intelligence``): hub analysts work the queue and move a report's
  status, only on reports they may read.
- Taskings (``readable_taskings``, ``can_answer_tasking``): hub analysts and coordinators
  see every tasking; anyone else sees only their own organisation's taskings that are not
  withdrawn, and answers one while it is open if they may submit intelligence.
"""

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from lantern.core.models import Organisation, User
from lantern.core.roles import HUB_ROLES, Role

if TYPE_CHECKING:
    from lantern.intelligence.models import IntelligenceReport, Tasking


def _is_signed_in(user: User) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def has_role(user: User, role: Role) -> bool:
    if not _is_signed_in(user):
        return False
    return role in user.roles()


def has_shared_data_access(user: User) -> bool:
    """Whether the user's organisation currently takes part in sharing at all."""
    if not _is_signed_in(user):
        return False
    organisation = user.organisation
    return organisation is not None and organisation.has_shared_data_access


def can_administer(user: User) -> bool:
    """Organisations, users, roles and the audit log (the admin site)."""
    if not _is_signed_in(user):
        return False
    return user.is_superuser or user.has_perm("core.administer_partnership")


def can_verify_audit_log(user: User) -> bool:
    return _is_signed_in(user) and user.has_perm("core.verify_audit_log")


def can_view_partner_directory(user: User) -> bool:
    """The directory of partner organisations is shared data."""
    return has_shared_data_access(user) and user.has_perm("core.view_partner_directory")


def sees_aggregates_only(user: User) -> bool:
    """Board viewers: totals and trends, never an individual record."""
    return has_role(user, Role.BOARD_VIEWER) and not any(
        role in user.roles() for role in Role if role is not Role.BOARD_VIEWER
    )


def visible_partner_organisations(user: User) -> QuerySet[Organisation]:
    """Organisations a user may see in the partner directory: active partners only."""
    if not can_view_partner_directory(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(is_active=True)


def administrable_users(user: User) -> QuerySet[User]:
    if not can_administer(user):
        return User.objects.none()
    return User.objects.all()


def administrable_organisations(user: User) -> QuerySet[Organisation]:
    if not can_administer(user):
        return Organisation.objects.none()
    return Organisation.objects.all()


def can_view_public_reports(user: User) -> bool:
    """Reports from the public: hub analysts, until intelligence triage takes them over."""
    return has_shared_data_access(user) and user.has_perm("public.view_public_reports")


def can_submit_intelligence(user: User) -> bool:
    """Partners share what they know; only while their organisation takes part in sharing."""
    return has_shared_data_access(user) and user.has_perm("intelligence.submit_intelligence")


def can_read_intelligence(user: User) -> bool:
    """Whether the user may read any intelligence at all (P, and C shared with them)."""
    return (
        has_shared_data_access(user)
        and not sees_aggregates_only(user)
        and user.has_perm("intelligence.view_intelligence")
    )


def can_triage_intelligence(user: User) -> bool:
    """Hub analysts: the triage queue and status changes, on what they may read."""
    return (
        can_read_intelligence(user)
        and has_role(user, Role.HUB_ANALYST)
        and user.has_perm("intelligence.triage_intelligence")
    )


def readable_intelligence(user: User) -> "QuerySet[IntelligenceReport]":
    """Every intelligence report the user may read, as one query.

    Lists, pages, search, counts and exports all start from this queryset, so that what
    a user may not read is absent everywhere alike.
    """
    from lantern.intelligence.models import (
        HandlingCode,
        IntelligenceReport,
        Tasking,
        TaskingStatus,
    )

    reports = IntelligenceReport.objects.all()
    if not can_read_intelligence(user):
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


def readable_taskings(user: User) -> "QuerySet[Tasking]":
    """The taskings a user may see, as one query.

    The hub sees them all, to follow up what it asked; a partner sees only what its own
    organisation was asked, so one agency never learns what another was tasked with.
    """
    from lantern.intelligence.models import Tasking, TaskingStatus

    taskings = Tasking.objects.all()
    if not can_read_intelligence(user):
        return taskings.none()
    if any(role in HUB_ROLES for role in user.roles()):
        return taskings
    return taskings.filter(organisation_id=user.organisation_id).exclude(
        status=TaskingStatus.WITHDRAWN
    )


def can_answer_taskings(user: User) -> bool:
    """Whether the user answers their organisation's taskings (the Taskings page)."""
    return can_read_intelligence(user) and can_submit_intelligence(user)


def can_answer_tasking(user: User, tasking: "Tasking") -> bool:
    """A user of the tasked organisation answers the tasking while it is still open."""
    from lantern.intelligence.models import TaskingStatus

    return (
        can_answer_taskings(user)
        and tasking.organisation_id == user.organisation_id
        and tasking.status == TaskingStatus.OPEN
    )
