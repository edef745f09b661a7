"""No cache keeps what a signed-in user saw, nor any API answer; public information may be kept."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from lantern.core.roles import Role
from tests.factories import IntelligenceReportFactory
from tests.public.test_hub import send_public_report

# A value each converter accepts, so that every route is reached (most then answer 404).
_EXAMPLES = {"int": "1", "reference": "AAAA-AAAA", "slug": "example", "str": "example"}
_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def routes(examples: dict[str, str] = _EXAMPLES) -> list[str]:
    """Every ``path()`` route of the project, its parameters filled with example values."""
    return sorted(set(_routes(get_resolver().url_patterns, "", examples)))


def _routes(patterns: list, prefix: str, examples: dict[str, str]) -> list[str]:
    found = []
    for pattern in patterns:
        route = str(pattern.pattern)
        if route.startswith("^") or "(?P" in route:
            continue  # regex routes (the admin's few) never_cache themselves
        filled = _PARAMETER.sub(
            lambda match: examples.get(match.group("converter") or "str", "example"), route
        )
        if isinstance(pattern, URLResolver):
            found += _routes(pattern.url_patterns, prefix + filled, examples)
        elif isinstance(pattern, URLPattern):
            found.append(prefix + filled)
    return found


ROUTES = routes()


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_every_route_is_checked():
    # A walk that found nothing would make the next test pass for nothing.
    assert len(ROUTES) > 60
    assert "hub/public-reports/" in ROUTES
    assert "api/v1/intelligence/" in ROUTES
    assert "entities/1/" in ROUTES


@pytest.mark.parametrize("route", ROUTES)
def test_every_page_answers_a_signed_in_user_with_no_store(signed_in, route):
    client = signed_in(*Role)
    for path in (f"/{route}", f"/fr/{route}"):
        response = client.get(path)
        assert _no_store(response), (path, response.status_code)


def test_public_reports_are_never_kept_by_a_cache(signed_in):
    report = send_public_report()
    client = signed_in(Role.HUB_ANALYST)
    for path in ("/hub/public-reports/", f"/hub/public-reports/{report.reference}/"):
        response = client.get(path)
        assert response.status_code == 200
        assert _no_store(response)


def test_api_answers_are_never_kept_by_a_cache(client, signed_in):
    # Refused before any credentials are read, and answered to a signed-in partner.
    assert _no_store(client.get("/api/v1/intelligence/"))
    report = IntelligenceReportFactory(handling_code="P")
    partner = signed_in(Role.PARTNER_CONTRIBUTOR)
    for path in ("/api/v1/intelligence/", f"/api/v1/intelligence/{report.reference}/"):
        response = partner.get(path)
        assert response.status_code == 200
        assert _no_store(response)


@pytest.mark.parametrize("path", ["/help/", "/fr/help/signs/", "/help/contacts/", "/report/"])
def test_public_information_pages_stay_cacheable_for_visitors(client, db, path):
    response = client.get(path)
    assert response.status_code == 200
    assert not _no_store(response)


def test_public_information_pages_are_no_store_for_a_signed_in_user(signed_in):
    assert _no_store(signed_in(Role.HUB_ANALYST).get("/help/"))


@pytest.mark.parametrize("path", ["/report/where/", "/report/check/", "/sign-in/", "/nowhere/"])
def test_a_visitor_s_other_pages_are_no_store(client, db, path):
    assert _no_store(client.get(path))
