"""The operation pages as people use them: plan, add, move, debrief, print; in EN and FR."""

import datetime
import uuid
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone

from lantern.core.models import AuditEvent
from lantern.core.roles import Role
from lantern.operations import services
from lantern.operations.models import Operation
from tests.factories import IntelligenceReportFactory
from tests.operations.factories import OperationFactory


@pytest.fixture
def planner(client, lead):
    client.force_login(lead)
    return client


def plan_answers(**changes) -> dict:
    starts = timezone.localtime() + datetime.timedelta(days=3)
    return {
        "submission_key": str(uuid.uuid4()),
        "name": "Operation Kestrel",
        "objective": "Visit the car wash and safeguard the workers.",
        "lead_role": "Entry and arrests",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + datetime.timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M"),
        "risk_assessment": "Dogs on site.",
        "interpreters": "Romanian, Albanian",
        "reception_centre": "Loughborough leisure centre",
        **changes,
    }


class TestPlanPage:
    def test_an_operations_lead_plans_an_operation_and_reads_it_back(self, planner, police):
        response = planner.post("/operations/new/", plan_answers())

        operation = Operation.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"/operations/{operation.reference}/"
        page = planner.get(response["Location"]).content.decode()
        assert "Operation Kestrel" in page
        assert "Loughborough leisure centre" in page
        assert "Entry and arrests" in page
        assert operation.lead_organisation == police

    def test_the_same_form_sent_twice_plans_one_operation(self, planner):
        answers = plan_answers()

        first = planner.post("/operations/new/", answers)
        second = planner.post("/operations/new/", answers)

        assert Operation.objects.count() == 1
        assert first["Location"] == second["Location"]

    def test_an_end_before_the_start_is_shown_on_its_field(self, planner):
        answers = plan_answers()
        answers["ends_at"] = answers["starts_at"]

        response = planner.post("/operations/new/", answers)

        page = response.content.decode()
        assert response.status_code == 400
        assert "<title>Error: Plan an operation" in page
        assert "There is a problem" in page
        assert 'href="#id_ends_at">The end must be after the start' in page
        assert not Operation.objects.exists()

    def test_a_start_in_year_one_is_shown_on_its_field(self, planner):
        response = planner.post(
            "/operations/new/",
            plan_answers(starts_at="0001-01-01T00:00", ends_at="9999-12-31T23:59"),
        )

        page = response.content.decode()
        assert response.status_code == 400
        assert "<title>Error: Plan an operation" in page
        assert 'href="#id_starts_at">The start must be on or after 1 January 2015' in page
        assert not Operation.objects.exists()

    def test_a_window_longer_than_31_days_is_shown_on_its_field(self, planner):
        starts = timezone.localtime() + datetime.timedelta(days=3)
        ends = starts + datetime.timedelta(days=32)
        response = planner.post(
            "/operations/new/", plan_answers(ends_at=ends.strftime("%Y-%m-%dT%H:%M"))
        )

        assert response.status_code == 400
        assert 'href="#id_ends_at">An operation lasts at most 31 days' in response.content.decode()
        assert not Operation.objects.exists()

    def test_a_missing_risk_assessment_is_refused(self, planner):
        response = planner.post("/operations/new/", plan_answers(risk_assessment=""))

        assert response.status_code == 400
        assert 'href="#id_risk_assessment">Enter the risk assessment' in response.content.decode()
        assert not Operation.objects.exists()

    def test_only_a_hub_coordinator_is_offered_the_lead_agency(self, planner, signed_in, council):
        assert 'name="lead_organisation"' not in planner.get("/operations/new/").content.decode()
        coordinator = signed_in(Role.HUB_COORDINATOR)

        assert 'name="lead_organisation"' in coordinator.get("/operations/new/").content.decode()
        coordinator.post("/operations/new/", plan_answers(lead_organisation=council.pk))
        assert Operation.objects.get().lead_organisation == council

    def test_a_partner_contributor_may_not_plan(self, signed_in):
        contributor = signed_in(Role.PARTNER_CONTRIBUTOR)
        assert contributor.get("/operations/new/").status_code == 403
        assert contributor.post("/operations/new/", plan_answers()).status_code == 403
        assert not Operation.objects.exists()


