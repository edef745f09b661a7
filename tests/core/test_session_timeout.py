"""The session time-out warning (WCAG 2.2.1): what pages carry, and the extend endpoint."""

import re
import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern.core.roles import Role

EXTEND = "/session/extend/"


def dialog(response) -> str | None:
    match = re.search(
        r'<dialog[^>]*id="session-timeout".*?</dialog>', response.content.decode(), re.S
    )
    return match.group(0) if match else None


def test_signed_in_pages_carry_the_warning_with_the_limit_and_the_way_back(signed_in, settings):
    settings.SESSION_COOKIE_AGE = 1800
    client = signed_in(Role.HUB_ANALYST)
    response = client.get("/partners/")
    markup = dialog(response)
    assert markup is not None
    assert 'data-seconds="1800"' in markup
    assert 'data-warning-seconds="120"' in markup
    assert "/sign-in/?next=%2Fpartners%2F&amp;timed_out=1" in markup
    assert 'action="/session/extend/"' in markup
    assert 'name="csrfmiddlewaretoken"' in markup
    assert "Stay signed in" in markup
    # Without JavaScript the dialog never opens: the page says the limit in words.
    assert "Lantern signs you out after 30 minutes without activity" in response.content.decode()


def test_a_short_limit_warns_at_half_of_it_so_that_the_warning_can_be_read(signed_in, settings):
    settings.SESSION_COOKIE_AGE = 60
    client = signed_in(Role.HUB_ANALYST)
    markup = dialog(client.get("/partners/"))
    assert 'data-seconds="60"' in markup and 'data-warning-seconds="30"' in markup


def test_pages_with_nothing_to_lose_carry_no_warning(client, db):
    for path in ("/sign-in/", "/help/", "/report/", "/report/danger/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert dialog(response) is None, path
        assert "session-limit" not in response.content.decode(), path


def test_the_public_form_says_beforehand_how_long_answers_are_kept(client, db, settings):
    settings.SESSION_COOKIE_AGE = 1800
    page = client.get("/report/").content.decode()
    assert "we delete them if you do not continue to the next page within 30 minutes" in page
    french = client.get("/fr/report/").content.decode()
    assert "30 minutes" in french and "supprim" in french


def test_a_draft_in_progress_carries_the_warning_for_answers(client, db):
    client.post("/report/danger/", {"immediate_danger": "no"})
    response = client.get("/report/what-happened/")
    markup = dialog(response)
    assert markup is not None
    assert "Keep my answers" in markup
    assert 'data-timed-out-url="/report/?timed_out=1"' in markup
    assert "We keep your answers for 30 minutes after you last continue" in (
        response.content.decode()
    )
    # The portal's other pages do not time anything out.
    assert dialog(client.get("/help/")) is None


def test_the_timed_out_pages_say_what_happened(client, db):
    assert "You were signed out because you were inactive" in (
        client.get("/sign-in/?timed_out=1").content.decode()
    )
    assert "We deleted your answers" in client.get("/report/?timed_out=1").content.decode()
    assert "We deleted your answers" not in client.get("/report/").content.decode()


def test_extending_renews_a_staff_session(signed_in):
    client = signed_in(Role.HUB_ANALYST)
    before = client.session.get_expiry_date()
    time.sleep(1.1)
    response = client.post(EXTEND, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json() == {"active": True, "seconds": 1800}
    assert client.session.get_expiry_date() > before
    assert response["Cache-Control"].startswith("max-age=0")


def test_extending_keeps_a_public_draft(client, db):
    client.post("/report/danger/", {"immediate_danger": "no"})
    response = client.post(EXTEND, HTTP_ACCEPT="application/json")
    assert response.json()["active"] is True
    assert client.session["public_report_draft"]["pages"]["danger"] == {"immediate_danger": "no"}


def test_an_ended_session_is_not_pretended_alive(client, db, settings):
    response = client.post(EXTEND, HTTP_ACCEPT="application/json")
    assert response.json() == {"active": False, "seconds": 1800}
    # Nothing was created for a visitor who had nothing.
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_without_javascript_the_form_goes_back_to_the_page(signed_in):
    client = signed_in(Role.HUB_ANALYST)
    response = client.post(EXTEND, {"next": "/partners/?page=2"})
    assert response.status_code == 302 and response["Location"] == "/partners/?page=2"


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", ""])
def test_the_way_back_never_leaves_the_site(signed_in, next_url):
    client = signed_in(Role.HUB_ANALYST)
    response = client.post(EXTEND, {"next": next_url})
    assert response.status_code == 302 and response["Location"] == reverse("core:home")


def test_only_a_post_extends(signed_in):
    client = signed_in(Role.HUB_ANALYST)
    assert client.get(EXTEND).status_code == 405


def test_extending_needs_the_csrf_token(make_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(Role.HUB_ANALYST))
    response = client.post(EXTEND, HTTP_ACCEPT="application/json")
    assert response.status_code == 403


def test_a_user_between_password_and_code_can_extend(make_user):
    user = make_user(Role.HUB_ANALYST)
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    client = Client()
    client.force_login(user)
    assert client.get("/partners/").status_code == 302  # must enter a code first
    response = client.post(EXTEND, HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response.json()["active"] is True
