"""Text no encoding can store (a lone surrogate) is refused, naming the field, never a 500."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.test.client import encode_multipart

from lantern.core import text
from lantern.core.roles import Role
from lantern.intelligence import api
from lantern.intelligence.models import IntelligenceReport
from lantern.public.forms import readable_text
from tests.intelligence.test_api import LIST, report_json

LONE = "\ud800"


@pytest.fixture
def partner(make_user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(make_user(Role.PARTNER_CONTRIBUTOR))
    return client


def _post_json(client: Client, data: object):
    return client.post(LIST, json.dumps(data), content_type="application/json")


@pytest.mark.parametrize("field", sorted(api.FIELDS))
@pytest.mark.parametrize("shape", ["text", "list"])
def test_every_api_field_refuses_a_lone_surrogate_naming_the_field(partner, field, shape):
    value = f"Smith{LONE}" if shape == "text" else ["07700 900123", f"x{LONE}"]

    response = _post_json(partner, report_json(**{field: value}))

    assert response.status_code == 400
    body = response.json()
    assert list(body) == [field]
    assert "not text" in body[field][0]
    assert not IntelligenceReport.objects.exists()


def test_a_field_name_that_is_not_text_is_refused_without_echoing_it(partner):
    response = _post_json(partner, {**report_json(), f"colour{LONE}": "red"})

    assert response.status_code == 400
    assert "a field whose name is not text" in response.content.decode()
    assert not IntelligenceReport.objects.exists()


def test_a_surrogate_pair_is_text_and_is_stored(partner):
    # An emoji written as a JSON surrogate pair is one real character, not a lone half.
    response = partner.post(
        LIST,
        json.dumps(report_json(summary="Car wash \U0001f697")),
        content_type="application/json",
    )

    assert response.status_code == 201
    assert IntelligenceReport.objects.get().summary == "Car wash \U0001f697"


@pytest.mark.parametrize("kind", ["urlencoded", "multipart"])
def test_a_form_sent_in_a_charset_that_makes_surrogates_is_refused(signed_in, kind):
    client = signed_in(Role.PARTNER_CONTRIBUTOR)
    client.raise_request_exception = False
    if kind == "urlencoded":
        body = "summary=Men%5Cud800&narrative=Six+men"
        content_type = "application/x-www-form-urlencoded; charset=unicode_escape"
    else:
        # Django decodes a multipart form in the charset it names: "\\ud800" typed in a box
        # arrives as a lone surrogate.
        body = encode_multipart("B", {"summary": "Men\\ud800", "narrative": "Six men"})
        content_type = "multipart/form-data; boundary=B; charset=unicode_escape"

    response = client.generic("POST", "/intelligence/new/", body, content_type=content_type)

    assert response.status_code == 400
    if kind == "multipart":
        assert "summary: remove the characters that are not text" in response.content.decode()
    assert not IntelligenceReport.objects.exists()


def test_the_shared_text_validator_refuses_lone_surrogates():
    with pytest.raises(ValidationError):
        readable_text(f"a{LONE}b")
    readable_text("Café \U0001f697")
    assert text.unreadable_fields([("a", ["x", {"y": LONE}]), ("b", "fine")]) == ["a"]
