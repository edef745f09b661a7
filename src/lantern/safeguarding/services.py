"""Every write about potential victims: one function per use case, in a transaction, audited.

Each function checks the access policy and the NRM rules (``rules.py``) before writing,
so a refusal leaves nothing half-saved. Audit details name what changed, never the
person's details themselves: the audit log is read more widely than the record.
"""

import datetime
import logging
import smtplib
import uuid
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lantern.core import access, audit, references
from lantern.core.access import NotFoundOrNotAllowed
from lantern.core.models import ExploitationType, LocalAuthorityArea, Organisation, User
from lantern.entities import selectors as entity_selectors
from lantern.entities.models import Entity
from lantern.intelligence.models import IntelligenceReport
from lantern.operations.models import Operation, Target
from lantern.safeguarding import rules, selectors
from lantern.safeguarding.models import (
    SHAREABLE_DETAILS,
    DutyToNotify,
    NRMReferral,
    PotentialVictim,
    SafeguardingAction,
    SupportReferral,
    SupportReferralStatus,
)

logger = logging.getLogger(__name__)


def _check_links(
    actor: User,
    *,
    entity: Entity | None,
    intelligence: IntelligenceReport | None,
    operation: Operation | None,
    target: Target | None,
) -> Entity | None:
    """Links only to what the recorder may read; an operation only once it has gone live.

    Returns the entity to link: the survivor when the number typed is of a merged entity.
    The number is looked up as the entity page does, so a number the recorder may not read
    is refused exactly like one that does not exist, and tells nothing about a merge.
    """
    if entity is not None:
        try:
            entity = entity_selectors.entity_for_reading(actor, entity.pk)
        except NotFoundOrNotAllowed:
            raise ValidationError(
                {"entity": _("Enter the number of a hub entity you can read")}
            ) from None
        entity = entity.merged_into or entity
    if (
        intelligence is not None
        and not access.readable_intelligence(actor).filter(pk=intelligence.pk).exists()
    ):
        raise ValidationError(
            {"intelligence": _("Enter the reference of intelligence you can read")}
        )
    if operation is not None:
        if not access.readable_operations(actor).filter(pk=operation.pk).exists():
            raise ValidationError({"operation": _("Select an operation you take part in")})
        if operation.went_live_at is None:
            raise ValidationError(
                {
                    "operation": _(
                        "%(operation)s has not gone live: a person is identified in an "
                        "operation only once it is live"
                    )
                    % {"operation": operation.title}
                }
            )
    if target is not None and (operation is None or target.operation_id != operation.pk):
        raise ValidationError({"target": _("Select a target of the operation chosen")})
    return entity


def record_victim(
    *,
    actor: User,
    submission_key: uuid.UUID,
    identified_on: datetime.date,
    name: str = "",
    date_of_birth: datetime.date | None = None,
    age_at_identification: int | None = None,
    may_be_child: bool = False,
    gender: str = "",
    nationality: str = "",
    languages: str = "",
    interpreter_needed: bool = False,
    exploitation_types: Iterable[ExploitationType] = (),
    county_lines: bool = False,
    exploitation_location: str = "",
    area: LocalAuthorityArea | None = None,
    contact: str = "",
    address: str = "",
    immigration_status: str = "",
    entity: Entity | None = None,
    intelligence: IntelligenceReport | None = None,
    operation: Operation | None = None,
    target: Target | None = None,
    request: HttpRequest | None = None,
) -> PotentialVictim:
    """Record a potential victim once per submission key, identified by the actor's organisation.

    The age is worked out from the date of birth when it is given; otherwise the estimate
    is kept. The record is known everywhere by a new pseudonymous reference.
    """
    if not access.can_record_victims(actor):
        raise PermissionDenied
    rules.check_victim(
        identified_on=identified_on,
        date_of_birth=date_of_birth,
        estimated_age=age_at_identification,
    )
    entity = _check_links(
        actor, entity=entity, intelligence=intelligence, operation=operation, target=target
    )
    fields = {
        "submission_key": submission_key,
        "identified_on": identified_on,
        "name": name,
        "date_of_birth": date_of_birth,
        "age_at_identification": rules.age_at_identification(
            date_of_birth=date_of_birth,
            identified_on=identified_on,
            estimated_age=age_at_identification,
        ),
        "may_be_child": may_be_child,
        "nationality": nationality,
        "languages": languages,
        "interpreter_needed": interpreter_needed,
        "county_lines": county_lines,
        "area": area,
        "contact": contact,
        "address": address,
        "immigration_status": immigration_status,
        "identified_by": actor.organisation,
        "entity": entity,
        "intelligence": intelligence,
        "operation": operation,
        "target": target,
        "recorded_by": actor,
    }
    if gender:
        fields["gender"] = gender
    if exploitation_location:
        fields["exploitation_location"] = exploitation_location

    def create(reference: str) -> PotentialVictim:
        victim = PotentialVictim.objects.create(reference=reference, **fields)
        victim.exploitation_types.set(exploitation_types)
        audit.record(
            action=audit.Action.VICTIM_RECORDED,
            actor=actor,
            target=victim,
            request=request,
            detail={"age_group": victim.age_group},
        )
        return victim

    victim, _created = references.store_once(
        PotentialVictim,
        submission_key=submission_key,
        create=create,
        sent_by=actor,
        sender_field="recorded_by",
    )
    return victim


