"""Searching intelligence: full-text over summary and narrative, filters, facets, access.

The same selector searches SQLite (FTS5) and PostgreSQL (a GIN-indexed ``to_tsvector``);
these tests run on both. Neither stems: every word of 3 letters or more matches as a
prefix, in English and French alike. Whatever a user types, the query cannot fail.
Results, counts and facets hold only what the searcher may read: a report they may not
read changes nothing they see.
"""

import datetime
import re

import pytest
from django.db import connection
from django.utils import timezone

from lantern.core import access
from lantern.core.models import ExploitationType, LocalAuthorityArea
from lantern.core.roles import Role
from lantern.intelligence import selectors
from lantern.intelligence.models import IntelligenceReport
from lantern.intelligence.selectors import ReportFilters
from tests.factories import IntelligenceReportFactory, OrganisationFactory
from tests.intelligence.test_access import MATRIX, may_read, world  # noqa: F401  (fixture)

SEARCH = "/intelligence/search/"


def report(summary: str, narrative: str = "Nothing else known.", **fields) -> IntelligenceReport:
    return IntelligenceReportFactory(summary=summary, narrative=narrative, **fields)


def found(user, text: str, **filters) -> list[IntelligenceReport]:
    return list(selectors.search_reports(user, ReportFilters(text=text, **filters)))


@pytest.fixture
def analyst(make_user):
    return make_user(Role.HUB_ANALYST)


# Matching -------------------------------------------------------------------------------


def test_a_word_in_the_summary_or_the_narrative_finds_the_report(analyst):
    in_summary = report("Cannabis farm above a shop")
    in_narrative = report("A house on Narborough Road", "Strong smell of cannabis at night.")
    report("Nail bar workers never leave", "They sleep on the premises.")

    assert set(found(analyst, "cannabis")) == {in_summary, in_narrative}


def test_every_word_must_match_in_any_order_and_case(analyst):
    both = report("Car wash on Belgrave Gate", "Workers sleep in a caravan behind it.")
    report("Car wash on London Road", "Nothing unusual.")

    assert found(analyst, "CARAVAN car") == [both]
    assert found(analyst, "caravan hotel") == []


def test_words_match_as_prefixes_without_stemming(analyst):
    farms = report("Two farms near Melton", "Workers picked up at dawn.")

    assert found(analyst, "farm") == [farms]
    assert found(analyst, "farming") == []  # no English stemming: "farming" is not "farms"
    assert found(analyst, "work") == [farms]


def test_words_shorter_than_three_letters_match_whole(analyst):
    attic = report("Workers kept in the attic")
    night = report("Seen at night")

    assert found(analyst, "at") == [night]
    assert found(analyst, "att") == [attic]


def test_french_words_match_with_their_accents(analyst):
    french = report(
        "Travail forcé dans un restaurant",
        "Les employés dorment dans la cave ; ils sont exploités.",
    )
    report("Forced labour at a restaurant", "Staff sleep in the cellar.")

    assert found(analyst, "forcé") == [french]
    assert found(analyst, "employés exploit") == [french]
    assert found(analyst, "Exploités") == [french]


def test_punctuation_between_words_is_ignored(analyst):
    hyphenated = report("Cannabis-house in Loughborough", "Man in his 20s; LE11 postcode.")

    assert found(analyst, "cannabis house") == [hyphenated]
    assert found(analyst, "le11, loughborough!") == [hyphenated]


def test_an_edited_narrative_is_found_by_its_new_words_and_not_its_old(analyst):
    edited = report("Hand car wash", "Workers paid in cash.")
    IntelligenceReport.objects.filter(pk=edited.pk).update(narrative="Workers paid nothing.")
    edited.summary = "Hand car wash, Coalville"
    edited.save(update_fields=["summary"])

    assert found(analyst, "nothing") == [edited]
    assert found(analyst, "coalville") == [edited]
    assert found(analyst, "cash") == []


def test_a_deleted_report_is_no_longer_found(analyst):
    gone = report("Brothel above a takeaway")
    gone.status_changes.all().delete()
    gone.delete()
    kept = report("Another brothel")

    assert found(analyst, "brothel") == [kept]


