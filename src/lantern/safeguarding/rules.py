"""The National Referral Mechanism rules (DOMAIN.md §1), one function per rule.

Forms call them to tell the person at the keyboard what is wrong; services call them
again before writing, so that no path — a form, a script, a test, a future API — stores
a route the law does not allow. Each refusal is a ``ValidationError`` keyed by the field
it is about, with a message that names that field and says why.
"""

import datetime
import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lantern.core.models import Organisation, OrganisationType
from lantern.safeguarding import nrm
from lantern.safeguarding.models import (
    OLDEST_AGE,
    PROTECTIVE_ACTIONS,
    AgeGroup,
    Decision,
    DutyToNotify,
    NRMReferral,
    Outcome,
    PotentialVictim,
    SupportReferralStatus,
    age_on,
)

# Public authorities under the Duty to Notify (Modern Slavery Act 2015 s.52): police forces,
# other law enforcement (NCA, GLAA, Home Office enforcement) and local authorities.
DUTY_TO_NOTIFY_TYPES = frozenset(
    {OrganisationType.POLICE, OrganisationType.LAW_ENFORCEMENT, OrganisationType.LOCAL_AUTHORITY}
)


# The earliest date an event in these records (identified, referred, decided, notified,
# done, an outcome, a statistics period) may carry: a floor against mistyped years such as
# 0001 or 1850, not a legal cut-off. *Check* with the safeguarding leads: the Modern Slavery
# Act 2015 received Royal Assent on 26 March 2015 and the Duty to Notify (s.52) began on
# 1 November 2015, but the NRM itself dates from 2009, so older cases may need an earlier floor.
EARLIEST_DATE = datetime.date(2015, 1, 1)


def _refuse(field: str, message: str) -> None:
    raise ValidationError({field: message})


# An NRM case reference as the Home Office writes it: letters, digits, "/" and "-".
_CASE_REFERENCE = re.compile(r"[A-Za-z0-9/-]{1,30}")


def check_case_reference(value: str) -> str:
    """The NRM case reference, trimmed; refused on its field if it cannot be one."""
    value = (value or "").strip()
    if value and not _CASE_REFERENCE.fullmatch(value):
        _refuse(
            "case_reference",
            _("Enter the NRM case reference as given: letters, numbers, / and - (30 at most)"),
        )
    return value


def check_officer(value: str) -> str:
    """The First Responder officer's name, trimmed, at most 200 characters, no NUL."""
    value = (value or "").strip()
    if len(value) > 200 or "\x00" in value:
        _refuse(
            "first_responder_officer",
            _("Enter the officer’s name in 200 characters or fewer"),
        )
    return value


def check_not_future(field: str, value: datetime.date | None, label: str) -> None:
    """No event in this record can have happened after today."""
    if value is not None and value > timezone.localdate():
        _refuse(field, _("%(label)s must be today or in the past") % {"label": label})


def check_event_date(field: str, value: datetime.date | None, label: str) -> None:
    """An event date lies between ``EARLIEST_DATE`` and today: a year typed wrong is caught."""
    check_not_future(field, value, label)
    if value is not None and value < EARLIEST_DATE:
        _refuse(
            field,
            _("%(label)s must be on or after %(earliest)s: check the year")
            % {
                "label": label,
                "earliest": f"{EARLIEST_DATE.day}/{EARLIEST_DATE.month}/{EARLIEST_DATE.year}",
            },
        )


def check_date_of_birth(
    date_of_birth: datetime.date | None, *, identified_on: datetime.date | None
) -> None:
    """A date of birth is not in the future, nor after the date identified, nor 120+ years ago.

    The age is counted to today, not to the date identified, so that backdating the date
    identified cannot make a 200-year-old plausible.
    """
    if date_of_birth is None:
        return
    check_not_future("date_of_birth", date_of_birth, _("The date of birth"))
    if identified_on is not None and date_of_birth > identified_on:
        _refuse("date_of_birth", _("The date of birth must be before the date identified"))
    if age_on(date_of_birth, timezone.localdate()) > OLDEST_AGE:
        _refuse(
            "date_of_birth",
            _("The date of birth gives an age over %(oldest)s: check the year")
            % {"oldest": OLDEST_AGE},
        )


