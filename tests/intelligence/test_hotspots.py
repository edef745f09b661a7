"""Hotspots: counts by area, type and sector with their change, the risk-ranked places and
businesses, and the hit / no-hit rule that no count includes what the viewer may not read.
"""

import datetime
import re

import pytest
from django.utils import timezone

from lantern.core.models import ExploitationType, LocalAuthorityArea
from lantern.core.roles import Role
from lantern.entities.models import Entity, EntityKind
from lantern.intelligence import hotspots
from lantern.intelligence.hotspots import Change, HotspotFilters, Period
from lantern.intelligence.models import IntelligenceReport
from tests.entities.factories import EntityFactory, MentionFactory
from tests.factories import IntelligenceReportFactory, OrganisationFactory, UserFactory

PAGE = "/hotspots/"
THREE_MONTHS = HotspotFilters(months=3)


def days_ago(days: int) -> datetime.datetime:
    noon = datetime.datetime.combine(timezone.localdate(), datetime.time(12))
    return timezone.make_aware(noon) - datetime.timedelta(days=days)


def area(name: str) -> LocalAuthorityArea:
    return LocalAuthorityArea.objects.get(name=name)


def place(label: str, kind: str = EntityKind.LOCATION) -> Entity:
    return EntityFactory(kind=kind, label=label)


def report(
    *,
    days: int = 10,
    area_name: str | None = "Leicester",
    types: tuple[str, ...] = ("labour",),
    mentions: tuple[Entity, ...] = (),
    **fields,
) -> IntelligenceReport:
    """A report submitted ``days`` ago, with its area, types and mentioned entities."""
    if fields.get("handling_code") == "C":
        fields.setdefault("handling_conditions", "Hub and originating organisation only.")
    made = IntelligenceReportFactory(area=area(area_name) if area_name else None, **fields)
    IntelligenceReport.objects.filter(pk=made.pk).update(created_at=days_ago(days))
    made.exploitation_types.set(ExploitationType.objects.filter(code__in=types))
    for entity in mentions:
        MentionFactory(report=made, entity=entity, role="premises")
    return made


def by_area(found: hotspots.Hotspots) -> dict[str, tuple[int, int]]:
    return {row.area_name: (row.change.current, row.change.previous) for row in found.by_area}


def by_area_and_type(found: hotspots.Hotspots) -> dict[tuple[str, str], tuple[int, int]]:
    return {
        (row.area_name, row.exploitation_type): (row.change.current, row.change.previous)
        for row in found.by_area_and_type
    }


@pytest.fixture
def analyst(make_user):
    return make_user(Role.HUB_ANALYST)


def test_counts_by_area_type_and_sector_match_the_reports(analyst):
    report(days=5, types=("labour", "sexual"), sector="hand_car_wash")
    report(days=30, types=("labour",), sector="hand_car_wash")
    report(days=60, area_name="Blaby", types=("sexual",), sector="nail_bar")
    report(days=70, area_name=None, types=(), sector="nail_bar")
    report(days=120, types=("labour",), sector="hand_car_wash")  # the period before
    report(days=400, types=("labour",), sector="hand_car_wash")  # before both: not counted

    found = hotspots.hotspots(analyst, THREE_MONTHS)

    assert (found.total.current, found.total.previous) == (4, 1)
    areas = by_area(found)
    assert areas["Leicester"] == (2, 1)
    assert areas["Blaby"] == (1, 0)
    assert areas["Not recorded"] == (1, 0)
    assert areas["Rutland"] == (0, 0)
    assert found.by_area[0].area_name == "Leicester"
    assert by_area_and_type(found) == {
        ("Leicester", "Labour exploitation"): (2, 1),
        ("Leicester", "Sexual exploitation"): (1, 0),
        ("Blaby", "Sexual exploitation"): (1, 0),
        ("Not recorded", "Not recorded"): (1, 0),
    }
    sectors = {row.sector: (row.change.current, row.change.previous) for row in found.by_sector}
    assert sectors == {"Hand car wash": (2, 1), "Nail bar": (2, 0)}


def test_sector_and_type_filters_narrow_every_count(analyst):
    report(days=5, types=("labour", "sexual"), sector="hand_car_wash")
    report(days=6, types=("sexual",), sector="nail_bar")
    report(days=7, types=("labour",), sector="nail_bar")

    by_sector = hotspots.hotspots(analyst, HotspotFilters(months=3, sector="nail_bar"))
    by_type = hotspots.hotspots(analyst, HotspotFilters(months=3, exploitation_type="sexual"))

    assert by_sector.total.current == 2
    assert by_area_and_type(by_sector) == {
        ("Leicester", "Sexual exploitation"): (1, 0),
        ("Leicester", "Labour exploitation"): (1, 0),
    }
    assert by_type.total.current == 2
    assert by_area_and_type(by_type) == {("Leicester", "Sexual exploitation"): (2, 0)}
    assert {row.sector for row in by_type.by_sector} == {"Hand car wash", "Nail bar"}


