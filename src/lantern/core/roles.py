"""The roles a Lantern user can hold.

Each role is a Django group created by a migration (``0002_roles``) with the permissions
listed here. Group names are the stable English identifiers; ``Role.label`` is what
people read, in their language.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PARTNER_CONTRIBUTOR = "partner contributor", _("Partner contributor")
    HUB_ANALYST = "hub analyst", _("Hub analyst")
    HUB_COORDINATOR = "hub coordinator", _("Hub coordinator")
    SAFEGUARDING_LEAD = "safeguarding lead", _("Safeguarding lead")
    OPERATIONS_LEAD = "operations lead", _("Operations lead")
    OUTREACH_OFFICER = "outreach and training officer", _("Outreach and training officer")
    BOARD_VIEWER = "board viewer", _("Board viewer")
    SYSTEM_ADMINISTRATOR = "system administrator", _("System administrator")
    ORGANISATION_ADMINISTRATOR = "organisation administrator", _("Organisation administrator")


# Roles that work with shared partnership data (as opposed to aggregates only).
PARTNER_ROLES = frozenset(Role) - {
    Role.BOARD_VIEWER,
    Role.SYSTEM_ADMINISTRATOR,
    Role.ORGANISATION_ADMINISTRATOR,
}

# Roles that read individual intelligence (DESIGN.md, "The access policy"). Outreach and
# training officers have no need to know; board viewers see aggregates only; system
# administrators administer, which is not shared data.
INTELLIGENCE_ROLES = frozenset(
    {
        Role.PARTNER_CONTRIBUTOR,
        Role.HUB_ANALYST,
        Role.HUB_COORDINATOR,
        Role.SAFEGUARDING_LEAD,
        Role.OPERATIONS_LEAD,
    }
)
# Roles that read intelligence with handling code C whoever it came from.
HUB_ROLES = frozenset({Role.HUB_ANALYST, Role.HUB_COORDINATOR})

# Roles an administrator cannot give on their own (docs/adr/0016-separation-of-duties.md):
# they read what the holder's organisation could not otherwise see (victims' personal
# details; every restricted intelligence report), or administer, which would let one
# administrator make a second account to approve their own requests. Granting one in the
# admin waits for a different system administrator's approval.
SECOND_APPROVAL_ROLES = frozenset(
    {
        Role.HUB_ANALYST,
        Role.HUB_COORDINATOR,
        Role.SAFEGUARDING_LEAD,
        Role.SYSTEM_ADMINISTRATOR,
    }
)

# Roles an organisation administrator gives and removes for its own organisation's users
# (docs/adr/0026-accounts.md). Never a role in SECOND_APPROVAL_ROLES, and never
# organisation administrator itself: only a system administrator makes one, so an
# organisation administrator cannot multiply itself or promote anyone to read more than
# their organisation already reads.
ORGANISATION_GRANTABLE_ROLES = frozenset(
    {
        Role.PARTNER_CONTRIBUTOR,
        Role.OPERATIONS_LEAD,
        Role.OUTREACH_OFFICER,
        Role.BOARD_VIEWER,
    }
)

# Permissions granted to each role, as "app_label.codename". Later apps add theirs here
# and in a migration of their own.
ROLE_PERMISSIONS: dict[Role, tuple[str, ...]] = {
    Role.PARTNER_CONTRIBUTOR: (
        "core.view_partner_directory",
        "outreach.book_training",
        "intelligence.submit_intelligence",
        "intelligence.view_intelligence",
        "evaluation.update_owned_actions",
    ),
    Role.HUB_ANALYST: (
        "core.view_partner_directory",
        "outreach.book_training",
        "public.view_public_reports",
        "intelligence.submit_intelligence",
        "intelligence.view_intelligence",
        "intelligence.triage_intelligence",
        "evaluation.update_owned_actions",
    ),
    Role.HUB_COORDINATOR: (
        "core.view_partner_directory",
        "intelligence.view_intelligence",
        "safeguarding.record_victims",
        "operations.plan_operations",
        "evaluation.manage_action_plan",
        "evaluation.view_action_plan",
        "evaluation.update_owned_actions",
        "outreach.manage_campaigns",
        "evaluation.view_kpis",
        "evaluation.manage_kpis",
        "outreach.manage_training",
        "outreach.book_training",
    ),
    Role.SAFEGUARDING_LEAD: (
        "core.view_partner_directory",
        "outreach.book_training",
        "intelligence.submit_intelligence",
        "intelligence.view_intelligence",
        "safeguarding.record_victims",
        "evaluation.update_owned_actions",
    ),
    Role.OPERATIONS_LEAD: (
        "core.view_partner_directory",
        "outreach.book_training",
        "intelligence.submit_intelligence",
        "intelligence.view_intelligence",
        "operations.plan_operations",
        "evaluation.update_owned_actions",
    ),
    Role.OUTREACH_OFFICER: (
        "core.view_partner_directory",
        "evaluation.update_owned_actions",
        "outreach.manage_campaigns",
        "outreach.manage_training",
        "outreach.book_training",
    ),
    Role.BOARD_VIEWER: ("evaluation.view_action_plan", "evaluation.view_kpis"),
    Role.SYSTEM_ADMINISTRATOR: (
        "core.view_partner_directory",
        "core.administer_partnership",
        "core.add_organisation",
        "core.change_organisation",
        "core.view_organisation",
        "core.add_user",
        "core.change_user",
        "core.view_user",
        "core.view_localauthorityarea",
        "core.change_localauthorityarea",
        "core.view_auditevent",
        "core.verify_audit_log",
        "auth.view_group",
        "otp_totp.view_totpdevice",
        "otp_totp.delete_totpdevice",
        "core.view_indicator",
        "core.add_indicator",
        "core.change_indicator",
        "core.view_exploitationtype",
        "core.change_exploitationtype",
        "core.view_indicatorphrase",
        "core.add_indicatorphrase",
        "core.change_indicatorphrase",
        "core.delete_indicatorphrase",
        "public.view_helpchannel",
        "public.add_helpchannel",
        "public.change_helpchannel",
        "evaluation.view_populationestimate",
        "evaluation.add_populationestimate",
        "evaluation.change_populationestimate",
        "evaluation.view_publishedcell",
        "outreach.view_trainingtopic",
        "outreach.add_trainingtopic",
        "outreach.change_trainingtopic",
        "outreach.view_trainingsector",
        "outreach.add_trainingsector",
        "outreach.change_trainingsector",
        "outreach.view_frontlinerole",
        "outreach.add_frontlinerole",
        "outreach.change_frontlinerole",
        "outreach.view_campaign",
        "outreach.change_campaign",
    ),
    # Manages its own organisation's users outside the admin site; the access policy
    # (core.access.can_manage_organisation_users) decides, not a model permission.
    Role.ORGANISATION_ADMINISTRATOR: (),
}

ROLE_DESCRIPTIONS: dict[Role, str] = {
    Role.PARTNER_CONTRIBUTOR: _(
        "You share what your organisation knows with the partnership, see what partners "
        "share with you, and answer requests from the intelligence hub."
    ),
    Role.HUB_ANALYST: _(
        "You triage public reports and partner intelligence, grade it, link what belongs "
        "together and ask partner agencies to act."
    ),
    Role.HUB_COORDINATOR: _(
        "You coordinate the partnership: its action plan, its joint work and its results."
    ),
    Role.SAFEGUARDING_LEAD: _(
        "You record potential victims, referrals to the National Referral Mechanism, "
        "Duty to Notify reports and the support people receive."
    ),
    Role.OPERATIONS_LEAD: _(
        "You plan joint operations with partner agencies and record what they achieved."
    ),
    Role.OUTREACH_OFFICER: _(
        "You run awareness campaigns and training for frontline staff, and measure what "
        "they changed."
    ),
    Role.BOARD_VIEWER: _(
        "You follow the partnership's results as totals and trends. You do not see "
        "individual records."
    ),
    Role.SYSTEM_ADMINISTRATOR: _(
        "You manage partner organisations, user accounts and roles, and check that the "
        "audit log is intact."
    ),
    Role.ORGANISATION_ADMINISTRATOR: _(
        "You invite your organisation's staff to Lantern, change their roles, close the "
        "accounts of people who leave and see your organisation's sign-in activity."
    ),
}