def check_age(age: int | None) -> None:
    """An estimated age is a plausible one."""
    if age is not None and not 0 <= age <= OLDEST_AGE:
        _refuse(
            "age_at_identification",
            _("The age when identified must be between 0 and %(oldest)s") % {"oldest": OLDEST_AGE},
        )


def age_at_identification(
    *,
    date_of_birth: datetime.date | None,
    identified_on: datetime.date,
    estimated_age: int | None,
) -> int | None:
    """The age worked out from the date of birth when it is known, else the estimate."""
    if date_of_birth is not None:
        return age_on(date_of_birth, identified_on)
    return estimated_age


def check_victim(
    *,
    identified_on: datetime.date,
    date_of_birth: datetime.date | None,
    estimated_age: int | None,
) -> None:
    """What a new or changed potential-victim record must satisfy."""
    check_event_date("identified_on", identified_on, _("The date identified"))
    check_date_of_birth(date_of_birth, identified_on=identified_on)
    check_age(estimated_age)


def check_personal_details(victim: PotentialVictim, *, date_of_birth: datetime.date | None) -> None:
    """A corrected date of birth is plausible and does not undo the route already taken.

    The route was chosen for the age group: a child referred without consent, an adult
    (or a person of unknown age) referred with consent or reported under the Duty to
    Notify. Once a route is recorded, a date of birth that moves the person between child
    and adult, or out of the group the route needs (a referral without consent needs a
    child, a Duty to Notify report someone who is not a child), would leave a route the law
    does not allow, so it is refused. An empty date of birth keeps the age already recorded.
    """
    check_date_of_birth(date_of_birth, identified_on=victim.identified_on)
    if date_of_birth is None:
        return
    before = victim.age_group
    # The model's own definition of the groups, applied to the age this date would give.
    after = PotentialVictim(
        age_at_identification=age_on(date_of_birth, victim.identified_on),
        may_be_child=victim.may_be_child,
    ).age_group
    if after == before:
        return
    referral = NRMReferral.objects.filter(victim=victim).first()
    notified = DutyToNotify.objects.filter(victim=victim).exists()
    crosses = {before, after} == {AgeGroup.CHILD, AgeGroup.ADULT}
    breaks_route = (
        referral is not None and referral.consent_given_on is None and after != AgeGroup.CHILD
    ) or (notified and after == AgeGroup.CHILD)
    if (referral is not None or notified) and (crosses or breaks_route):
        _refuse(
            "date_of_birth",
            _(
                "This date of birth makes the person “%(after)s” when identified instead of "
                "“%(before)s”, but the %(route)s already made depends on their age: check "
                "the date of birth."
            )
            % {
                "after": AgeGroup(after).label,
                "before": AgeGroup(before).label,
                "route": _("NRM referral") if referral is not None else _("Duty to Notify report"),
            },
        )


def repeated_referral(
    victim: PotentialVictim, *, organisation: Organisation, referred_on: datetime.date
) -> NRMReferral | None:
    """The referral this one repeats, if any: the same form sent twice.

    The same organisation referring the same person on the same date is one submission,
    not a second route; anything else is a second route, refused by ``check_one_route``.
    """
    return NRMReferral.objects.filter(
        victim=victim, referring_organisation=organisation, referred_on=referred_on
    ).first()


def repeated_notification(
    victim: PotentialVictim, *, organisation: Organisation, notified_on: datetime.date
) -> DutyToNotify | None:
    """The Duty to Notify report this one repeats, if any (as ``repeated_referral``)."""
    return DutyToNotify.objects.filter(
        victim=victim, notifying_organisation=organisation, notified_on=notified_on
    ).first()


def check_first_responder(organisation: Organisation, *, field: str = "referred_on") -> None:
    """Only a First Responder Organisation may refer to the NRM."""
    if not organisation.is_first_responder:
        _refuse(
            field,
            _(
                "%(organisation)s is not a First Responder Organisation, so it cannot refer "
                "to the National Referral Mechanism. Pass the case to a First Responder "
                "Organisation such as the police or the local authority."
            )
            % {"organisation": organisation},
        )


