"""Match review side by side: the evidence of both entities, the decision, the next one."""

import datetime

import pytest

from lantern.core.models import AuditEvent
from lantern.core.roles import Role
from lantern.entities import comparison
from lantern.entities.comparison import Agreement
from lantern.entities.models import Match, MatchStatus
from tests.factories import IntelligenceReportFactory

pytestmark = pytest.mark.django_db

BORN = datetime.date(1988, 11, 2)


@pytest.fixture
def analyst(signed_in):
    return signed_in(Role.HUB_ANALYST)


@pytest.fixture
def car_washes(mention, police, council):
    """Two businesses written the same way, one beside an address and a van, the other
    beside the same address and another phone."""
    first = IntelligenceReportFactory(originating_organisation=police, summary="Men sleep on site")
    second = IntelligenceReportFactory(originating_organisation=council, summary="Cash wages only")
    mention(first, "business", "Sparkle Hand Car Wash")
    mention(first, "location", "Unit 4 Canal Street LE1 3LE")
    mention(first, "vehicle", "FD19 XKP")
    mention(second, "location", "unit 4 canal street le1 3le")
    mention(second, "phone", "07700 900461")
    mention(second, "business", "SPARKLE HAND CAR WASH")
    return Match.objects.get(entity__kind="business")


def test_both_sides_their_reports_and_what_agrees(analyst, car_washes):
    queue = analyst.get("/entities/matches/").content.decode()
    response = analyst.get(f"/entities/matches/{car_washes.pk}/")
    page = response.content.decode()

    assert f'href="/entities/matches/{car_washes.pk}/">Compare side by side' in queue
    assert response.status_code == 200
    assert "Confidence 90%" in page
    assert "Written the same way once normalised" in page
    assert "Men sleep on site" in page and "Cash wages only" in page
    assert "FD19 XKP" in page and "07700 900461" in page
    rows = {row.label: row for row in comparison.compare(analyst.user, car_washes).fields}
    assert rows["Names and aliases"].agreement == Agreement.AGREE
    assert rows["Addresses in the same reports"].agreement == Agreement.AGREE
    assert rows["Vehicles in the same reports"].agreement == Agreement.MISSING
    assert rows["Dates of birth"].agreement == Agreement.MISSING
    reads = AuditEvent.objects.filter(action="record.read", purpose="match review")
    assert reads.count() == 2


def test_people_whose_dates_of_birth_differ_are_shown_disagreeing(analyst, mention):
    first, second = IntelligenceReportFactory.create_batch(2)
    mention(first, "person", "Ion Rusu", date_of_birth=BORN)
    mention(second, "person", "Ion Rusu", date_of_birth=datetime.date(1990, 1, 1))
    match = Match.objects.get()

    rows = {row.label: row for row in comparison.compare(analyst.user, match).fields}
    page = analyst.get(f"/entities/matches/{match.pk}/").content.decode()

    assert rows["Dates of birth"].agreement == Agreement.DISAGREE
    assert "Disagree" in page


@pytest.mark.parametrize("role", [Role.PARTNER_CONTRIBUTOR, Role.SAFEGUARDING_LEAD])
def test_no_one_but_an_analyst_sees_the_comparison(signed_in, car_washes, role):
    other = signed_in(role)

    assert other.get(f"/entities/matches/{car_washes.pk}/").status_code == 404
    assert other.get("/entities/matches/next/").status_code == 404
    assert other.post(f"/entities/matches/{car_washes.pk}/not_sure/").status_code == 404
    car_washes.refresh_from_db()
    assert car_washes.status == MatchStatus.SUGGESTED


def test_a_missing_match_is_the_same_404(analyst):
    assert analyst.get("/entities/matches/999999/").status_code == 404


def test_deciding_moves_on_to_the_next_suggestion(analyst, mention):
    reports = IntelligenceReportFactory.create_batch(3)
    for report in reports:
        mention(report, "location", "Supermarket car park")
    # One suggestion for the second mention, one (the best per key) for the third.
    first, second = Match.objects.order_by("-confidence", "pk")

    opened = analyst.get("/entities/matches/next/")
    review = analyst.get(opened["Location"]).content.decode()
    decided = analyst.post(
        f"/entities/matches/{first.pk}/not_sure/",
        {"next": f"/entities/matches/next/?after={first.pk}"},
    )
    following = analyst.get(decided["Location"])

    assert opened["Location"] == f"/entities/matches/{first.pk}/"
    assert "Next suggestion" in review
    first.refresh_from_db()
    assert first.status == MatchStatus.NOT_SURE
    assert following["Location"] == f"/entities/matches/{second.pk}/"
    assert AuditEvent.objects.filter(action="entities.match_not_sure").count() == 1
    # The queue's next suggestion passes over what was marked not sure...
    assert analyst.get("/entities/matches/next/")["Location"] == f"/entities/matches/{second.pk}/"
    # ... which waits on its own list, still open to a decision.
    assert first.entity.label in analyst.get("/entities/matches/?status=not_sure").content.decode()
    analyst.post(f"/entities/matches/{first.pk}/confirm/")
    first.refresh_from_db()
    assert first.status == MatchStatus.CONFIRMED


def test_the_end_of_the_queue_leads_back_to_it(analyst, car_washes):
    analyst.post(f"/entities/matches/{car_washes.pk}/reject/")

    response = analyst.get(f"/entities/matches/next/?after={car_washes.pk}", follow=True)

    assert response.redirect_chain[-1][0] == "/entities/matches/"
    assert "No suggestion waits for a decision" in response.content.decode()


def test_marking_not_sure_twice_records_one_decision(analyst, car_washes):
    analyst.post(f"/entities/matches/{car_washes.pk}/not_sure/")
    analyst.post(f"/entities/matches/{car_washes.pk}/not_sure/")

    assert AuditEvent.objects.filter(action="entities.match_not_sure").count() == 1
