"""The audit service: the one way anything is written to the audit log.

Each entry stores the SHA-256 hash of its own content together with the hash of the entry
before it, so altering, removing or reordering any entry breaks the chain from that point
on. ``verify_chain`` (``lantern audit verify``) walks the chain and names the first entry
that does not fit. The chain alone cannot show its last entries deleted, or its tail
rewritten with recomputed hashes: ``check_recorded_heads`` compares heads an operator
recorded outside the database (the verify command prints ``head SEQ HASH``) with the log;
see docs/adr/0004-audit-log.md.
"""

import enum
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.http import HttpRequest
from django.utils import timezone

from lantern.core import bulk
from lantern.core.models import AuditEvent, User

GENESIS_HASH = "0" * 64
# Any constant will do: it names the advisory lock that serialises appends on PostgreSQL.
_POSTGRES_CHAIN_LOCK = 7_247_001


class Action(enum.StrEnum):
    """Names of audited actions, in this dotted style.

    A ``StrEnum``, so that a misspelt action fails at import and type checking rather than
    writing a name nobody searches for; each member is its string, so the stored values
    and the hash chain over them are what they were when this was a class of strings.
    """

    LOGIN = "auth.login"
    LOGIN_FAILED = "auth.login_failed"
    LOGOUT = "auth.logout"
    LOCKED_OUT = "auth.locked_out"
    SECOND_FACTOR_ENROLLED = "auth.second_factor_enrolled"
    SECOND_FACTOR_FAILED = "auth.second_factor_failed"
    PASSWORD_RESET_REQUESTED = "auth.password_reset_requested"  # noqa: S105 (an action name)
    PASSWORD_RESET_LIMITED = "auth.password_reset_limited"  # noqa: S105 (an action name)
    PASSWORD_RESET = "auth.password_reset"  # noqa: S105 (an action name)
    PASSWORD_RESET_LINK_REFUSED = "auth.password_reset_link_refused"  # noqa: S105
    INVITATION_SENT = "accounts.invitation_sent"
    INVITATION_RESENT = "accounts.invitation_resent"
    INVITATION_WITHDRAWN = "accounts.invitation_withdrawn"
    INVITATION_ACCEPTED = "accounts.invitation_accepted"
    INVITATION_LINK_REFUSED = "accounts.invitation_link_refused"
    USER_ROLES_CHANGED = "accounts.roles_changed"
    USER_DEACTIVATED = "accounts.user_deactivated"
    IDLE_ACCOUNT_FLAGGED = "accounts.idle_flagged"
    IDLE_ACCOUNT_CONFIRMED = "accounts.idle_confirmed"
    IDLE_ACCOUNT_DEACTIVATED = "accounts.idle_deactivated"
    SECOND_FACTOR_RESET = "accounts.second_factor_reset"
    ACCESS_REVIEW_OPENED = "accounts.access_review_opened"
    ACCESS_REVIEW_REMINDED = "accounts.access_review_reminded"
    ACCESS_REVIEW_OVERDUE = "accounts.access_review_overdue"
    ACCESS_REVIEW_CONFIRMED = "accounts.access_review_confirmed"
    SSO_SIGN_IN = "auth.sso_login"
    SSO_REFUSED = "auth.sso_refused"
    ADMIN_ADD = "admin.add"
    ADMIN_CHANGE = "admin.change"
    ADMIN_DELETE = "admin.delete"
    API_TOKEN_ISSUED = "api.token_issued"  # noqa: S105 (an action name)
    API_TOKEN_ROTATED = "api.token_rotated"  # noqa: S105 (an action name)
    API_TOKEN_REVOKED = "api.token_revoked"  # noqa: S105 (an action name)
    API_TOKEN_EXPIRED = "api.token_expired"  # noqa: S105 (an action name)
    ROLE_GRANT_REQUESTED = "admin.role_grant_requested"
    ROLE_GRANT_APPROVED = "admin.role_grant_approved"
    ROLE_GRANT_DECLINED = "admin.role_grant_declined"
    ROLE_GRANT_CANCELLED = "admin.role_grant_cancelled"
    ROLE_GRANTED_BY_COMMAND = "admin.role_granted_by_command"
    ADMIN_REFUSED = "admin.refused"
    READ = "record.read"
    EXPORT = "record.export"
    CSRF_REJECTED = "security.csrf_rejected"
    INTELLIGENCE_SUBMITTED = "intelligence.submitted"
    INTELLIGENCE_STATUS_CHANGED = "intelligence.status_changed"
    INTELLIGENCE_IMPORTED = "intelligence.imported"
    INTELLIGENCE_MENTION_ADDED = "intelligence.mention_added"
    INTELLIGENCE_CONVERTED_FROM_PUBLIC = "intelligence.converted_from_public"
    INTELLIGENCE_SANITISED = "intelligence.sanitised_version_published"
    INTELLIGENCE_ASSESSED = "intelligence.assessed"
    INTELLIGENCE_REGRADED = "intelligence.regraded"
    INTELLIGENCE_UPDATE_ADDED = "intelligence.update_added"
    TASKING_CREATED = "intelligence.tasking_created"
    TASKING_ANSWERED = "intelligence.tasking_answered"
    TASKING_WITHDRAWN = "intelligence.tasking_withdrawn"
    ENTITY_MATCH_CONFIRMED = "entities.match_confirmed"
    ENTITY_MATCH_REJECTED = "entities.match_rejected"
    ENTITY_MATCH_NOT_SURE = "entities.match_not_sure"
    ENTITY_MERGE_UNDONE = "entities.merge_undone"
    ENTITY_EXCLUDED = "entities.excluded"
    ENTITY_INCLUDED = "entities.included"
    ENTITY_RESTRICTED_HIT = "entities.restricted_hit"
    VICTIM_RECORDED = "safeguarding.victim_recorded"
    VICTIM_CHANGED = "safeguarding.victim_changed"
    VICTIM_PERSONAL_DATA_READ = "safeguarding.personal_data_read"
    NRM_REFERRED = "safeguarding.nrm_referred"
    NRM_DECISION_RECORDED = "safeguarding.nrm_decision_recorded"
    DUTY_TO_NOTIFY_MADE = "safeguarding.duty_to_notify_made"
    SAFEGUARDING_ACTION_RECORDED = "safeguarding.action_recorded"
    SUPPORT_REFERRAL_MADE = "safeguarding.support_referral_made"
    SUPPORT_REFERRAL_DECIDED = "safeguarding.support_referral_decided"
    VICTIM_OUTCOME_RECORDED = "safeguarding.outcome_recorded"
    OPERATION_PLANNED = "operations.planned"
    OPERATION_CHANGED = "operations.changed"
    OPERATION_STATUS_CHANGED = "operations.status_changed"
    OPERATION_PARTICIPANT_ADDED = "operations.participant_added"
    OPERATION_TARGET_ADDED = "operations.target_added"
    OPERATION_DEBRIEFED = "operations.debriefed"
    BACKUP_CREATED = "system.backup_created"
    BACKUP_RESTORED = "system.backup_restored"
    FIELD_KEYS_ROTATED = "system.field_keys_rotated"
    OBJECTIVE_CREATED = "evaluation.objective_created"
    OBJECTIVE_CHANGED = "evaluation.objective_changed"
    ACTION_CREATED = "evaluation.action_created"
    ACTION_CHANGED = "evaluation.action_changed"
    ACTION_PROGRESS_UPDATED = "evaluation.action_progress_updated"
    ACTION_EVIDENCE_LINKED = "evaluation.action_evidence_linked"
    CAMPAIGN_CREATED = "outreach.campaign_created"
    CAMPAIGN_CHANGED = "outreach.campaign_changed"
    CAMPAIGN_ACTIVITY_RECORDED = "outreach.campaign_activity_recorded"
    CAMPAIGN_REACH_RECORDED = "outreach.campaign_reach_recorded"
    CAMPAIGN_REACH_IMPORTED = "outreach.campaign_reach_imported"
    CAMPAIGN_MATERIAL_ADDED = "outreach.campaign_material_added"
    CAMPAIGN_MATERIAL_REMOVED = "outreach.campaign_material_removed"
    BOARD_PACK_GENERATED = "evaluation.board_pack_generated"
    KPI_ADDED = "evaluation.kpi_added"
    KPI_CHANGED = "evaluation.kpi_changed"
    TRAINING_COURSE_CREATED = "outreach.training_course_created"
    TRAINING_COURSE_ITEMS_SET = "outreach.training_course_items_set"
    TRAINING_QUESTION_ADDED = "outreach.training_question_added"
    TRAINING_QUESTION_REVISED = "outreach.training_question_revised"
    TRAINING_QUESTIONS_IMPORTED = "outreach.training_questions_imported"
    TRAINING_SESSION_CREATED = "outreach.training_session_created"
    TRAINING_SESSION_TIMES_SET = "outreach.training_session_times_set"
    TRAINING_SESSION_CHANGED = "outreach.training_session_changed"
    TRAINING_PLACES_BOOKED = "outreach.training_places_booked"
    TRAINING_ATTENDANCE_RECORDED = "outreach.training_attendance_recorded"
    DRAFT_PHOTOS_DISPOSED = "public.draft_photos_disposed"
    JOB_RETRIED = "jobs.retried"
    JOB_RECLAIMED = "jobs.reclaimed"
    RECORD_RETAINED = "retention.retained"
    RECORD_DISPOSED = "retention.disposed"
    OVERDUE_NOTIFIED = "jobs.overdue_notified"