def test_the_database_index_serves_the_search_and_stays_in_step(analyst):
    """SQLite: the FTS5 table follows every change; PostgreSQL: the GIN index is used."""
    changed = report("Nail bar", "First version.")
    removed = report("Car wash", "To be removed.")
    report("Cannabis farm above a shop")
    IntelligenceReport.objects.filter(pk=changed.pk).update(narrative="Second version.")
    removed.status_changes.all().delete()
    removed.delete()

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # Compares the index with the report table; raises if they differ.
            cursor.execute(
                "INSERT INTO intelligence_report_search(intelligence_report_search, rank)"
                " VALUES ('integrity-check', 1)"
            )
    else:
        reports = selectors.search_reports(analyst, ReportFilters(text="cannabis"))
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            plan = reports.explain()
        assert "intelligence_report_search" in plan
    assert found(analyst, "second") == [changed]
    assert found(analyst, "removed") == []


def test_the_best_match_comes_first_and_newest_first_without_words(analyst):
    once = report("Cannabis seen once", "Nothing else.")
    often = report("Cannabis farm", "Cannabis plants in every room; cannabis smell.")
    IntelligenceReport.objects.filter(pk=often.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=30)
    )

    assert found(analyst, "cannabis") == [often, once]
    assert found(analyst, "") == [once, often]


# Hostile input --------------------------------------------------------------------------

