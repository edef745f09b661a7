"""The access policy: the single answer to "may this user see or do this?".

Selectors, views, the admin, exports and search ask these functions; none of them
re-implements a rule. The rules that read an app's own records are declared in that app's
``access.py`` and registered here with ``rule`` (ADR 0027): ``intelligence/access.py``
(reports and taskings), ``safeguarding/access.py`` (victims, personal details, support
referrals) and ``operations/access.py`` (operations, running them, hand-over). Callers ask
this module for all of them alike (``access.readable_intelligence(user)``), so that core
imports nothing above it and the policy keeps one entry point.

Rules so far (DESIGN.md, "The access policy"):

- A user sees shared partnership data only while their account is active and their
  organisation is active with a signed information sharing agreement (ISA).
- What a user may do beyond that comes from their roles (Django groups with permissions).
- System administrators administer organisations, users and roles, and verify the audit
  log. Administration is not shared data, so it does not depend on an ISA. Separation of
  duties (``can_change_access_of``, ``can_approve_role_grant``, ``can_set_password_of``): an
  administrator never changes their own roles, organisation or status flags, and a role
  in ``SECOND_APPROVAL_ROLES`` is given only when a different administrator approves.
- Organisation administrators (``can_manage_organisation_users``) see and manage their
  own organisation's users only, outside the admin site: invite, give and remove the roles
  in ``ORGANISATION_GRANTABLE_ROLES``, deactivate; never their own account, another
  organisation's, a system administrator's, or a role that needs a second approval
  (docs/adr/0026-accounts.md). System administrators do all of it for every organisation.
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
- Potential victims (``readable_victims``): the hub's analysts and coordinators see every
  record; safeguarding leads see the records their organisation is responsible for (it
  identified the person), referred to the NRM, notified (anonymously) or supports (it
  accepted a support referral); users of an organisation taking part in an operation see
  the victims identified in it. Personal details: all of them for the hub coordinator and
  the responsible organisation's safeguarding leads (``can_read_victim_personal_data``,
  ``identifiable_victims``); for a supporting organisation only what the person
  consented to share with it (``shown_personal_details``), whatever it records afterwards
  (an NRM referral it makes is made on what it was given); everyone else sees the
  pseudonymous reference and non-identifying facts. Each read of personal data is
  audited.
- Operations (``readable_operations``): the hub's analysts and coordinators, and users
  of the participating organisations from the moment they are added. Operations leads
  plan; the lead agency's operations leads and hub coordinators run and debrief
  (``can_run_operation``).
- Hand-over (``can_hand_over_victims``): those who run a live or debriefing operation and
  users of its participating agencies hand the people found to a participating
  organisation's safeguarding lead; that organisation becomes the one responsible (it is
  recorded as identifying them), the finder sees the pseudonymous record only.
- Action plan (``can_read_action_plan``): the hub coordinator edits objectives and actions
  (``can_manage_action_plan``) and, like the board viewer, reads the whole plan
  (``can_read_whole_action_plan``); a user holding any partner role reads and updates the
  actions its own organisation owns (``can_update_action``). Nobody else sees the plan.
- Campaigns (``can_manage_campaigns``): outreach and training officers and the hub
  coordinator see and change every campaign; nobody else sees any (404). Counts beside a
  campaign (intelligence from its areas) are taken only over what the viewer may read.
  Board viewers get campaign totals only, through the evaluation app
  (``can_see_campaign_totals``).
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet

from lantern.core.models import Organisation, RoleGrant, User
from lantern.core.roles import (
    HUB_ROLES,
    INTELLIGENCE_ROLES,
    ORGANISATION_GRANTABLE_ROLES,
    SECOND_APPROVAL_ROLES,
    Role,
)

# The rules of the apps above core, by name, as their access modules registered them.
_rules: dict[str, Callable[..., Any]] = {}


def rule[Rule: Callable[..., Any]](function: Rule) -> Rule:
    """Register an app's access rule, so that ``access.<its name>`` answers it.

    Core sits at the bottom of the dependency graph and cannot import the models a rule
    reads (reports, victims, operations); each app declares those rules in its own
    ``access.py``, loaded from its ``AppConfig.ready()``, and every caller still asks this
    one module (ADR 0027). Two apps may not claim the same name.
    """
    name = function.__name__
    if name in globals() or _rules.get(name, function) is not function:
        raise ImproperlyConfigured(f"The access rule {name} is already defined")
    _rules[name] = function
    return function


def __getattr__(name: str) -> Callable[..., Any]:
    """A rule an app registered (``access.readable_intelligence``...), looked up by name."""
    try:
        return _rules[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None


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


def can_change_access_of(user: User, target: User) -> bool:
    """Whether an administrator may change ``target``'s roles, organisation or status flags.

    Never their own (docs/adr/0016-separation-of-duties.md): an administrator who could
    would give themselves any role, audited or not.
    """
    return can_administer(user) and user.pk != target.pk


def can_approve_role_grant(user: User, grant: "RoleGrant") -> bool:
    """A different system administrator approves: not the one who asked, not the grantee."""
    return can_administer(user) and user.pk != grant.requested_by_id and user.pk != grant.user_id


def can_decline_role_grant(user: User, grant: "RoleGrant") -> bool:
    """Any administrator but the grantee declines (the one who asked withdraws): declining
    widens nobody's access."""
    return can_administer(user) and user.pk != grant.user_id


