"""Hub analysts triage intelligence: the queue, status changes and the timeline.

Only hub analysts work the queue and move a report's status, and only on reports they
may read. Moves follow new → under assessment → tasked → actioned → closed (closing from
under assessment too, re-tasking back to under assessment, and back from actioned to
tasked); closing needs a reason. Every move is one timeline entry and one audit event; a
refused move changes nothing.
"""

import datetime
import re
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from lantern.core.models import AuditEvent, ExploitationType, LocalAuthorityArea
from lantern.core.roles import Role
from lantern.intelligence import rules, selectors
from lantern.intelligence.models import IntelligenceReport, Status, StatusChange
from lantern.intelligence.services import submission as submission_services
from lantern.intelligence.services import triage as triage_services
from lantern.intelligence.submitted import ReportFields
from tests.factories import IntelligenceReportFactory, OrganisationFactory

QUEUE = "/intelligence/triage/"


@pytest.fixture
def analyst(signed_in):
    return signed_in(Role.HUB_ANALYST)


def report_in(status: str, **fields) -> IntelligenceReport:
    return IntelligenceReportFactory(status=status, **fields)


def aged(report: IntelligenceReport, days: int) -> IntelligenceReport:
    IntelligenceReport.objects.filter(pk=report.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days)
    )
    return report


# The queue ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [role for role in Role if role is not Role.HUB_ANALYST])
def test_only_hub_analysts_see_the_queue(signed_in, role):
    assert signed_in(role).get(QUEUE).status_code == 403


def test_a_hub_analyst_of_an_organisation_outside_the_sharing_is_refused(signed_in):
    outside = OrganisationFactory(name="Partner without ISA", isa_signed_on=None)

    assert signed_in(Role.HUB_ANALYST, organisation=outside).get(QUEUE).status_code == 403


def test_the_queue_asks_for_a_sign_in(client, db):
    assert client.get(QUEUE).status_code == 302


def test_the_queue_shows_open_reports_oldest_first(analyst):
    older = aged(report_in("new"), days=3)
    newer = aged(report_in("tasked"), days=1)
    closed = report_in("closed")

    response = analyst.get(QUEUE)

    page = response.content.decode()
    assert response.status_code == 200
    assert page.index(older.reference) < page.index(newer.reference)
    assert closed.reference not in page
    assert 'id="triage-count">2 reports<' in page


def test_the_queue_holds_only_what_the_user_may_read(make_user):
    report_in("new")
    report_in("new", handling_code="C", handling_conditions="Hub only.")
    analyst = make_user(Role.HUB_ANALYST)
    contributor = make_user(Role.PARTNER_CONTRIBUTOR)
    unreadable = OrganisationFactory(name="Left the sharing", isa_signed_on=None)
    outsider = make_user(Role.HUB_ANALYST, organisation=unreadable)

    everything = selectors.ReportFilters()
    assert selectors.triage_queue(analyst, everything).count() == 2
    assert not selectors.triage_queue(contributor, everything).exists()
    assert not selectors.triage_queue(outsider, everything).exists()


def test_analysts_are_shown_the_way_to_the_queue(analyst):
    assert f'href="{QUEUE}"' in analyst.get("/").content.decode()
    assert f'href="{QUEUE}"' in analyst.get("/intelligence/").content.decode()


def test_contributors_are_not_shown_the_queue(signed_in):
    contributor = signed_in(Role.PARTNER_CONTRIBUTOR)

    assert f'href="{QUEUE}"' not in contributor.get("/").content.decode()
    assert f'href="{QUEUE}"' not in contributor.get("/intelligence/").content.decode()


@pytest.fixture
def varied(db):
    leicester = LocalAuthorityArea.objects.get(gss_code="E06000016")
    blaby = LocalAuthorityArea.objects.get(gss_code="E07000129")
    police = OrganisationFactory(name="Leicestershire Police")
    council = OrganisationFactory(name="Blaby District Council")
    matching = report_in(
        "under_assessment",
        area=leicester,
        handling_code="C",
        handling_conditions="Hub only.",
        originating_organisation=police,
        sector="cannabis",
        source_evaluation="1",
        intelligence_assessment="A",
    )
    aged(matching, days=40)
    matching.exploitation_types.set([ExploitationType.objects.get(code="sexual")])
    other = report_in("new", area=blaby, originating_organisation=council)
    other.exploitation_types.set([ExploitationType.objects.get(code="labour")])
    return matching, other, police