HOSTILE = [
    '"NEAR(" OR',
    '"',
    "'",
    "''",
    "*",
    "AND",
    "OR NOT",
    "NEAR(a b, 2)",
    "summary:cannabis",
    "narrative : x",
    "^cannabis",
    "(cannabis",
    "cannabis)",
    "-cannabis",
    "+cannabis",
    "cannabis:*",
    "!cannabis & | <->",
    "'cannabis':* & !",
    "%_\\",
    "\x00",
    "canna\x00bis",
    "🔥 emoji",
    "x" * 5000,
    " ".join(["word"] * 500),
    "ǅemal ﬁnance ² ½",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_no_query_breaks_the_search(signed_in, text):
    report("Cannabis farm above a shop", "NEAR the station, OR so they say.")
    user = signed_in(Role.HUB_ANALYST)

    response = user.get(SEARCH, {"q": text})

    assert response.status_code == 200
    filters = ReportFilters.from_query({"q": text})
    assert "\x00" not in filters.text
    assert len(selectors.search_reports(user.user, filters)) <= 1
    selectors.search_facets(user.user, filters)


def test_operators_are_searched_as_plain_words(analyst):
    near = report("Seen near the station", "Or so they say.")
    report("Cannabis farm", "A strong smell.")

    assert found(analyst, '"NEAR(" OR') == [near]
    assert found(analyst, "cannabis NOT") == []


def test_well_formed_values_are_read_from_the_query():
    query = {
        "q": "  car\x00 wash\n ",
        "status": "closed",
        "area": "E06000016",
        "type": "labour",
        "sector": "nail_bar",
        "source_evaluation": "3",
        "intelligence_assessment": "E",
        "handling_code": "C",
        "organisation": "12",
        "age": "over-30",
        "sort": "grading",
        "direction": "descending",
    }

    assert ReportFilters.from_query(query) == ReportFilters(
        text="car wash",
        status="closed",
        area_code="E06000016",
        exploitation_type="labour",
        sector="nail_bar",
        source_evaluation="3",
        intelligence_assessment="E",
        handling_code="C",
        organisation_id=12,
        age="over-30",
        sort="grading",
        direction="descending",
    )
    assert ReportFilters.from_query(query).terms == ["car", "wash"]


@pytest.mark.parametrize(
    "query",
    [
        {"status": "bogus"},
        {"area": "E99999999"},
        {"type": "not-a-type"},
        {"sector": "\x00"},
        {"source_evaluation": "9"},
        {"intelligence_assessment": "Z"},
        {"handling_code": "X"},
        {"organisation": "99999999999"},
        {"organisation": "-1"},
        {"age": "1000000"},
        {"sort": "password"},
        {"direction": "sideways"},
        {"page": "\x00"},
        {"page": "-1"},
        {"page": "99999999999999999999"},
        {"q": "x" * 100_000, "status": "x" * 5000, "area": "\x00", "type": "' OR 1=1 --"},
    ],
)
def test_a_bogus_value_never_fails_the_page(signed_in, query):
    report("Cannabis farm")

    response = signed_in(Role.PARTNER_CONTRIBUTOR).get(SEARCH, query)

    assert response.status_code == 200


# The page -------------------------------------------------------------------------------


def test_the_search_page_asks_for_a_sign_in(client, db):
    response = client.get(SEARCH)

    assert response.status_code == 302


@pytest.mark.parametrize("role", list(Role))
def test_anyone_who_may_read_intelligence_may_search_it(signed_in, role):
    user = signed_in(role)

    response = user.get(SEARCH)

    assert response.status_code == (200 if access.can_read_intelligence(user.user) else 403)


def test_readers_are_shown_the_way_to_search(signed_in):
    contributor = signed_in(Role.PARTNER_CONTRIBUTOR)

    assert f'href="{SEARCH}"' in contributor.get("/intelligence/").content.decode()


def test_the_page_shows_the_matches_with_grading_area_and_status(signed_in):
    leicester = LocalAuthorityArea.objects.get(gss_code="E06000016")
    match = report("Cannabis farm above a shop", area=leicester, status="tasked")
    other = report("Nail bar workers")
    user = signed_in(Role.PARTNER_CONTRIBUTOR)

    page = user.get(SEARCH, {"q": "cannabis"}).content.decode()

    assert match.reference in page and other.reference not in page
    assert 'id="search-count">1 report found<' in page
    row = page[page.index(match.reference) :].split("</tr>", 1)[0]
    assert "Cannabis farm above a shop" in row
    assert "2 / B / P" in row and "Leicester" in row and "Tasked" in row
    assert 'value="cannabis"' in page  # the words stay in the box


def test_each_filter_narrows_the_search_and_shows_as_a_removable_tag(signed_in):
    leicester = LocalAuthorityArea.objects.get(gss_code="E06000016")
    police = OrganisationFactory(name="Leicestershire Police")
    matching = report(
        "Car wash workers",
        area=leicester,
        sector="hand_car_wash",
        source_evaluation="1",
        intelligence_assessment="A",
        originating_organisation=police,
        status="under_assessment",
    )
    matching.exploitation_types.set([ExploitationType.objects.get(code="labour")])
    other = report("Car wash in Blaby")
    user = signed_in(Role.HUB_ANALYST)
    filters = {
        "status": "under_assessment",
        "area": "E06000016",
        "type": "labour",
        "sector": "hand_car_wash",
        "source_evaluation": "1",
        "intelligence_assessment": "A",
        "organisation": str(police.pk),
    }

    for name, value in filters.items():
        page = user.get(SEARCH, {"q": "car wash", name: value}).content.decode()

        assert matching.reference in page, name
        assert other.reference not in page, name
        tags = page[page.index("moj-filter__selected") : page.index("moj-filter__options")]
        assert tags.count('class="moj-filter__tag"') == 1
        # Removing the tag keeps the words and drops only this filter.
        assert 'href="?q=car+wash"' in tags, name


def test_the_age_filter_on_search(analyst):
    recent = report("Brothel in a flat")
    old = report("Brothel in a house")
    IntelligenceReport.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=100)
    )

    assert found(analyst, "brothel", age="90") == [recent]
    assert found(analyst, "brothel", age="over-30") == [old]


def test_results_are_paged_and_keep_the_search(signed_in):
    reports = [report(f"Cannabis farm number {number}") for number in range(55)]
    user = signed_in(Role.HUB_ANALYST)

    first = user.get(SEARCH, {"q": "cannabis"}).content.decode()
    second = user.get(SEARCH, {"q": "cannabis", "page": "2"}).content.decode()

    assert 'id="search-count">55 reports found<' in first
    assert sum(report.reference in first for report in reports) == 50
    assert sum(report.reference in second for report in reports) == 5
    assert 'href="?q=cannabis&amp;page=2" rel="next"' in first
    assert 'aria-current="page">2<' in second