def can_set_password_of(user: User, target: User) -> bool:
    """An administrator sets another user's password only if that user holds, and waits
    for, no role that needs a second approval: setting it (and removing their
    authenticator) would let the administrator sign in as them and read what the role
    reads, or would be approved after."""
    if not can_administer(user):
        return False
    if user.pk == target.pk:
        return True
    return not (
        set(target.roles()) & SECOND_APPROVAL_ROLES
        or RoleGrant.objects.filter(user=target, status="pending").exists()
    )


def administrable_users(user: User) -> QuerySet[User]:
    if not can_administer(user):
        return User.objects.none()
    return User.objects.all()


def administrable_role_grants(user: User) -> QuerySet[RoleGrant]:
    """Role grants, waiting and decided, for administrators to approve or decline."""
    if not can_administer(user):
        return RoleGrant.objects.none()
    return RoleGrant.objects.all()


def administrable_organisations(user: User) -> QuerySet[Organisation]:
    if not can_administer(user):
        return Organisation.objects.none()
    return Organisation.objects.all()


def can_manage_organisation_users(user: User) -> bool:
    """An organisation administrator of an active organisation, or a system administrator."""
    if can_administer(user):
        return True
    return (
        has_role(user, Role.ORGANISATION_ADMINISTRATOR)
        and user.organisation is not None
        and user.organisation.is_active
    )


def can_oversee_access_reviews(user: User) -> bool:
    """See every organisation's access review and which are overdue (not their users):
    the hub coordinator, who is told of the overdue ones, and system administrators."""
    return can_administer(user) or has_role(user, Role.HUB_COORDINATOR)


def managed_organisations(user: User) -> QuerySet[Organisation]:
    """Organisations whose users ``user`` invites and manages: every one for a system
    administrator, their own for an organisation administrator, none for anyone else."""
    if can_administer(user):
        return Organisation.objects.filter(is_active=True)
    if can_manage_organisation_users(user):
        return Organisation.objects.filter(pk=user.organisation_id)
    return Organisation.objects.none()


def manageable_users(user: User) -> QuerySet[User]:
    """Users whose accounts ``user`` sees in "Your organisation's users"."""
    if can_administer(user):
        return User.objects.all()
    if can_manage_organisation_users(user):
        return User.objects.filter(organisation_id=user.organisation_id)
    return User.objects.none()


def grantable_roles(user: User) -> frozenset[Role]:
    """Roles ``user`` may put in an invitation or give: all of them for a system
    administrator (those needing a second approval then wait for one), a short list for an
    organisation administrator, none for anyone else."""
    if can_administer(user):
        return frozenset(Role)
    if can_manage_organisation_users(user):
        return ORGANISATION_GRANTABLE_ROLES
    return frozenset()


def can_manage_user(user: User, target: User) -> bool:
    """Change ``target``'s roles or deactivate them: never oneself, never a superuser, and
    for an organisation administrator only their own organisation's users who are not
    system administrators."""
    if user.pk == target.pk or target.is_superuser or not can_manage_organisation_users(user):
        return False
    if can_administer(user):
        return True
    return (
        target.organisation_id == user.organisation_id
        and Role.SYSTEM_ADMINISTRATOR not in target.roles()
    )


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


def can_answer_taskings(user: User) -> bool:
    """Whether the user answers their organisation's taskings (the Taskings page)."""
    return can_read_intelligence(user) and can_submit_intelligence(user)


def holds_hub_role(user: User) -> bool:
    return any(role in HUB_ROLES for role in user.roles())


def can_review_retention(user: User) -> bool:
    """The hub coordinator reviews records due under the retention schedule: keeps them
    or disposes of them. They alone read every kind, victims' details included; an
    organisation that stopped sharing reviews nothing."""
    return has_role(user, Role.HUB_COORDINATOR) and has_shared_data_access(user)


def can_work_with_victims(user: User) -> bool:
    """Whether the user may read any potential-victim record at all."""
    return (
        has_shared_data_access(user)
        and not sees_aggregates_only(user)
        and (
            holds_hub_role(user)
            or has_role(user, Role.SAFEGUARDING_LEAD)
            or can_read_operations(user)
        )
    )


def can_record_victims(user: User) -> bool:
    """Safeguarding leads and hub coordinators record potential victims and their routes."""
    return has_shared_data_access(user) and user.has_perm("safeguarding.record_victims")


def can_read_operations(user: User) -> bool:
    """Whether the user may read any operation at all (partner roles; not board viewers)."""
    return (
        has_shared_data_access(user)
        and not sees_aggregates_only(user)
        and any(role in INTELLIGENCE_ROLES for role in user.roles())
    )


def can_plan_operations(user: User) -> bool:
    """Operations leads and hub coordinators plan operations."""
    return can_read_operations(user) and user.has_perm("operations.plan_operations")