def hand_over_from_operation(
    *,
    actor: User,
    submission_key: uuid.UUID,
    operation: Operation,
    receiving_organisation: Organisation,
    identified_on: datetime.date,
    target: Target | None = None,
    age_at_identification: int | None = None,
    may_be_child: bool = False,
    gender: str = "",
    nationality: str = "",
    languages: str = "",
    interpreter_needed: bool = False,
    exploitation_types: Iterable[ExploitationType] = (),
    request: HttpRequest | None = None,
) -> PotentialVictim:
    """Record a person found in a live or debriefing operation as a potential victim, handed
    to the safeguarding lead of a participating organisation that takes them.

    The officer who found them (any participating agency) need not be a safeguarding lead:
    they record only non-identifying facts. The receiving organisation is recorded as
    identifying the person, so it alone is responsible for them and reads what its lead
    adds (issue 16: responsibility is fixed once, never widened later); the finder keeps
    the pseudonymous record through the operation. Its safeguarding leads are emailed once
    the record is committed, and see the person in their worklist until they take them on.
    Once per submission key.
    """
    if not access.can_hand_over_victims(actor, operation):
        raise PermissionDenied
    if not operation.can_be_debriefed:
        raise ValidationError(
            _("People found are handed over from a live or debriefing operation only")
        )
    if not selectors.receiving_organisations(operation).filter(pk=receiving_organisation.pk):
        message = _("Select a participating organisation with a safeguarding lead")
        raise ValidationError({"receiving_organisation": message})
    if target is not None and target.operation_id != operation.pk:
        raise ValidationError({"target": _("Select a target of this operation")})
    rules.check_victim(
        identified_on=identified_on, date_of_birth=None, estimated_age=age_at_identification
    )
    went_live_on = timezone.localdate(operation.went_live_at) if operation.went_live_at else None
    if went_live_on is not None and identified_on < went_live_on:
        raise ValidationError(
            {
                "identified_on": _(
                    "The date found must be on or after the day the operation went live"
                )
            }
        )
    fields = {
        "submission_key": submission_key,
        "identified_on": identified_on,
        "age_at_identification": age_at_identification,
        "may_be_child": may_be_child,
        "nationality": nationality,
        "languages": languages,
        "interpreter_needed": interpreter_needed,
        "identified_by": receiving_organisation,
        "handed_over_by": actor.organisation,
        "operation": operation,
        "target": target,
        "recorded_by": actor,
    }
    if gender:
        fields["gender"] = gender

    def create(reference: str) -> PotentialVictim:
        victim = PotentialVictim.objects.create(reference=reference, **fields)
        victim.exploitation_types.set(exploitation_types)
        audit.record(
            action=audit.Action.VICTIM_RECORDED,
            actor=actor,
            target=victim,
            request=request,
            detail={
                "age_group": victim.age_group,
                "handed_over_from": operation.reference,
                "handed_over_to": receiving_organisation.pk,
            },
        )
        transaction.on_commit(lambda: _notify_handover(victim, receiving_organisation))
        return victim

    victim, _created = references.store_once(
        PotentialVictim,
        submission_key=submission_key,
        create=create,
        sent_by=actor,
        sender_field="recorded_by",
    )
    return victim


