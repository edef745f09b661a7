"""Joiners: an invitation by email, the person sets their own password, nothing else."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from lantern.accounts.models import Invitation
from lantern.accounts.services import invitations
from lantern.core.models import AuditEvent, RoleGrant, User
from lantern.core.roles import Role
from tests.accounts.conftest import link_for, token_in

NEW_PASSWORD = "lantern-river-copper-42"


def test_an_invitation_emails_a_link_whose_secret_is_not_stored(
    org_admin, home_organisation, invite
):
    invitation, token = invite(org_admin, home_organisation, Role.PARTNER_CONTRIBUTOR)

    assert mail.outbox[-1].to == ["new.person@leicester.test"]
    assert "Leicester City Council" in mail.outbox[-1].subject
    assert token not in invitation.token_hash
    assert not Invitation.objects.filter(token_hash=token).exists()
    assert not User.objects.filter(email="new.person@leicester.test").exists()
    assert AuditEvent.objects.filter(action="accounts.invitation_sent").count() == 1


def test_accepting_creates_the_account_with_its_roles_and_the_chosen_password(
    org_admin, home_organisation, invite
):
    invitation, token = invite(org_admin, home_organisation, Role.PARTNER_CONTRIBUTOR)

    user = invitations.accept(token=token, password=NEW_PASSWORD)

    assert user.check_password(NEW_PASSWORD)
    assert user.organisation == home_organisation
    assert user.roles() == [Role.PARTNER_CONTRIBUTOR]
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None and invitation.user == user
    assert AuditEvent.objects.filter(
        action="accounts.invitation_accepted", actor_id=user.pk
    ).exists()


def test_a_link_works_once(org_admin, home_organisation, invite):
    _, token = invite(org_admin, home_organisation)
    invitations.accept(token=token, password=NEW_PASSWORD)

    with pytest.raises(invitations.InvitationUnusable):
        invitations.accept(token=token, password="another-long-password-9")
    assert AuditEvent.objects.filter(
        action="accounts.invitation_link_refused", detail__reason="already used"
    ).exists()


def test_an_expired_link_is_refused(org_admin, home_organisation, invite, settings):
    invitation, token = invite(org_admin, home_organisation)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    with pytest.raises(invitations.InvitationUnusable):
        invitations.accept(token=token, password=NEW_PASSWORD)
    assert not User.objects.filter(email=invitation.email).exists()


def test_the_link_expires_after_invitation_hours(org_admin, home_organisation, invite, settings):
    settings.INVITATION_HOURS = 5
    invitation, _ = invite(org_admin, home_organisation)

    lifetime = invitation.expires_at - invitation.sent_at
    assert lifetime == datetime.timedelta(hours=5)


def test_resending_replaces_the_link(org_admin, home_organisation, invite, run_jobs):
    invitation, old_token = invite(org_admin, home_organisation)
    invitations.resend(actor=org_admin, invitation=invitation, link_for=link_for)
    run_jobs()
    new_token = token_in(mail.outbox[-1].body)

    assert new_token != old_token
    with pytest.raises(invitations.InvitationUnusable):
        invitations.accept(token=old_token, password=NEW_PASSWORD)
    assert invitations.accept(token=new_token, password=NEW_PASSWORD).is_active


def test_a_withdrawn_invitation_cannot_be_accepted(org_admin, home_organisation, invite):
    invitation, token = invite(org_admin, home_organisation)
    invitations.withdraw(actor=org_admin, invitation=invitation)

    with pytest.raises(invitations.InvitationUnusable):
        invitations.accept(token=token, password=NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="accounts.invitation_withdrawn").count() == 1


def test_a_tampered_link_is_refused(org_admin, home_organisation, invite):
    _, token = invite(org_admin, home_organisation)

    with pytest.raises(invitations.InvitationUnusable):
        invitations.accept(
            token=token[:-1] + ("A" if token[-1] != "A" else "B"), password=NEW_PASSWORD
        )


def test_a_weak_or_common_password_is_refused_and_nothing_is_created(
    org_admin, home_organisation, invite
):
    invitation, token = invite(org_admin, home_organisation)

    for weak in ["short", "password1234", "123456789012", "new.person@leicester.test"]:
        with pytest.raises(ValidationError):
            invitations.accept(token=token, password=weak)
    assert not User.objects.filter(email=invitation.email).exists()
    invitation.refresh_from_db()
    assert invitation.is_pending


def test_an_address_with_an_account_cannot_be_invited_however_it_is_written(
    org_admin, home_organisation, colleague
):
    with pytest.raises(ValidationError) as refused:
        invitations.invite(
            actor=org_admin,
            email="  Colleague@LEICESTER.test ",
            full_name="Casey again",
            organisation=home_organisation,
            roles=[],
            link_for=link_for,
        )
    assert "email" in refused.value.message_dict
    assert not Invitation.objects.exists()


def test_a_double_submission_makes_one_invitation_and_one_email(
    org_admin, home_organisation, invite, run_jobs
):
    invite(org_admin, home_organisation, Role.PARTNER_CONTRIBUTOR)
    again = invitations.invite(
        actor=org_admin,
        email="NEW.person@leicester.test",
        full_name="Nia New",
        organisation=home_organisation,
        roles=[Role.PARTNER_CONTRIBUTOR],
        link_for=link_for,
    )
    run_jobs()

    assert again.sent is False
    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == 1


def test_an_organisation_administrator_cannot_invite_to_another_organisation(
    org_admin, other_organisation
):
    with pytest.raises(PermissionDenied):
        invitations.invite(
            actor=org_admin,
            email="someone@rutland.test",
            full_name="Someone",
            organisation=other_organisation,
            roles=[],
            link_for=link_for,
        )
    assert not Invitation.objects.exists()
    assert AuditEvent.objects.filter(action="admin.refused", actor_id=org_admin.pk).exists()


@pytest.mark.parametrize(
    "role",
    [
        Role.SAFEGUARDING_LEAD,
        Role.HUB_COORDINATOR,
        Role.HUB_ANALYST,
        Role.SYSTEM_ADMINISTRATOR,
        Role.ORGANISATION_ADMINISTRATOR,
    ],
)
def test_an_organisation_administrator_cannot_invite_with_a_role_it_may_not_give(
    org_admin, home_organisation, role
):
    with pytest.raises(PermissionDenied):
        invitations.invite(
            actor=org_admin,
            email="someone@leicester.test",
            full_name="Someone",
            organisation=home_organisation,
            roles=[role],
            link_for=link_for,
        )
    assert not Invitation.objects.exists()


def test_a_role_needing_a_second_approval_waits_for_another_administrator(
    system_admin, home_organisation, invite
):
    _, token = invite(
        system_admin, home_organisation, Role.SAFEGUARDING_LEAD, Role.PARTNER_CONTRIBUTOR
    )

    user = invitations.accept(token=token, password=NEW_PASSWORD)

    assert user.roles() == [Role.PARTNER_CONTRIBUTOR]
    grant = RoleGrant.objects.get(user=user)
    assert grant.role == Role.SAFEGUARDING_LEAD and grant.status == "pending"
    assert grant.requested_by == system_admin


def test_roles_the_inviter_can_no_longer_give_are_not_given(org_admin, home_organisation, invite):
    _, token = invite(org_admin, home_organisation, Role.PARTNER_CONTRIBUTOR)
    org_admin.groups.clear()

    user = invitations.accept(token=token, password=NEW_PASSWORD)

    assert user.roles() == []
    event = AuditEvent.objects.get(action="accounts.invitation_accepted")
    assert event.detail["dropped"] == ["partner contributor"]


def test_someone_without_the_role_cannot_invite(colleague, home_organisation):
    with pytest.raises(PermissionDenied):
        invitations.invite(
            actor=colleague,
            email="friend@leicester.test",
            full_name="A friend",
            organisation=home_organisation,
            roles=[],
            link_for=link_for,
        )


def test_the_email_is_in_the_language_of_the_page_that_sent_it(
    org_admin, home_organisation, run_jobs
):
    with translation.override("fr"):
        invitations.invite(
            actor=org_admin,
            email="amelie@leicester.test",
            full_name="Amélie",
            organisation=home_organisation,
            roles=[],
            link_for=link_for,
        )
    run_jobs()  # the worker sends it in the language it was queued in

    assert mail.outbox[0].subject == (
        "Vous êtes invité(e) à rejoindre Lantern pour Leicester City Council"
    )
    assert "Bonjour Amélie," in mail.outbox[0].body


def test_an_address_with_an_account_elsewhere_gets_the_answer_of_a_new_one(
    org_admin, home_organisation, outsider, django_capture_on_commit_callbacks, run_jobs
):
    """An organisation administrator must not learn that an address has an account in
    another organisation: the invitation looks sent, its holder is told, no link leaves."""
    with django_capture_on_commit_callbacks(execute=True):
        sent = invitations.invite(
            actor=org_admin,
            email="  OUTSIDER@Rutland.test ",
            full_name="Rowan Outsider",
            organisation=home_organisation,
            roles=[Role.PARTNER_CONTRIBUTOR],
            link_for=link_for,
        )

    assert sent.sent and sent.invitation.is_pending
    assert mail.outbox == []  # no link sent straight away
    run_jobs()
    assert [message.to for message in mail.outbox] == [["outsider@rutland.test"]]
    assert "/invitation/" not in mail.outbox[0].body
    assert "already has a Lantern account" in mail.outbox[0].body
    event = AuditEvent.objects.get(action="accounts.invitation_sent")
    assert event.detail["existing_account"] is True
    outsider.refresh_from_db()
    assert outsider.organisation != home_organisation


def test_an_address_with_an_account_in_ones_own_organisation_is_named(
    org_admin, home_organisation, colleague
):
    with pytest.raises(ValidationError, match="already has a Lantern account"):
        invitations.invite(
            actor=org_admin,
            email=colleague.email.upper(),
            full_name="Casey Colleague",
            organisation=home_organisation,
            roles=[],
            link_for=link_for,
        )


def test_another_organisations_pending_invitation_is_not_revealed(
    org_admin, home_organisation, other_organisation, system_admin, invite
):
    invite(system_admin, other_organisation, email="shared@example.test")

    invitation, token = invite(org_admin, home_organisation, email="Shared@Example.test")

    assert invitation.organisation == home_organisation and token
    assert Invitation.objects.pending().filter(email="shared@example.test").count() == 2
    # A system administrator sees both organisations: the second one is named to them.
    with pytest.raises(ValidationError, match="already been invited"):
        invitations.invite(
            actor=system_admin,
            email="shared@example.test",
            full_name="Nia New",
            organisation=home_organisation,
            roles=[Role.BOARD_VIEWER],
            link_for=link_for,
        )