@pytest.mark.parametrize(
    "query",
    [
        {"status": "under_assessment"},
        {"area": "E06000016"},
        {"type": "sexual"},
        {"handling_code": "C"},
        {"organisation": "police"},
        {"sector": "cannabis"},
        {"source_evaluation": "1"},
        {"intelligence_assessment": "A"},
        {"age": "over-30"},
        {"status": "under_assessment", "area": "E06000016", "type": "sexual"},
        {"sector": "cannabis", "source_evaluation": "1", "age": "over-7"},
    ],
    ids=[
        "status",
        "area",
        "type",
        "handling-code",
        "organisation",
        "sector",
        "source-evaluation",
        "intelligence-assessment",
        "age",
        "together",
        "new-filters-together",
    ],
)
def test_each_filter_narrows_the_queue(analyst, varied, query):
    matching, other, police = varied
    if query.get("organisation") == "police":
        query = {**query, "organisation": str(police.pk)}

    page = analyst.get(QUEUE, query).content.decode()

    assert matching.reference in page
    assert other.reference not in page
    assert 'id="triage-count">1 report<' in page
    for name, value in query.items():
        # The filter form shows what was chosen.
        select = page.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
        assert f'<option value="{value}" selected>' in select


@pytest.mark.parametrize(
    "query",
    [
        {"status": "bogus"},
        {"status": "closed"},
        {"area": "E99999999"},
        {"type": "not-a-type"},
        {"handling_code": "Z"},
        {"organisation": "not-a-number"},
        {"organisation": "99999999999"},
        {"organisation": "-1"},
        {"status": "x" * 5000, "area": "\x00", "type": "' OR 1=1 --"},
        {"sector": "nail_bar\x00"},
        {"sector": "x" * 100_000},
        {"source_evaluation": "4"},
        {"source_evaluation": "1 OR 1=1"},
        {"intelligence_assessment": "a"},
        {"intelligence_assessment": "F"},
        {"age": "-7"},
        {"age": "99999999999999999999"},
        {"age": "over-\x00"},
        {"sort": "summary"},
        {"sort": "created_at"},
        {"sort": "-submitted"},
        {"sort": "relevance"},
        {"sort": "\x00", "direction": "\x00"},
        {"direction": "up"},
        {"page": "0"},
        {"page": "\x00"},
        {"page": "9" * 5000},
    ],
)
def test_a_bogus_filter_value_never_fails(analyst, varied, query):
    response = analyst.get(QUEUE, query)

    assert response.status_code == 200


def test_an_unknown_status_or_code_is_ignored_rather_than_emptying_the_queue(analyst, varied):
    page = analyst.get(QUEUE, {"status": "bogus", "handling_code": "Z"}).content.decode()

    assert 'id="triage-count">2 reports<' in page


@pytest.mark.parametrize(
    "query",
    [{"sector": "bogus"}, {"source_evaluation": "9"}, {"intelligence_assessment": "Z"}],
)
def test_an_unknown_sector_or_grading_is_ignored_and_shown_unchosen(analyst, varied, query):
    page = analyst.get(QUEUE, query).content.decode()

    assert 'id="triage-count">2 reports<' in page
    (name,) = query
    select = page.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
    assert "selected" not in select


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        ("7", ["fresh"]),
        ("30", ["fresh", "week"]),
        ("over-7", ["week", "old"]),
        ("over-30", ["old"]),
    ],
)
def test_the_age_filter_keeps_recent_or_waiting_reports(make_user, age, expected):
    analyst = make_user(Role.HUB_ANALYST)
    reports = {
        "fresh": aged(report_in("new"), days=1),
        "week": aged(report_in("new"), days=10),
        "old": aged(report_in("new"), days=45),
    }

    queue = selectors.triage_queue(analyst, selectors.ReportFilters(age=age))

    assert list(queue) == [reports[name] for name in ("old", "week", "fresh") if name in expected]


# Sorting ---------------------------------------------------------------------------------


@pytest.fixture
def sortable(db):
    leicester = LocalAuthorityArea.objects.get(gss_code="E06000016")
    blaby = LocalAuthorityArea.objects.get(gss_code="E07000129")
    first = aged(
        report_in(
            "tasked",
            reference="AAAA-0001",
            area=blaby,
            source_evaluation="3",
            originating_organisation=OrganisationFactory(name="Charnwood Borough Council"),
        ),
        days=3,
    )
    second = aged(
        report_in(
            "new",
            reference="BBBB-0002",
            area=None,
            source_evaluation="1",
            originating_organisation=OrganisationFactory(name="Blaby District Council"),
        ),
        days=1,
    )
    third = aged(
        report_in(
            "actioned",
            reference="CCCC-0003",
            area=leicester,
            source_evaluation="2",
            originating_organisation=OrganisationFactory(name="Arriva Midlands"),
        ),
        days=2,
    )
    return first, second, third