class TestRunning:
    def test_adding_an_agency_and_a_target_through_the_pages(
        self, planner, operation, council, shared_entity, shared_report
    ):
        base = f"/operations/{operation.reference}"

        added = planner.post(
            f"{base}/participants/new/", {"organisation": council.pk, "role": "Licensing"}
        )
        targeted = planner.post(
            f"{base}/targets/new/",
            {
                "entity": shared_entity.pk,
                "description": "Hand car wash",
                "justification": f"{shared_report.reference}, ",
            },
        )

        assert added.status_code == targeted.status_code == 302
        page = planner.get(f"{base}/").content.decode()
        assert "Charnwood Borough Council" in page and "Licensing" in page
        assert "Hand car wash" in page

    def test_a_target_the_planner_may_not_justify_is_refused_on_its_field(
        self, client, make_user, council, shared_entity, restricted_report
    ):
        council_lead = make_user(Role.OPERATIONS_LEAD, organisation=council)
        client.force_login(council_lead)
        client.post("/operations/new/", plan_answers())
        operation = Operation.objects.get()

        response = client.post(
            f"/operations/{operation.reference}/targets/new/",
            {
                "entity": shared_entity.pk,
                "description": "Car wash",
                "justification": restricted_report.reference,
            },
        )

        page = response.content.decode()
        assert response.status_code == 400
        assert 'href="#id_justification">No report you may read has the reference' in page
        assert "Covert source" not in page
        assert not operation.targets.exists()

    def test_a_move_not_allowed_is_refused_with_a_message(self, planner, operation):
        response = planner.post(
            f"/operations/{operation.reference}/status/", {"to_status": "briefed"}
        )

        assert response.status_code == 400
        assert "Add a target before the briefing" in response.content.decode()

    def test_a_cancellation_without_a_reason_is_refused(self, planner, operation):
        response = planner.post(
            f"/operations/{operation.reference}/status/", {"to_status": "cancelled"}
        )

        assert response.status_code == 400
        assert 'href="#id_reason">Enter the reason for cancelling' in response.content.decode()
        operation.refresh_from_db()
        assert operation.status == "planned"

    def test_going_live_early_asks_for_the_reason_and_refuses_without_one(
        self, planner, targeted, lead
    ):
        services.move(operation=targeted, actor=lead, to_status="briefed")
        page = planner.get(f"/operations/{targeted.reference}/status/").content.decode()
        assert 'name="reason"' in page

        response = planner.post(f"/operations/{targeted.reference}/status/", {"to_status": "live"})

        assert response.status_code == 400
        assert 'href="#id_reason">The operation is planned to start on' in (
            response.content.decode()
        )
        targeted.refresh_from_db()
        assert targeted.status == "briefed"

    def test_the_reason_for_going_live_early_is_on_the_status_history(
        self, planner, targeted, lead
    ):
        services.move(operation=targeted, actor=lead, to_status="briefed")

        response = planner.post(
            f"/operations/{targeted.reference}/status/",
            {"to_status": "live", "reason": "Workers to be moved tonight"},
            follow=True,
        )

        assert response.status_code == 200
        assert "Reason: Workers to be moved tonight" in response.content.decode()

    def test_the_page_title_names_the_operation_once(self, planner, operation):
        page = planner.get(f"/operations/{operation.reference}/").content.decode()

        assert "Operation Operation" not in page
        assert f"<title>Operation Kestrel ({operation.reference})" in page

    def test_the_status_page_offers_only_the_moves_allowed_now(self, planner, live):
        page = planner.get(f"/operations/{live.reference}/status/").content.decode()

        assert 'value="debriefed"' in page
        assert 'value="cancelled"' not in page
        assert 'name="reason"' not in page

    def test_a_debrief_before_going_live_is_refused(self, planner, targeted):
        target = targeted.targets.get()

        response = planner.post(
            f"/operations/{targeted.reference}/targets/{target.pk}/debrief/",
            {
                "visited": "on",
                "people_spoken_to": 3,
                "arrests": 1,
                "charges": 0,
                "warrants_executed": 0,
                "closure_orders": 0,
                "items_seized": 0,
            },
        )

        assert response.status_code == 400
        assert "Only an operation that went live can be debriefed" in response.content.decode()
        target.refresh_from_db()
        assert target.arrests == 0

    def test_a_negative_count_is_refused_on_its_field(self, planner, live):
        target = live.targets.get()
        response = planner.post(
            f"/operations/{live.reference}/targets/{target.pk}/debrief/",
            {
                "people_spoken_to": -1,
                "arrests": 0,
                "charges": 0,
                "warrants_executed": 0,
                "closure_orders": 0,
                "items_seized": 0,
            },
        )

        assert response.status_code == 400
        assert 'href="#id_people_spoken_to">Enter a number, 0 or more' in response.content.decode()

    def test_another_operations_target_is_not_found(self, planner, live, lead, shared_report):
        other = services.plan_operation(
            actor=lead,
            submission_key=uuid.uuid4(),
            name="Other",
            objective="Other",
            starts_at=live.starts_at,
            ends_at=live.ends_at,
            risk_assessment="Low",
            lead_role="Lead",
        )
        target = live.targets.get()

        response = planner.get(f"/operations/{other.reference}/targets/{target.pk}/debrief/")
        own = planner.get(f"/operations/{live.reference}/targets/{target.pk}/debrief/")

        assert response.status_code == 404
        assert own.status_code == 200

    def test_every_change_through_the_pages_is_audited(self, planner, live, police):
        report = IntelligenceReportFactory(originating_organisation=police)
        base = f"/operations/{live.reference}"
        planner.post(f"{base}/intelligence/", {"references": report.reference})
        planner.post(f"{base}/debrief/", {"notes": "Went well."})

        actions = set(
            AuditEvent.objects.filter(object_id=str(live.pk)).values_list("action", flat=True)
        )
        assert {
            "operations.planned",
            "operations.target_added",
            "operations.status_changed",
            "operations.changed",
            "operations.debriefed",
        } <= actions
        live.refresh_from_db()
        assert live.debrief_notes == "Went well."