def test_search_results_sort_by_a_column_and_back_to_best_match(signed_in):
    often = report("Cannabis farm", "Cannabis everywhere, cannabis smell.", reference="ZZZZ-0001")
    once = report("Cannabis once", reference="AAAA-0001")
    user = signed_in(Role.HUB_ANALYST)

    best = user.get(SEARCH, {"q": "cannabis"}).content.decode()
    by_reference = user.get(
        SEARCH, {"q": "cannabis", "sort": "reference", "direction": "ascending"}
    ).content.decode()

    assert best.index(often.reference) < best.index(once.reference)
    assert "Sort by best match" not in best
    assert by_reference.index(once.reference) < by_reference.index(often.reference)
    assert 'aria-sort="ascending"' in by_reference
    assert 'href="?q=cannabis">Sort by best match<' in by_reference


# Facets ---------------------------------------------------------------------------------


def counts(facets: list[selectors.Facet]) -> dict[str, int]:
    return {facet.value: facet.count for facet in facets}


def test_facets_count_the_matches_for_each_value(analyst):
    labour = ExploitationType.objects.get(code="labour")
    sexual = ExploitationType.objects.get(code="sexual")
    police = OrganisationFactory(name="Leicestershire Police")
    first = report("Car wash", sector="hand_car_wash", originating_organisation=police)
    first.exploitation_types.set([labour, sexual])
    second = report("Car wash again", sector="hand_car_wash", status="tasked")
    second.exploitation_types.set([labour])
    report(
        "Car wash, closed",
        sector="nail_bar",
        status="closed",
        handling_code="C",
        handling_conditions="Hub only.",
    )
    report("Nail bar", sector="nail_bar")

    facets = selectors.search_facets(analyst, ReportFilters(text="car wash"))

    assert counts(facets["status"]) == {"new": 1, "tasked": 1, "closed": 1}
    assert counts(facets["sector"]) == {"hand_car_wash": 2, "nail_bar": 1}
    assert counts(facets["type"]) == {"labour": 2, "sexual": 1}
    assert counts(facets["handling_code"]) == {"P": 2, "C": 1}
    assert counts(facets["organisation"])[str(police.pk)] == 1
    assert sum(counts(facets["organisation"]).values()) == 3
    assert [facet.label for facet in facets["status"]] == ["New", "Tasked", "Closed"]
    assert not any(facet.selected for values in facets.values() for facet in values)


def test_a_facet_counts_its_other_values_while_one_is_chosen(analyst):
    report("Car wash", sector="hand_car_wash")
    report("Car wash", sector="nail_bar", status="tasked")

    facets = selectors.search_facets(analyst, ReportFilters(text="car", sector="nail_bar"))

    # Sector still offers the other sector; status counts only the chosen sector's reports.
    assert counts(facets["sector"]) == {"hand_car_wash": 1, "nail_bar": 1}
    assert [facet.value for facet in facets["sector"] if facet.selected] == ["nail_bar"]
    assert counts(facets["status"]) == {"tasked": 1}


def test_a_chosen_value_with_no_match_is_still_listed_with_zero(analyst):
    report("Car wash", sector="hand_car_wash")

    facets = selectors.search_facets(analyst, ReportFilters(text="brothel", sector="sex_work"))

    assert facets["sector"] == [
        selectors.Facet(
            value="sex_work", label="Sex work and adult services", count=0, selected=True
        )
    ]


def test_the_page_shows_facet_counts_in_the_filters(signed_in):
    report("Car wash", sector="hand_car_wash")
    report("Car wash two", sector="hand_car_wash")
    user = signed_in(Role.PARTNER_CONTRIBUTOR)

    page = user.get(SEARCH, {"q": "car"}).content.decode()

    assert '<option value="hand_car_wash">Hand car wash (2)</option>' in page


