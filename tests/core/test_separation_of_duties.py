"""Issue 16, finding 3: no administrator gives themselves a role that reads personal data.

Attacked through the admin pages as an administrator would: their own user page (roles,
organisation, superuser and staff flags posted anyway), another account they made, the
role page, the password page, bulk actions; and approved only by a different administrator.
docs/adr/0016-separation-of-duties.md.
"""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from lantern.core import audit, services
from lantern.core.models import AuditEvent, RoleGrant, RoleGrantStatus, User
from lantern.core.roles import SECOND_APPROVAL_ROLES, Role
from tests.factories import OrganisationFactory

SENSITIVE = sorted(SECOND_APPROVAL_ROLES, key=lambda role: role.value)


def groups(*roles: Role) -> list[int]:
    return list(
        Group.objects.filter(name__in=[role.value for role in roles]).values_list("pk", flat=True)
    )


def user_form(user: User, **overrides) -> dict:
    data = {
        "email": user.email,
        "full_name": user.full_name,
        "job_title": user.job_title,
        "organisation": user.organisation_id or "",
        "groups": groups(*user.roles()),
        "is_active": "on" if user.is_active else "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def admin(client, make_user, organisation):
    user = make_user(Role.SYSTEM_ADMINISTRATOR, organisation=organisation)
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def second_admin(make_user, organisation):
    return make_user(Role.SYSTEM_ADMINISTRATOR, organisation=organisation)


def change(client, user: User, **overrides):
    return client.post(
        reverse("admin:core_user_change", args=[user.pk]), user_form(user, **overrides)
    )


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_an_administrator_cannot_give_themselves_any_role(admin, role):
    me = admin.user
    response = change(admin, me, groups=groups(Role.SYSTEM_ADMINISTRATOR, role))
    assert response.status_code == 302
    assert set(User.objects.get(pk=me.pk).roles()) == {Role.SYSTEM_ADMINISTRATOR}
    assert not RoleGrant.objects.exists()


def test_their_own_page_shows_roles_and_organisation_but_no_way_to_change_them(admin):
    page = admin.get(reverse("admin:core_user_change", args=[admin.user.pk])).text
    assert 'name="groups"' not in page
    assert 'name="organisation"' not in page
    assert 'name="is_superuser"' not in page and 'name="is_staff"' not in page


def test_an_administrator_cannot_move_themselves_or_raise_their_flags(admin):
    me = admin.user
    hub = OrganisationFactory(name="Intelligence hub")
    response = change(
        admin,
        me,
        organisation=hub.pk,
        is_superuser="on",
        is_staff="on",
        user_permissions=[1, 2, 3],
        full_name="Renamed Admin",
    )
    assert response.status_code == 302
    me = User.objects.get(pk=me.pk)
    assert me.full_name == "Renamed Admin"
    assert me.organisation != hub
    assert not me.is_superuser and not me.is_staff
    assert not me.user_permissions.exists()


def test_superuser_and_staff_flags_cannot_be_set_on_anyone(admin, make_user):
    other = make_user(Role.PARTNER_CONTRIBUTOR)
    change(admin, other, is_superuser="on", is_staff="on", user_permissions=[1])
    other = User.objects.get(pk=other.pk)
    assert not other.is_superuser and not other.is_staff
    assert not other.user_permissions.exists()


@pytest.mark.parametrize("role", SENSITIVE, ids=lambda role: role.value)
def test_a_role_that_reads_personal_data_waits_for_another_administrator(
    admin, client, make_user, second_admin, role
):
    colleague = make_user(Role.PARTNER_CONTRIBUTOR)
    response = change(admin, colleague, groups=groups(Role.PARTNER_CONTRIBUTOR, role))
    assert response.status_code == 302
    assert role not in User.objects.get(pk=colleague.pk).roles()
    grant = RoleGrant.objects.get(user=colleague, role=role, status="pending")
    assert grant.requested_by == admin.user
    assert AuditEvent.objects.filter(
        action=audit.Action.ROLE_GRANT_REQUESTED, object_id=str(colleague.pk)
    ).exists()
    # The change record does not claim a role was given.
    changes = AuditEvent.objects.filter(
        action=audit.Action.ADMIN_CHANGE, object_id=str(colleague.pk)
    )
    assert "groups" not in " ".join(str(event.detail).lower() for event in changes)
    page = admin.get(response["Location"]).text
    assert "waits for another administrator" in page

    changelist = reverse("admin:core_rolegrant_changelist")
    approve = {"action": "approve", "_selected_action": [grant.pk], "index": 0}
    # The administrator who asked cannot approve it.
    admin.post(changelist, approve)
    assert role not in User.objects.get(pk=colleague.pk).roles()
    assert AuditEvent.objects.filter(action=audit.Action.ADMIN_REFUSED).exists()

    client.force_login(second_admin)
    response = client.post(changelist, approve)
    assert response.status_code == 302
    assert role in User.objects.get(pk=colleague.pk).roles()
    grant.refresh_from_db()
    assert grant.status == "approved" and grant.decided_by == second_admin
    event = AuditEvent.objects.get(action=audit.Action.ROLE_GRANT_APPROVED)
    assert event.actor_id == second_admin.pk
    assert event.detail["requested_by"] == admin.user.email


def test_other_roles_are_given_at_once_and_removal_is_immediate(admin, make_user):
    colleague = make_user(Role.SAFEGUARDING_LEAD)
    change(admin, colleague, groups=groups(Role.OUTREACH_OFFICER, Role.BOARD_VIEWER))
    assert set(User.objects.get(pk=colleague.pk).roles()) == {
        Role.OUTREACH_OFFICER,
        Role.BOARD_VIEWER,
    }
    assert not RoleGrant.objects.exists()


def test_a_declined_grant_gives_nothing_and_is_audited(admin, client, make_user, second_admin):
    colleague = make_user(Role.PARTNER_CONTRIBUTOR)
    change(admin, colleague, groups=groups(Role.HUB_COORDINATOR))
    grant = RoleGrant.objects.get()
    client.force_login(second_admin)
    changelist = reverse("admin:core_rolegrant_changelist")
    client.post(changelist, {"action": "decline", "_selected_action": [grant.pk], "index": 0})
    grant.refresh_from_db()
    assert grant.status == "declined"
    assert Role.HUB_COORDINATOR not in User.objects.get(pk=colleague.pk).roles()
    assert AuditEvent.objects.filter(action=audit.Action.ROLE_GRANT_DECLINED).exists()
    # Decided once: approving it afterwards changes nothing.
    client.post(changelist, {"action": "approve", "_selected_action": [grant.pk], "index": 0})
    assert Role.HUB_COORDINATOR not in User.objects.get(pk=colleague.pk).roles()


def test_a_second_account_of_ones_own_cannot_approve_a_grant_for_oneself(
    admin, client, organisation
):
    """The administrator makes a second account, and cannot make it an administrator alone;
    a grant asked for them by a colleague is not theirs to approve from any account."""
    response = admin.post(
        reverse("admin:core_user_add"),
        {
            "email": "sock.puppet@partner.test",
            "full_name": "Sock Puppet",
            "organisation": organisation.pk,
            "usable_password": "true",
            "password1": "a very long passphrase 42",
            "password2": "a very long passphrase 42",
            "groups": groups(Role.SYSTEM_ADMINISTRATOR, Role.HUB_COORDINATOR),
            "is_superuser": "on",
        },
    )
    assert response.status_code == 302
    puppet = User.objects.get(email="sock.puppet@partner.test")
    assert puppet.roles() == [] and not puppet.is_superuser
    change(admin, puppet, groups=groups(Role.SYSTEM_ADMINISTRATOR))
    assert puppet.roles() == []
    grant = RoleGrant.objects.get(user=puppet)
    # The puppet cannot sign in to the admin to approve its own grant.
    client.force_login(puppet)
    client.post(
        reverse("admin:core_rolegrant_changelist"),
        {"action": "approve", "_selected_action": [grant.pk], "index": 0},
    )
    grant.refresh_from_db()
    assert grant.status == "pending"
    assert puppet.roles() == []


def test_the_grantee_cannot_approve_their_own_grant(client, make_user, second_admin):
    """Asked for by a colleague, a grant for an administrator waits for a third."""
    requester = make_user(Role.SYSTEM_ADMINISTRATOR)
    client.force_login(requester)
    change(client, second_admin, groups=groups(Role.SYSTEM_ADMINISTRATOR, Role.HUB_COORDINATOR))
    grant = RoleGrant.objects.get(user=second_admin)
    client.force_login(second_admin)
    for action in ("approve", "decline"):
        client.post(
            reverse("admin:core_rolegrant_changelist"),
            {"action": action, "_selected_action": [grant.pk], "index": 0},
        )
    grant.refresh_from_db()
    assert grant.status == "pending"
    assert Role.HUB_COORDINATOR not in second_admin.roles()


def test_roles_cannot_be_given_from_the_role_page(admin, make_user):
    group = Group.objects.get(name=Role.HUB_COORDINATOR.value)
    response = admin.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {"name": group.name, "permissions": [], "user_set": [admin.user.pk]},
    )
    assert response.status_code == 403
    assert Role.HUB_COORDINATOR not in admin.user.roles()