def test_the_period_before_has_the_same_number_of_months():
    year = Period.ending(datetime.date(2026, 11, 26), 12)
    month = Period.ending(datetime.date(2026, 3, 31), 1)

    assert (year.start, year.end) == (datetime.date(2025, 11, 27), datetime.date(2026, 11, 26))
    previous = year.previous()
    assert (previous.start, previous.end) == (
        datetime.date(2024, 11, 27),
        datetime.date(2025, 11, 26),
    )
    assert (month.start, month.previous().start, month.previous().end) == (
        datetime.date(2026, 3, 1),
        datetime.date(2026, 2, 1),
        datetime.date(2026, 2, 28),
    )


@pytest.mark.parametrize(
    ("current", "previous", "percent", "words"),
    [
        (15, 10, 50, "Up 5 (50%)"),
        (5, 10, -50, "Down 5 (50%)"),
        (3, 0, None, "New"),
        (4, 4, 0, "No change"),
        (0, 0, None, "No change"),
    ],
)
def test_change_against_the_period_before(current, previous, percent, words):
    change = Change(current, previous)

    assert change.percent == percent
    assert change.describe() == words


def test_a_report_on_the_first_day_counts_in_the_period_and_the_day_before_does_not(analyst):
    period = THREE_MONTHS.period
    first_day = (timezone.localdate() - period.start).days
    report(days=first_day)
    report(days=first_day + 1)

    found = hotspots.hotspots(analyst, THREE_MONTHS)

    assert (found.total.current, found.total.previous) == (1, 1)


def test_places_rank_by_reports_agencies_recency_and_grading(analyst):
    police, council, charity = (
        OrganisationFactory(name=name) for name in ("Police", "Council", "Charity")
    )
    corroborated = place("Unit 4 Canal Street car wash")
    single_agency = place("12 High Street")
    weakly_graded = place("Sparkle Nails", kind=EntityKind.BUSINESS)
    stale = place("Old Mill Farm")
    for organisation in (police, council, charity):
        report(days=3, originating_organisation=organisation, mentions=(corroborated,))
    for days in (3, 4, 5):
        report(days=days, originating_organisation=police, mentions=(single_agency,))
    for days in (3, 4, 5):
        report(
            days=days,
            originating_organisation=police,
            source_evaluation="3",
            intelligence_assessment="E",
            mentions=(weakly_graded,),
        )
    for days in (80, 81, 82):
        report(days=days, originating_organisation=police, mentions=(stale,))

    ranked = hotspots.hotspots(analyst, THREE_MONTHS).ranked

    assert [entry.label for entry in ranked] == [
        "Unit 4 Canal Street car wash",
        "12 High Street",
        "Old Mill Farm",
        "Sparkle Nails",
    ]
    first = ranked[0]
    assert (first.reports, first.agencies, first.strong_reports, first.days_since) == (3, 3, 3, 3)
    assert first.score == round(3 * 1.0 * (1 + 0.5 * 2) * 0.5 ** (3 / 90), 2)
    assert ranked[3].score == round(3 * 0.1 * 0.5 ** (3 / 90), 2)


def test_merged_places_rank_as_one_and_excluded_ones_not_at_all(analyst):
    survivor = place("Unit 4, Canal Street")
    absorbed = place("unit 4 canal st")
    absorbed.merged_into = survivor
    absorbed.save()
    excluded = place("Tesco car park")
    excluded.excluded_at = timezone.now()
    excluded.save()
    report(mentions=(survivor,))
    report(mentions=(absorbed,))
    report(mentions=(absorbed, survivor))
    report(mentions=(excluded,))

    ranked = hotspots.hotspots(analyst, THREE_MONTHS).ranked

    assert [(entry.entity, entry.reports) for entry in ranked] == [(survivor, 3)]


@pytest.fixture
def partner_world(db):
    """A partner in Leicester with P intelligence in its area and a car wash it reported."""
    partner = OrganisationFactory(name="Leicester City Council")
    car_wash = place("Unit 4 Canal Street car wash")
    report(days=5, mentions=(car_wash,))
    report(days=100, mentions=(car_wash,))
    return partner, car_wash