def check_one_route(victim: PotentialVictim, *, field: str) -> None:
    """A person has an NRM referral or a Duty to Notify report, never both, and one of each."""
    if NRMReferral.objects.filter(victim=victim).exists():
        _refuse(field, _("This person has already been referred to the NRM"))
    if DutyToNotify.objects.filter(victim=victim).exists():
        _refuse(
            field,
            _(
                "A Duty to Notify report was already made for this person: a person has an "
                "NRM referral or a Duty to Notify report, not both"
            ),
        )


def check_consent(
    victim: PotentialVictim,
    *,
    consent_given_on: datetime.date | None,
    referred_on: datetime.date,
) -> None:
    """A child is referred without consent; an adult only with informed consent, given first.

    When the age is not known the person is treated as an adult, so consent is needed,
    unless they may be under 18 (``PotentialVictim.may_be_child``): then they are a child.
    """
    if victim.is_child:
        return
    if consent_given_on is None:
        if victim.age_at_identification is None:
            message = _(
                "Enter the date informed consent was given: the person’s age is not known, "
                "so they are treated as an adult (unless recorded as possibly under 18), "
                "and an adult must consent to an NRM referral. If they do not consent, make "
                "a Duty to Notify report instead."
            )
        else:
            message = _(
                "Enter the date informed consent was given: an adult must consent to an NRM "
                "referral. If they do not consent, make a Duty to Notify report instead."
            )
        _refuse("consent_given_on", message)
    check_event_date("consent_given_on", consent_given_on, _("The date consent was given"))
    if consent_given_on > referred_on:
        _refuse(
            "consent_given_on",
            _("The date consent was given must be on or before the date referred"),
        )


def check_nrm_referral(
    victim: PotentialVictim,
    *,
    organisation: Organisation,
    referred_on: datetime.date,
    consent_given_on: datetime.date | None,
) -> None:
    """Everything an NRM referral must satisfy before it is made."""
    check_one_route(victim, field="referred_on")
    check_first_responder(organisation)
    check_event_date("referred_on", referred_on, _("The date referred"))
    if referred_on < victim.identified_on:
        _refuse("referred_on", _("The date referred must be on or after the date identified"))
    check_consent(victim, consent_given_on=consent_given_on, referred_on=referred_on)


def check_duty_to_notify(
    victim: PotentialVictim, *, organisation: Organisation, notified_on: datetime.date
) -> None:
    """A public authority's notification for an adult (or person of unknown age) who declined.

    A child is always referred to the NRM, which discharges the duty.
    """
    if victim.is_child:
        _refuse(
            "notified_on",
            _(
                "A child is referred to the NRM without consent, and the referral discharges "
                "the Duty to Notify: refer this child to the NRM instead"
            ),
        )
    check_one_route(victim, field="notified_on")
    if organisation.organisation_type not in DUTY_TO_NOTIFY_TYPES:
        _refuse(
            "notified_on",
            _(
                "%(organisation)s is not a public authority under the Duty to Notify "
                "(police, other law enforcement or a local authority): pass the case to one"
            )
            % {"organisation": organisation},
        )
    check_event_date("notified_on", notified_on, _("The date notified"))
    if notified_on < victim.identified_on:
        _refuse("notified_on", _("The date notified must be on or after the date identified"))


def _check_decision_pair(
    field: str, decision: str, on: datetime.date | None, label: str, date_label: str
) -> None:
    """A decision and its date are recorded together."""
    if decision and on is None:
        _refuse(f"{field}_on", _("Enter the %(label)s") % {"label": date_label})
    if on is not None and not decision:
        _refuse(field, _("Select the %(label)s, or clear its date") % {"label": label})
    check_event_date(f"{field}_on", on, date_label.capitalize())