def test_role_grants_cannot_be_added_or_edited_directly(admin, make_user):
    colleague = make_user(Role.PARTNER_CONTRIBUTOR)
    response = admin.post(
        reverse("admin:core_rolegrant_add"),
        {"user": admin.user.pk, "role": Role.HUB_COORDINATOR.value, "status": "approved"},
    )
    assert response.status_code == 403
    change(admin, colleague, groups=groups(Role.HUB_COORDINATOR))
    grant = RoleGrant.objects.get()
    response = admin.post(
        reverse("admin:core_rolegrant_change", args=[grant.pk]),
        {"user": admin.user.pk, "status": "approved"},
    )
    assert response.status_code == 403
    grant.refresh_from_db()
    assert grant.user == colleague and grant.status == "pending"
    assert admin.get(reverse("admin:core_rolegrant_delete", args=[grant.pk])).status_code == 403


def test_bulk_actions_on_users_give_nothing(admin, make_user):
    colleague = make_user(Role.PARTNER_CONTRIBUTOR)
    response = admin.post(
        reverse("admin:core_user_changelist"),
        {"action": "delete_selected", "_selected_action": [colleague.pk, admin.user.pk]},
    )
    assert response.status_code in {200, 302}
    assert User.objects.filter(pk__in=[colleague.pk, admin.user.pk]).count() == 2
    assert admin.user.roles() == [Role.SYSTEM_ADMINISTRATOR]


