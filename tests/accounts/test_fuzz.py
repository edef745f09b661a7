"""No input to any accounts form causes a server error: random text, lone surrogates,
huge numbers and odd Unicode all get a page (a redirect, 400 with messages, or 404)."""

import uuid
from urllib.parse import quote_from_bytes

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from lantern.core.roles import Role

FUZZ = hypothesis_settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
NASTY = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "\ud800",
            "12345678901234567890",
            "-1",
            "",
            " ",
            "٣",
            "ＡＤＭＩＮ@ＥＸＡＭＰＬＥ.ＯＲＧ",
            "a@b",
            "\x00",
        ]
    ),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
)


def post(client, url, values):
    body = "&".join(
        f"{name}={quote_from_bytes(value.encode('utf-8', 'surrogatepass'))}"
        for name, value in values.items()
    ).encode("ascii")
    return client.post(url, body, content_type="application/x-www-form-urlencoded")


@pytest.fixture
def as_org_admin(client, org_admin):
    client.force_login(org_admin)
    return client


@FUZZ
@given(
    values=st.dictionaries(
        st.sampled_from(["full_name", "email", "job_title", "organisation", "roles"]), NASTY
    )
)
def test_the_invite_form(as_org_admin, values):
    assert post(as_org_admin, reverse("accounts:invite"), values).status_code in {302, 400}


@FUZZ
@given(values=st.dictionaries(st.sampled_from(["roles"]), NASTY))
def test_the_roles_form(as_org_admin, colleague, values):
    url = reverse("accounts:user_detail", args=[colleague.pk])
    assert post(as_org_admin, url, values).status_code in {302, 400}


@FUZZ
@given(values=st.dictionaries(st.sampled_from(["email"]), NASTY))
def test_the_forgot_password_form(client, db, values):
    assert post(client, reverse("accounts:forgot_password"), values).status_code in {302, 400}


@FUZZ
@given(values=st.dictionaries(st.sampled_from(["new_password1", "new_password2"]), NASTY))
def test_the_invitation_form(client, org_admin, home_organisation, invite, values):
    _, token = invite(
        org_admin, home_organisation, Role.PARTNER_CONTRIBUTOR, email=f"{uuid.uuid4().hex}@x.test"
    )
    url = reverse("accounts:accept_invitation", args=[token])
    assert post(client, url, values).status_code in {302, 400}


@FUZZ
@given(token=st.text(min_size=1, max_size=300).filter(lambda text: "/" not in text))
def test_any_invitation_or_reset_link(client, db, token):
    quoted = quote_from_bytes(token.encode("utf-8", "surrogatepass"), safe="")
    assert client.get(f"/invitation/{quoted}/").status_code == 404
    assert client.get(f"/sign-in/reset-password/{quoted}/{quoted}/").status_code == 404
