"""The training KPI: frontline staff trained by session date, by organisation type and
frontline role — true for the coordinator, through disclosure control for the board."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from lantern.evaluation import measures, periods
from lantern.evaluation.builtin import TRAINING_KPI_FILE, kpi_definitions
from lantern.evaluation.models import Kpi
from lantern.evaluation.selectors import kpis as selectors
from lantern.evaluation.services import kpis as kpi_services
from lantern.outreach.models.training import FrontlineRole
from tests.evaluation.training.conftest import at_noon, pairs, session_on
from tests.outreach.training.factories import BookingFactory, SessionFactory

YEAR = periods.FinancialYear(2024)
OCTOBER = datetime.date(2024, 10, 18)  # quarter 3 of 2024-25


@pytest.fixture
def october_session(db):
    return SessionFactory(starts_at=at_noon(OCTOBER))


def role(code):
    return FrontlineRole.objects.get(code=code)


def test_the_training_kpis_are_loaded_and_counted(db):
    codes = {d["code"]: d["measure"] for d in kpi_definitions(TRAINING_KPI_FILE)}
    assert codes == {
        "frontline-staff-trained": "frontline_staff_trained",
        "knowledge-uplift-nrm": "knowledge_uplift",
        "knowledge-uplift": "knowledge_uplift",
    }
    assert dict(Kpi.objects.filter(code__in=codes).values_list("code", "measure")) == codes
    assert Kpi.objects.get(code="knowledge-uplift-nrm").filters == {"topic": "nrm"}
    assert all(measures.get(measure) is not None for measure in codes.values())


def test_staff_trained_counts_attendance_by_session_date_and_breakdown(
    coordinator, october_session, police, hospital
):
    BookingFactory(
        session=october_session, organisation=police, role=role("response-officer"), attended=9
    )
    BookingFactory(session=october_session, organisation=hospital, role=role("nurse"), attended=6)
    # Booked but not (yet) attended: not trained.
    BookingFactory(session=october_session, organisation=hospital, attended=None)
    BookingFactory(session=october_session, organisation=hospital, attended=0)
    # The year before: the baseline only.
    BookingFactory(
        session=SessionFactory(starts_at=at_noon(datetime.date(2023, 11, 2))),
        organisation=police,
        attended=4,
    )
    kpi = Kpi.objects.get(code="frontline-staff-trained")

    result = selectors.kpi_result(
        coordinator,
        kpi,
        year=YEAR,
        baseline_year=periods.FinancialYear(2023),
        breakdown="organisation_type",
    )

    assert result.value == 15
    assert result.baseline == 4
    assert [point.value for point in result.trend] == [0, 0, 15, 0]
    assert {point.label: point.value for point in result.groups} == {
        "Police": 9,
        "NHS and health": 6,
    }
    by_role = selectors.kpi_result(coordinator, kpi, year=YEAR, breakdown="frontline_role")
    assert {point.label: point.value for point in by_role.groups} == {
        "Response police officer": 9,
        "Nurse or midwife": 6,
    }


def test_a_board_viewer_never_sees_a_small_number_trained(
    board_viewer, october_session, police, hospital
):
    BookingFactory(session=october_session, organisation=police, attended=40)
    BookingFactory(session=october_session, organisation=hospital, attended=2)
    kpi = Kpi.objects.get(code="frontline-staff-trained")

    result = selectors.kpi_result(board_viewer, kpi, year=YEAR, breakdown="organisation_type")

    assert result.controlled
    shown = {point.label: point.value for point in result.groups}
    assert shown["NHS and health"] is None
    # The other goes too, or the total would give the 2 away.
    assert shown["Police"] is None
    assert result.value == 42
    assert result.records_url is None


def test_someone_who_may_not_see_kpis_is_refused_as_if_missing(make_user, october_session):
    from lantern.core.access import NotFoundOrNotAllowed
    from lantern.core.roles import Role

    kpi = Kpi.objects.get(code="frontline-staff-trained")
    with pytest.raises(NotFoundOrNotAllowed):
        selectors.kpi_result(make_user(Role.PARTNER_CONTRIBUTOR), kpi, year=YEAR)


def test_the_kpi_page_breaks_staff_trained_down_by_role_in_both_languages(
    client, coordinator, board_viewer, october_session, police
):
    BookingFactory(
        session=october_session, organisation=police, role=role("response-officer"), attended=9
    )
    address = "/evaluation/kpis/frontline-staff-trained/"
    query = {"year": 2024, "breakdown": "frontline_role"}

    client.force_login(coordinator)
    text = client.get(address, query).text
    assert "Response police officer" in text
    french = client.get(f"/fr{address}", query).text
    assert "Policier d&#x27;intervention" in french
    assert "Métier de terrain" in french

    client.force_login(board_viewer)
    response = client.get(address, query)
    assert response.status_code == 200
    assert "Response police officer" in response.text


def test_the_knowledge_uplift_kpi_against_its_baseline_by_quarter(coordinator, board_viewer):
    """35% → 84% is +140%: NRM answers of attendees who took both tests, by session date."""
    kpi = Kpi.objects.get(code="knowledge-uplift-nrm")
    # Baseline 2024/25: 6 attendees, 1 of 2 right before and 2 after (+100%).
    pairs(session_on(datetime.date(2024, 6, 10)), 6, before=1, after=2)
    # 2025/26: in the second quarter 6 from 1 to 2; in the third, 3 from 0 to 2 (too few).
    pairs(session_on(datetime.date(2025, 8, 12)), 6, before=1, after=2)
    pairs(session_on(datetime.date(2025, 11, 4)), 3, before=0, after=2)
    year = periods.FinancialYear(2025)

    result = selectors.kpi_result(
        coordinator, kpi, year=year, baseline_year=periods.FinancialYear(2024)
    )
    controlled = selectors.kpi_result(board_viewer, kpi, year=year)

    # 9 pairs: six at 50% and three at 0% before (33.3%), all at 100% after: +200%.
    assert result.value == pytest.approx(200.0)
    assert result.records == 9 and result.unit == "%"
    assert result.baseline == pytest.approx(100.0)
    assert result.change == pytest.approx(100.0) and result.change_percent is None
    by_quarter = {point.key: point.value for point in result.trend}
    assert by_quarter[year.buckets(periods.QUARTER)[1].key] == pytest.approx(100.0)
    assert by_quarter[year.buckets(periods.QUARTER)[2].key] is None  # 3 pairs
    # The board viewer: 9 pairs released, the quarter of 3 withheld with its figure.
    assert controlled.value == pytest.approx(200.0) and controlled.records == 9
    assert all(
        point.value is None or point.value == pytest.approx(100.0) for point in controlled.trend
    )


def test_a_knowledge_uplift_kpi_is_a_percentage_of_its_own(coordinator):
    with pytest.raises(ValidationError) as refused:
        kpi_services.check_definition(measure="knowledge_uplift", denominator="", statistic="count")
    assert "statistic" in refused.value.error_dict
    kpi_services.check_definition(measure="knowledge_uplift", denominator="", statistic="percent")