def test_no_password_is_set_for_someone_holding_a_role_that_needs_approval(admin, make_user):
    coordinator = make_user(Role.HUB_COORDINATOR)
    TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    url = reverse("admin:auth_user_password_change", args=[coordinator.pk])
    data = {"password1": "taken over 12345 abc", "password2": "taken over 12345 abc"}
    assert admin.get(url).status_code == 403
    assert admin.post(url, data).status_code == 403
    coordinator.refresh_from_db()
    assert not coordinator.check_password("taken over 12345 abc")
    contributor = make_user(Role.PARTNER_CONTRIBUTOR)
    url = reverse("admin:auth_user_password_change", args=[contributor.pk])
    assert admin.post(url, data | {"usable_password": "true"}).status_code == 302
    contributor.refresh_from_db()
    assert contributor.check_password("taken over 12345 abc")
    # Nor while such a role waits for approval: it would be approved for a known password.
    change(admin, contributor, groups=groups(Role.HUB_COORDINATOR))
    data = {"password1": "second try 12345 abc", "password2": "second try 12345 abc"}
    assert admin.post(url, data | {"usable_password": "true"}).status_code == 403
    contributor.refresh_from_db()
    assert not contributor.check_password("second try 12345 abc")


def test_someone_keeping_a_role_that_needs_approval_is_not_moved(admin, make_user):
    lead = make_user(Role.SAFEGUARDING_LEAD)
    elsewhere = OrganisationFactory(name="Another partner")
    response = change(admin, lead, organisation=elsewhere.pk)
    assert response.status_code == 200
    assert "before moving this person to another organisation" in response.text
    assert User.objects.get(pk=lead.pk).organisation != elsewhere
    response = change(admin, lead, organisation=elsewhere.pk, groups=groups(Role.BOARD_VIEWER))
    assert response.status_code == 302
    lead = User.objects.get(pk=lead.pk)
    assert lead.organisation == elsewhere and lead.roles() == [Role.BOARD_VIEWER]