def _hashed_fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "occurred_at": event.occurred_at.isoformat(),
        "action": event.action,
        "actor_id": event.actor_id,
        "actor_email": event.actor_email,
        "organisation_id": event.organisation_id,
        "organisation_name": event.organisation_name,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "purpose": event.purpose,
        "detail": event.detail,
        "ip_address": event.ip_address,
        "previous_hash": event.previous_hash,
    }


def compute_hash(event: AuditEvent) -> str:
    canonical = json.dumps(
        _hashed_fields(event), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class AuditContext:
    """Who is acting, from where and why: what a service needs to audit, without a request.

    Built once at the edge — ``from_request`` in a view or the API, ``system`` in a command
    or the background worker — and passed down, so that the same service runs from the web,
    the CLI and a task (the pattern of Manage Breast Screening's ``Auditor.from_request``).
    """

    actor: User | None
    client_address: str | None = None
    purpose: str = ""

    @classmethod
    def from_request(cls, request: HttpRequest, purpose: str = "") -> "AuditContext":
        """The signed-in user (or nobody) and the address the server saw."""
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
        return cls(actor=actor, client_address=client_address(request), purpose=purpose)

    @classmethod
    def system(cls, purpose: str, actor: User | None = None) -> "AuditContext":
        """Work done by a command or the worker, on behalf of ``actor`` if there is one."""
        return cls(actor=actor, purpose=purpose)

    def with_purpose(self, purpose: str) -> "AuditContext":
        """The same actor and address, for another stated purpose."""
        return AuditContext(self.actor, self.client_address, purpose)


def client_address(request: HttpRequest | None) -> str | None:
    """The client's address as the server saw it (a trusted proxy sets REMOTE_ADDR)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_POSTGRES_CHAIN_LOCK])
    # SQLite: Lantern opens every transaction IMMEDIATE, which already holds the write lock.


def record(
    *,
    action: Action,
    actor: User | None = None,
    actor_email: str = "",
    request: HttpRequest | None = None,
    target: models.Model | None = None,
    purpose: str = "",
    detail: dict[str, Any] | None = None,
    context: AuditContext | None = None,
) -> AuditEvent:
    """Append one entry to the audit log, inside the caller's transaction if there is one.

    ``context`` stands for ``actor`` (unless the entry names one, by account or by the
    address typed, as a password reset asked for someone else does), the client address and
    (when ``purpose`` is empty) the purpose; ``request`` is the older way of giving the
    address.
    """
    if context is not None:
        if actor is None and not actor_email:
            actor = context.actor
        purpose = purpose or context.purpose
    with transaction.atomic():
        _lock_chain()
        event = _chained_event(
            _last_hash(),
            action=action,
            actor=actor,
            actor_email=actor_email,
            request=request,
            address=context.client_address if context is not None else None,
            target=target,
            purpose=purpose,
            detail=detail,
        )
        event.save()
    return event


def record_each(
    *,
    action: Action,
    actor: User | None = None,
    targets: Sequence[models.Model],
    details: Sequence[dict[str, Any]],
    request: HttpRequest | None = None,
    context: AuditContext | None = None,
) -> None:
    """Append one entry per target, in one insert: what a bulk change writes.

    The same entries, chained the same way, as calling ``record`` for each target; a
    50,000-row import cannot afford 50,000 round trips for them.
    """
    if context is not None and actor is None:
        actor = context.actor
    address = context.client_address if context is not None else None
    with transaction.atomic():
        _lock_chain()
        previous = _last_hash()
        events = []
        for target, detail in zip(targets, details, strict=True):
            event = _chained_event(
                previous,
                action=action,
                actor=actor,
                request=request,
                address=address,
                target=target,
                detail=detail,
            )
            events.append(event)
            previous = event.entry_hash
        bulk.insert_all(events)


def _last_hash() -> str:
    previous = AuditEvent.objects.order_by("-id").values_list("entry_hash", flat=True).first()
    return previous or GENESIS_HASH


def _chained_event(
    previous_hash: str,
    *,
    action: Action,
    actor: User | None = None,
    actor_email: str = "",
    request: HttpRequest | None = None,
    address: str | None = None,
    target: models.Model | None = None,
    purpose: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """An entry that follows ``previous_hash``, its own hash computed, not yet saved."""
    if actor is not None and not actor.is_authenticated:
        actor = None
    organisation = actor.organisation if actor is not None else None
    event = AuditEvent(
        occurred_at=timezone.now(),
        action=action,
        actor_id=actor.pk if actor is not None else None,
        actor_email=actor.email if actor is not None else actor_email[:254],
        organisation_id=organisation.pk if organisation is not None else None,
        organisation_name=organisation.name if organisation is not None else "",
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        object_repr=str(target)[:200] if target is not None else "",
        purpose=purpose[:200],
        detail=detail or {},
        ip_address=address or client_address(request),
        previous_hash=previous_hash,
    )
    event.entry_hash = compute_hash(event)
    return event


def record_read(
    *,
    actor: User | None = None,
    target: models.Model,
    purpose: str = "",
    request: HttpRequest | None = None,
    context: AuditContext | None = None,
) -> AuditEvent:
    """Audit a read of a sensitive record. Later apps call this from their selectors."""
    return record(
        action=Action.READ,
        actor=actor,
        target=target,
        purpose=purpose,
        request=request,
        context=context,
    )


def record_export(
    *,
    actor: User | None = None,
    description: str,
    row_count: int,
    purpose: str = "",
    request: HttpRequest | None = None,
    context: AuditContext | None = None,
) -> AuditEvent:
    """Audit an export: what was exported, how many rows and why."""
    return record(
        action=Action.EXPORT,
        actor=actor,
        purpose=purpose,
        request=request,
        context=context,
        detail={"description": description, "rows": row_count},
    )


@dataclass(frozen=True)
class Verification:
    intact: bool
    entries: int
    head_hash: str
    first_bad_id: int | None = None
    problem: str = ""
    # The sequence number (id) of the last entry verified; 0 for an empty log.
    head_sequence: int = 0


def verify_chain(events: Iterable[AuditEvent] | None = None) -> Verification:
    """Check every entry's hash and its link to the entry before it, in order."""
    if events is None:
        events = AuditEvent.objects.order_by("id").iterator(chunk_size=2000)
    previous = GENESIS_HASH
    previous_sequence = 0
    count = 0
    for event in events:
        count += 1
        if event.previous_hash != previous:
            return Verification(
                intact=False,
                entries=count,
                head_hash=previous,
                head_sequence=previous_sequence,
                first_bad_id=event.pk,
                problem="does not follow the entry before it (an entry was removed or reordered)",
            )
        if compute_hash(event) != event.entry_hash:
            return Verification(
                intact=False,
                entries=count,
                head_hash=previous,
                head_sequence=previous_sequence,
                first_bad_id=event.pk,
                problem="its content does not match its hash (it was altered)",
            )
        previous = event.entry_hash
        previous_sequence = event.pk
    return Verification(
        intact=True, entries=count, head_hash=previous, head_sequence=previous_sequence
    )


@dataclass(frozen=True)
class RecordedHead:
    """A head an operator wrote down outside the database: entry ``sequence`` had this hash."""

    sequence: int
    entry_hash: str


@dataclass(frozen=True)
class HeadMismatch:
    """A recorded head the log no longer holds; ``found_hash`` is None if the entry is gone."""

    head: RecordedHead
    found_hash: str | None
    last_sequence: int

    def __str__(self) -> str:
        if self.found_hash is None:
            return (
                f"Recorded head {self.head.sequence} no longer matches: entry "
                f"{self.head.sequence} is missing (the log ends at entry {self.last_sequence}); "
                "entries were deleted from the end"
            )
        return (
            f"Recorded head {self.head.sequence} no longer matches: entry "
            f"{self.head.sequence} has hash {self.found_hash}, recorded {self.head.entry_hash}; "
            "the log was rewritten from there or before"
        )


def check_recorded_heads(heads: Iterable[RecordedHead]) -> list[HeadMismatch]:
    """The recorded heads that no longer match the log, in sequence order.

    The chain alone cannot show that its last entries were deleted, or that its tail was
    rewritten with every hash recomputed: only a head kept outside the database can. A
    recorded head still matches when the entry with that sequence number exists and has
    exactly that hash; an intact chain then proves every entry before it unchanged too.
    """
    wanted = sorted(set(heads), key=lambda head: (head.sequence, head.entry_hash))
    if not wanted:
        return []
    found = dict(
        AuditEvent.objects.filter(pk__in={head.sequence for head in wanted}).values_list(
            "pk", "entry_hash"
        )
    )
    last_sequence = AuditEvent.objects.order_by("-id").values_list("pk", flat=True).first() or 0
    return [
        HeadMismatch(head=head, found_hash=found.get(head.sequence), last_sequence=last_sequence)
        for head in wanted
        if found.get(head.sequence) != head.entry_hash
    ]
