"""An organisation administrator resets a lost authenticator of their own staff only."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern.accounts.services import second_factor
from lantern.core.models import AuditEvent
from lantern.core.roles import Role


@pytest.fixture
def as_org_admin(client, org_admin):
    client.force_login(org_admin)
    return client


def enrol(user):
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    StaticDevice.objects.create(user=user, name="backup", confirmed=True)


def test_the_authenticator_of_a_colleague_is_removed_and_they_are_told(
    as_org_admin, colleague, run_jobs, settings
):
    enrol(colleague)
    url = reverse("accounts:reset_second_factor", args=[colleague.pk])
    assert as_org_admin.get(url).status_code == 200

    response = as_org_admin.post(url)

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    assert not StaticDevice.objects.filter(user=colleague).exists()
    event = AuditEvent.objects.get(action="accounts.second_factor_reset")
    assert event.detail == {"devices_removed": 2}
    run_jobs()
    assert [message.to for message in mail.outbox] == [[colleague.email]]
    assert "set up an authenticator app again" in mail.outbox[0].body
    # Signing in with the password now leads to enrolling a new authenticator.
    settings.LANTERN_REQUIRE_SECOND_FACTOR = True
    client = as_org_admin.__class__()
    client.force_login(colleague)
    assert client.get(reverse("core:home"))["Location"] == reverse("core:security")


@pytest.mark.parametrize("role", [Role.ORGANISATION_ADMINISTRATOR, Role.SAFEGUARDING_LEAD])
def test_never_an_administrators_nor_a_role_needing_approval(
    as_org_admin, make_user, home_organisation, role
):
    protected = make_user(role, organisation=home_organisation)
    enrol(protected)
    url = reverse("accounts:reset_second_factor", args=[protected.pk])

    assert as_org_admin.get(url).status_code == 404
    assert as_org_admin.post(url).status_code == 404
    assert TOTPDevice.objects.filter(user=protected).exists()


def test_never_another_organisations(as_org_admin, outsider):
    enrol(outsider)
    url = reverse("accounts:reset_second_factor", args=[outsider.pk])

    assert as_org_admin.get(url).status_code == 404
    assert as_org_admin.post(url).status_code == 404
    assert TOTPDevice.objects.filter(user=outsider).exists()


def test_never_their_own(as_org_admin, org_admin):
    url = reverse("accounts:reset_second_factor", args=[org_admin.pk])
    assert as_org_admin.post(url).status_code == 404
    enrol(org_admin)

    with pytest.raises(PermissionDenied):
        second_factor.reset_second_factor(actor=org_admin, user=org_admin)
    assert TOTPDevice.objects.filter(user=org_admin).exists()


def test_only_where_the_partnership_allows_it(as_org_admin, colleague, settings):
    settings.ORGANISATION_ADMINS_RESET_SECOND_FACTOR = False
    enrol(colleague)
    url = reverse("accounts:reset_second_factor", args=[colleague.pk])

    assert as_org_admin.post(url).status_code == 404
    assert TOTPDevice.objects.filter(user=colleague).exists()


def test_the_service_refuses_and_audits_a_forbidden_reset(org_admin, outsider):
    enrol(outsider)
    with pytest.raises(PermissionDenied):
        second_factor.reset_second_factor(actor=org_admin, user=outsider)
    assert TOTPDevice.objects.filter(user=outsider).exists()
    assert AuditEvent.objects.filter(action="admin.refused", actor_id=org_admin.pk).exists()


def test_a_system_administrator_may_reset_an_organisation_administrators(
    client, system_admin, org_admin
):
    enrol(org_admin)
    client.force_login(system_admin)

    response = client.post(reverse("accounts:reset_second_factor", args=[org_admin.pk]))

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=org_admin).exists()
