"""Role grants without a web request: the rules hold for any caller, not just the admin."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from lantern.core import audit, services
from lantern.core.models import AuditEvent, RoleGrant
from lantern.core.roles import Role


@pytest.fixture
def admins(make_user):
    return make_user(Role.SYSTEM_ADMINISTRATOR), make_user(Role.SYSTEM_ADMINISTRATOR)


def test_a_grant_is_asked_for_once_and_given_only_on_approval(admins, make_user):
    asker, approver = admins
    colleague = make_user(Role.PARTNER_CONTRIBUTOR)
    grant = services.request_role_grant(actor=asker, user=colleague, role=Role.HUB_COORDINATOR)
    again = services.request_role_grant(actor=asker, user=colleague, role=Role.HUB_COORDINATOR)
    assert again == grant
    assert RoleGrant.objects.count() == 1
    assert Role.HUB_COORDINATOR not in colleague.roles()
    services.approve_role_grant(actor=approver, grant=grant)
    assert Role.HUB_COORDINATOR in colleague.roles()
    with pytest.raises(ValidationError):
        services.approve_role_grant(actor=approver, grant=grant)


def test_a_command_or_the_worker_asks_for_a_grant_with_no_request(admins, make_user):
    """A task or the CLI passes a system context: the actor is audited, with no address."""
    asker, _approver = admins
    context = audit.AuditContext.system("roles from the joiners list", actor=asker)

    services.request_role_grant(
        actor=asker,
        user=make_user(Role.PARTNER_CONTRIBUTOR),
        role=Role.HUB_COORDINATOR,
        context=context,
    )

    event = AuditEvent.objects.get(action=audit.Action.ROLE_GRANT_REQUESTED)
    assert (event.actor_id, event.ip_address, event.purpose) == (
        asker.pk,
        None,
        "roles from the joiners list",
    )


def test_nobody_asks_for_a_role_for_themselves_and_the_attempt_is_audited(admins):
    asker, _approver = admins
    with pytest.raises(PermissionDenied):
        services.request_role_grant(actor=asker, user=asker, role=Role.HUB_COORDINATOR)
    assert not RoleGrant.objects.exists()
    refused = AuditEvent.objects.get(action=audit.Action.ADMIN_REFUSED)
    assert refused.actor_id == asker.pk
    assert refused.detail["role"] == Role.HUB_COORDINATOR.value


def test_only_a_different_administrator_approves(admins, make_user):
    asker, approver = admins
    grant = services.request_role_grant(actor=asker, user=approver, role=Role.SAFEGUARDING_LEAD)
    for actor in (asker, approver, make_user(Role.HUB_COORDINATOR)):
        with pytest.raises(PermissionDenied):
            services.approve_role_grant(actor=actor, grant=grant)
    grant.refresh_from_db()
    assert grant.status == "pending"
    assert Role.SAFEGUARDING_LEAD not in approver.roles()
    third = make_user(Role.SYSTEM_ADMINISTRATOR)
    services.approve_role_grant(actor=third, grant=grant)
    assert Role.SAFEGUARDING_LEAD in approver.roles()


def test_the_asker_may_withdraw_but_the_grantee_may_not_decline(admins, make_user):
    asker, approver = admins
    grant = services.request_role_grant(actor=asker, user=approver, role=Role.HUB_ANALYST)
    with pytest.raises(PermissionDenied):
        services.decline_role_grant(actor=approver, grant=grant)
    services.decline_role_grant(actor=asker, grant=grant)
    grant.refresh_from_db()
    assert grant.status == "declined"
    assert AuditEvent.objects.filter(action=audit.Action.ROLE_GRANT_DECLINED).exists()


def test_roles_without_personal_data_are_not_asked_for(admins, make_user):
    asker, _approver = admins
    with pytest.raises(ValidationError):
        services.request_role_grant(actor=asker, user=make_user(), role=Role.OUTREACH_OFFICER)


def test_a_deactivated_account_is_not_given_the_role(admins, make_user):
    asker, approver = admins
    colleague = make_user(Role.PARTNER_CONTRIBUTOR)
    grant = services.request_role_grant(actor=asker, user=colleague, role=Role.HUB_COORDINATOR)
    colleague.is_active = False
    colleague.save()
    with pytest.raises(ValidationError):
        services.approve_role_grant(actor=approver, grant=grant)
    assert Role.HUB_COORDINATOR not in colleague.roles()


def test_the_database_refuses_a_grant_approved_by_its_asker(admins, make_user):
    """A second line: even a write that skips the service cannot record it."""
    asker, _approver = admins
    colleague = make_user()
    grant = RoleGrant.objects.create(user=colleague, role=Role.HUB_COORDINATOR, requested_by=asker)
    grant.status, grant.decided_by = "approved", asker
    with pytest.raises(IntegrityError), transaction.atomic():
        grant.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrant.objects.create(user=asker, role=Role.HUB_COORDINATOR, requested_by=asker)