def _page_without_tokens(client) -> str:
    """The page as the user reads it, without the per-request CSRF token."""
    page = client.get(PAGE, {"months": "3"})
    assert page.status_code == 200
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page.content.decode())


def test_a_partner_learns_nothing_from_another_organisations_c_report(client, partner_world):
    """Attacker's view: adding a restricted report in the partner's own area, mentioning
    the very place they reported, must leave every figure on their page as it was."""
    partner, car_wash = partner_world
    contributor = UserFactory(organisation=partner, roles=[Role.PARTNER_CONTRIBUTOR])
    hub = UserFactory(roles=[Role.HUB_ANALYST])
    client.force_login(contributor)
    before = _page_without_tokens(client)
    before_counts = hotspots.hotspots(contributor, THREE_MONTHS)
    analyst_before = hotspots.hotspots(hub, THREE_MONTHS)

    report(
        days=2,
        handling_code="C",
        originating_organisation=OrganisationFactory(name="Leicestershire Police"),
        sector="hand_car_wash",
        types=("labour", "criminal"),
        mentions=(car_wash, place("Flat 2, 9 Canal Street")),
    )

    after_counts = hotspots.hotspots(contributor, THREE_MONTHS)
    assert _page_without_tokens(client) == before
    assert after_counts.total == before_counts.total
    assert [entry.score for entry in after_counts.ranked] == [
        entry.score for entry in before_counts.ranked
    ]
    # The hub, who may read it, does see it: the page above could have changed.
    analyst_after = hotspots.hotspots(hub, THREE_MONTHS)
    assert analyst_after.total.current == analyst_before.total.current + 1
    assert analyst_after.ranked[0].agencies == 2


def test_a_c_report_shared_with_the_partner_counts_for_them(partner_world):
    partner, _car_wash = partner_world
    contributor = UserFactory(organisation=partner, roles=[Role.PARTNER_CONTRIBUTOR])
    before = hotspots.hotspots(contributor, THREE_MONTHS).total.current

    report(days=2, handling_code="C", shared_with=[partner])

    assert hotspots.hotspots(contributor, THREE_MONTHS).total.current == before + 1


def test_the_page_shows_tables_map_data_and_ranked_links_to_an_analyst(signed_in):
    car_wash = place("Unit 4 Canal Street car wash")
    report(days=5, mentions=(car_wash,))
    analyst = signed_in(Role.HUB_ANALYST)

    page = analyst.get(PAGE)

    assert page.status_code == 200
    content = page.content.decode()
    assert 'id="hotspot-data" type="application/json"' in content
    assert f'href="{car_wash.get_absolute_url()}"' in content
    assert "How the score works" in content
    assert '<script type="module" src="/static/lantern/hotspots' in content
    assert f'href="{PAGE}"' in analyst.get("/").content.decode()


def test_the_map_data_carries_each_area_and_the_tile_server(signed_in, settings):
    settings.MAP_TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"
    report(days=5)
    analyst = signed_in(Role.HUB_ANALYST)

    data = analyst.get(PAGE).context["map_data"]

    assert data["tiles"]["url"] == "https://tiles.example/{z}/{x}/{y}.png"
    leicester = next(point for point in data["areas"] if point["name"] == "Leicester")
    assert (leicester["count"], leicester["lat"], leicester["lon"]) == (1, 52.636, -1.135)
    assert len(data["areas"]) == LocalAuthorityArea.objects.count()


@pytest.mark.parametrize("role", [Role.BOARD_VIEWER, Role.OUTREACH_OFFICER])
def test_users_who_may_not_read_intelligence_are_refused(signed_in, role):
    user = signed_in(role)

    assert user.get(PAGE).status_code == 403
    assert f'href="{PAGE}"' not in user.get("/").content.decode()


def test_an_impossible_end_date_is_explained_and_today_used(signed_in):
    analyst = signed_in(Role.HUB_ANALYST)

    page = analyst.get(PAGE, {"end_day": "31", "end_month": "2", "end_year": "2026"})

    assert page.status_code == 400
    assert "The end date must be a real date" in page.content.decode()
    assert page.context["hotspots"].period.end == timezone.localdate()


def test_a_chosen_end_date_sets_the_period(signed_in):
    analyst = signed_in(Role.HUB_ANALYST)

    page = analyst.get(PAGE, {"months": "6", "end_day": "30", "end_month": "6", "end_year": "2026"})

    period = page.context["hotspots"].period
    assert (period.start, period.end) == (datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
