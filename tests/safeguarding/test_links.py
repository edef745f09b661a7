"""What a victim record links to never puts a name to the pseudonym, nor reveals
intelligence or an operation the viewer may not read."""

import pytest
from django.urls import reverse

from lantern.core.roles import Role
from lantern.operations.models import Participant
from tests.factories import IntelligenceReportFactory
from tests.safeguarding.factories import SupportReferralFactory, VictimFactory

SECRET_SUMMARY = "Covert source inside the car wash"


@pytest.fixture
def restricted_report(police):
    return IntelligenceReportFactory(
        originating_organisation=police,
        handling_code="C",
        handling_conditions="Police only",
        summary=SECRET_SUMMARY,
    )


@pytest.fixture
def victim(police, council, operation, target, person_entity, restricted_report):
    Participant.objects.create(
        operation=operation, organisation=council, role="Support", added_by=operation.created_by
    )
    return VictimFactory(
        identified_by=police,
        operation=operation,
        target=target,
        entity=person_entity,
        intelligence=restricted_report,
    )


def victim_page(client, user, victim) -> str:
    client.force_login(user)
    response = client.get(reverse("safeguarding:victim", args=[victim.reference]))
    assert response.status_code == 200
    return response.content.decode()


def test_those_who_know_the_person_follow_the_entity_and_the_intelligence(
    client, make_user, police, victim, restricted_report, person_entity
):
    page = victim_page(client, make_user(Role.SAFEGUARDING_LEAD, organisation=police), victim)

    assert restricted_report.reference in page
    assert reverse("entities:entity", args=[person_entity.pk]) in page
    assert "Unit 4, hand car wash" in page


@pytest.mark.parametrize(
    ("role", "place"),
    [(Role.HUB_ANALYST, "police"), (Role.PARTNER_CONTRIBUTOR, "council")],
    ids=["hub analyst", "operation participant"],
)
def test_pseudonymised_viewers_get_no_link_that_names_the_person(
    client, make_user, police, council, victim, restricted_report, person_entity, role, place
):
    user = make_user(role, organisation={"police": police, "council": council}[place])

    page = victim_page(client, user, victim)

    assert restricted_report.reference not in page
    assert SECRET_SUMMARY not in page
    assert reverse("entities:entity", args=[person_entity.pk]) not in page
    assert "Zdenka Novakova" not in page


def test_a_supporting_organisation_sees_neither_restricted_intelligence_nor_the_operation(
    client, make_user, victim, restricted_report, operation
):
    supporter = SupportReferralFactory(victim=victim, status="accepted").to_organisation
    user = make_user(Role.SAFEGUARDING_LEAD, organisation=supporter)

    page = victim_page(client, user, victim)

    assert restricted_report.reference not in page
    assert operation.name not in page
    assert "Unit 4, hand car wash" not in page


def test_the_entity_page_lists_the_victim_only_for_those_who_know_the_person(
    client, make_user, police, victim, person_entity
):
    url = reverse("entities:entity", args=[person_entity.pk])
    client.force_login(make_user(Role.SAFEGUARDING_LEAD, organisation=police))
    assert victim.reference in client.get(url).content.decode()
    client.force_login(make_user(Role.HUB_ANALYST))
    assert victim.reference not in client.get(url).content.decode()


def test_personal_details_reach_neither_search_nor_exports(client, make_user, police):
    VictimFactory(identified_by=police, name="Qesarake Dunvoli", address="9 Quarry Row")
    client.force_login(make_user(Role.HUB_COORDINATOR))

    for path in ("/intelligence/search/?q=Qesarake", "/intelligence/export.csv?q=Qesarake"):
        response = client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200
        # The page repeats what was searched for; nothing else of the person appears.
        assert b"Qesarake Dunvoli" not in body
        assert b"Quarry Row" not in body
