"""System administrators manage organisations, users and roles; every change is audited."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern.core import audit
from lantern.core.models import AuditEvent, LocalAuthorityArea, Organisation, User
from lantern.core.roles import Role
from tests.factories import OrganisationFactory


@pytest.fixture
def admin_client(signed_in):
    return signed_in(Role.SYSTEM_ADMINISTRATOR)


def _organisation_form(**overrides):
    areas = LocalAuthorityArea.objects.filter(name__in=["Melton", "Rutland"])
    data = {
        "name": "Rutland Rural Support Network",
        "organisation_type": "charity",
        "is_first_responder": "",
        "areas": [area.pk for area in areas],
        "helps_with_victims": "on",
        "helps_with_intelligence": "on",
        "isa_signed_on": "2025-03-14",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_administrator_adds_an_organisation_with_everything_domain_md_lists(admin_client):
    response = admin_client.post(reverse("admin:core_organisation_add"), _organisation_form())
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Rutland Rural Support Network")
    assert organisation.organisation_type == "charity"
    assert not organisation.is_first_responder
    assert {area.name for area in organisation.areas.all()} == {"Melton", "Rutland"}
    assert organisation.helps_with_victims and organisation.helps_with_intelligence
    assert not organisation.helps_with_operations
    assert str(organisation.isa_signed_on) == "2025-03-14"
    event = AuditEvent.objects.get(action=audit.Action.ADMIN_ADD)
    assert event.object_type == "core.organisation"
    assert event.object_id == str(organisation.pk)
    assert event.actor_id == admin_client.user.pk


def test_invalid_organisation_is_refused_with_a_message_and_nothing_saved(admin_client):
    response = admin_client.post(
        reverse("admin:core_organisation_add"),
        _organisation_form(organisation_type="pub", isa_signed_on="31/31/2025"),
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert "Enter a valid date" in response.text
    assert not Organisation.objects.filter(name="Rutland Rural Support Network").exists()
    assert not AuditEvent.objects.filter(action=audit.Action.ADMIN_ADD).exists()


def test_administrator_deactivates_an_organisation_and_the_change_is_audited(admin_client):
    organisation = OrganisationFactory(name="Charity to close")
    response = admin_client.post(
        reverse("admin:core_organisation_change", args=[organisation.pk]),
        _organisation_form(name="Charity to close", is_active=""),
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert not organisation.is_active
    assert not organisation.has_shared_data_access
    event = AuditEvent.objects.get(action=audit.Action.ADMIN_CHANGE)
    assert "Active" in event.detail["change"] or "active" in event.detail["change"]


def test_organisations_and_users_cannot_be_deleted(admin_client, organisation):
    assert (
        admin_client.get(
            reverse("admin:core_organisation_delete", args=[organisation.pk])
        ).status_code
        == 403
    )
    user = admin_client.user
    assert admin_client.get(reverse("admin:core_user_delete", args=[user.pk])).status_code == 403


def test_administrator_creates_a_user_and_gives_roles(admin_client, organisation):
    response = admin_client.post(
        reverse("admin:core_user_add"),
        {
            "email": "New.Analyst@Police.test",
            "full_name": "New Analyst",
            "organisation": organisation.pk,
            "usable_password": "true",
            "password1": "a very long passphrase 42",
            "password2": "a very long passphrase 42",
        },
    )
    assert response.status_code == 302, response.text
    user = User.objects.get(email="new.analyst@police.test")
    assert user.organisation == organisation
    # Roles that read beyond the organisation's own data wait for a second administrator
    # (tests/core/test_separation_of_duties.py); these are given at once.
    roles = Group.objects.filter(
        name__in=[Role.PARTNER_CONTRIBUTOR.value, Role.OPERATIONS_LEAD.value]
    )
    change = admin_client.post(
        reverse("admin:core_user_change", args=[user.pk]),
        {
            "email": user.email,
            "full_name": user.full_name,
            "job_title": "Analyst",
            "organisation": organisation.pk,
            "groups": [group.pk for group in roles],
            "is_active": "on",
        },
    )
    assert change.status_code == 302, change.text
    assert set(User.objects.get(pk=user.pk).roles()) == {
        Role.PARTNER_CONTRIBUTOR,
        Role.OPERATIONS_LEAD,
    }
    assert AuditEvent.objects.filter(action=audit.Action.ADMIN_ADD, object_id=str(user.pk)).exists()
    assert AuditEvent.objects.filter(
        action=audit.Action.ADMIN_CHANGE, object_id=str(user.pk)
    ).exists()


def test_roles_are_read_only_in_the_admin(admin_client):
    group = Group.objects.get(name=Role.HUB_ANALYST.value)
    page = admin_client.get(reverse("admin:auth_group_change", args=[group.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.text
    assert admin_client.post(reverse("admin:auth_group_add"), {"name": "x"}).status_code == 403


def test_audit_log_has_no_change_or_delete_path(admin_client):
    event = audit.record(action=audit.Action.LOGIN, actor=admin_client.user)
    page = admin_client.get(reverse("admin:core_auditevent_change", args=[event.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.text
    assert (
        admin_client.post(
            reverse("admin:core_auditevent_change", args=[event.pk]), {"action": "x"}
        ).status_code
        == 403
    )
    assert (
        admin_client.get(reverse("admin:core_auditevent_delete", args=[event.pk])).status_code
        == 403
    )
    assert admin_client.get(reverse("admin:core_auditevent_add")).status_code == 403
    assert audit.verify_chain().intact


def test_administrator_resets_a_lost_authenticator_and_it_is_audited(admin_client, make_user):
    owner = make_user(Role.HUB_ANALYST)
    device = TOTPDevice.objects.create(user=owner, name="phone", confirmed=True)
    response = admin_client.post(
        reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    assert AuditEvent.objects.filter(action=audit.Action.ADMIN_DELETE).exists()


@pytest.mark.parametrize("role", [role for role in Role if role is not Role.SYSTEM_ADMINISTRATOR])
def test_other_roles_cannot_reach_admin_objects_by_id(signed_in, role):
    other = OrganisationFactory(name="Another partner")
    client = signed_in(role)
    for url in (
        reverse("admin:core_organisation_change", args=[other.pk]),
        reverse("admin:core_user_change", args=[client.user.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    unchanged = client.post(
        reverse("admin:core_organisation_change", args=[other.pk]),
        _organisation_form(name="Hijacked"),
    )
    assert unchanged.status_code == 302
    assert Organisation.objects.filter(name="Another partner").exists()
    assert not AuditEvent.objects.filter(action=audit.Action.ADMIN_CHANGE).exists()


def test_admin_object_that_does_not_exist_is_not_a_500(admin_client):
    response = admin_client.get(reverse("admin:core_organisation_change", args=[999999]))
    assert response.status_code in {302, 404}
