"""An integer beyond the database's range matches nothing: a 404 or a form error, never a 500."""

import pytest
from django.test import Client

from lantern.core.models import Organisation, User
from lantern.core.roles import Role
from lantern.intelligence.models import IntelligenceReport, Tasking
from tests.core.test_caching import routes
from tests.factories import IntelligenceReportFactory, OrganisationFactory
from tests.intelligence.test_submit import answers

HUGE = 2**64 + 1  # beyond every integer column (64 bits)
LISTED = "Select organisations from the list of active partners"


@pytest.mark.parametrize(
    "lookup",
    [
        {"pk": HUGE},
        {"pk": -HUGE},
        {"pk__in": [HUGE]},
        {"pk__in": [HUGE, -HUGE]},
        {"organisation": HUGE},
        {"organisation_id": HUGE},
        {"organisation__in": [HUGE]},
        {"organisation_id__in": [str(HUGE)]},
        {"pk__range": (1, HUGE)},
        {"pk__range": (HUGE, HUGE + 1)},
    ],
    ids=str,
)
def test_every_lookup_with_an_integer_out_of_range_matches_nothing(make_user, lookup):
    make_user(Role.HUB_ANALYST)
    everyone = list(User.objects.all())
    expected = everyone if lookup == {"pk__range": (1, HUGE)} else []
    assert list(User.objects.filter(**lookup)) == expected


def test_an_integer_out_of_range_leaves_the_valid_ones_in_a_list(make_user):
    user = make_user(Role.HUB_ANALYST)
    assert list(User.objects.filter(pk__in=[HUGE, user.pk])) == [user]
    assert list(User.objects.exclude(organisation=HUGE)) == [user]


@pytest.fixture
def analyst(make_user) -> Client:
    client = Client()
    client.force_login(make_user(Role.HUB_ANALYST))
    return client


def test_the_submission_form_refuses_a_huge_organisation_number(signed_in):
    contributor = signed_in(Role.PARTNER_CONTRIBUTOR)
    data = answers(handling_code="C", handling_conditions="Hub only", shared_with=[str(HUGE)])

    response = contributor.post("/intelligence/new/", data)

    assert response.status_code in {200, 400}
    assert LISTED in response.content.decode()
    assert not IntelligenceReport.objects.exists()


def test_the_grading_form_refuses_a_huge_organisation_number(analyst):
    report = IntelligenceReportFactory(handling_code="P", status="under_assessment")

    response = analyst.post(
        f"/intelligence/{report.reference}/grading/",
        {
            "source_evaluation": "1",
            "intelligence_assessment": "A",
            "handling_code": "C",
            "handling_conditions": "Hub only",
            "shared_with": [str(HUGE), str(-HUGE)],
            "reason": "Confirmed",
        },
    )

    assert response.status_code in {200, 400}
    assert LISTED in response.content.decode()
    report.refresh_from_db()
    assert report.handling_code == "P"


def test_the_tasking_form_refuses_a_huge_organisation_number(analyst):
    OrganisationFactory()
    report = IntelligenceReportFactory(handling_code="P", status="under_assessment")

    response = analyst.post(
        f"/intelligence/{report.reference}/taskings/new/",
        {
            "submission_key": "7d8e3f0e-3e0f-4a55-8f26-8f0d3b6f5a11",
            "organisations": [str(HUGE)],
            "request_text": "Visit",
            "deadline": "1/1/2099",
        },
    )

    assert response.status_code in {200, 400}
    assert LISTED in response.content.decode()
    assert not Tasking.objects.exists()


HUGE_ROUTES = routes({"int": str(HUGE), "reference": "AAAA-AAAA", "slug": "x", "str": "x"})
QUERY = {
    name: str(HUGE)
    for name in ["page", "organisation", "area", "entity", "intelligence", "type", "operation"]
}


@pytest.mark.parametrize("route", [route for route in HUGE_ROUTES if str(HUGE) in route])
def test_a_huge_number_in_a_url_is_not_found(make_user, route):
    client = Client()
    client.force_login(make_user(*Role, organisation=OrganisationFactory()))
    assert client.get(f"/{route}").status_code in {404, 405}


@pytest.mark.parametrize("route", [route for route in HUGE_ROUTES if str(HUGE) not in route])
def test_a_huge_number_in_a_query_string_is_never_a_server_error(make_user, route):
    client = Client()
    client.force_login(make_user(*Role, organisation=OrganisationFactory()))
    IntelligenceReportFactory()
    assert Organisation.objects.exists()
    response = client.get(f"/{route}", QUERY)
    assert response.status_code < 500, response.status_code