class TestList:
    def test_every_operation_is_listed_fifty_a_page(self, planner, lead, police):
        OperationFactory.create_batch(55, lead_organisation=police, created_by=lead)
        references = list(Operation.objects.values_list("reference", flat=True))

        first = planner.get("/operations/").content.decode()
        second = planner.get("/operations/?page=2").content.decode()

        first_listed = [reference for reference in references if f"{reference}</a>" in first]
        second_listed = [reference for reference in references if f"{reference}</a>" in second]
        assert len(first_listed) == 50
        assert len(second_listed) == 5
        assert set(first_listed) | set(second_listed) == set(references)
        assert 'class="govuk-pagination"' in first
        assert 'href="?page=2" rel="next"' in first
        assert 'href="?page=1" rel="prev"' in second

    def test_one_page_has_no_pagination(self, planner, operation):
        page = planner.get("/operations/").content.decode()

        assert operation.reference in page
        assert "govuk-pagination" not in page


class TestWhatParticipantsSee:
    @pytest.fixture
    def restricted_target(self, operation, lead, council, restricted_entity, restricted_report):
        services.add_participant(operation=operation, actor=lead, organisation=council, role="X")
        services.add_target(
            operation=operation,
            actor=lead,
            entity_id=restricted_entity.pk,
            description="Nail bar, first floor",
            justification=[restricted_report.reference],
        )
        return operation

    @pytest.mark.parametrize("path", ["", "order/"])
    def test_a_participant_sees_only_the_description_of_what_it_may_not_read(
        self, signed_in, council, restricted_target, restricted_entity, restricted_report, path
    ):
        participant = signed_in(Role.PARTNER_CONTRIBUTOR, organisation=council)

        page = participant.get(f"/operations/{restricted_target.reference}/{path}").content.decode()

        assert "Nail bar, first floor" in page
        assert restricted_report.reference not in page
        assert f"/entities/{restricted_entity.pk}/" not in page
        assert "Nightjar Nails" not in page

    def test_the_hub_sees_the_entity_and_the_intelligence(
        self, signed_in, restricted_target, restricted_entity, restricted_report
    ):
        analyst = signed_in(Role.HUB_ANALYST)

        page = analyst.get(f"/operations/{restricted_target.reference}/").content.decode()

        assert restricted_report.reference in page
        assert f"/entities/{restricted_entity.pk}/" in page
        assert "Nightjar Nails" in page


class TestPrinting:
    def test_the_operation_order_has_its_print_stylesheet_and_no_inline_style(self, planner, live):
        response = planner.get(f"/operations/{live.reference}/order/")

        page = response.content.decode()
        assert response.status_code == 200
        assert "/static/operations/print.css" in page
        assert "style=" not in page and "<style" not in page
        assert "Hand car wash, rear unit" in page
        assert "Debrief" in page
        assert AuditEvent.objects.filter(
            action="record.read", object_id=str(live.pk), purpose="printing an operation order"
        ).exists()

    def test_the_print_stylesheet_hides_the_navigation(self):
        text = Path(finders.find("operations/print.css")).read_text(encoding="utf-8")
        assert "@media print" in text
        assert ".govuk-service-navigation" in text

    def test_a_planned_operations_order_has_no_debrief_yet(self, planner, targeted):
        page = planner.get(f"/operations/{targeted.reference}/order/").content.decode()

        assert "Risk assessment" in page
        assert "Potential victims identified" not in page