def check_decisions(
    referral: NRMReferral,
    *,
    reasonable_grounds: str,
    reasonable_grounds_on: datetime.date | None,
    conclusive_grounds: str,
    conclusive_grounds_on: datetime.date | None,
    reconsideration_requested_on: datetime.date | None,
    reconsideration: str,
    reconsideration_on: datetime.date | None,
) -> None:
    """The competent authority's decisions, in the order the NRM makes them.

    No decision before the referral. Conclusive grounds only after a positive reasonable
    grounds decision, or after a positive reconsideration of a negative one, and never
    dated before that positive decision. A reconsideration only of a negative decision,
    requested and decided after it (``_check_reconsideration`` says which one).
    """
    _check_decision_pair(
        "reasonable_grounds",
        reasonable_grounds,
        reasonable_grounds_on,
        _("reasonable grounds decision"),
        _("reasonable grounds decision date"),
    )
    _check_decision_pair(
        "conclusive_grounds",
        conclusive_grounds,
        conclusive_grounds_on,
        _("conclusive grounds decision"),
        _("conclusive grounds decision date"),
    )
    _check_decision_pair(
        "reconsideration",
        reconsideration,
        reconsideration_on,
        _("reconsideration outcome"),
        _("reconsideration decision date"),
    )
    check_event_date(
        "reconsideration_requested_on",
        reconsideration_requested_on,
        _("The date reconsideration was requested"),
    )
    if reasonable_grounds_on is not None and reasonable_grounds_on < referral.referred_on:
        _refuse(
            "reasonable_grounds_on",
            _("The reasonable grounds decision date cannot be before the date referred"),
        )
    if conclusive_grounds:
        if reasonable_grounds == Decision.POSITIVE:
            opened_on, opened_by = reasonable_grounds_on, _("the reasonable grounds decision")
        elif reasonable_grounds == Decision.NEGATIVE and reconsideration == Decision.POSITIVE:
            opened_on, opened_by = reconsideration_on, _("the reconsideration decision")
        else:
            _refuse(
                "conclusive_grounds",
                _(
                    "A conclusive grounds decision comes only after a positive reasonable "
                    "grounds decision, or a positive reconsideration of a negative one"
                ),
            )
        if conclusive_grounds_on < opened_on:
            _refuse(
                "conclusive_grounds_on",
                _("The conclusive grounds decision date cannot be before %(decision)s")
                % {"decision": opened_by},
            )
        # The decision follows the recovery period (DOMAIN.md §1); a case can be withdrawn
        # at any time.
        days = nrm.recovery_period_days(opened_on)
        earliest = opened_on + datetime.timedelta(days=days)
        if conclusive_grounds != Decision.WITHDRAWN and conclusive_grounds_on < earliest:
            _refuse(
                "conclusive_grounds_on",
                _(
                    "A conclusive grounds decision is made after the recovery period of at "
                    "least %(days)s days that follows %(decision)s: not before %(earliest)s"
                )
                % {
                    "days": days,
                    "decision": opened_by,
                    "earliest": date_format(earliest, "j F Y"),
                },
            )
    _check_reconsideration(
        reasonable_grounds=reasonable_grounds,
        reasonable_grounds_on=reasonable_grounds_on,
        conclusive_grounds=conclusive_grounds,
        conclusive_grounds_on=conclusive_grounds_on,
        requested_on=reconsideration_requested_on,
        reconsideration=reconsideration,
        reconsideration_on=reconsideration_on,
    )


