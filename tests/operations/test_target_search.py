"""Targets are found by searching the hub's entities, never typed as a number: the search
offers only entities the planner may read, and touching restricted intelligence says only
that it exists (hit / no-hit)."""

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from lantern.core.roles import Role
from lantern.entities.models import RestrictedHit
from lantern.operations.models import Target
from tests.operations.factories import plan


@pytest.fixture
def planner(client, lead):
    client.force_login(lead)
    return client


def test_a_search_offers_the_entities_the_planner_may_read(planner, operation, shared_entity):
    page = planner.get(
        f"/operations/{operation.reference}/targets/new/?q=sparkle+hand+car+wash"
    ).content.decode()

    assert f'value="{shared_entity.pk}"' in page
    assert "Business: Sparkle Hand Car Wash" in page


def test_choosing_a_search_result_adds_the_target(planner, operation, shared_entity, shared_report):
    url = f"/operations/{operation.reference}/targets/new/?q=Sparkle+Hand+Car+Wash"

    response = planner.post(
        url,
        {
            "entity": shared_entity.pk,
            "description": "Hand car wash",
            "justification": shared_report.reference,
        },
    )

    assert response.status_code == 302
    assert Target.objects.get().entity == shared_entity


def test_the_page_has_no_number_to_type(planner, operation):
    page = planner.get(f"/operations/{operation.reference}/targets/new/").content.decode()

    assert "Hub entity number" not in page
    assert 'name="q"' in page


def test_a_restricted_entity_is_not_offered_and_the_search_tells_only_that_it_exists(
    client, make_user, council, restricted_entity
):
    council_lead = make_user(Role.OPERATIONS_LEAD, organisation=council)
    client.force_login(council_lead)
    theirs = plan(council_lead)

    page = client.get(
        f"/operations/{theirs.reference}/targets/new/?q=Nightjar+Nails"
    ).content.decode()

    assert f'value="{restricted_entity.pk}"' not in page
    assert "Restricted intelligence exists" in page
    assert "Covert source" not in page
    assert RestrictedHit.objects.filter(user=council_lead).count() == 1


def test_a_restricted_entity_sent_by_number_is_refused_like_a_missing_one(
    client, make_user, council, restricted_entity, shared_report
):
    council_lead = make_user(Role.OPERATIONS_LEAD, organisation=council)
    client.force_login(council_lead)
    theirs = plan(council_lead)
    url = f"/operations/{theirs.reference}/targets/new/"
    answers = {"description": "Nail bar", "justification": shared_report.reference}

    restricted = client.post(url, {"entity": restricted_entity.pk, **answers})
    missing = client.post(url, {"entity": 99999999, **answers})

    for response in (restricted, missing):
        assert response.status_code == 400
        assert "Select a hub entity from the search results" in response.content.decode()
    assert not Target.objects.exists()


@hypothesis_settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.one_of(st.text(max_size=300), st.sampled_from(["\x00", "٣", "9" * 30, "%", "_"])),
    entity=st.one_of(st.text(max_size=30), st.integers(-(10**20), 10**20).map(str)),
)
def test_no_search_or_choice_causes_a_server_error(planner, operation, text, entity):
    url = f"/operations/{operation.reference}/targets/new/?q={quote(text, safe='')}"

    assert planner.get(f"{url}&entity={quote(entity, safe='')}").status_code == 200
    assert planner.post(url, {"entity": entity, "description": "x"}).status_code in {302, 400}
