"""KPI figures computed from the records: true for the coordinator, controlled otherwise."""

import pytest

from lantern.core.access import NotFoundOrNotAllowed
from lantern.core.roles import Role
from lantern.evaluation import periods
from lantern.evaluation.models import Kpi
from lantern.evaluation.selectors import kpis as selectors
from tests.evaluation.kpis.factories import KpiFactory, day_in, referrals, victims

YEAR = periods.FinancialYear(2024)


@pytest.fixture
def records(db):
    victims(3, on=day_in(2024, 1), area="Leicester")
    victims(12, on=day_in(2024, 2), area="Leicester")
    victims(7, on=day_in(2024, 3), area="Charnwood")
    victims(9, on=day_in(2024, 4, day=20), area="Charnwood")
    victims(10, on=day_in(2023, 2))
    # Outside both years: never counted.
    victims(4, on=day_in(2022, 1))


def test_the_coordinator_sees_true_figures_against_the_baseline(coordinator, victims_kpi, records):
    result = selectors.kpi_result(coordinator, victims_kpi, year=YEAR)
    assert result.value == 31
    assert [point.value for point in result.trend] == [3, 12, 7, 9]
    assert result.baseline == 10
    assert result.change == 21
    assert result.change_percent == pytest.approx(210.0)
    assert result.better is True
    assert not result.controlled


def test_a_board_viewer_never_sees_a_small_count(board_viewer, victims_kpi, records):
    result = selectors.kpi_result(board_viewer, victims_kpi, year=YEAR)
    assert result.controlled
    trend = [point.value for point in result.trend]
    # The quarter of 3 is withheld, and so is the next smallest, so that the total (shown)
    # cannot give it away.
    assert trend == [None, 12, None, 9]
    assert result.value == 31
    assert result.baseline == 10


def test_a_small_baseline_is_withheld_and_so_is_the_change(board_viewer, db):
    kpi = KpiFactory(measure="victims_identified", baseline_year=2023)
    victims(2, on=day_in(2023, 1))
    victims(8, on=day_in(2024, 1))
    result = selectors.kpi_result(board_viewer, kpi, year=YEAR)
    assert result.baseline is None and result.baseline_withheld
    assert result.change is None and result.change_percent is None


def test_breakdown_by_area(coordinator, board_viewer, victims_kpi, records):
    result = selectors.kpi_result(coordinator, victims_kpi, year=YEAR, breakdown="area")
    assert {point.label: point.value for point in result.groups} == {
        "Leicester": 15,
        "Charnwood": 16,
    }
    controlled = selectors.kpi_result(board_viewer, victims_kpi, year=YEAR, breakdown="area")
    assert {point.label: point.value for point in controlled.groups} == {
        "Leicester": 15,
        "Charnwood": 16,
    }
    assert all(point.url is None for point in controlled.groups)


def test_a_rate_per_100000_people(coordinator, records):
    kpi = KpiFactory(measure="victims_identified", statistic="rate_per_100k")
    result = selectors.kpi_result(coordinator, kpi, year=YEAR)
    population = sum(selectors.population(YEAR).values())
    assert population > 1_000_000
    assert result.value == pytest.approx(31 * 100_000 / population)


def test_share_of_positive_reasonable_grounds_decisions(coordinator, board_viewer, db):
    kpi = KpiFactory(measure="rg_positive", denominator="rg_decisions", statistic="percent")
    referrals(6, on=day_in(2024, 1), decision="positive", decided_after=4)
    referrals(2, on=day_in(2024, 1), decision="negative", decided_after=10)
    referrals(3, on=day_in(2024, 2))  # not decided yet
    result = selectors.kpi_result(coordinator, kpi, year=YEAR)
    assert result.value == pytest.approx(75.0)
    assert result.records == 8
    controlled = selectors.kpi_result(board_viewer, kpi, year=YEAR)
    # 2 negative decisions are not shown, but 6 of 8 are both at least 5: the share stands.
    assert controlled.value == pytest.approx(75.0)


def test_median_time_to_a_decision(coordinator, board_viewer, db):
    kpi = KpiFactory(measure="time_to_rg_decision", statistic="median", direction="down")
    referrals(3, on=day_in(2024, 1), decision="positive", decided_after=4)
    referrals(2, on=day_in(2024, 1), decision="negative", decided_after=20)
    result = selectors.kpi_result(coordinator, kpi, year=YEAR)
    assert result.value == 4
    assert result.unit == "days"
    # A board viewer sees the median of 5 decisions but no quarter with fewer than 5.
    controlled = selectors.kpi_result(board_viewer, kpi, year=YEAR)
    assert controlled.value == 4


def test_a_median_of_too_few_records_is_withheld(board_viewer, db):
    kpi = KpiFactory(measure="time_to_rg_decision", statistic="median")
    referrals(3, on=day_in(2024, 1), decision="positive", decided_after=4)
    assert selectors.kpi_result(board_viewer, kpi, year=YEAR).value is None


def test_a_measure_lantern_does_not_know_is_not_counted(coordinator, db):
    kpi = KpiFactory(measure="retired_measure")
    result = selectors.kpi_result(coordinator, kpi, year=YEAR)
    assert not result.available
    assert result.value is None


@pytest.mark.parametrize(
    "role",
    [Role.HUB_ANALYST, Role.PARTNER_CONTRIBUTOR, Role.OUTREACH_OFFICER, Role.SAFEGUARDING_LEAD],
)
def test_other_roles_see_no_kpi(make_user, victims_kpi, role):
    user = make_user(role)
    assert not selectors.visible_kpis(user).exists()
    with pytest.raises(NotFoundOrNotAllowed):
        selectors.kpi_for_reading(user, victims_kpi.code)
    with pytest.raises(NotFoundOrNotAllowed):
        selectors.kpi_result(user, victims_kpi, year=YEAR)


def test_every_built_in_kpi_computes_on_an_empty_database(coordinator, board_viewer, db):
    built_in = list(Kpi.objects.exclude(code="victims-test"))
    assert len(built_in) >= 15
    for kpi in built_in:
        for user in (coordinator, board_viewer):
            result = selectors.kpi_result(user, kpi, year=YEAR, breakdown="area")
            assert result.available
            assert result.value in (0, None)


def test_a_coordinator_whose_organisation_has_no_isa_sees_no_kpi(make_user, victims_kpi):
    from tests.factories import OrganisationFactory

    unsigned = OrganisationFactory(name="Unsigned partner", isa_signed_on=None)
    coordinator = make_user(Role.HUB_COORDINATOR, organisation=unsigned)
    assert not selectors.visible_kpis(coordinator).exists()
    with pytest.raises(NotFoundOrNotAllowed):
        selectors.kpi_result(coordinator, victims_kpi, year=YEAR)


def test_a_board_viewer_needs_no_isa_for_aggregates(make_user, victims_kpi, records):
    from tests.factories import OrganisationFactory

    unsigned = OrganisationFactory(name="Police and Crime Commissioner", isa_signed_on=None)
    board = make_user(Role.BOARD_VIEWER, organisation=unsigned)
    result = selectors.kpi_result(board, victims_kpi, year=YEAR)
    assert result.controlled and result.trend[0].value is None


def test_an_ambiguous_direction_is_neither_better_nor_worse(coordinator, records):
    kpi = KpiFactory(measure="victims_identified", direction="neither", baseline_year=2023)
    result = selectors.kpi_result(coordinator, kpi, year=YEAR)
    assert result.change == 21
    assert result.better is None