def _check_reconsideration(
    *,
    reasonable_grounds: str,
    reasonable_grounds_on: datetime.date | None,
    conclusive_grounds: str,
    conclusive_grounds_on: datetime.date | None,
    requested_on: datetime.date | None,
    reconsideration: str,
    reconsideration_on: datetime.date | None,
) -> None:
    """Only a negative decision is reconsidered, requested and decided after it was made.

    The record holds one reconsideration, of the latest negative decision that can still
    be reconsidered: a negative reasonable grounds decision when there is one (a positive
    outcome is what lets conclusive grounds follow), otherwise a negative conclusive
    grounds decision made after a positive reasonable grounds decision.
    """
    if reconsideration and requested_on is None:
        _refuse(
            "reconsideration_requested_on",
            _("Enter the date reconsideration was requested before its outcome"),
        )
    if requested_on is None:
        return
    # A negative reasonable grounds decision is the one reconsidered (a positive outcome
    # then opens the way to conclusive grounds); otherwise a negative conclusive one.
    if reasonable_grounds == Decision.NEGATIVE:
        negative_on, negative = reasonable_grounds_on, _("the negative reasonable grounds decision")
    elif conclusive_grounds == Decision.NEGATIVE:
        negative_on, negative = conclusive_grounds_on, _("the negative conclusive grounds decision")
    else:
        _refuse(
            "reconsideration_requested_on",
            _("Reconsideration can be requested only after a negative decision"),
        )
    if requested_on < negative_on:
        _refuse(
            "reconsideration_requested_on",
            _("The date reconsideration was requested cannot be before %(decision)s")
            % {"decision": negative},
        )
    if reconsideration_on is not None and reconsideration_on < requested_on:
        _refuse(
            "reconsideration_on",
            _("The reconsideration decision date cannot be before it was requested"),
        )


def is_safeguarded(victim: PotentialVictim) -> bool:
    """THE definition the KPIs count (``models.Outcome``; docs/safeguarding.md).

    A person is safeguarded when a protective action (place of safety, police
    protection) was recorded for them or a support referral for them was accepted.
    """
    return (
        victim.actions.filter(kind__in=PROTECTIVE_ACTIONS).exists()
        or victim.support_referrals.filter(status=SupportReferralStatus.ACCEPTED).exists()
    )


def check_outcome(victim: PotentialVictim, *, outcome: str, recorded_on: datetime.date) -> None:
    """``SAFEGUARDED`` only when ``is_safeguarded`` holds; no outcome dated in the future."""
    if outcome == Outcome.SAFEGUARDED and not is_safeguarded(victim):
        _refuse(
            "outcome",
            _(
                "Safeguarded means a place of safety or police protection was recorded, or a "
                "support referral was accepted. Record that first, or choose another outcome."
            ),
        )
    check_event_date("outcome_recorded_on", recorded_on, _("The date of the outcome"))
    if recorded_on < victim.identified_on:
        _refuse(
            "outcome_recorded_on",
            _("The date of the outcome must be on or after the date identified"),
        )


def check_action(victim: PotentialVictim, *, done_on: datetime.date) -> None:
    check_event_date("done_on", done_on, _("The date of the action"))
    if done_on < victim.identified_on:
        _refuse("done_on", _("The date of the action must be on or after the date identified"))


def check_support_referral(
    *,
    from_organisation: Organisation,
    to_organisation: Organisation,
    shared_details: Iterable[str],
    held: Iterable[str],
    consented: bool,
    consent_override_reason: str,
) -> None:
    """Share only what the person consented to, or say on what legal basis you share more;
    and only details the referrer itself holds (``held``): a supporting organisation
    cannot pass on what it was never given."""
    shared_details = list(shared_details)
    if to_organisation.pk == from_organisation.pk:
        _refuse("to_organisation", _("Select another organisation to refer the person to"))
    if not to_organisation.has_shared_data_access:
        _refuse(
            "to_organisation",
            _("Select an active partner that has signed the information sharing agreement"),
        )
    if not to_organisation.helps_with_victims:
        # The directory's "working with victims": an enforcement agency is not asked for
        # accommodation or support it does not give.
        _refuse(
            "to_organisation",
            _("Select an organisation that works with victims: the partner directory says which"),
        )
    unknown = set(shared_details) - set(held)
    if unknown:
        _refuse("shared_details", _("Select the details to share from the list"))
    if shared_details and not consented and not consent_override_reason.strip():
        _refuse(
            "consent_override_reason",
            _(
                "Enter the legal basis for sharing without consent, or share only what the "
                "person consented to"
            ),
        )


def check_support_decision(*, status: str, accept: bool, decline_reason: str) -> None:
    """A referral is answered once, and a refusal says why."""
    if status != SupportReferralStatus.PENDING:
        _refuse("accept", _("This support referral has already been answered"))
    if not accept and not decline_reason.strip():
        _refuse("decline_reason", _("Enter the reason for declining the support referral"))
