"""Your organisation's users: an organisation administrator manages its own staff and
nobody else, tested as an attacker would."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from lantern.accounts.models import Invitation
from lantern.accounts.services import users
from lantern.core import audit
from lantern.core.models import AuditEvent, RoleGrant
from lantern.core.roles import Role


@pytest.fixture
def as_org_admin(client, org_admin):
    client.force_login(org_admin)
    return client


def test_a_command_or_the_worker_deactivates_a_leaver_with_no_request(org_admin, colleague):
    """A task or the CLI passes a system context: the actor is audited, with no address."""
    context = audit.AuditContext.system("leavers list from HR", actor=org_admin)

    users.deactivate(actor=org_admin, user=colleague, context=context)

    event = AuditEvent.objects.get(action="accounts.user_deactivated")
    assert event.object_id == str(colleague.pk)
    assert (event.actor_id, event.ip_address, event.purpose) == (
        org_admin.pk,
        None,
        "leavers list from HR",
    )


def test_another_organisations_user_is_refused_and_the_refusal_audited_from_a_command(
    org_admin, outsider
):
    context = audit.AuditContext.system("leavers list from HR", actor=org_admin)

    with pytest.raises(PermissionDenied):
        users.deactivate(actor=org_admin, user=outsider, context=context)

    outsider.refresh_from_db()
    assert outsider.is_active
    refused = AuditEvent.objects.get(action="admin.refused")
    assert (refused.actor_id, refused.ip_address) == (org_admin.pk, None)


def test_the_list_shows_its_own_organisation_only(as_org_admin, colleague, outsider):
    page = as_org_admin.get(reverse("accounts:user_list")).content.decode()

    assert colleague.email in page
    assert outsider.email not in page


@pytest.mark.parametrize(
    "roles",
    [[]]
    + [
        [role]
        for role in Role
        if role not in {Role.ORGANISATION_ADMINISTRATOR, Role.SYSTEM_ADMINISTRATOR}
    ],
)
def test_nobody_else_reaches_the_pages(client, make_user, home_organisation, roles, colleague):
    client.force_login(make_user(*roles, organisation=home_organisation))

    for url in [
        reverse("accounts:user_list"),
        reverse("accounts:invite"),
        reverse("accounts:activity"),
        reverse("accounts:user_detail", args=[colleague.pk]),
        reverse("accounts:deactivate", args=[colleague.pk]),
    ]:
        assert client.get(url).status_code == 404, url


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("accounts:user_list"))

    assert response.status_code == 302 and reverse("core:login") in response["Location"]


def test_inviting_through_the_page(as_org_admin, home_organisation, run_jobs):
    response = as_org_admin.post(
        reverse("accounts:invite"),
        {
            "full_name": "Nia New",
            "email": "Nia.New@Leicester.test",
            "organisation": home_organisation.pk,
            "roles": [Role.PARTNER_CONTRIBUTOR.value],
        },
    )
    run_jobs()

    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "nia.new@leicester.test"
    assert invitation.roles == ["partner contributor"]
    assert len(mail.outbox) == 1


def test_the_invite_form_offers_only_the_roles_it_may_give(as_org_admin):
    page = as_org_admin.get(reverse("accounts:invite")).content.decode()

    assert 'value="partner contributor"' in page
    for role in [
        Role.SAFEGUARDING_LEAD,
        Role.HUB_COORDINATOR,
        Role.SYSTEM_ADMINISTRATOR,
        Role.ORGANISATION_ADMINISTRATOR,
        Role.HUB_ANALYST,
    ]:
        assert f'value="{role.value}"' not in page


def test_a_posted_role_it_may_not_give_is_refused_with_a_message(as_org_admin, home_organisation):
    response = as_org_admin.post(
        reverse("accounts:invite"),
        {
            "full_name": "Nia New",
            "email": "nia@leicester.test",
            "organisation": home_organisation.pk,
            "roles": [Role.SAFEGUARDING_LEAD.value],
        },
    )

    assert response.status_code == 400
    assert "Select roles from the list" in response.content.decode()
    assert not Invitation.objects.exists()


def test_inviting_to_another_organisation_is_refused(as_org_admin, other_organisation):
    response = as_org_admin.post(
        reverse("accounts:invite"),
        {"full_name": "X", "email": "x@rutland.test", "organisation": other_organisation.pk},
    )

    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_another_organisations_user_ids_do_not_exist(as_org_admin, outsider, org_admin):
    for url in [
        reverse("accounts:user_detail", args=[outsider.pk]),
        reverse("accounts:deactivate", args=[outsider.pk]),
        reverse("accounts:user_detail", args=[999999]),
    ]:
        assert as_org_admin.get(url).status_code == 404
    response = as_org_admin.post(reverse("accounts:deactivate", args=[outsider.pk]))
    assert response.status_code == 404
    outsider.refresh_from_db()
    assert outsider.is_active
    # A user of the administrator's own organisation is there.
    own = reverse("accounts:user_detail", args=[org_admin.pk])
    assert as_org_admin.get(own).status_code == 200


def test_changing_a_colleagues_roles(as_org_admin, colleague):
    response = as_org_admin.post(
        reverse("accounts:user_detail", args=[colleague.pk]),
        {"roles": [Role.OUTREACH_OFFICER.value]},
    )

    assert response.status_code == 302
    assert colleague.roles() == [Role.OUTREACH_OFFICER]
    event = AuditEvent.objects.get(action=audit.Action.USER_ROLES_CHANGED)
    assert event.detail == {
        "added": ["outreach and training officer"],
        "requested": [],
        "removed": ["partner contributor"],
    }


def test_roles_it_may_not_give_are_kept_when_it_changes_others(
    as_org_admin, make_user, home_organisation
):
    lead = make_user(
        Role.SAFEGUARDING_LEAD, Role.PARTNER_CONTRIBUTOR, organisation=home_organisation
    )

    as_org_admin.post(reverse("accounts:user_detail", args=[lead.pk]), {"roles": []})

    assert lead.roles() == [Role.SAFEGUARDING_LEAD]


def test_granting_a_role_it_may_not_give_changes_nothing(as_org_admin, colleague):
    response = as_org_admin.post(
        reverse("accounts:user_detail", args=[colleague.pk]),
        {"roles": [Role.HUB_COORDINATOR.value, Role.PARTNER_CONTRIBUTOR.value]},
    )

    assert response.status_code == 400
    assert colleague.roles() == [Role.PARTNER_CONTRIBUTOR]
    assert not RoleGrant.objects.exists()


def test_it_cannot_promote_itself(as_org_admin, org_admin):
    page = as_org_admin.get(reverse("accounts:user_detail", args=[org_admin.pk]))
    response = as_org_admin.post(
        reverse("accounts:user_detail", args=[org_admin.pk]),
        {"roles": [Role.PARTNER_CONTRIBUTOR.value]},
    )

    assert "Save roles" not in page.content.decode()
    assert response.status_code == 302
    assert org_admin.roles() == [Role.ORGANISATION_ADMINISTRATOR]
    assert AuditEvent.objects.filter(action="admin.refused", actor_id=org_admin.pk).exists()


def test_it_cannot_deactivate_itself(as_org_admin, org_admin):
    assert as_org_admin.post(reverse("accounts:deactivate", args=[org_admin.pk])).status_code == 404
    org_admin.refresh_from_db()
    assert org_admin.is_active


def test_it_cannot_touch_a_system_administrator_of_its_organisation(
    as_org_admin, make_user, home_organisation
):
    admin = make_user(Role.SYSTEM_ADMINISTRATOR, organisation=home_organisation)

    as_org_admin.post(reverse("accounts:user_detail", args=[admin.pk]), {"roles": []})
    response = as_org_admin.post(reverse("accounts:deactivate", args=[admin.pk]))

    assert response.status_code == 404
    admin.refresh_from_db()
    assert admin.is_active and admin.roles() == [Role.SYSTEM_ADMINISTRATOR]


def test_another_organisations_invitations_cannot_be_resent_or_withdrawn(
    as_org_admin, system_admin, other_organisation, invite
):
    invitation, _ = invite(system_admin, other_organisation, email="x@rutland.test")

    for name in ["accounts:resend_invitation", "accounts:withdraw_invitation"]:
        assert as_org_admin.post(reverse(name, args=[invitation.pk])).status_code == 404
    invitation.refresh_from_db()
    assert invitation.is_pending


def test_withdrawing_its_own_invitation(as_org_admin, org_admin, home_organisation, invite):
    invitation, _ = invite(org_admin, home_organisation)

    response = as_org_admin.post(reverse("accounts:withdraw_invitation", args=[invitation.pk]))

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is not None


def test_activity_shows_its_own_organisations_sign_ins_and_exports_only(
    as_org_admin, colleague, outsider
):
    audit.record(action=audit.Action.LOGIN, actor=colleague)
    audit.record_export(actor=colleague, description="campaigns", row_count=3, purpose="report")
    audit.record(action=audit.Action.LOGIN, actor=outsider)

    page = as_org_admin.get(reverse("accounts:activity")).content.decode()

    assert page.count(colleague.email) == 2
    assert "Exported records" in page
    assert outsider.email not in page
    assert AuditEvent.objects.filter(action="record.read", purpose="organisation activity").exists()


def test_a_deactivated_organisation_administrator_reaches_nothing(client, org_admin, colleague):
    client.force_login(org_admin)
    org_admin.is_active = False
    org_admin.save()

    assert client.get(reverse("accounts:user_list")).status_code == 302
    assert client.post(reverse("accounts:deactivate", args=[colleague.pk])).status_code == 302
    colleague.refresh_from_db()
    assert colleague.is_active


def test_a_system_administrator_manages_every_organisation(
    client, system_admin, colleague, outsider
):
    client.force_login(system_admin)

    page = client.get(reverse("accounts:user_list")).content.decode()
    response = client.post(reverse("accounts:deactivate", args=[colleague.pk]))

    assert colleague.email in page and outsider.email in page
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert not colleague.is_active


def test_the_pages_are_in_french(as_org_admin):
    page = as_org_admin.get("/fr" + reverse("accounts:user_list")).content.decode()

    assert 'lang="fr"' in page
