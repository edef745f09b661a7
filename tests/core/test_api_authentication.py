"""Whatever a caller puts in the Authorization header, the API answers 401, never an error."""

import datetime

import pytest
from django.test import Client
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from lantern.core import services
from lantern.core.roles import Role

API = "/api/v1/intelligence/"


def _status(header: str) -> int:
    client = Client(raise_request_exception=False)
    return client.get(API, headers={"authorization": header}).status_code


@pytest.mark.parametrize(
    "header",
    [
        "Token \xff\xfe",  # not UTF-8 once the server reads the header's bytes
        "Token lantern_\xe9t\xe9",
        "Token abc\x00def",  # PostgreSQL refuses a NUL byte in a query
        "Token " + "a" * 5000,
        "Token",
        "Token a b",
        "Bearer something",
    ],
)
def test_a_malformed_token_is_refused_not_an_error(db, header):
    assert _status(header) == 401


def test_a_well_formed_token_still_signs_in(make_user):
    issued = services.issue_api_token(
        account=make_user(Role.PARTNER_CONTRIBUTOR),
        expires_in=datetime.timedelta(days=1),
        actor_email="operator",
    )
    assert _status(f"Token {issued.token}") == 200
    assert _status(f"token {issued.token}") == 200  # the scheme is case-insensitive
    assert _status(f"Token {issued.token}\xff") == 401


@hypothesis_settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# A WSGI server hands headers over as Latin-1 text: characters 0 to 255.
@given(value=st.text(st.characters(max_codepoint=255), max_size=120))
@example(value="lantern_0123456\x00")
def test_any_header_is_refused_cleanly(db, value):
    assert _status(f"Token {value}") == 401
    assert _status(value) == 401