@pytest.mark.parametrize("prefix", ["", "/fr"])
def test_the_pages_render_in_english_and_french(planner, live, prefix):
    base = f"{prefix}/operations/{live.reference}"
    target = live.targets.get()
    for address in (
        f"{prefix}/operations/",
        f"{prefix}/operations/new/",
        f"{base}/",
        f"{base}/order/",
        f"{base}/status/",
        f"{base}/participants/new/",
        f"{base}/targets/new/",
        f"{base}/targets/{target.pk}/debrief/",
        f"{base}/debrief/",
        f"{base}/intelligence/",
    ):
        response = planner.get(address)
        assert response.status_code == 200, address
        assert f'lang="{"fr" if prefix else "en-gb"}"' in response.content.decode()


class TestTargetFromTheEntityPage:
    def test_the_lead_agency_adds_an_entity_to_an_open_operation_from_its_page(
        self, planner, operation, shared_entity
    ):
        page = planner.get(f"/entities/{shared_entity.pk}/").content.decode()

        link = f"/operations/{operation.reference}/targets/new/?entity={shared_entity.pk}"
        assert link in page
        form = planner.get(link).content.decode()
        assert f'value="{shared_entity.pk}"' in form

    def test_no_offer_for_a_participant_or_an_operation_past_its_plan(
        self, client, live, lead, council, make_user, shared_entity
    ):
        services.add_participant(operation=live, actor=lead, organisation=council, role="X")
        client.force_login(make_user(Role.OPERATIONS_LEAD, organisation=council))
        assert "/targets/new/" not in client.get(f"/entities/{shared_entity.pk}/").content.decode()
        services.move(operation=live, actor=lead, to_status="debriefed")
        client.force_login(lead)
        assert "/targets/new/" not in client.get(f"/entities/{shared_entity.pk}/").content.decode()


class TestOperationOrder:
    """The order follows IIMARCH and carries the protective marking on every printed page."""

    SECTIONS = [
        "information",
        "intent",
        "method",
        "administration",
        "risk-assessment",
        "communications",
        "humanitarian",
    ]

    def test_the_plan_takes_the_iimarch_parts_and_the_order_shows_them_in_order(self, planner):
        planner.post(
            "/operations/new/",
            plan_answers(
                method="Entry at 06:00 by the front and rear doors.",
                rendezvous_point="Loughborough police station yard",
                administration="Stab vests; briefing 05:00.",
                command_roles="Silver: Insp. Kaur, 07700 900001",
                communications="Airwave talkgroup LEI-OPS-3",
            ),
        )
        operation = Operation.objects.get()
        assert operation.rendezvous_point == "Loughborough police station yard"

        assert 'name="rendezvous_point"' in planner.get("/operations/new/").content.decode()
        page = planner.get(f"/operations/{operation.reference}/order/").content.decode()

        positions = [page.index(f'id="{section}"') for section in self.SECTIONS]
        assert positions == sorted(positions)
        for text in (
            "Loughborough police station yard",
            "Silver: Insp. Kaur, 07700 900001",
            "Airwave talkgroup LEI-OPS-3",
            "Entry at 06:00",
        ):
            assert text in page

    @pytest.mark.parametrize("prefix", ["", "/fr"])
    def test_the_protective_marking_is_never_translated(self, planner, live, prefix):
        page = planner.get(f"{prefix}/operations/{live.reference}/order/").content.decode()

        assert page.count('<strong lang="en">OFFICIAL-SENSITIVE</strong>') == 2

    def test_the_print_stylesheet_marks_every_page_top_and_bottom(self):
        stylesheet = Path(finders.find("operations/print.css")).read_text()

        assert '@top-center {\n      content: "OFFICIAL-SENSITIVE"' in stylesheet
        assert '@bottom-center {\n      content: "OFFICIAL-SENSITIVE"' in stylesheet

    def test_a_rendezvous_point_too_long_is_refused_on_its_field(self, planner):
        response = planner.post("/operations/new/", plan_answers(rendezvous_point="x" * 301))

        assert response.status_code == 400
        assert 'href="#id_rendezvous_point"' in response.content.decode()
        assert not Operation.objects.exists()
