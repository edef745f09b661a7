"""Signing in and out, failures, lock-out, session expiry, CSRF and the second factor."""

import datetime

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern.core import audit
from lantern.core.models import AuditEvent
from lantern.core.roles import Role
from tests.factories import PASSWORD


def _sign_in(client: Client, email: str, password: str = PASSWORD, **extra):
    return client.post(reverse("core:login"), {"username": email, "password": password}, **extra)


def _current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = timezone.now().timestamp()
    return f"{totp.token():06d}"


def test_sign_in_lands_on_the_role_home_page(client, make_user):
    user = make_user(Role.SAFEGUARDING_LEAD, full_name="Helen Kowalski")
    response = _sign_in(client, user.email, follow=True)
    assert response.redirect_chain[-1][0] == reverse("core:home")
    assert "Welcome, Helen" in response.text
    assert "Safeguarding lead" in response.text
    assert user.organisation.name in response.text
    assert AuditEvent.objects.filter(action=audit.Action.LOGIN, actor_id=user.pk).count() == 1


def test_email_addresses_sign_in_whatever_their_case(client, make_user):
    user = make_user(Role.HUB_ANALYST, email="Tom@Police.TEST")
    assert user.email == "tom@police.test"
    assert _sign_in(client, " TOM@police.test").status_code == 302


@pytest.mark.parametrize("email", ["nobody@partner.test", "person@partner.test"])
def test_wrong_credentials_get_a_message_and_an_audit_entry(client, make_user, email):
    make_user(Role.HUB_ANALYST, email="person@partner.test")
    response = _sign_in(client, email, password="not the password")
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.text
    assert "govuk-error-summary" in response.text
    assert SESSION_KEY not in client.session
    failure = AuditEvent.objects.get(action=audit.Action.LOGIN_FAILED)
    assert failure.actor_email == email
    assert "not the password" not in str(failure.detail)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"username": "not an email", "password": "x"},
        {"username": "a@b.test" * 100, "password": ""},
    ],
)
def test_malformed_sign_in_is_refused_with_a_message(client, db, data):
    response = client.post(reverse("core:login"), data)
    assert response.status_code == 200
    assert "There is a problem" in response.text


def test_closed_account_cannot_sign_in(client, make_user):
    user = make_user(Role.HUB_ANALYST, is_active=False)
    response = _sign_in(client, user.email)
    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_repeated_failures_lock_the_account(client, make_user, settings):
    user = make_user(Role.HUB_ANALYST)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, user.email, password="wrong").status_code == 200
    locked = _sign_in(client, user.email, password="wrong")
    assert locked.status_code == 429
    assert "Your account is locked for now" in locked.text
    # Even the right password is refused while the lock lasts.
    again = _sign_in(client, user.email)
    assert again.status_code == 429
    assert SESSION_KEY not in client.session
    assert AuditEvent.objects.filter(action=audit.Action.LOCKED_OUT).exists()