def test_the_user_page_shows_roles_waiting(admin, make_user):
    colleague = make_user(Role.PARTNER_CONTRIBUTOR)
    change(admin, colleague, groups=groups(Role.SAFEGUARDING_LEAD))
    page = admin.get(reverse("admin:core_user_change", args=[colleague.pk])).text
    assert "Roles waiting for approval" in page
    assert "Safeguarding lead" in page


FIELD_VALUES = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(2**63), max_value=2**63).map(str),
    st.lists(st.text(max_size=10), max_size=3),
)


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    fields=st.dictionaries(
        st.sampled_from(
            ["organisation", "groups", "is_active", "is_superuser", "email", "full_name"]
        ),
        FIELD_VALUES,
    )
)
def test_no_user_form_input_causes_a_server_error_or_a_new_role(admin, make_user, fields):
    """Whatever is posted, on their own page or a colleague's: no 500, and no role that
    needs approval is given, to anyone, without it."""
    colleague = make_user(Role.PARTNER_CONTRIBUTOR)
    for user in (admin.user, colleague):
        response = change(admin, user, **fields)
        assert response.status_code in {200, 302}
    assert User.objects.get(pk=admin.user.pk).roles() == [Role.SYSTEM_ADMINISTRATOR]
    assert not set(User.objects.get(pk=colleague.pk).roles()) & SECOND_APPROVAL_ROLES
    assert not User.objects.filter(is_superuser=True).exists()


@hypothesis_settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    action=st.one_of(st.sampled_from(["approve", "decline"]), st.text(max_size=20)),
    selected=st.lists(FIELD_VALUES.map(str), max_size=3),
)
def test_no_role_grant_action_input_causes_a_server_error(admin, action, selected):
    response = admin.post(
        reverse("admin:core_rolegrant_changelist"),
        {"action": action, "_selected_action": selected, "index": 0},
    )
    assert response.status_code in {200, 302}
    assert admin.user.roles() == [Role.SYSTEM_ADMINISTRATOR]


def test_a_move_to_another_organisation_cancels_the_roles_waiting_for_approval(admin, make_user):
    contributor = make_user(Role.PARTNER_CONTRIBUTOR)
    change(admin, contributor, groups=groups(Role.PARTNER_CONTRIBUTOR, Role.SAFEGUARDING_LEAD))
    grant = RoleGrant.objects.get(user=contributor, status=RoleGrantStatus.PENDING)
    elsewhere = OrganisationFactory(name="Another partner")

    response = change(
        admin, contributor, organisation=elsewhere.pk, groups=groups(Role.PARTNER_CONTRIBUTOR)
    )

    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.status == RoleGrantStatus.DECLINED
    event = AuditEvent.objects.get(action="admin.role_grant_cancelled")
    assert event.detail["role"] == Role.SAFEGUARDING_LEAD.value
    assert event.detail["to_organisation"] == elsewhere.pk
    # Nobody can approve it any more in the new organisation.
    other_admin = make_user(Role.SYSTEM_ADMINISTRATOR)
    with pytest.raises(ValidationError):
        services.approve_role_grant(actor=other_admin, grant=grant)
    assert Role.SAFEGUARDING_LEAD not in User.objects.get(pk=contributor.pk).roles()
