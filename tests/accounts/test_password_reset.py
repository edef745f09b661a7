"""Forgot your password: the same answer for everyone, a single-use hour-long link, and
the second factor still asked for afterwards."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern.accounts.tokens import PasswordResetTokens
from lantern.core.models import AuditEvent
from lantern.core.roles import Role

NEW_PASSWORD = "lantern-river-copper-42"


@pytest.fixture
def person(make_user):
    return make_user(Role.PARTNER_CONTRIBUTOR, email="pat.person@leicester.test")


def ask(client, email, run_jobs):
    """Ask for a link, then let the worker send what was queued."""
    response = client.post(reverse("accounts:forgot_password"), {"email": email})
    run_jobs()
    return response


def reset_link(body: str) -> str:
    return re.search(r"https?://\S+/reset-password/\S+/", body).group(0)


def test_the_sign_in_page_offers_a_reset(client):
    page = client.get(reverse("core:login"))

    assert reverse("accounts:forgot_password") in page.content.decode()


def test_the_answer_is_the_same_whether_or_not_the_address_has_an_account(client, person, run_jobs):
    known = ask(client, "pat.person@leicester.test", run_jobs)
    unknown = ask(client, "nobody@leicester.test", run_jobs)

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert [message.to for message in mail.outbox] == [["pat.person@leicester.test"]]
    assert AuditEvent.objects.filter(action="auth.password_reset_requested").count() == 2


def test_the_address_is_matched_however_it_is_written(client, person, run_jobs):
    ask(client, "  PAT.Person@Leicester.TEST ", run_jobs)

    assert mail.outbox[0].to == ["pat.person@leicester.test"]


def test_a_deactivated_account_gets_no_link(client, person, run_jobs):
    person.is_active = False
    person.save()

    ask(client, person.email, run_jobs)

    assert mail.outbox == []


def test_the_link_sets_a_new_password_once(client, person, run_jobs):
    ask(client, person.email, run_jobs)
    link = reset_link(mail.outbox[0].body)

    page = client.get(link)
    done = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    again = client.post(
        link, {"new_password1": "x" + NEW_PASSWORD, "new_password2": "x" + NEW_PASSWORD}
    )

    assert page.status_code == 200
    assert done.status_code == 302 and done["Location"] == reverse("core:login")
    assert again.status_code == 404
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="auth.password_reset", actor_id=person.pk).count() == 1


def test_the_link_expires_after_an_hour(client, person, run_jobs, monkeypatch):
    ask(client, person.email, run_jobs)
    link = reset_link(mail.outbox[0].body)
    later = datetime.datetime.now() + datetime.timedelta(hours=1, minutes=1)
    monkeypatch.setattr(PasswordResetTokens, "_now", lambda self: later)

    response = client.get(link)

    assert response.status_code == 404
    assert AuditEvent.objects.filter(action="auth.password_reset_link_refused").exists()


@pytest.mark.parametrize(
    "link",
    [
        "/sign-in/reset-password/MQ/abc-def/",
        "/sign-in/reset-password/%F0%9F%92%A9/x/",
        "/sign-in/reset-password/OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5/zz-zz/",
    ],
)
def test_a_tampered_link_is_refused_without_an_error(client, person, link):
    assert client.get(link).status_code == 404


def test_a_weak_password_is_refused_with_a_message(client, person, run_jobs):
    ask(client, person.email, run_jobs)
    link = reset_link(mail.outbox[0].body)

    response = client.post(link, {"new_password1": "password1234", "new_password2": "password1234"})

    assert response.status_code == 400
    assert "too common" in response.content.decode()
    person.refresh_from_db()
    assert not person.check_password("password1234")


def test_requests_are_limited_per_address_whatever_its_spelling(client, person, run_jobs, settings):
    settings.PASSWORD_RESET_ADDRESS_RATE_LIMIT = "2/h"
    for spelling in [
        "pat.person@leicester.test",
        "PAT.PERSON@leicester.test",
        " Pat.Person@Leicester.test",
    ]:
        response = ask(client, spelling, run_jobs)
        assert response.status_code == 302

    assert len(mail.outbox) == 2
    assert AuditEvent.objects.filter(action="auth.password_reset_limited").count() == 1


def test_requests_are_limited_per_client(client, person, run_jobs, settings):
    settings.PASSWORD_RESET_CLIENT_RATE_LIMIT = "2/h"
    ask(client, "a@leicester.test", run_jobs)
    ask(client, "b@leicester.test", run_jobs)
    ask(client, person.email, run_jobs)

    assert mail.outbox == []


def test_after_a_reset_signing_in_still_asks_for_the_second_factor(client, person, run_jobs):
    device = TOTPDevice.objects.create(user=person, name="Authenticator app", confirmed=True)
    ask(client, person.email, run_jobs)
    link = reset_link(mail.outbox[0].body)
    client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    signed_in = client.post(
        reverse("core:login"), {"username": person.email, "password": NEW_PASSWORD}
    )
    home = client.get(reverse("core:home"))

    assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()
    assert signed_in.status_code == 302
    assert home.status_code == 302 and home["Location"] == reverse("core:verify")
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    verified = client.post(reverse("core:verify"), {"token": f"{code:06d}"})
    assert verified.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200
