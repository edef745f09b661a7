"""An attacker's probes of joining: an invitation gives only what its sender may still give."""

from lantern.accounts.services import invitations
from lantern.core.models import AuditEvent
from lantern.core.roles import Role

NEW_PASSWORD = "lantern-river-copper-42"


def test_an_administrator_moved_to_another_organisation_no_longer_gives_roles_in_the_first(
    org_admin, home_organisation, other_organisation, invite
):
    _, token = invite(org_admin, home_organisation, Role.PARTNER_CONTRIBUTOR)
    # The administrator moves to another partner, still its organisation administrator:
    # they no longer manage the first organisation's users.
    org_admin.organisation = other_organisation
    org_admin.save(update_fields=["organisation"])

    user = invitations.accept(token=token, password=NEW_PASSWORD)

    assert user.organisation == home_organisation
    assert user.roles() == []
    event = AuditEvent.objects.get(action="accounts.invitation_accepted")
    assert event.detail["dropped"] == ["partner contributor"]


def test_an_administrator_still_in_the_organisation_still_gives_the_roles(
    org_admin, home_organisation, invite
):
    _, token = invite(org_admin, home_organisation, Role.PARTNER_CONTRIBUTOR)

    user = invitations.accept(token=token, password=NEW_PASSWORD)

    assert user.roles() == [Role.PARTNER_CONTRIBUTOR]
