"""Who may see potential victims, their personal details and support referrals:
safeguarding's part of the access policy, registered with ``core.access``
(``access.rule``) and asked for through it (``access.readable_victims(user)``), so that
core imports nothing above it (ADR 0027). The policy as a whole is described in
``core/access.py``.
"""

from django.db.models import Q, QuerySet

from lantern.core import access
from lantern.core.models import User
from lantern.core.roles import Role
from lantern.safeguarding.models import (
    SHAREABLE_DETAILS,
    PotentialVictim,
    SupportReferral,
    SupportReferralStatus,
)


def _responsible_victim_ids(organisation_id: int) -> QuerySet:
    """Victims an organisation is responsible for: the ones it identified.

    Responsibility is fixed when the person is recorded and read from nothing written
    later. An organisation that supports the person (an accepted support referral) may go
    on to refer them to the NRM, notify, act, refer onward or record the outcome; were any
    of those records to make it responsible, receiving a support referral would widen
    what it reads from the details it was given to all of them (issue 16). So an NRM
    referral, a Duty to Notify report or anything else gives the organisation that made it
    the record (``readable_victims``), never more personal details than it already held.
    """
    return PotentialVictim.objects.filter(identified_by_id=organisation_id).values("pk")


def _accepted_referrals(organisation_id: int) -> QuerySet[SupportReferral]:
    return SupportReferral.objects.filter(
        to_organisation_id=organisation_id, status=SupportReferralStatus.ACCEPTED
    )


@access.rule
def readable_victims(user: User) -> QuerySet[PotentialVictim]:
    """Every potential-victim record the user may see (pseudonymised unless allowed more)."""
    victims = PotentialVictim.objects.all()
    if not access.can_work_with_victims(user):
        return victims.none()
    if access.holds_hub_role(user):
        return victims
    organisation_id = user.organisation_id
    visible = Q(operation__in=access.readable_operations(user).values("pk"))
    if access.has_role(user, Role.SAFEGUARDING_LEAD):
        visible |= Q(pk__in=_responsible_victim_ids(organisation_id))
        visible |= Q(nrm_referral__referring_organisation_id=organisation_id)
        visible |= Q(duty_to_notify__notifying_organisation_id=organisation_id)
        visible |= Q(pk__in=_accepted_referrals(organisation_id).values("victim_id"))
    return victims.filter(visible)


@access.rule
def identifiable_victims(user: User) -> QuerySet[PotentialVictim]:
    """Victims whose every personal detail the user may see: all of them for the hub
    coordinator, those their organisation identified for a safeguarding lead.

    Anything that would put a name to a pseudonymised record (the person entity, the
    intelligence naming them) is shown only for these.
    """
    victims = PotentialVictim.objects.all()
    if not access.can_work_with_victims(user):
        return victims.none()
    if access.has_role(user, Role.HUB_COORDINATOR):
        return victims
    if not access.has_role(user, Role.SAFEGUARDING_LEAD):
        return victims.none()
    return victims.filter(pk__in=_responsible_victim_ids(user.organisation_id))


@access.rule
def can_read_victim_personal_data(user: User, victim: PotentialVictim) -> bool:
    """Every personal detail: the hub coordinator, and the responsible organisations' leads."""
    return identifiable_victims(user).filter(pk=victim.pk).exists()


@access.rule
def shown_personal_details(user: User, victim: PotentialVictim) -> tuple[str, ...]:
    """Which personal details the user may see.

    All of them for ``can_read_victim_personal_data``; for a safeguarding lead whose
    organisation accepted a support referral, only the details the person consented to
    share with it (or the referrer shared under a recorded legal basis); none otherwise.
    """
    if can_read_victim_personal_data(user, victim):
        return SHAREABLE_DETAILS
    if not (access.can_work_with_victims(user) and access.has_role(user, Role.SAFEGUARDING_LEAD)):
        return ()
    shared = {
        name
        for details in _accepted_referrals(user.organisation_id)
        .filter(victim=victim)
        .values_list("shared_details", flat=True)
        for name in details
    }
    return tuple(name for name in SHAREABLE_DETAILS if name in shared)


@access.rule
def can_change_victim(user: User, victim: PotentialVictim) -> bool:
    """Who records what happens to the person — actions, support, the route, the outcome:
    the hub coordinator, and safeguarding leads of the organisations responsible for them
    or supporting them (an accepted referral)."""
    if not access.can_record_victims(user):
        return False
    if can_read_victim_personal_data(user, victim):
        return True
    return (
        access.has_role(user, Role.SAFEGUARDING_LEAD)
        and _accepted_referrals(user.organisation_id).filter(victim=victim).exists()
    )


@access.rule
def can_correct_victim(user: User, victim: PotentialVictim) -> bool:
    """Who corrects the person's details and records the NRM's decisions: those who see
    every personal detail (a supporting organisation records only what it does)."""
    return access.can_record_victims(user) and can_read_victim_personal_data(user, victim)


@access.rule
def readable_support_referrals(user: User) -> QuerySet[SupportReferral]:
    """Support referrals sent to the user's organisation, for its safeguarding lead to answer."""
    referrals = SupportReferral.objects.all()
    if not (access.can_record_victims(user) and access.has_role(user, Role.SAFEGUARDING_LEAD)):
        return referrals.none()
    return referrals.filter(to_organisation_id=user.organisation_id)
