"""Who may read, run and hand over from operations: operations' part of the access
policy, registered with ``core.access`` (``access.rule``) and asked for through it
(``access.readable_operations(user)``), so that core imports nothing above it (ADR 0027).
The policy as a whole is described in ``core/access.py``.
"""

from django.db.models import QuerySet

from lantern.core import access
from lantern.core.models import User
from lantern.core.roles import Role
from lantern.operations.models import Operation


@access.rule
def readable_operations(user: User) -> QuerySet[Operation]:
    """Operations the user may see: the hub sees all, an agency those it takes part in."""
    operations = Operation.objects.all()
    if not access.can_read_operations(user):
        return operations.none()
    if access.holds_hub_role(user):
        return operations
    return operations.filter(participants__organisation_id=user.organisation_id)


@access.rule
def runnable_operations(user: User) -> QuerySet[Operation]:
    """Operations the user changes and debriefs: the lead agency's operations leads', and
    every operation for hub coordinators."""
    if not access.can_plan_operations(user):
        return Operation.objects.none()
    operations = readable_operations(user)
    if access.has_role(user, Role.HUB_COORDINATOR):
        return operations
    return operations.filter(lead_organisation_id=user.organisation_id)


@access.rule
def can_run_operation(user: User, operation: Operation) -> bool:
    """Whether ``operation`` is one of ``runnable_operations``."""
    return runnable_operations(user).filter(pk=operation.pk).exists()


@access.rule
def can_hand_over_victims(user: User, operation: Operation) -> bool:
    """Who hands people found in an operation to a participating organisation's
    safeguarding lead: those who run it, and users of every participating agency (the
    officer at the door is often not the lead agency's). Hub analysts read every operation
    but take no part in it, so they hand over nobody."""
    if can_run_operation(user, operation):
        return True
    return (
        access.can_read_operations(user)
        and readable_operations(user).filter(pk=operation.pk).exists()
        and operation.participants.filter(organisation_id=user.organisation_id).exists()
    )
