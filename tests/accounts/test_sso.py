"""Single sign-on against a real OpenID Connect provider on this machine: the existing
account of the provider's own organisation, and nothing else, whatever the provider says."""

from urllib.parse import urlsplit

import pytest
import requests
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern.accounts.models import IdentityProvider, IdentityProviderDevice
from lantern.accounts.services import providers, users
from lantern.core.models import AuditEvent
from lantern.core.roles import Role

VERIFIED = {"email_verified": True}


def sign_in(client, provider, **claims):
    """The browser's round trip: Lantern → provider → Lantern's callback."""
    start = client.get(reverse("accounts:sso_start", args=[provider.pk]))
    assert start.status_code == 302
    answer = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert answer.status_code == 302
    callback = urlsplit(answer.headers["Location"])
    assert callback.path == reverse("accounts:sso_callback")
    return client.get(f"{callback.path}?{callback.query}")


def signed_in_as(client):
    return client.session.get("_auth_user_id")


def refusal():
    return AuditEvent.objects.filter(action="auth.sso_refused").latest("id").detail["reason"]


def test_the_existing_account_signs_in_and_lantern_still_asks_for_its_code(
    client, identity_provider, local_provider, colleague, settings
):
    settings.LANTERN_REQUIRE_SECOND_FACTOR = True
    TOTPDevice.objects.create(user=colleague, name="phone", confirmed=True)
    local_provider.claims = {"email": "Colleague@LEICESTER.test", **VERIFIED, "amr": ["mfa"]}

    response = sign_in(client, identity_provider)

    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    assert signed_in_as(client) == str(colleague.pk)
    # The provider's MFA is not trusted for this organisation: Lantern's code is asked for.
    assert client.get(reverse("core:home"))["Location"] == reverse("core:verify")
    event = AuditEvent.objects.get(action="auth.sso_login")
    assert event.actor_id == colleague.pk and event.detail["second_factor"] == "lantern"
    assert local_provider.token_requests == 1


def test_entra_ids_domain_owner_claim_stands_for_a_verified_address(
    client, identity_provider, local_provider, colleague
):
    local_provider.claims = {"email": colleague.email, "xms_edov": True}

    sign_in(client, identity_provider)

    assert signed_in_as(client) == str(colleague.pk)


def test_without_an_authenticator_the_person_must_enrol_lantern_s(
    client, identity_provider, local_provider, colleague, settings
):
    settings.LANTERN_REQUIRE_SECOND_FACTOR = True
    local_provider.claims = {"email": colleague.email, **VERIFIED}

    sign_in(client, identity_provider)

    assert client.get(reverse("core:home"))["Location"] == reverse("core:security")


def test_the_providers_second_factor_counts_where_the_partnership_trusts_it(
    client, identity_provider, local_provider, colleague, settings
):
    settings.LANTERN_REQUIRE_SECOND_FACTOR = True
    identity_provider.trust_provider_mfa = True
    identity_provider.save()
    local_provider.claims = {"email": colleague.email, **VERIFIED, "amr": ["pwd", "mfa"]}

    sign_in(client, identity_provider)

    assert client.get(reverse("core:home")).status_code == 200
    assert AuditEvent.objects.get(action="auth.sso_login").detail["second_factor"] == "provider"
    # It stands for the provider's check only: a password sign-in is not let through by it,
    # and it is not an authenticator the code page would offer.
    device = IdentityProviderDevice.objects.get(user=colleague)
    assert not device.verify_token("123456")
    client.logout()
    client.force_login(colleague)
    assert client.get(reverse("core:home"))["Location"] == reverse("core:security")