# Access ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "place", "code", "allowed"),
    MATRIX,
    ids=[f"{role.name}-{place}-{code}" for role, place, code, _allowed in MATRIX],
)
def test_search_results_and_facets_follow_the_access_matrix(
    client,
    make_user,
    world,  # noqa: F811  (the fixture imported above)
    role,
    place,
    code,
    allowed,
):
    organisations, reports = world
    target = reports[code]
    user = make_user(role, organisation=organisations[place])
    readable = {name: may_read(role, place, name) for name in reports}
    chosen = ReportFilters(text="sleeping car wash", handling_code=code)

    results = list(selectors.search_reports(user, chosen))
    facets = selectors.search_facets(user, chosen)
    everything = selectors.search_facets(user, ReportFilters(text="sleeping"))

    assert results == ([target] if allowed else [])
    # The chosen code is listed even at 0; any other value only when a readable report has it.
    assert counts(facets["handling_code"]) == {
        **{name: 1 for name, may in readable.items() if may},
        code: int(allowed),
    }
    assert counts(facets["status"]) == ({"new": 1} if allowed else {})
    assert counts(everything["handling_code"]) == {name: 1 for name, may in readable.items() if may}
    total = sum(readable.values())
    assert counts(everything["status"]) == ({"new": total} if total else {})
    origin = str(organisations["own organisation"].pk)
    assert counts(everything["organisation"]) == ({origin: total} if total else {})
    assert counts(everything["sector"]) == ({"unknown": total} if total else {})
    client.force_login(user)
    page = client.get(SEARCH, {"q": "sleeping", "handling_code": code})
    if access.can_read_intelligence(user):
        assert (target.reference in page.content.decode()) is allowed
        assert f'id="search-count">{int(allowed)} report' in page.content.decode()
    else:
        assert page.status_code == 403


def test_a_partner_sees_the_same_page_whether_or_not_an_unreadable_c_report_matches(
    client, make_user
):
    partner = OrganisationFactory(name="Blaby District Council")
    reader = make_user(Role.PARTNER_CONTRIBUTOR, organisation=partner)
    shared = report("Cannabis farm on Enderby Road", sector="cannabis")
    client.force_login(reader)
    query = {"q": "cannabis farm"}
    pages = [client.get(SEARCH, query).content.decode()]
    facets = [selectors.search_facets(reader, ReportFilters(text="cannabis farm"))]

    restricted = report(
        "Cannabis farm behind the police station",
        sector="construction",
        status="tasked",
        handling_code="C",
        handling_conditions="Police only; an operation is planned.",
        originating_organisation=OrganisationFactory(name="Leicestershire Police"),
    )
    pages.append(client.get(SEARCH, query).content.decode())
    facets.append(selectors.search_facets(reader, ReportFilters(text="cannabis farm")))
    for name in ("sector", "status", "handling_code", "organisation"):
        pages.append(client.get(SEARCH, {**query, name: ""}).content.decode())

    assert shared.reference in pages[0]
    assert restricted.reference not in pages[1]
    assert without_token(pages[0]) == without_token(pages[1])
    assert facets[0] == facets[1]
    assert "Leicestershire Police" not in pages[1]
    assert "Construction (" not in pages[1]
    # Filtering by what only the restricted report has finds nothing, like a missing value.
    for name, value in [("sector", "construction"), ("status", "tasked"), ("handling_code", "C")]:
        narrowed = client.get(SEARCH, {**query, name: value}).content.decode()
        assert 'id="search-count">0 reports found<' in narrowed


def without_token(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


@pytest.mark.parametrize(
    "chosen",
    [
        {"text": "car"},
        {"text": "car", "status": "tasked"},
        {"text": "car", "sector": "nail_bar", "handling_code": "P"},
        {"status": "new", "exploitation_type": "labour"},
        {"text": "nothing-like-this"},
    ],
)
def test_the_count_read_off_the_facets_is_the_number_of_results(analyst, chosen):
    report("Car wash on the ring road", sector="hand_car_wash", status="tasked")
    report("Car park behind the nail bar", sector="nail_bar")
    labour = report(
        "Car wash crew", sector="hand_car_wash", handling_code="C", handling_conditions="x"
    )
    labour.exploitation_types.set(ExploitationType.objects.filter(code="labour"))
    filters = ReportFilters(**chosen)

    facets = selectors.search_facets(analyst, filters)

    assert (
        selectors.matching_count(facets, filters)
        == selectors.search_reports(analyst, filters).count()
    )
