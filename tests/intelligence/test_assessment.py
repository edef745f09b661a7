"""Hub analysts assess and regrade intelligence after triage.

Only a hub analyst writes the analyst's assessment or changes a report's 3x5x2 grading,
and only on a report they may read; anyone else who reads the report sees the assessment
and the regradings in the timeline but is not offered the pages (403), and anyone who may
not read it gets 404. A regrading follows the rules of submission (values in the scheme,
conditions for C, active partners named), needs a reason, and becomes one timeline entry
and one audit event; a refused one changes nothing.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lantern.core.models import AuditEvent
from lantern.core.roles import Role
from lantern.intelligence import selectors
from lantern.intelligence.models import IntelligenceReport, Regrading
from lantern.intelligence.services import triage as triage_services
from tests.factories import IntelligenceReportFactory, OrganisationFactory


@pytest.fixture
def analyst(signed_in):
    return signed_in(Role.HUB_ANALYST)


@pytest.fixture
def report(db) -> IntelligenceReport:
    return IntelligenceReportFactory(status="under_assessment")


def assessment_url(report: IntelligenceReport) -> str:
    return f"/intelligence/{report.reference}/assessment/"


def grading_url(report: IntelligenceReport) -> str:
    return f"/intelligence/{report.reference}/grading/"


REGRADE = {
    "source_evaluation": "1",
    "intelligence_assessment": "A",
    "handling_code": "P",
    "handling_conditions": "",
    "reason": "The council confirmed the address.",
}


# The assessment ---------------------------------------------------------------------------


def test_an_analyst_writes_the_assessment_and_it_is_audited(analyst, report):
    page = analyst.get(assessment_url(report))
    assert page.status_code == 200
    assert 'name="assessment"' in page.content.decode()

    response = analyst.post(
        assessment_url(report), {"assessment": "  Credible: matches two earlier reports.  "}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/intelligence/{report.reference}/"
    report.refresh_from_db()
    assert report.assessment == "Credible: matches two earlier reports."
    event = AuditEvent.objects.get(action="intelligence.assessed")
    assert (event.actor_id, event.object_id) == (analyst.user.pk, str(report.pk))
    detail = analyst.get(response["Location"]).content.decode()
    assert "Assessment saved" in detail
    assert "Credible: matches two earlier reports." in detail


def test_a_new_assessment_replaces_the_old_one_and_the_form_starts_from_it(analyst, report):
    analyst.post(assessment_url(report), {"assessment": "First view."})
    analyst.post(assessment_url(report), {"assessment": "Second view, after the visit."})

    report.refresh_from_db()
    assert report.assessment == "Second view, after the visit."
    assert "Second view, after the visit." in analyst.get(assessment_url(report)).content.decode()
    assert AuditEvent.objects.filter(action="intelligence.assessed").count() == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter your assessment"),
        ("   ", "Enter your assessment"),
        ("x" * 20001, "must be 20000 characters or fewer"),
        ("Nul\x00byte", "Remove the unreadable characters"),
    ],
    ids=["empty", "blank", "too-long", "nul-byte"],
)
def test_a_bad_assessment_is_refused_by_field(analyst, report, text, message):
    response = analyst.post(assessment_url(report), {"assessment": text})

    page = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_assessment"' in page
    assert message in page
    report.refresh_from_db()
    assert report.assessment == ""
    assert not AuditEvent.objects.filter(action="intelligence.assessed").exists()


@pytest.mark.parametrize("text", ["x" * 20001, "Nul\x00byte", "  "])
def test_the_service_refuses_bad_text_too(make_user, report, text):
    analyst = make_user(Role.HUB_ANALYST)

    with pytest.raises(ValidationError) as refused:
        triage_services.record_assessment(report=report, user=analyst, assessment=text)

    assert "assessment" in refused.value.message_dict


@pytest.mark.parametrize("role", [role for role in Role if role is not Role.HUB_ANALYST])
def test_only_hub_analysts_may_assess(make_user, report, role):
    with pytest.raises(PermissionDenied):
        triage_services.record_assessment(report=report, user=make_user(role), assessment="Mine.")

    report.refresh_from_db()
    assert report.assessment == ""


def _answers(role: Role) -> int:
    """What a user with this role gets on a P report's analyst pages: 403 if they may
    read the report, 404 if not (board viewers, outreach officers, administrators)."""
    readers = {
        Role.PARTNER_CONTRIBUTOR,
        Role.HUB_COORDINATOR,
        Role.SAFEGUARDING_LEAD,
        Role.OPERATIONS_LEAD,
    }
    return 403 if role in readers else 404


@pytest.mark.parametrize("role", [role for role in Role if role is not Role.HUB_ANALYST])
@pytest.mark.parametrize("path", [assessment_url, grading_url], ids=["assessment", "grading"])
def test_other_roles_get_nothing_from_the_analyst_pages(signed_in, report, role, path):
    user = signed_in(role)

    shown = user.get(path(report))
    sent = user.post(path(report), {"assessment": "Mine.", **REGRADE})

    assert shown.status_code == sent.status_code == _answers(role)
    report.refresh_from_db()
    assert (report.assessment, report.grading) == ("", "2 / B / P")
    assert not Regrading.objects.exists()


def test_a_report_the_user_may_not_read_is_not_found(signed_in):
    restricted = IntelligenceReportFactory(handling_code="C", handling_conditions="Hub only.")
    contributor = signed_in(Role.PARTNER_CONTRIBUTOR)

    for path in (assessment_url, grading_url):
        assert contributor.get(path(restricted)).status_code == 404
        assert contributor.post(path(restricted), {"assessment": "x"}).status_code == 404
    # The same addresses open for an analyst, who may read and assess the report.
    analyst = signed_in(Role.HUB_ANALYST)
    for path in (assessment_url, grading_url):
        assert analyst.get(path(restricted)).status_code == 200


def test_a_missing_report_is_not_found(analyst):
    assert analyst.get("/intelligence/ZZZZ-ZZZZ/assessment/").status_code == 404
    assert analyst.get("/intelligence/ZZZZ-ZZZZ/grading/").status_code == 404


def test_the_report_page_shows_the_assessment_to_readers_and_the_links_to_analysts(
    client, make_user, report
):
    report.assessment = "Likely labour exploitation."
    report.save()
    contributor = make_user(Role.PARTNER_CONTRIBUTOR)
    analyst = make_user(Role.HUB_ANALYST)

    client.force_login(contributor)
    read_only = client.get(f"/intelligence/{report.reference}/").content.decode()
    client.force_login(analyst)
    working = client.get(f"/intelligence/{report.reference}/").content.decode()

    assert "Likely labour exploitation." in read_only
    assert assessment_url(report) not in read_only and grading_url(report) not in read_only
    assert assessment_url(report) in working and grading_url(report) in working


# Regrading --------------------------------------------------------------------------------


def test_an_analyst_regrades_with_a_reason_shown_in_the_timeline(analyst, report):
    form = analyst.get(grading_url(report)).context["form"]
    assert form["source_evaluation"].value() == "2"  # the form starts from the grading now
    assert form["intelligence_assessment"].value() == "B"

    response = analyst.post(grading_url(report), REGRADE)

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.grading == "1 / A / P"
    regrading = Regrading.objects.get()
    assert (regrading.previous_grading, regrading.grading) == ("2 / B / P", "1 / A / P")
    assert regrading.reason == "The council confirmed the address."
    assert regrading.changed_by == analyst.user
    event = AuditEvent.objects.get(action="intelligence.regraded")
    assert event.detail == {"from": "2 / B / P", "to": "1 / A / P", "shared_with": []}
    page = analyst.get(response["Location"]).content.decode()
    timeline = page[page.index('class="moj-timeline"') :]
    assert 'moj-timeline__title">Regraded<' in timeline
    assert "From 2 / B / P to 1 / A / P" in timeline
    assert "The council confirmed the address." in timeline


def test_regrading_to_c_names_active_partners_and_restricts_the_report(make_user, report):
    analyst = make_user(Role.HUB_ANALYST)
    named = OrganisationFactory(name="Leicester City Council")
    reader = make_user(Role.PARTNER_CONTRIBUTOR, organisation=named)
    other = make_user(Role.PARTNER_CONTRIBUTOR)
    assert report in selectors.readable_reports(other)

    triage_services.regrade(
        report=report,
        user=analyst,
        source_evaluation="2",
        intelligence_assessment="C",
        handling_code="C",
        handling_conditions="Council and hub only: a live operation.",
        shared_with=[named],
        reason="An operation is planned.",
    )

    report.refresh_from_db()
    assert report.grading == "2 / C / C"
    assert list(report.shared_with.all()) == [named]
    assert report in selectors.readable_reports(reader)
    assert report not in selectors.readable_reports(other)


def test_regrading_to_p_drops_the_conditions(make_user):
    analyst = make_user(Role.HUB_ANALYST)
    named = OrganisationFactory(name="Named partner")
    report = IntelligenceReportFactory(
        handling_code="C", handling_conditions="Hub only.", shared_with=[named]
    )

    triage_services.regrade(report=report, user=analyst, **REGRADE)

    report.refresh_from_db()
    assert (report.handling_code, report.handling_conditions) == ("P", "")
    assert not report.shared_with.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"handling_code": "C", "handling_conditions": ""}, "handling_conditions"),
        ({"handling_code": "C", "handling_conditions": "   "}, "handling_conditions"),
        ({"source_evaluation": "4"}, "source_evaluation"),
        ({"source_evaluation": "5"}, "source_evaluation"),
        ({"intelligence_assessment": "F"}, "intelligence_assessment"),
        ({"handling_code": "X"}, "handling_code"),
        ({"reason": ""}, "reason"),
        ({"reason": "x" * 2001}, "reason"),
        ({"reason": "nul\x00"}, "reason"),
        ({"handling_code": "C", "handling_conditions": "x" * 2001}, "handling_conditions"),
        (
            {"shared_with": ["999999"], "handling_code": "C", "handling_conditions": "Hub."},
            "shared_with",
        ),
        ({"shared_with": ["not-a-number"]}, "shared_with"),
        (
            {"source_evaluation": "2", "intelligence_assessment": "B", "handling_code": "P"},
            "source_evaluation",
        ),
    ],
    ids=[
        "c-without-conditions",
        "c-with-blank-conditions",
        "source-outside-scheme",
        "old-5x5x5-value",
        "assessment-outside-scheme",
        "handling-outside-scheme",
        "no-reason",
        "reason-too-long",
        "reason-nul-byte",
        "conditions-too-long",
        "unknown-organisation",
        "malformed-organisation",
        "nothing-changed",
    ],
)
def test_a_bad_regrading_is_refused_by_field_and_changes_nothing(analyst, report, change, field):
    response = analyst.post(grading_url(report), {**REGRADE, **change})

    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert f'id="id_{field}_error"' in page
    report.refresh_from_db()
    assert report.grading == "2 / B / P"
    assert not Regrading.objects.exists()
    assert not AuditEvent.objects.filter(action="intelligence.regraded").exists()


def test_naming_an_organisation_outside_the_sharing_is_refused(make_user, report):
    analyst = make_user(Role.HUB_ANALYST)
    outside = OrganisationFactory(name="Left the partnership", is_active=False)

    with pytest.raises(ValidationError) as refused:
        triage_services.regrade(
            report=report,
            user=analyst,
            source_evaluation="2",
            intelligence_assessment="B",
            handling_code="C",
            handling_conditions="Hub only.",
            shared_with=[outside],
            reason="Restricting it.",
        )

    assert "shared_with" in refused.value.message_dict
    report.refresh_from_db()
    assert report.handling_code == "P"


def test_the_form_does_not_offer_organisations_outside_the_sharing(analyst, report):
    OrganisationFactory(name="Left the partnership", is_active=False)
    OrganisationFactory(name="Never signed", isa_signed_on=None)
    OrganisationFactory(name="Active partner")

    page = analyst.get(grading_url(report)).content.decode()

    assert "Active partner" in page
    assert "Left the partnership" not in page and "Never signed" not in page


def test_a_sanitised_version_keeps_handling_code_p(make_user):
    analyst = make_user(Role.HUB_ANALYST)
    original = IntelligenceReportFactory(handling_code="C", handling_conditions="Hub only.")
    sanitised = IntelligenceReportFactory(sanitised_from=original)

    with pytest.raises(ValidationError) as refused:
        triage_services.regrade(
            report=sanitised,
            user=analyst,
            source_evaluation="2",
            intelligence_assessment="B",
            handling_code="C",
            handling_conditions="Hub only.",
            reason="Oops.",
        )

    assert "handling_code" in refused.value.message_dict


@pytest.mark.parametrize("role", [role for role in Role if role is not Role.HUB_ANALYST])
def test_only_hub_analysts_may_regrade(make_user, report, role):
    with pytest.raises(PermissionDenied):
        triage_services.regrade(report=report, user=make_user(role), **REGRADE)

    report.refresh_from_db()
    assert report.grading == "2 / B / P"


def test_the_timeline_merges_regradings_and_status_changes_newest_first(make_user, report):
    analyst = make_user(Role.HUB_ANALYST)
    triage_services.regrade(report=report, user=analyst, **REGRADE)
    triage_services.change_status(
        report=report, user=analyst, to_status="closed", reason="passed_on"
    )

    items = selectors.timeline(analyst, report)

    assert [item.kind for item in items] == ["status_change", "regrading", "status_change"]
    assert [item.at for item in items] == sorted((item.at for item in items), reverse=True)


def test_the_timeline_is_empty_for_someone_who_may_not_read_the_report(make_user):
    restricted = IntelligenceReportFactory(handling_code="C", handling_conditions="Hub only.")

    assert selectors.timeline(make_user(Role.PARTNER_CONTRIBUTOR), restricted) == []
    assert selectors.timeline(make_user(Role.BOARD_VIEWER), restricted) == []