def test_a_trusted_provider_without_mfa_in_its_token_still_needs_lantern_s(
    client, identity_provider, local_provider, colleague, settings
):
    settings.LANTERN_REQUIRE_SECOND_FACTOR = True
    identity_provider.trust_provider_mfa = True
    identity_provider.mfa_acr_values = "urn:example:mfa"
    identity_provider.save()
    local_provider.claims = {"email": colleague.email, **VERIFIED, "amr": ["pwd"], "acr": "1"}

    sign_in(client, identity_provider)

    assert client.get(reverse("core:home"))["Location"] == reverse("core:security")
    client.logout()
    local_provider.claims["acr"] = "urn:example:mfa"
    sign_in(client, identity_provider)
    assert client.get(reverse("core:home")).status_code == 200


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"email": "nobody@leicester.test", **VERIFIED}, "no active account"),
        ({"email": "colleague@leicester.test", "email_verified": False}, "not verified"),
        ({"email": "colleague@leicester.test"}, "not verified"),
        ({"email": "colleague@leicester.test", "xms_edov": False}, "not verified"),
        ({"email": "outsider@rutland.test", **VERIFIED}, "outside the organisation"),
        ({**VERIFIED}, "no email"),
    ],
)
def test_nothing_is_granted_for_what_the_provider_cannot_vouch_for(
    client, identity_provider, local_provider, colleague, outsider, claims, reason
):
    local_provider.claims = claims

    response = sign_in(client, identity_provider)

    assert response["Location"] == reverse("accounts:sso_sign_in")
    assert signed_in_as(client) is None
    assert reason in refusal()
    page = client.get(response["Location"]).text
    assert "could not sign you in through your organisation" in page


def test_another_organisations_account_with_an_address_in_the_domain_is_not_matched(
    client, identity_provider, local_provider, make_user, other_organisation
):
    # Someone moved from Leicester to Rutland but kept their address.
    make_user(organisation=other_organisation, email="mover@leicester.test")
    local_provider.claims = {"email": "mover@leicester.test", **VERIFIED}

    sign_in(client, identity_provider)

    assert signed_in_as(client) is None
    assert "no active account" in refusal()


def test_a_deactivated_account_is_refused_and_its_session_ends(
    client, identity_provider, local_provider, colleague, org_admin
):
    local_provider.claims = {"email": colleague.email, **VERIFIED}
    sign_in(client, identity_provider)
    assert signed_in_as(client) == str(colleague.pk)

    users.deactivate(actor=org_admin, user=colleague)

    response = client.get(reverse("core:security"))
    assert response.status_code == 302 and reverse("core:login") in response["Location"]
    client.logout()
    sign_in(client, identity_provider)
    assert signed_in_as(client) is None
    assert "no active account" in refusal()


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        ({"forge_signature": True}, "not valid"),
        ({"token_overrides": {"iss": "https://evil.example"}}, "not valid"),
        ({"token_overrides": {"aud": "another-client"}}, "not valid"),
        ({"token_overrides": {"exp": 1_000_000}}, "not valid"),
        ({"token_overrides": {"nonce": "replayed"}}, "not valid"),
    ],
)
def test_a_token_that_is_forged_expired_or_for_someone_else_is_refused(
    client, identity_provider, local_provider, colleague, tamper, reason
):
    local_provider.claims = {"email": colleague.email, **VERIFIED}
    for name, value in tamper.items():
        setattr(local_provider, name, value)

    response = sign_in(client, identity_provider)

    assert response.status_code == 302
    assert signed_in_as(client) is None
    assert reason in refusal()


def test_a_replayed_callback_is_refused_without_an_error_page(
    client, identity_provider, local_provider, colleague
):
    local_provider.claims = {"email": colleague.email, **VERIFIED}
    start = client.get(reverse("accounts:sso_start", args=[identity_provider.pk]))
    answer = requests.get(start["Location"], allow_redirects=False, timeout=5)
    callback = urlsplit(answer.headers["Location"])
    client.get(f"{callback.path}?{callback.query}")
    client.logout()

    again = client.get(f"{callback.path}?{callback.query}")

    assert again.status_code == 302 and signed_in_as(client) is None
    forged = client.get(reverse("accounts:sso_callback") + "?code=x&state=never-issued")
    assert forged.status_code == 302 and signed_in_as(client) is None