@pytest.mark.parametrize(
    ("sort", "ascending", "descending"),
    [
        ("reference", [0, 1, 2], [2, 1, 0]),
        ("submitted", [0, 2, 1], [1, 2, 0]),
        ("organisation", [2, 1, 0], [0, 1, 2]),
        # A report without an area comes last both ways.
        ("area", [0, 2, 1], [2, 0, 1]),
        ("grading", [1, 2, 0], [0, 2, 1]),
        # In the order of the workflow, not of the alphabet.
        ("status", [1, 0, 2], [2, 0, 1]),
    ],
)
def test_each_column_sorts_the_queue_both_ways(make_user, sortable, sort, ascending, descending):
    analyst = make_user(Role.HUB_ANALYST)

    def order(direction: str) -> list[IntelligenceReport]:
        filters = selectors.ReportFilters(sort=sort, direction=direction)
        return list(selectors.triage_queue(analyst, filters))

    assert order("ascending") == [sortable[place] for place in ascending]
    assert order("descending") == [sortable[place] for place in descending]


def test_the_headers_sort_the_queue_without_javascript(analyst, sortable):
    first, second, third = sortable

    unsorted = analyst.get(QUEUE).content.decode()
    by_grading = analyst.get(QUEUE, {"sort": "grading", "direction": "ascending"}).content.decode()
    reversed_grading = analyst.get(QUEUE, {"sort": "grading", "direction": "descending"})

    # Oldest first by default, said by aria-sort on the Submitted header.
    assert header(unsorted, "Submitted").startswith('aria-sort="ascending"')
    assert header(unsorted, "Grading").startswith('aria-sort="none"')
    assert 'href="?sort=grading&amp;direction=ascending"' in header(unsorted, "Grading")
    assert order_of(unsorted, sortable) == [first, third, second]
    # A sorted header offers the other direction and keeps the filters.
    assert header(by_grading, "Grading").startswith('aria-sort="ascending"')
    assert "direction=descending" in header(by_grading, "Grading")
    assert header(by_grading, "Submitted").startswith('aria-sort="none"')
    assert order_of(by_grading, sortable) == [second, third, first]
    assert order_of(reversed_grading.content.decode(), sortable) == [first, third, second]
    # Summary is not a sort column.
    assert "aria-sort" not in header(unsorted, "Summary")


def test_a_sorted_queue_keeps_its_filters_and_the_filters_keep_the_sort(analyst, sortable):
    page = analyst.get(
        QUEUE, {"status": "new", "sort": "area", "direction": "descending"}
    ).content.decode()

    assert "status=new" in header(page, "Reference")
    assert '<input type="hidden" name="sort" value="area">' in page
    assert '<input type="hidden" name="direction" value="descending">' in page


def test_the_queue_is_paged(make_user, client):
    analyst = make_user(Role.HUB_ANALYST)
    client.force_login(analyst)
    reports = [aged(report_in("new"), days=60 - number) for number in range(55)]

    first = client.get(QUEUE).content.decode()
    second = client.get(QUEUE, {"page": "2"}).content.decode()
    beyond = client.get(QUEUE, {"page": "99"}).content.decode()

    assert 'id="triage-count">55 reports<' in first
    assert reports[0].reference in first and reports[49].reference in first
    assert reports[50].reference not in first
    assert reports[50].reference in second and reports[54].reference in second
    assert 'aria-current="page">2<' in second
    assert 'href="?page=2" rel="next"' in first
    # Past the end is the last page, not an error.
    assert reports[54].reference in beyond and reports[0].reference not in beyond


def header(page: str, label: str) -> str:
    """The attributes and content of the column header labelled ``label``."""
    for cell in page.split('<th scope="col" class="govuk-table__header"')[1:]:
        cell = cell.split("</th>", 1)[0].strip()
        if re.search(f">{label}(<|$)", cell):
            return cell
    raise AssertionError(f"no {label} header")


def order_of(page: str, reports) -> list[IntelligenceReport]:
    return sorted(reports, key=lambda report: page.index(report.reference))


# Status changes -------------------------------------------------------------------------

ALLOWED = [
    ("new", "under_assessment"),
    ("under_assessment", "tasked"),
    ("under_assessment", "closed"),
    ("tasked", "actioned"),
    ("tasked", "under_assessment"),
    ("actioned", "closed"),
    ("actioned", "tasked"),
]
STATUSES = ["new", "under_assessment", "tasked", "actioned", "closed"]
REFUSED = [
    (before, after)
    for before in STATUSES
    for after in [*STATUSES, "bogus", ""]
    if (before, after) not in ALLOWED
]