def test_sign_out_ends_the_session_and_is_audited(client, make_user):
    user = make_user(Role.HUB_ANALYST)
    client.force_login(user)
    response = client.post(reverse("core:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("core:login")
    assert SESSION_KEY not in client.session
    assert AuditEvent.objects.filter(action=audit.Action.LOGOUT, actor_id=user.pk).exists()
    assert client.get(reverse("core:home")).status_code == 302


def test_sign_out_by_get_is_refused(client, make_user):
    client.force_login(make_user(Role.HUB_ANALYST))
    assert client.get(reverse("core:logout")).status_code == 405
    assert SESSION_KEY in client.session


def test_an_idle_session_expires(client, make_user, settings):
    client.force_login(make_user(Role.HUB_ANALYST))
    assert client.get(reverse("core:home")).status_code == 200
    session = client.session
    session.set_expiry(timezone.now() - datetime.timedelta(seconds=1))
    session.save()
    response = client.get(reverse("core:partner_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))
    assert client.get(reverse("core:home"))["Location"] == reverse("public:start")
    assert settings.SESSION_COOKIE_AGE == 1800
    assert settings.SESSION_SAVE_EVERY_REQUEST


def test_a_forged_csrf_token_is_refused_and_audited(db, make_user):
    client = Client(enforce_csrf_checks=True)
    user = make_user(Role.HUB_ANALYST)
    client.get(reverse("core:login"))
    response = client.post(
        reverse("core:login"),
        {"username": user.email, "password": PASSWORD, "csrfmiddlewaretoken": "forged" * 6},
    )
    assert response.status_code == 403
    assert "Your form could not be sent" in response.text
    assert SESSION_KEY not in client.session
    assert AuditEvent.objects.filter(action=audit.Action.CSRF_REJECTED).exists()


def test_passwords_are_hashed_with_argon2(make_user, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = make_user(Role.HUB_ANALYST)
    user.set_password("a long and unusual passphrase")
    assert user.password.startswith("argon2")
    assert user.check_password("a long and unusual passphrase")


def test_next_parameter_is_followed_only_within_lantern(client, make_user):
    user = make_user(Role.HUB_ANALYST)
    inside = _sign_in(client, user.email, QUERY_STRING="next=/partners/")
    assert inside["Location"] == "/partners/"
    client.logout()
    outside = client.post(
        reverse("core:login") + "?next=https://evil.test/",
        {"username": user.email, "password": PASSWORD, "next": "https://evil.test/"},
    )
    assert outside["Location"] == reverse("core:home")


class TestSecondFactor:
    def test_enrolment_shows_a_qr_code_and_a_key(self, client, make_user):
        client.force_login(make_user(Role.HUB_ANALYST))
        response = client.get(reverse("core:security"))
        assert response.status_code == 200
        assert 'src="data:image/svg+xml' in response.text
        device = TOTPDevice.objects.get(confirmed=False)
        assert response.context["enrolment"].secret.replace(" ", "") in response.text.replace(
            " ", ""
        )
        # Visiting again keeps the same pending secret.
        client.get(reverse("core:security"))
        assert TOTPDevice.objects.get(confirmed=False).pk == device.pk

    def test_enrolment_needs_a_correct_code(self, client, make_user):
        user = make_user(Role.HUB_ANALYST)
        client.force_login(user)
        client.get(reverse("core:security"))
        response = client.post(reverse("core:security"), {"token": "000000"})
        assert response.status_code == 200
        assert "The code is wrong or has expired" in response.text
        assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        assert AuditEvent.objects.filter(action=audit.Action.SECOND_FACTOR_FAILED).exists()

    @pytest.mark.parametrize("token", ["", "12345", "abcdef", "1234567"])
    def test_enrolment_refuses_malformed_codes(self, client, make_user, token):
        client.force_login(make_user(Role.HUB_ANALYST))
        response = client.post(reverse("core:security"), {"token": token})
        assert response.status_code == 200
        assert "There is a problem" in response.text

    def test_enrolment_confirms_and_replaces_the_old_authenticator(self, client, make_user):
        user = make_user(Role.HUB_ANALYST)
        old = TOTPDevice.objects.create(user=user, name="old phone", confirmed=True)
        client.force_login(user)
        client.session  # noqa: B018  (the test client needs a session before OTP login)
        device = TOTPDevice.objects.create(user=user, name="new phone", confirmed=False)
        response = client.post(reverse("core:security"), {"token": _current_code(device)})
        assert response.status_code == 302
        assert not TOTPDevice.objects.filter(pk=old.pk).exists()
        assert TOTPDevice.objects.get(pk=device.pk).confirmed
        assert AuditEvent.objects.filter(action=audit.Action.SECOND_FACTOR_ENROLLED).exists()

    def test_an_enrolled_user_must_enter_a_code_after_the_password(self, client, make_user):
        user = make_user(Role.HUB_ANALYST)
        device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
        response = _sign_in(client, user.email, follow=True)
        assert response.redirect_chain[-1][0] == reverse("core:verify")
        # Nothing else is reachable before the code.
        assert client.get(reverse("core:partner_list"))["Location"] == reverse("core:verify")
        wrong = client.post(reverse("core:verify"), {"token": "000000"})
        assert "The code is wrong or has expired" in wrong.text
        device.refresh_from_db()
        device.throttle_reset()  # django-otp slows retries down; the user waits a moment
        right = client.post(reverse("core:verify"), {"token": _current_code(device)})
        assert right["Location"] == reverse("core:home")
        assert client.get(reverse("core:partner_list")).status_code == 200
        # A verified user going back to the code page is sent home.
        assert client.get(reverse("core:verify"))["Location"] == reverse("core:home")

    def test_wrong_codes_slow_the_account_down_whichever_session_tries(self, make_user, settings):
        # The second factor counts failures on the account's device, not on anything the
        # attacker types or on their session: signing in again does not start afresh.
        # A minute's delay per failure, so that a slow machine cannot outwait the default 1 s.
        settings.OTP_TOTP_THROTTLE_FACTOR = 60
        user = make_user(Role.HUB_ANALYST)
        device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
        for _attempt in range(3):
            session = Client()
            _sign_in(session, user.email)
            session.post(reverse("core:verify"), {"token": "000000"})
        fresh = Client()
        _sign_in(fresh, user.email)
        device.refresh_from_db()
        right = fresh.post(reverse("core:verify"), {"token": _current_code(device)})
        assert right.status_code == 200
        assert "The code is wrong or has expired" in right.text
        # Still held at the code page: nothing else is reachable.
        assert fresh.get(reverse("core:home"))["Location"] == reverse("core:verify")

    def test_production_requires_every_account_to_enrol(self, client, make_user, settings):
        settings.LANTERN_REQUIRE_SECOND_FACTOR = True
        for role in Role:
            client.force_login(make_user(role))
            response = client.get(reverse("core:home"))
            assert response["Location"] == reverse("core:security"), role
            assert client.get(reverse("core:security")).status_code == 200
            client.logout()

    def test_local_settings_leave_the_second_factor_optional(self, client, make_user, settings):
        settings.LANTERN_REQUIRE_SECOND_FACTOR = False
        client.force_login(make_user(Role.HUB_ANALYST))
        response = client.get(reverse("core:home"))
        assert response.status_code == 200
        assert "set up an authenticator app" in response.text


def test_the_lock_out_counts_the_account_whatever_the_spelling_of_its_email(
    client, make_user, settings
):
    user = make_user(Role.HUB_ANALYST, email="name@example.org")
    spellings = ["name@example.org", "Name@example.org", "NAME@Example.org", " name@example.org"]
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _sign_in(client, spellings[attempt % len(spellings)], password="wrong")
        assert response.status_code == 200
    assert _sign_in(client, "nAmE@EXAMPLE.ORG ", password="wrong").status_code == 429
    # The right password under yet another spelling is refused while the lock lasts.
    assert _sign_in(client, "Name@Example.Org").status_code == 429
    assert SESSION_KEY not in client.session
    assert AuditEvent.objects.filter(action=audit.Action.LOCKED_OUT).exists()
    assert user.email == "name@example.org"


def test_the_lock_out_counts_an_ipv6_client_by_its_network(client, make_user, settings):
    user = make_user(Role.HUB_ANALYST)
    for host in range(1, settings.AXES_FAILURE_LIMIT + 1):
        response = _sign_in(client, user.email, password="wrong", REMOTE_ADDR=f"2001:db8::{host}")
    assert response.status_code == 429
    # Another address of the same /64 is still the same client.
    assert _sign_in(client, user.email, REMOTE_ADDR="2001:db8::ffff").status_code == 429
    # Another network is not locked out by someone else's failures.
    assert _sign_in(client, user.email, REMOTE_ADDR="2001:db8:1::1").status_code == 302


def test_a_successful_sign_in_clears_the_failures_of_every_spelling(client, make_user, settings):
    user = make_user(Role.HUB_ANALYST, email="name@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, "NAME@example.org", password="wrong")
    assert _sign_in(client, "Name@Example.org").status_code == 302
    client.logout()
    # The count started again: four more failures do not lock the account.
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, "name@EXAMPLE.org", password="wrong").status_code == 200
    assert _sign_in(client, user.email).status_code == 302


def test_behind_a_proxy_the_lock_out_counts_the_address_the_proxy_saw(make_user, settings):
    settings.CLIENT_ADDRESS_HEADER = "HTTP_X_FORWARDED_FOR"
    user = make_user(Role.HUB_ANALYST)
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        # Each attempt claims another address before the one the proxy appended.
        spoofing = Client(HTTP_X_FORWARDED_FOR=f"10.0.0.{attempt}, 203.0.113.5")
        response = _sign_in(spoofing, user.email, password="wrong")
    assert response.status_code == 429
    elsewhere = Client(HTTP_X_FORWARDED_FOR="10.0.0.1, 198.51.100.7")
    assert _sign_in(elsewhere, user.email).status_code == 302