def test_the_provider_unreachable_is_a_clear_refusal(
    client, identity_provider, local_provider, colleague
):
    local_provider.claims = {"email": colleague.email, **VERIFIED}
    start = client.get(reverse("accounts:sso_start", args=[identity_provider.pk]))
    answer = requests.get(start["Location"], allow_redirects=False, timeout=5)
    IdentityProvider.objects.filter(pk=identity_provider.pk).update(
        token_endpoint="http://127.0.0.1:9/token"
    )
    callback = urlsplit(answer.headers["Location"])

    response = client.get(f"{callback.path}?{callback.query}")

    assert response.status_code == 302 and signed_in_as(client) is None
    assert "could not be reached" in refusal()


# The sign-in page.


def test_the_sign_in_page_offers_the_organisation_for_its_domain(client, identity_provider):
    assert reverse("accounts:sso_sign_in") in client.get(reverse("core:login")).text

    page = client.post(reverse("accounts:sso_sign_in"), {"email": "Someone@Leicester.gov.test"})

    assert page.status_code == 200
    assert "Sign in with Leicester City Council" in page.text
    assert reverse("accounts:sso_start", args=[identity_provider.pk]) in page.text


@pytest.mark.parametrize("email", ["someone@rutland.test", "not an address", ""])
def test_another_domain_or_bad_input_is_a_clear_message(client, identity_provider, email):
    page = client.post(reverse("accounts:sso_sign_in"), {"email": email})

    assert page.status_code == 400
    assert "Sign in with Leicester" not in page.text
    assert "govuk-error-summary" in page.text


def test_an_unused_or_unknown_provider_is_not_found(client, identity_provider):
    identity_provider.is_active = False
    identity_provider.save()

    assert client.get(reverse("accounts:sso_start", args=[identity_provider.pk])).status_code == 404
    assert client.get(reverse("accounts:sso_start", args=[99999])).status_code == 404


# Setting a provider up.


def test_discovery_fills_the_endpoints_and_refuses_another_issuer(
    local_provider, home_organisation
):
    provider = IdentityProvider(organisation=home_organisation, issuer=local_provider.issuer)
    providers.discover(provider)
    assert provider.jwks_uri == f"{local_provider.issuer}/jwks"

    with pytest.raises(ValidationError, match="HTTPS"):
        providers.discover(IdentityProvider(issuer="http://example.org"))
    with pytest.raises(ValidationError, match="discovery document"):
        providers.discover(IdentityProvider(issuer=local_provider.issuer + "/other"))


def test_the_secret_is_stored_encrypted(identity_provider):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT client_secret FROM accounts_identityprovider WHERE id = %s",
            [identity_provider.pk],
        )
        stored = cursor.fetchone()[0]
    assert "client-secret" not in stored
    assert IdentityProvider.objects.get().client_secret == "a-client-secret-for-the-tests"


def test_a_system_administrator_sets_a_provider_up_in_the_admin(
    client, make_user, local_provider, home_organisation, other_organisation, identity_provider
):
    admin = make_user(Role.SYSTEM_ADMINISTRATOR)
    client.force_login(admin)
    add = reverse("admin:accounts_identityprovider_add")
    form = {
        "organisation": other_organisation.pk,
        "issuer": local_provider.issuer,
        "client_id": "rutland-client",
        "client_secret": "rutland-secret",
        "email_domains": "rutland.test leicester.test",
        "is_active": "on",
    }

    taken = client.post(add, form)
    assert taken.status_code == 200 and "leicester.test already sign in" in taken.text
    response = client.post(add, form | {"email_domains": "@Rutland.test"})

    assert response.status_code == 302
    saved = IdentityProvider.objects.get(organisation=other_organisation)
    assert saved.email_domains == "rutland.test"
    assert saved.token_endpoint == f"{local_provider.issuer}/token"
    # Saving again without typing the secret keeps it.
    change = reverse("admin:accounts_identityprovider_change", args=[saved.pk])
    assert client.post(change, form | {"email_domains": "rutland.test", "client_secret": ""})[
        "Location"
    ]
    assert IdentityProvider.objects.get(pk=saved.pk).client_secret == "rutland-secret"
    assert "rutland-secret" not in client.get(change).text
