"""Leavers: deactivated, never deleted; their sessions and API tokens stop at once; unused
accounts flagged and closed by ``lantern accounts review`` unless confirmed."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from lantern.accounts.models import IdleAccount
from lantern.accounts.services import review, users
from lantern.core import services as core_services
from lantern.core.models import ApiToken, AuditEvent
from lantern.core.roles import Role


def test_a_deactivated_colleagues_next_request_is_refused(client, org_admin, colleague):
    client.force_login(colleague)
    assert client.get(reverse("core:security")).status_code == 200

    users.deactivate(actor=org_admin, user=colleague)

    response = client.get(reverse("core:security"))
    assert response.status_code == 302 and reverse("core:login") in response["Location"]
    colleague.refresh_from_db()
    assert not colleague.is_active
    event = AuditEvent.objects.get(action="accounts.user_deactivated")
    assert event.object_repr.startswith("Casey Colleague")


def test_a_deactivated_person_cannot_sign_in(client, org_admin, colleague):
    users.deactivate(actor=org_admin, user=colleague)

    response = client.post(
        reverse("core:login"),
        {"username": colleague.email, "password": "correct horse battery staple"},
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_their_api_tokens_stop_working_at_once(org_admin, colleague):
    issued = core_services.issue_api_token(
        account=colleague, expires_in=datetime.timedelta(days=30)
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {issued.token}")
    assert api.get("/api/v1/intelligence/").status_code != 401

    users.deactivate(actor=org_admin, user=colleague)

    assert api.get("/api/v1/intelligence/").status_code == 401
    assert not ApiToken.objects.filter(user=colleague).exists()
    assert AuditEvent.objects.get(action="accounts.user_deactivated").detail[
        "api_tokens_revoked"
    ] == [issued.record.token_key]


def _idle(user, days):
    when = timezone.now() - datetime.timedelta(days=days)
    type(user).objects.filter(pk=user.pk).update(last_login=when, date_joined=when)
    user.refresh_from_db()


def test_an_unused_account_is_flagged_to_its_organisation_administrator(
    org_admin, colleague, run_jobs
):
    _idle(colleague, 91)
    result = review.review_idle_accounts()
    run_jobs()

    assert result.flagged == [colleague.email]
    assert IdleAccount.objects.get().user == colleague
    assert [message.to for message in mail.outbox] == [[org_admin.email]]
    assert colleague.full_name in mail.outbox[0].subject


def test_a_recently_used_account_is_not_flagged(org_admin, colleague):
    _idle(colleague, 89)

    assert review.review_idle_accounts().flagged == []


def test_an_unconfirmed_flag_deactivates_after_the_grace_period(org_admin, colleague, settings):
    _idle(colleague, 100)
    review.review_idle_accounts()

    later = timezone.now() + datetime.timedelta(days=settings.ACCOUNT_IDLE_GRACE_DAYS, hours=1)
    result = review.review_idle_accounts(now=later)

    colleague.refresh_from_db()
    assert result.deactivated == [colleague.email]
    assert not colleague.is_active
    assert IdleAccount.objects.get().outcome == IdleAccount.Outcome.DEACTIVATED
    assert AuditEvent.objects.filter(action="accounts.idle_deactivated").count() == 1


def test_a_confirmed_account_stays_and_is_not_flagged_again_at_once(
    client, org_admin, colleague, settings
):
    _idle(colleague, 100)
    review.review_idle_accounts()
    client.force_login(org_admin)
    flag = IdleAccount.objects.get()

    response = client.post(reverse("accounts:confirm_idle", args=[flag.pk]))
    later = timezone.now() + datetime.timedelta(days=settings.ACCOUNT_IDLE_GRACE_DAYS, hours=1)
    result = review.review_idle_accounts(now=later)

    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.is_active
    assert result.flagged == [] and result.deactivated == []
    assert AuditEvent.objects.filter(action="accounts.idle_confirmed").count() == 1


def test_signing_in_again_clears_the_flag(org_admin, colleague, settings):
    _idle(colleague, 100)
    review.review_idle_accounts()
    type(colleague).objects.filter(pk=colleague.pk).update(last_login=timezone.now())

    result = review.review_idle_accounts(
        now=timezone.now() + datetime.timedelta(days=settings.ACCOUNT_IDLE_GRACE_DAYS, hours=1)
    )

    assert result.signed_in_again == [colleague.email]
    colleague.refresh_from_db()
    assert colleague.is_active


def test_a_service_account_with_a_live_token_is_not_flagged(
    org_admin, make_user, home_organisation
):
    service = make_user(Role.PARTNER_CONTRIBUTOR, organisation=home_organisation)
    core_services.issue_api_token(account=service, expires_in=datetime.timedelta(days=30))
    _idle(service, 200)

    assert service.email not in review.review_idle_accounts().flagged


def test_another_organisations_flag_cannot_be_confirmed(client, org_admin, outsider):
    _idle(outsider, 100)
    review.review_idle_accounts()
    client.force_login(org_admin)

    response = client.post(reverse("accounts:confirm_idle", args=[IdleAccount.objects.get().pk]))

    assert response.status_code == 404
    assert IdleAccount.objects.get().outcome == IdleAccount.Outcome.OPEN


def test_the_review_command(colleague, org_admin):
    _idle(colleague, 95)
    out = io.StringIO()

    call_command("accounts", "review", stdout=out)

    assert f"flagged {colleague.email}" in out.getvalue()
    assert "1 flagged, 0 deactivated" in out.getvalue()


@pytest.mark.parametrize("days", [0, 30])
def test_the_review_does_nothing_to_active_accounts(colleague, days):
    _idle(colleague, days)

    result = review.review_idle_accounts()

    assert result.flagged == result.deactivated == []
