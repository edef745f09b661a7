"""Who sees campaigns: outreach officers and the hub coordinator see and change all of
them; every other role, a lapsed partner and a visitor find nothing (404, as if missing)."""

import re

import pytest

from lantern.core.roles import Role
from lantern.outreach.services import campaigns as services
from tests.factories import OrganisationFactory
from tests.outreach.campaigns.factories import activity

MANAGERS = {Role.OUTREACH_OFFICER, Role.HUB_COORDINATOR}


def pages(campaign, number):
    code = campaign.code
    return [
        "/campaigns/",
        "/campaigns/new/",
        "/campaigns/calendar/",
        "/campaigns/calendar/2026/",
        "/campaigns/reach-template.csv",
        f"/campaigns/{code}/",
        f"/campaigns/{code}/change/",
        f"/campaigns/{code}/activities/new/",
        f"/campaigns/{code}/activities/{number}/reach/",
        f"/campaigns/{code}/activities/{number}/qr.png",
        f"/campaigns/{code}/import/",
        f"/campaigns/{code}/qr.svg",
        f"/campaigns/{code}/qr.png",
        f"/campaigns/{code}/materials/new/",
    ]


@pytest.fixture
def world(campaign, officer):
    recorded = activity(campaign, officer)
    from django.core.files.uploadedfile import SimpleUploadedFile

    material = services.add_material(
        campaign=campaign,
        actor=officer,
        upload=SimpleUploadedFile("poster.pdf", b"%PDF-1.4 poster"),
        title="Poster",
    )
    return campaign, recorded, material


@pytest.mark.parametrize("role", list(Role), ids=[role.name for role in Role])
def test_every_role_in_a_signed_partner(client, make_user, world, role):
    campaign, recorded, material = world
    client.force_login(make_user(role))
    allowed = role in MANAGERS

    statuses = [client.get(url).status_code for url in pages(campaign, recorded.number)]
    download = client.get(f"/campaigns/{campaign.code}/materials/{material.pk}/")
    removal = client.post(f"/campaigns/{campaign.code}/materials/{material.pk}/remove/")

    assert statuses == [200 if allowed else 404] * len(statuses)
    assert download.status_code == (200 if allowed else 404)
    assert removal.status_code == (302 if allowed else 404)
    home = client.get("/").content.decode()
    assert ("Your campaigns" in home) is allowed
    assert ('href="/campaigns/"' in home) is allowed


@pytest.mark.parametrize("role", sorted(MANAGERS), ids=lambda role: role.name)
def test_a_manager_in_an_organisation_without_a_signed_agreement_sees_nothing(
    client, make_user, world, role
):
    campaign, recorded, _material = world
    lapsed = OrganisationFactory(name="Lapsed partner", isa_signed_on=None)
    client.force_login(make_user(role, organisation=lapsed))

    statuses = {client.get(url).status_code for url in pages(campaign, recorded.number)}

    assert statuses == {404}


def test_a_board_viewer_who_is_also_an_officer_is_an_officer(client, make_user, world):
    campaign, _recorded, _material = world
    client.force_login(make_user(Role.BOARD_VIEWER, Role.OUTREACH_OFFICER))

    assert client.get(f"/campaigns/{campaign.code}/").status_code == 200


def test_visitors_are_sent_to_sign_in(client, world):
    campaign, recorded, _material = world

    for url in pages(campaign, recorded.number):
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in/" in response["Location"], url


def test_missing_and_forbidden_look_the_same(client, officer, make_user, world):
    campaign, _recorded, material = world
    client.force_login(officer)
    missing = [
        client.get("/campaigns/ZZZZZZ/"),
        client.get(f"/campaigns/{campaign.code}/activities/99/reach/"),
        client.get(f"/campaigns/{campaign.code}/materials/{material.pk + 99}/"),
        client.get(f"/campaigns/{campaign.code}/qr.gif"),
        client.get("/campaigns/calendar/1900/"),
    ]
    client.force_login(make_user(Role.HUB_ANALYST))
    forbidden = client.get(f"/campaigns/{campaign.code}/")

    assert {response.status_code for response in missing} == {404}
    assert forbidden.status_code == 404

    # The same page but for the address its language links repeat, and the per-request
    # CSP nonce and CSRF token.
    def page(response):
        return re.sub(r'(nonce|value)="[^"]*"', "", response.content.decode())

    same = page(forbidden).replace(campaign.code, "ZZZZZZ")
    assert same == page(client.get("/campaigns/ZZZZZZ/"))