def can_manage_action_plan(user: User) -> bool:
    """The hub coordinator creates and edits the action plan's objectives and actions."""
    return has_shared_data_access(user) and user.has_perm("evaluation.manage_action_plan")


def can_read_whole_action_plan(user: User) -> bool:
    """The hub coordinator and the board viewer read every objective and action."""
    return has_shared_data_access(user) and user.has_perm("evaluation.view_action_plan")


def can_update_owned_actions(user: User) -> bool:
    """Any partner role updates the actions its own organisation owns (progress, RAG, evidence)."""
    return (
        has_shared_data_access(user)
        and not sees_aggregates_only(user)
        and user.has_perm("evaluation.update_owned_actions")
    )


def can_read_action_plan(user: User) -> bool:
    """Whether the user sees any of the action plan at all."""
    return can_read_whole_action_plan(user) or can_update_owned_actions(user)


def can_update_action(user: User, owner_id: int) -> bool:
    """Progress, RAG status and evidence of an action owned by organisation ``owner_id``."""
    if can_manage_action_plan(user):
        return True
    return can_update_owned_actions(user) and owner_id == user.organisation_id


def can_manage_campaigns(user: User) -> bool:
    """Outreach officers and hub coordinators run the partnership's awareness campaigns.

    Campaigns are partnership work, so the organisation must take part in sharing; board
    viewers see their totals only through the evaluation app.
    """
    return (
        has_shared_data_access(user)
        and not sees_aggregates_only(user)
        and (has_role(user, Role.OUTREACH_OFFICER) or has_role(user, Role.HUB_COORDINATOR))
        and user.has_perm("outreach.manage_campaigns")
    )


def can_see_campaign_totals(user: User) -> bool:
    """Campaign totals (reach, visits, reports by month) for the evaluation app: campaign
    managers, and board viewers, who see aggregates only (the evaluation app suppresses
    small numbers before showing them)."""
    return can_manage_campaigns(user) or (
        has_shared_data_access(user) and has_role(user, Role.BOARD_VIEWER)
    )


def can_view_kpis(user: User) -> bool:
    """The partnership's KPIs: hub coordinators (true figures) and board viewers (figures
    released through disclosure control). Aggregates only, so a board viewer needs no ISA;
    anyone else holding the permission needs one."""
    if not (_is_signed_in(user) and user.has_perm("evaluation.view_kpis")):
        return False
    return sees_aggregates_only(user) or has_shared_data_access(user)


def sees_controlled_figures(user: User) -> bool:
    """Everyone but a hub coordinator whose organisation shares data sees KPIs only as
    disclosure control releases them (small numbers withheld, no link to records)."""
    return not (
        has_shared_data_access(user)
        and not sees_aggregates_only(user)
        and has_role(user, Role.HUB_COORDINATOR)
    )


def can_manage_kpis(user: User) -> bool:
    """Hub coordinators add KPIs from the registered measures and set baselines and targets."""
    return (
        can_view_kpis(user)
        and not sees_controlled_figures(user)
        and user.has_perm("evaluation.manage_kpis")
    )


def can_generate_board_pack(user: User) -> bool:
    """Board packs are for people who may not read the records: whoever sees KPIs may
    generate one, and it always goes through disclosure control."""
    return can_view_kpis(user)


# Training (outreach). Outreach officers and the hub coordinator manage courses, sessions
# and question banks; any partner user of an organisation with a signed agreement sees the
# training calendar and books places for their own organisation. Results are aggregates
# only, for those who manage training; nobody ever sees one attendee's answers. Board
# viewers see training totals through the evaluation pages only.


def can_manage_training(user: User) -> bool:
    """Courses, sessions, question banks, attendance and results."""
    return (
        has_shared_data_access(user)
        and not sees_aggregates_only(user)
        and user.has_perm("outreach.manage_training")
    )


def can_book_training(user: User) -> bool:
    """The training calendar, and booking places for colleagues of one's own organisation."""
    return (
        has_shared_data_access(user)
        and not sees_aggregates_only(user)
        and (user.has_perm("outreach.book_training") or can_manage_training(user))
    )


def can_book_training_for(user: User, organisation: Organisation) -> bool:
    """Partners book for their own organisation; those who manage training for any partner."""
    if not organisation.has_shared_data_access:
        return False
    if can_manage_training(user):
        return True
    return can_book_training(user) and organisation.pk == user.organisation_id


def can_see_training_totals(user: User) -> bool:
    """Training totals, never a record: those who manage training, and board viewers."""
    return can_manage_training(user) or (
        has_role(user, Role.BOARD_VIEWER) and has_shared_data_access(user)
    )


class NotFoundOrNotAllowed(Exception):
    """A record that does not exist or that the user may not see: one answer for both.

    Raised by selectors and services, which know nothing of the web; views (and the API,
    the CLI, the worker) decide what it becomes — a 404 for a page, through
    ``core.middleware.NotFoundMiddleware`` — so that "missing" and "forbidden" look alike.
    """