def _notify_handover(victim: PotentialVictim, organisation: Organisation) -> None:
    """Tell the receiving safeguarding leads a person waits for them: the reference and the
    operation only, never a detail of the person (email travels outside Lantern)."""
    addresses = list(selectors.safeguarding_lead_addresses(organisation))
    if not addresses:
        return
    operation = victim.operation
    subjects, parts = [], []
    for language in ("en", "fr"):
        with translation.override(language):
            subjects.append(_("Lantern: a person was handed over to you"))
            parts.append(
                _(
                    "%(operation)s (%(reference)s) handed over a potential victim to "
                    "%(organisation)s: reference %(victim)s. Sign in to Lantern and open "
                    "your worklist to take them on."
                )
                % {
                    "operation": operation.title if operation else "",
                    "reference": operation.reference if operation else "",
                    "organisation": organisation.name,
                    "victim": victim.reference,
                }
            )
    try:
        send_mail(
            subject=" / ".join(subjects),
            message="\n\n".join(parts),
            from_email=None,
            recipient_list=addresses,
        )
    except (OSError, smtplib.SMTPException):
        logger.exception("Could not email the safeguarding leads about %s", victim.reference)


def take_on(
    *, victim: PotentialVictim, actor: User, request: HttpRequest | None = None
) -> PotentialVictim:
    """The receiving safeguarding lead acknowledges a person handed over by an operation:
    it leaves the worklist. Taking on someone already taken on changes nothing."""
    if not access.can_correct_victim(actor, victim):
        raise PermissionDenied
    if victim.handed_over_by_id is None:
        raise ValidationError(_("Only a person handed over by an operation is taken on"))
    with transaction.atomic():
        updated = PotentialVictim.objects.filter(pk=victim.pk, taken_on_at__isnull=True).update(
            taken_on_at=timezone.now(), taken_on_by=actor
        )
        if updated:
            audit.record(
                action=audit.Action.VICTIM_CHANGED,
                actor=actor,
                target=victim,
                request=request,
                detail={"taken_on": True},
            )
    victim.refresh_from_db()
    return victim


def _require_correction(actor: User, victim: PotentialVictim) -> None:
    """Only those who see every detail correct them; a supporting organisation sees a part."""
    if not access.can_correct_victim(actor, victim):
        raise PermissionDenied


def _require_change(actor: User, victim: PotentialVictim) -> None:
    if not access.can_change_victim(actor, victim):
        raise PermissionDenied


def change_personal_details(
    *,
    actor: User,
    victim: PotentialVictim,
    name: str,
    date_of_birth: datetime.date | None,
    contact: str,
    address: str,
    immigration_status: str,
    request: HttpRequest | None = None,
) -> PotentialVictim:
    """Correct the person's details; a new date of birth recomputes the age when identified.

    A date of birth that would undo the NRM route already taken is refused
    (``rules.check_personal_details``).
    """
    _require_correction(actor, victim)
    new = {
        "name": name,
        "date_of_birth": date_of_birth,
        "contact": contact,
        "address": address,
        "immigration_status": immigration_status,
    }
    # Empty encrypted fields are stored as NULL: "" and None are the same nothing.
    changed = sorted(
        field for field, value in new.items() if (getattr(victim, field) or None) != (value or None)
    )
    if not changed:
        return victim
    with transaction.atomic():
        # Locks the person so that a route recorded meanwhile is seen by the check.
        PotentialVictim.objects.select_for_update().filter(pk=victim.pk).first()
        rules.check_personal_details(victim, date_of_birth=date_of_birth)
        for field, value in new.items():
            setattr(victim, field, value)
        if date_of_birth is not None:
            victim.age_at_identification = rules.age_at_identification(
                date_of_birth=date_of_birth, identified_on=victim.identified_on, estimated_age=None
            )
        victim.save()
        audit.record(
            action=audit.Action.VICTIM_CHANGED,
            actor=actor,
            target=victim,
            request=request,
            detail={"fields": changed},
        )
    return victim


def refer_to_nrm(
    *,
    actor: User,
    victim: PotentialVictim,
    referred_on: datetime.date,
    consent_given_on: datetime.date | None,
    competent_authority: str,
    case_reference: str = "",
    first_responder_officer: str = "",
    request: HttpRequest | None = None,
) -> tuple[NRMReferral, bool]:
    """Refer the person to the NRM on behalf of the actor's organisation (a First Responder).

    Returns the referral and whether it was made now: the same referral sent again (same
    organisation, same date: ``rules.repeated_referral``) returns the one already made.
    A supporting organisation refers on the details it was given; making the referral
    does not make it responsible for the person (``access._responsible_victim_ids``), so
    it reads no more afterwards. The audit record names the details it was made on.
    """
    _require_change(actor, victim)
    case_reference = rules.check_case_reference(case_reference)
    first_responder_officer = rules.check_officer(first_responder_officer) or actor.full_name
    organisation = actor.organisation
    carried = access.shown_personal_details(actor, victim)
    with transaction.atomic():
        # Locks the person so two referrals cannot both pass the one-route rule.
        PotentialVictim.objects.select_for_update().filter(pk=victim.pk).first()
        repeated = rules.repeated_referral(
            victim, organisation=organisation, referred_on=referred_on
        )
        if repeated is not None:
            return repeated, False
        rules.check_nrm_referral(
            victim,
            organisation=organisation,
            referred_on=referred_on,
            consent_given_on=consent_given_on,
        )
        referral = NRMReferral.objects.create(
            victim=victim,
            referring_organisation=organisation,
            referred_on=referred_on,
            consent_given_on=consent_given_on,
            competent_authority=competent_authority,
            case_reference=case_reference,
            first_responder_officer=first_responder_officer,
            referred_by=actor,
        )
        audit.record(
            action=audit.Action.NRM_REFERRED,
            actor=actor,
            target=victim,
            request=request,
            detail={
                "age_group": victim.age_group,
                "consent": consent_given_on is not None,
                "details": list(carried),
            },
        )
    return referral, True


