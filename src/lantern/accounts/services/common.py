"""What every account service shares: refusing, and audited, an attempt to widen access."""

from django.core.exceptions import PermissionDenied

from lantern.core import audit
from lantern.core.audit import AuditContext
from lantern.core.models import User


def refuse(actor: User, *, reason: str, context: AuditContext | None, **detail: object) -> None:
    """Audit a refused attempt (another organisation's user, a role not theirs to give,
    their own account), then refuse it: exactly what a reviewer of the log looks for."""
    audit.record(
        action=audit.Action.ADMIN_REFUSED,
        actor=actor,
        context=context,
        detail={"reason": reason, **detail},
    )
    raise PermissionDenied(reason)
