"""Pages anyone can reach: sign-in, health check, errors, security headers, languages."""

import pytest
from django.db import OperationalError
from django.urls import reverse
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from lantern.core.roles import Role


def test_health_check_reports_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_check_reports_a_database_failure(client, db, monkeypatch):
    from lantern.core import views

    class BrokenConnection:
        def cursor(self):
            raise OperationalError("database is down")

    monkeypatch.setattr(views, "connection", BrokenConnection())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_pages_carry_a_strict_content_security_policy(client, db):
    response = client.get(reverse("core:login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "<script>" not in response.text
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_unknown_page_is_a_friendly_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_the_interface_switches_to_french_and_back(client, make_user):
    client.force_login(make_user(Role.HUB_ANALYST))
    english = client.get(reverse("core:home"))
    assert '<html lang="en-gb"' in english.text
    assert 'href="/fr/"' in english.text
    french = client.get("/fr/")
    assert '<html lang="fr"' in french.text
    assert "Vos rôles" in french.text
    assert "Déconnexion" in french.text
    assert 'href="/"' in french.text


def test_french_sign_in_page(client, db):
    response = client.get("/fr/sign-in/")
    assert response.status_code == 200
    assert "Se connecter à Lantern" in response.text
    assert "Adresse e-mail" in response.text


def test_french_errors_are_french(client, db):
    response = client.post("/fr/sign-in/", {"username": "x@y.test", "password": "nope"})
    assert "Il y a un problème" in response.text


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    username=st.text(max_size=300),
    password=st.text(max_size=300),
    next_url=st.text(max_size=100),
)
def test_no_sign_in_input_causes_a_server_error(client, db, username, password, next_url):
    # The characters a browser can never send in a form field (NUL) are included on purpose.
    response = client.post(
        reverse("core:login") + "?next=" + next_url.replace("#", ""),
        {"username": username, "password": password, "next": next_url},
    )
    assert response.status_code in {200, 302, 400, 429}


@pytest.mark.parametrize(
    "path", ["/partners/abc/", "/partners/-1/", "/fr/partners/99999999999999999999/"]
)
def test_odd_identifiers_are_404_not_500(signed_in, path):
    client = signed_in(Role.HUB_ANALYST)
    assert client.get(path).status_code == 404


def test_signed_in_pages_show_the_service_navigation_for_the_role(signed_in):
    client = signed_in(Role.HUB_ANALYST)
    page = client.get(reverse("core:home"))
    assert 'class="govuk-service-navigation"' in page.text
    assert 'href="/partners/"' in page.text
    assert 'href="/admin/"' not in page.text


def test_administrators_see_the_administration_link(signed_in):
    page = signed_in(Role.SYSTEM_ADMINISTRATOR).get(reverse("core:home"))
    assert 'href="/admin/"' in page.text


def test_navigation_is_hidden_until_the_second_factor_is_entered(client, make_user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = make_user(Role.HUB_ANALYST)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.force_login(user)
    page = client.get(reverse("core:verify"))
    assert 'class="govuk-service-navigation"' not in page.text


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    parameters=st.dictionaries(
        st.sampled_from(["type", "area", "helps_with", "first_responders"]), st.text(max_size=40)
    )
)
@example(parameters={"area": "\x00"})
def test_no_partner_directory_filter_causes_a_server_error(signed_in, parameters):
    client = signed_in(Role.HUB_ANALYST)
    assert client.get(reverse("core:partner_list"), parameters).status_code == 200


def test_the_partner_directory_keeps_the_chosen_filters_selected(signed_in):
    client = signed_in(Role.HUB_ANALYST)

    page = client.get(reverse("core:partner_list"), {"type": "police", "area": "E06000016"}).text

    assert '<option value="police" selected>' in page
    assert '<option value="E06000016" selected>Leicester</option>' in page
    assert '<option value="victims" selected>' not in page
