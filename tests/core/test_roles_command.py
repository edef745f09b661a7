"""``lantern roles grant``: only with a different administrator's named authority, audited."""

import pytest
from django.core.management import CommandError, call_command

from lantern.core import audit, services
from lantern.core.models import AuditEvent, RoleGrant
from lantern.core.roles import Role


@pytest.fixture
def people(make_user):
    return {
        "admin": make_user(Role.SYSTEM_ADMINISTRATOR, email="admin@hub.test"),
        "colleague": make_user(Role.PARTNER_CONTRIBUTOR, email="analyst@hub.test"),
        "contributor": make_user(Role.PARTNER_CONTRIBUTOR, email="contributor@hub.test"),
    }


def test_a_role_is_given_on_another_administrators_authority(people, capsys):
    call_command(
        "roles", "grant", "Analyst@Hub.test", "hub-coordinator", "--authorised-by", "admin@hub.test"
    )
    assert Role.HUB_COORDINATOR in people["colleague"].roles()
    assert "authorised by admin@hub.test" in capsys.readouterr().out
    event = AuditEvent.objects.get(action=audit.Action.ROLE_GRANTED_BY_COMMAND)
    assert event.actor_id == people["admin"].pk
    assert event.object_id == str(people["colleague"].pk)
    assert event.detail["role"] == "hub coordinator"
    assert event.detail["authorised_by"] == "admin@hub.test"
    assert event.detail["operator"]
    assert audit.verify_chain().intact


def test_authorisation_is_required(people):
    with pytest.raises(CommandError):
        call_command("roles", "grant", "analyst@hub.test", "hub coordinator")
    assert Role.HUB_COORDINATOR not in people["colleague"].roles()


def test_an_administrator_cannot_authorise_a_role_for_themselves(people):
    with pytest.raises(CommandError, match="Refused"):
        call_command(
            "roles",
            "grant",
            "admin@hub.test",
            "safeguarding lead",
            "--authorised-by",
            "admin@hub.test",
        )
    assert Role.SAFEGUARDING_LEAD not in people["admin"].roles()
    assert AuditEvent.objects.filter(action=audit.Action.ADMIN_REFUSED).exists()
    assert not AuditEvent.objects.filter(action=audit.Action.ROLE_GRANTED_BY_COMMAND).exists()


@pytest.mark.parametrize("authoriser", ["contributor@hub.test", "nobody@hub.test"])
def test_only_an_existing_administrator_authorises(people, authoriser):
    with pytest.raises(CommandError):
        call_command(
            "roles", "grant", "analyst@hub.test", "hub coordinator", "--authorised-by", authoriser
        )
    assert Role.HUB_COORDINATOR not in people["colleague"].roles()


def test_a_deactivated_administrator_authorises_nothing(people):
    people["admin"].is_active = False
    people["admin"].save()
    with pytest.raises(CommandError):
        call_command(
            "roles",
            "grant",
            "analyst@hub.test",
            "hub coordinator",
            "--authorised-by",
            "admin@hub.test",
        )
    assert Role.HUB_COORDINATOR not in people["colleague"].roles()


@pytest.mark.parametrize("role", ["", "root", "superuser", "hub  coordinator!"])
def test_an_unknown_role_is_refused(people, role):
    with pytest.raises(CommandError):
        call_command(
            "roles", "grant", "analyst@hub.test", role, "--authorised-by", "admin@hub.test"
        )
    assert people["colleague"].roles() == [Role.PARTNER_CONTRIBUTOR]


def test_a_grant_waiting_in_the_admin_is_settled_by_the_command(people, make_user):
    asker = make_user(Role.SYSTEM_ADMINISTRATOR)
    grant = services.request_role_grant(
        actor=asker, user=people["colleague"], role=Role.HUB_COORDINATOR
    )
    call_command(
        "roles", "grant", "analyst@hub.test", "hub coordinator", "--authorised-by", "admin@hub.test"
    )
    grant.refresh_from_db()
    assert grant.status == "approved"
    assert grant.decided_by == people["admin"]
    assert not RoleGrant.objects.filter(status="pending").exists()


def test_the_administrator_who_asked_cannot_authorise_it_at_the_server(people):
    grant = services.request_role_grant(
        actor=people["admin"], user=people["colleague"], role=Role.SAFEGUARDING_LEAD
    )
    with pytest.raises(CommandError, match="Refused"):
        call_command(
            "roles",
            "grant",
            "analyst@hub.test",
            "safeguarding lead",
            "--authorised-by",
            "admin@hub.test",
        )
    grant.refresh_from_db()
    assert grant.status == "pending"
    assert Role.SAFEGUARDING_LEAD not in people["colleague"].roles()