DECISION_FIELDS = (
    "case_reference",
    "reasonable_grounds",
    "reasonable_grounds_on",
    "conclusive_grounds",
    "conclusive_grounds_on",
    "reconsideration_requested_on",
    "reconsideration",
    "reconsideration_on",
)


def record_nrm_decision(
    *,
    actor: User,
    referral: NRMReferral,
    reasonable_grounds: str = "",
    reasonable_grounds_on: datetime.date | None = None,
    conclusive_grounds: str = "",
    conclusive_grounds_on: datetime.date | None = None,
    reconsideration_requested_on: datetime.date | None = None,
    reconsideration: str = "",
    reconsideration_on: datetime.date | None = None,
    case_reference: str | None = None,
    request: HttpRequest | None = None,
) -> NRMReferral:
    """Record the competent authority's decisions as they now stand (all of them, checked),
    and the NRM case reference once the Home Office has given it (``None`` keeps it)."""
    _require_correction(actor, referral.victim)
    new: dict[str, object] = {
        "reasonable_grounds": reasonable_grounds,
        "reasonable_grounds_on": reasonable_grounds_on,
        "conclusive_grounds": conclusive_grounds,
        "conclusive_grounds_on": conclusive_grounds_on,
        "reconsideration_requested_on": reconsideration_requested_on,
        "reconsideration": reconsideration,
        "reconsideration_on": reconsideration_on,
    }
    rules.check_decisions(referral, **new)
    if case_reference is not None:
        new["case_reference"] = rules.check_case_reference(case_reference)
    changed = {
        field: str(value or "") for field, value in new.items() if getattr(referral, field) != value
    }
    if not changed:
        return referral
    with transaction.atomic():
        for field, value in new.items():
            setattr(referral, field, value)
        referral.save()
        audit.record(
            action=audit.Action.NRM_DECISION_RECORDED,
            actor=actor,
            target=referral.victim,
            request=request,
            detail=changed,
        )
    return referral


def notify_duty(
    *,
    actor: User,
    victim: PotentialVictim,
    notified_on: datetime.date,
    identified_with_consent: bool = False,
    request: HttpRequest | None = None,
) -> tuple[DutyToNotify, bool]:
    """A public authority's Duty to Notify report for an adult who did not consent to the NRM.

    Returns the report and whether it was made now; the same report sent again returns
    the one already made (``rules.repeated_notification``).
    """
    _require_change(actor, victim)
    organisation = actor.organisation
    with transaction.atomic():
        PotentialVictim.objects.select_for_update().filter(pk=victim.pk).first()
        repeated = rules.repeated_notification(
            victim, organisation=organisation, notified_on=notified_on
        )
        if repeated is not None:
            return repeated, False
        rules.check_duty_to_notify(victim, organisation=organisation, notified_on=notified_on)
        notification = DutyToNotify.objects.create(
            victim=victim,
            notifying_organisation=organisation,
            notified_on=notified_on,
            identified_with_consent=identified_with_consent,
            notified_by=actor,
        )
        audit.record(
            action=audit.Action.DUTY_TO_NOTIFY_MADE,
            actor=actor,
            target=victim,
            request=request,
            detail={"anonymous": not identified_with_consent},
        )
    return notification, True