@pytest.mark.parametrize(("before", "after"), ALLOWED)
def test_an_allowed_move_is_recorded_and_audited(analyst, before, after):
    report = report_in(before)
    reason = "referred_for_safeguarding" if after == "closed" else ""

    response = analyst.post(
        f"/intelligence/{report.reference}/status/",
        {"to_status": after, "reason": reason, "note": "Checked with the council."},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/intelligence/{report.reference}/"
    report.refresh_from_db()
    assert report.status == after
    change = report.status_changes.first()
    assert (change.from_status, change.to_status, change.reason) == (before, after, reason)
    assert change.note == "Checked with the council."
    assert change.changed_by == analyst.user
    event = AuditEvent.objects.get(action="intelligence.status_changed")
    assert event.object_id == str(report.pk)
    assert event.actor_id == analyst.user.pk
    assert event.detail == {"from": before, "to": after, "reason": reason}
    assert "Status changed to" in analyst.get(response["Location"]).content.decode()


@pytest.mark.parametrize(("before", "after"), REFUSED)
def test_a_move_outside_the_workflow_is_refused_and_changes_nothing(make_user, before, after):
    analyst = make_user(Role.HUB_ANALYST)
    report = report_in(before)

    with pytest.raises(ValidationError) as refused:
        triage_services.change_status(
            report=report, user=analyst, to_status=after, reason="no_further_action"
        )

    assert "to_status" in refused.value.message_dict
    report.refresh_from_db()
    assert report.status == before
    assert report.status_changes.count() == 1
    assert not AuditEvent.objects.filter(action="intelligence.status_changed").exists()


@pytest.mark.parametrize("before", ["under_assessment", "actioned"])
@pytest.mark.parametrize("reason", ["", "bogus"])
def test_closing_needs_a_reason_from_the_list(make_user, before, reason):
    analyst = make_user(Role.HUB_ANALYST)
    report = report_in(before)

    with pytest.raises(ValidationError) as refused:
        triage_services.change_status(
            report=report, user=analyst, to_status="closed", reason=reason
        )

    assert "reason" in refused.value.message_dict
    report.refresh_from_db()
    assert report.status == before
    assert report.status_changes.count() == 1


def test_closing_without_a_reason_on_the_page_names_the_field(analyst):
    report = report_in("under_assessment")

    response = analyst.post(
        f"/intelligence/{report.reference}/status/", {"to_status": "closed", "note": "Done"}
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert 'href="#id_reason"' in page
    assert "Select a reason for closing the report" in page
    report.refresh_from_db()
    assert report.status == "under_assessment"
    assert report.status_changes.count() == 1


def test_a_refused_move_on_the_page_names_the_field_and_changes_nothing(analyst):
    report = report_in("new")

    response = analyst.post(f"/intelligence/{report.reference}/status/", {"to_status": "closed"})

    assert response.status_code == 400
    assert 'href="#id_to_status"' in response.content.decode()
    report.refresh_from_db()
    assert report.status == "new"
    assert not AuditEvent.objects.filter(action="intelligence.status_changed").exists()


def test_a_note_that_is_too_long_is_refused(make_user):
    analyst = make_user(Role.HUB_ANALYST)
    report = report_in("new")

    with pytest.raises(ValidationError) as refused:
        triage_services.change_status(
            report=report, user=analyst, to_status="under_assessment", note="x" * 2001
        )

    assert "note" in refused.value.message_dict
    assert report.status_changes.count() == 1


def test_a_reason_is_kept_only_when_closing(make_user):
    analyst = make_user(Role.HUB_ANALYST)
    report = report_in("new")

    change = triage_services.change_status(
        report=report, user=analyst, to_status="under_assessment", reason="passed_on"
    )

    assert change.reason == ""


def test_a_stale_form_cannot_repeat_a_move(make_user):
    analyst = make_user(Role.HUB_ANALYST)
    report = report_in("new")
    stale = IntelligenceReport.objects.get(pk=report.pk)
    triage_services.change_status(report=report, user=analyst, to_status="under_assessment")

    with pytest.raises(ValidationError):
        triage_services.change_status(report=stale, user=analyst, to_status="under_assessment")

    assert report.status_changes.count() == 2


@pytest.mark.parametrize("role", [role for role in Role if role is not Role.HUB_ANALYST])
def test_only_hub_analysts_may_change_a_status(make_user, role):
    user = make_user(role)
    report = report_in("new")

    with pytest.raises(PermissionDenied):
        triage_services.change_status(report=report, user=user, to_status="under_assessment")

    report.refresh_from_db()
    assert report.status == "new"


def test_a_partner_contributor_cannot_post_a_status_change(signed_in):
    contributor = signed_in(Role.PARTNER_CONTRIBUTOR)
    readable = report_in("new")
    restricted = report_in("new", handling_code="C", handling_conditions="Hub only.")

    can_read = contributor.post(
        f"/intelligence/{readable.reference}/status/", {"to_status": "under_assessment"}
    )
    cannot_read = contributor.post(
        f"/intelligence/{restricted.reference}/status/", {"to_status": "under_assessment"}
    )

    assert can_read.status_code == 403
    assert cannot_read.status_code == 404
    assert set(IntelligenceReport.objects.values_list("status", flat=True)) == {"new"}
    assert StatusChange.objects.count() == 2
    assert not AuditEvent.objects.filter(action="intelligence.status_changed").exists()


def test_a_status_change_for_a_missing_report_is_not_found(analyst):
    response = analyst.post("/intelligence/ZZZZ-ZZZZ/status/", {"to_status": "tasked"})

    assert response.status_code == 404


def test_the_status_page_takes_only_posts(analyst):
    report = report_in("new")

    assert analyst.get(f"/intelligence/{report.reference}/status/").status_code == 405


# The timeline ---------------------------------------------------------------------------


def test_the_timeline_starts_with_the_submission_and_shows_newest_first(make_user, client):
    contributor = make_user(Role.PARTNER_CONTRIBUTOR)
    analyst = make_user(Role.HUB_ANALYST)
    report = submission_services.submit_intelligence(
        actor=contributor,
        submission_key=uuid.uuid4(),
        fields=ReportFields(
            summary="Cannabis farm above a shop",
            narrative="Windows blacked out; a strong smell.",
            source_evaluation="2",
            intelligence_assessment="B",
            handling_code="P",
        ),
    )
    triage_services.change_status(report=report, user=analyst, to_status="under_assessment")
    triage_services.change_status(
        report=report,
        user=analyst,
        to_status="closed",
        reason="referred_to_operation",
        note="Passed to Operation Aidant.",
    )

    client.force_login(contributor)
    page = client.get(f"/intelligence/{report.reference}/").content.decode()

    timeline = page[page.index('class="moj-timeline"') :]
    titles = [
        timeline.index(f'moj-timeline__title">{title}<')
        for title in ("Closed", "Under assessment", "New")
    ]
    assert titles == sorted(titles)
    assert "Referred to an operation" in timeline
    assert "Passed to Operation Aidant." in timeline
    assert contributor.full_name in timeline and analyst.full_name in timeline
    # A contributor reads the timeline but is not offered the form.
    assert "/status/" not in page


def test_every_submitted_report_has_its_first_timeline_entry(make_user):
    contributor = make_user(Role.PARTNER_CONTRIBUTOR)

    report = submission_services.submit_intelligence(
        actor=contributor,
        submission_key=uuid.uuid4(),
        fields=ReportFields(
            summary="Nail bar workers",
            narrative="Young women never leave the premises.",
            source_evaluation="1",
            intelligence_assessment="A",
            handling_code="P",
        ),
    )

    first = report.status_changes.get()
    assert (first.from_status, first.to_status, first.changed_by) == ("", "new", contributor)


def test_the_analyst_sees_the_form_with_the_next_statuses_only(analyst):
    report = report_in("tasked")

    page = analyst.get(f"/intelligence/{report.reference}/").content.decode()

    form = page[page.index(f'action="/intelligence/{report.reference}/status/"') :]
    assert 'value="actioned"' in form and 'value="under_assessment"' in form
    assert 'value="closed"' not in form
    assert 'name="reason"' not in form


def test_the_reason_is_offered_when_the_report_can_be_closed(analyst):
    report = report_in("actioned")

    page = analyst.get(f"/intelligence/{report.reference}/").content.decode()

    assert 'name="reason"' in page
    assert "Passed to another force or agency" in page


def test_a_closed_report_offers_no_more_moves(analyst):
    report = report_in("closed")

    page = analyst.get(f"/intelligence/{report.reference}/").content.decode()

    assert "/status/" not in page


def test_the_next_statuses_are_offered_in_the_active_language(make_user):
    analyst = make_user(Role.HUB_ANALYST)
    report = IntelligenceReportFactory()

    with translation.override("fr"):
        offered = rules.next_statuses(analyst, report)
        french = str(Status.UNDER_ASSESSMENT.label)

    assert offered == [("under_assessment", french)]
    assert french != "Under assessment"