def record_action(
    *,
    actor: User,
    victim: PotentialVictim,
    submission_key: uuid.UUID,
    kind: str,
    done_on: datetime.date,
    note: str = "",
    request: HttpRequest | None = None,
) -> SafeguardingAction:
    """Something done for the person, by the actor for their organisation."""
    _require_change(actor, victim)
    rules.check_action(victim, done_on=done_on)

    def create() -> SafeguardingAction:
        action = SafeguardingAction.objects.create(
            victim=victim,
            submission_key=submission_key,
            kind=kind,
            note=note,
            done_on=done_on,
            organisation=actor.organisation,
            done_by=actor,
        )
        audit.record(
            action=audit.Action.SAFEGUARDING_ACTION_RECORDED,
            actor=actor,
            target=victim,
            request=request,
            detail={"kind": kind},
        )
        return action

    return references.store_unreferenced_once(
        SafeguardingAction,
        submission_key=submission_key,
        create=create,
        sent_by=actor,
        sender_field="done_by",
    )


def refer_for_support(
    *,
    actor: User,
    victim: PotentialVictim,
    submission_key: uuid.UUID,
    to_organisation: Organisation,
    service: str,
    request_text: str,
    shared_details: Sequence[str] = (),
    consented: bool = False,
    consent_override_reason: str = "",
    request: HttpRequest | None = None,
) -> SupportReferral:
    """Ask another partner for support, sharing only the details the person agreed to.

    Sharing without consent needs the legal basis recorded. The receiver sees only the
    shared details until it accepts.
    """
    _require_change(actor, victim)
    rules.check_support_referral(
        from_organisation=actor.organisation,
        to_organisation=to_organisation,
        shared_details=shared_details,
        held=access.shown_personal_details(actor, victim),
        consented=consented,
        consent_override_reason=consent_override_reason,
    )

    def create() -> SupportReferral:
        if SupportReferral.objects.filter(
            victim=victim,
            to_organisation=to_organisation,
            service=service,
            status=SupportReferralStatus.PENDING,
        ).exists():
            raise ValidationError(
                {
                    "to_organisation": _(
                        "%(organisation)s already has this request waiting for an answer"
                    )
                    % {"organisation": to_organisation}
                }
            )
        referral = SupportReferral.objects.create(
            victim=victim,
            submission_key=submission_key,
            from_organisation=actor.organisation,
            to_organisation=to_organisation,
            service=service,
            request=request_text,
            shared_details=[field for field in SHAREABLE_DETAILS if field in shared_details],
            consent_override_reason="" if consented else consent_override_reason.strip(),
            referred_by=actor,
        )
        audit.record(
            action=audit.Action.SUPPORT_REFERRAL_MADE,
            actor=actor,
            target=victim,
            request=request,
            detail={
                "to_organisation": to_organisation.pk,
                "shared": referral.shared_details,
                "without_consent": bool(referral.consent_override_reason),
            },
        )
        return referral

    return references.store_unreferenced_once(
        SupportReferral,
        submission_key=submission_key,
        create=create,
        sent_by=actor,
        sender_field="referred_by",
    )


def decide_support_referral(
    *,
    actor: User,
    referral: SupportReferral,
    accept: bool,
    decline_reason: str = "",
    request: HttpRequest | None = None,
) -> SupportReferral:
    """The receiving organisation's safeguarding lead accepts (and joins the record) or declines."""
    if not access.readable_support_referrals(actor).filter(pk=referral.pk).exists():
        raise PermissionDenied
    with transaction.atomic():
        referral = SupportReferral.objects.select_for_update().get(pk=referral.pk)
        rules.check_support_decision(
            status=referral.status, accept=accept, decline_reason=decline_reason
        )
        referral.status = (
            SupportReferralStatus.ACCEPTED if accept else SupportReferralStatus.DECLINED
        )
        referral.decline_reason = "" if accept else decline_reason.strip()
        referral.decided_by = actor
        referral.decided_at = timezone.now()
        referral.save()
        audit.record(
            action=audit.Action.SUPPORT_REFERRAL_DECIDED,
            actor=actor,
            target=referral.victim,
            request=request,
            detail={"referral": referral.pk, "status": referral.status},
        )
    return referral


def record_outcome(
    *,
    actor: User,
    victim: PotentialVictim,
    outcome: str,
    outcome_recorded_on: datetime.date,
    request: HttpRequest | None = None,
) -> PotentialVictim:
    """Where the person ended up; ``SAFEGUARDED`` only as ``rules.is_safeguarded`` defines it."""
    _require_change(actor, victim)
    with transaction.atomic():
        rules.check_outcome(victim, outcome=outcome, recorded_on=outcome_recorded_on)
        victim.outcome = outcome
        victim.outcome_recorded_on = outcome_recorded_on
        victim.save(update_fields=["outcome", "outcome_recorded_on"])
        audit.record(
            action=audit.Action.VICTIM_OUTCOME_RECORDED,
            actor=actor,
            target=victim,
            request=request,
            detail={"outcome": outcome},
        )
    return victim
