"""Hub analysts task agencies; the tasked agency reads the report, answers, and the hub closes.

A tasking asks one organisation (an active partner with a signed ISA) to act on a report by
a deadline. While it is not withdrawn, the tasked organisation reads the report whatever
its handling code. Tasking moves the report to tasked; the answer to the last open tasking
moves it to actioned, by the answering user; the analyst then closes it or re-tasks it.
Withdrawing a tasking takes the tasked organisation's access away again. Only the tasked
organisation sees and answers its tasking: anyone else gets 404, as for a missing one.
"""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from lantern.core import access
from lantern.core.models import AuditEvent, Organisation, User
from lantern.core.roles import Role
from lantern.intelligence import selectors
from lantern.intelligence.models import IntelligenceReport, StatusChange, Tasking
from lantern.intelligence.services import tasking as tasking_services
from lantern.intelligence.services import triage as triage_services
from tests.factories import IntelligenceReportFactory, OrganisationFactory, TaskingFactory

TASKINGS = "/intelligence/taskings/"
TODAY = timezone.localdate


def in_days(days: int) -> datetime.date:
    return TODAY() + datetime.timedelta(days=days)


class World:
    """A C-coded report from one partner, a hub analyst, and two other partners."""

    def __init__(self, make_user) -> None:
        self.origin = OrganisationFactory(name="Charnwood Borough Council")
        self.police = OrganisationFactory(name="Leicestershire Police")
        self.other = OrganisationFactory(name="Blaby District Council")
        self.report = IntelligenceReportFactory(
            originating_organisation=self.origin,
            handling_code="C",
            handling_conditions="Hub and tasked agencies only.",
            status="under_assessment",
        )
        self.analyst = make_user(Role.HUB_ANALYST, full_name="Asha Analyst")
        self.officer = make_user(
            Role.PARTNER_CONTRIBUTOR, organisation=self.police, full_name="Pat Police"
        )
        self.outsider = make_user(Role.PARTNER_CONTRIBUTOR, organisation=self.other)

    def task(self, *organisations: Organisation, deadline: datetime.date | None = None):
        return tasking_services.task_agencies(
            report=self.report,
            user=self.analyst,
            submission_key=uuid.uuid4(),
            organisations=list(organisations) or [self.police],
            request_text="Visit the premises and speak to the workers.",
            deadline=deadline or in_days(7),
        )


@pytest.fixture
def world(make_user) -> World:
    return World(make_user)


def as_user(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def task_url(report: IntelligenceReport) -> str:
    return f"/intelligence/{report.reference}/taskings/new/"


def withdraw_url(tasking: Tasking) -> str:
    return f"/intelligence/{tasking.report.reference}/taskings/{tasking.pk}/withdraw/"


def answer_url(tasking: Tasking) -> str:
    return f"{TASKINGS}{tasking.pk}/"


def form(world: World, **changes) -> dict:
    return {
        "submission_key": str(uuid.uuid4()),
        "organisations": [str(world.police.pk)],
        "request_text": "Visit the premises and speak to the workers.",
        "deadline": in_days(7).strftime("%d/%m/%Y"),
        **changes,
    }


ANSWER = {"result": "intelligence_confirmed", "response": "Visited on Tuesday; six workers."}


# Tasking ----------------------------------------------------------------------------------


def test_an_analyst_tasks_two_agencies_from_the_report_page(world):
    analyst = as_user(world.analyst)
    page = analyst.get(f"/intelligence/{world.report.reference}/").content.decode()
    assert f'href="{task_url(world.report)}"' in page

    assert analyst.get(task_url(world.report)).status_code == 200
    response = analyst.post(
        task_url(world.report),
        form(world, organisations=[str(world.police.pk), str(world.other.pk)]),
    )

    assert response.status_code == 302
    assert response["Location"] == f"/intelligence/{world.report.reference}/"
    taskings = Tasking.objects.order_by("organisation__name")
    assert [tasking.organisation for tasking in taskings] == [world.other, world.police]
    assert {tasking.status for tasking in taskings} == {"open"}
    assert {tasking.created_by for tasking in taskings} == {world.analyst}
    world.report.refresh_from_db()
    assert world.report.status == "tasked"
    change = world.report.status_changes.first()
    assert (change.from_status, change.to_status, change.changed_by) == (
        "under_assessment",
        "tasked",
        world.analyst,
    )
    created = AuditEvent.objects.filter(action="intelligence.tasking_created")
    assert sorted(event.detail["organisation"] for event in created) == sorted(
        [world.police.pk, world.other.pk]
    )
    detail = analyst.get(response["Location"]).content.decode()
    assert "Tasked: " in detail
    assert 'id="taskings"' in detail and "Leicestershire Police" in detail


def test_the_same_form_sent_twice_makes_one_tasking_per_agency(world):
    analyst = as_user(world.analyst)
    sent = form(world, organisations=[str(world.police.pk), str(world.other.pk)])

    first = analyst.post(task_url(world.report), sent)
    again = analyst.post(task_url(world.report), sent)

    assert first.status_code == again.status_code == 302
    assert Tasking.objects.count() == 2
    assert world.report.status_changes.filter(to_status="tasked").count() == 1
    assert AuditEvent.objects.filter(action="intelligence.tasking_created").count() == 2


def test_the_same_submission_key_through_the_service_returns_the_first_taskings(world):
    key = uuid.uuid4()
    arguments = {
        "report": world.report,
        "user": world.analyst,
        "submission_key": key,
        "organisations": [world.police],
        "request_text": "Check the address.",
        "deadline": in_days(3),
    }

    first = tasking_services.task_agencies(**arguments)
    again = tasking_services.task_agencies(**arguments)

    assert [tasking.pk for tasking in again] == [tasking.pk for tasking in first]
    assert Tasking.objects.count() == 1


def test_a_new_report_must_be_taken_into_assessment_first(world):
    world.report.status = "new"
    world.report.save()

    response = as_user(world.analyst).post(task_url(world.report), form(world))

    assert response.status_code == 400
    assert "Move the report to under assessment before you task an agency" in (
        response.content.decode()
    )
    assert not Tasking.objects.exists()
    world.report.refresh_from_db()
    assert world.report.status == "new"


def test_the_report_page_offers_tasking_only_once_assessed_and_until_closed(world):
    analyst = as_user(world.analyst)
    for status, offered in [
        ("new", False),
        ("under_assessment", True),
        ("tasked", True),
        ("actioned", True),
        ("closed", False),
    ]:
        IntelligenceReport.objects.filter(pk=world.report.pk).update(status=status)
        page = analyst.get(f"/intelligence/{world.report.reference}/").content.decode()
        assert (task_url(world.report) in page) is offered, status


def test_a_closed_report_cannot_be_tasked(world):
    world.report.status = "closed"
    world.report.save()

    with pytest.raises(ValidationError):
        world.task()

    assert not Tasking.objects.exists()


def test_an_agency_with_an_open_tasking_is_not_tasked_twice(world):
    world.task()

    response = as_user(world.analyst).post(task_url(world.report), form(world))

    assert response.status_code == 400
    assert 'id="id_organisations_error"' in response.content.decode()
    assert "Already tasked and not yet answered: Leicestershire Police" in (
        response.content.decode()
    )
    assert Tasking.objects.count() == 1


def test_tasking_a_tasked_report_adds_an_agency_and_keeps_it_tasked(world):
    world.task(world.police)

    world.task(world.other)

    world.report.refresh_from_db()
    assert world.report.status == "tasked"
    assert world.report.status_changes.filter(to_status="tasked").count() == 1
    assert Tasking.objects.count() == 2


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"deadline": "01/01/2020"}, "deadline", "The deadline must be today or in the future"),
        ({"deadline": "31/02/2030"}, "deadline", "Enter the deadline as a real date"),
        ({"deadline": "next week"}, "deadline", "Enter the deadline as a real date"),
        ({"deadline": ""}, "deadline", "Enter the deadline"),
        ({"organisations": []}, "organisations", "Select at least one organisation to task"),
        ({"organisations": ["999999"]}, "organisations", "list of active partners"),
        ({"organisations": ["police'--"]}, "organisations", "list of active partners"),
        ({"request_text": ""}, "request_text", "Enter what you ask the agency to do"),
        ({"request_text": "x" * 2001}, "request_text", "2000 characters or fewer"),
        ({"request_text": "Go\x00now"}, "request_text", "Remove the unreadable characters"),
    ],
    ids=[
        "past-deadline",
        "impossible-date",
        "not-a-date",
        "no-deadline",
        "no-organisation",
        "unknown-organisation",
        "malformed-organisation",
        "no-request",
        "request-too-long",
        "nul-byte",
    ],
)
def test_bad_tasking_input_is_refused_by_field_and_nothing_is_saved(world, changes, field, message):
    response = as_user(world.analyst).post(task_url(world.report), form(world, **changes))

    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert f'id="id_{field}_error"' in page
    assert message in page
    assert not Tasking.objects.exists()
    world.report.refresh_from_db()
    assert world.report.status == "under_assessment"
    assert not AuditEvent.objects.filter(action="intelligence.tasking_created").exists()


def test_a_deadline_of_today_is_accepted(world):
    response = as_user(world.analyst).post(
        task_url(world.report), form(world, deadline=TODAY().strftime("%d/%m/%Y"))
    )

    assert response.status_code == 302
    assert Tasking.objects.get().deadline == TODAY()


@pytest.mark.parametrize(
    "organisation",
    [
        {"name": "Left the partnership", "is_active": False},
        {"name": "Never signed", "isa_signed_on": None},
    ],
    ids=["inactive", "without-isa"],
)
def test_only_active_partners_with_an_isa_can_be_tasked(world, organisation):
    outside = OrganisationFactory(**organisation)

    page = as_user(world.analyst).get(task_url(world.report)).content.decode()
    assert outside.name not in page
    refused = as_user(world.analyst).post(
        task_url(world.report), form(world, organisations=[str(outside.pk)])
    )
    assert refused.status_code == 400
    with pytest.raises(ValidationError) as service_refused:
        world.task(outside)
    assert "organisations" in service_refused.value.message_dict
    assert not Tasking.objects.exists()


def test_the_service_refuses_a_past_deadline_by_field(world):
    with pytest.raises(ValidationError) as refused:
        world.task(deadline=in_days(-1))

    assert "deadline" in refused.value.message_dict


@pytest.mark.parametrize("role", [role for role in Role if role is not Role.HUB_ANALYST])
def test_only_hub_analysts_may_task(world, make_user, role):
    user = make_user(role)

    with pytest.raises(PermissionDenied):
        tasking_services.task_agencies(
            report=world.report,
            user=user,
            submission_key=uuid.uuid4(),
            organisations=[world.police],
            request_text="Go.",
            deadline=in_days(1),
        )

    page = as_user(user).post(task_url(world.report), form(world))
    # Hub coordinators read C reports (403); everyone else may not read this one (404).
    assert page.status_code == (403 if role is Role.HUB_COORDINATOR else 404)
    assert not Tasking.objects.exists()


# The tasked organisation reads the report -------------------------------------------------


def test_the_tasked_organisation_reads_the_c_report_until_the_tasking_is_withdrawn(world):
    officer = as_user(world.officer)
    detail = f"/intelligence/{world.report.reference}/"
    assert officer.get(detail).status_code == 404
    assert world.report.reference not in officer.get("/intelligence/").content.decode()

    (tasking,) = world.task()

    assert officer.get(detail).status_code == 200
    assert world.report.reference in officer.get("/intelligence/").content.decode()
    assert as_user(world.outsider).get(detail).status_code == 404

    tasking_services.withdraw_tasking(tasking=tasking, user=world.analyst)

    assert officer.get(detail).status_code == 404
    assert world.report.reference not in officer.get("/intelligence/").content.decode()
    assert officer.get(answer_url(tasking)).status_code == 404


def test_the_tasked_organisation_keeps_reading_after_answering(world):
    (tasking,) = world.task()

    tasking_services.answer_tasking(tasking=tasking, user=world.officer, **ANSWER)

    assert as_user(world.officer).get(f"/intelligence/{world.report.reference}/").status_code == 200


def test_an_organisation_named_in_the_conditions_keeps_reading_after_a_withdrawal(world):
    world.report.shared_with.add(world.police)
    (tasking,) = world.task()

    tasking_services.withdraw_tasking(tasking=tasking, user=world.analyst)

    assert world.report in access.readable_intelligence(world.officer)


@pytest.mark.parametrize("role", [Role.BOARD_VIEWER, Role.OUTREACH_OFFICER])
def test_a_tasking_gives_nothing_to_roles_without_intelligence(world, make_user, role):
    (tasking,) = world.task()
    user = make_user(role, organisation=world.police)
    client = as_user(user)

    assert world.report not in access.readable_intelligence(user)
    assert not access.readable_taskings(user).exists()
    assert client.get(f"/intelligence/{world.report.reference}/").status_code == 404
    assert client.get(TASKINGS).status_code == 403
    assert client.get(answer_url(tasking)).status_code == 404
    assert client.post(answer_url(tasking), ANSWER).status_code == 404
    tasking.refresh_from_db()
    assert tasking.status == "open"


# The Taskings page ------------------------------------------------------------------------


def test_the_taskings_page_lists_the_organisations_open_and_answered_taskings(world, make_user):
    (due,) = world.task()
    answered_report = IntelligenceReportFactory(status="tasked", summary="Nail bar on High St")
    answered = TaskingFactory(report=answered_report, organisation=world.police)
    tasking_services.answer_tasking(tasking=answered, user=world.officer, **ANSWER)
    elsewhere = TaskingFactory(organisation=world.other)
    colleague = make_user(Role.SAFEGUARDING_LEAD, organisation=world.police)

    page = as_user(colleague).get(TASKINGS).content.decode()

    waiting, done = page.split("Awaiting your answer", 1)[1].split(">Answered<", 1)
    assert f'href="{answer_url(due)}"' in waiting
    assert f'href="{answer_url(answered)}"' in done
    assert answer_url(elsewhere) not in page
    assert elsewhere.report.reference not in page


def test_the_taskings_page_flags_overdue_taskings(world):
    (late,) = world.task()
    Tasking.objects.filter(pk=late.pk).update(deadline=in_days(-2))

    page = as_user(world.officer).get(TASKINGS).content.decode()

    assert "Overdue" in page


def test_a_withdrawn_tasking_leaves_the_taskings_page(world):
    (tasking,) = world.task()
    tasking_services.withdraw_tasking(tasking=tasking, user=world.analyst)

    page = as_user(world.officer).get(TASKINGS).content.decode()

    assert world.report.reference not in page
    assert "Nothing awaits an answer." in page


def test_partners_are_shown_the_way_to_their_taskings(world, make_user):
    assert f'href="{TASKINGS}"' in as_user(world.officer).get("/").content.decode()
    for role in (Role.BOARD_VIEWER, Role.OUTREACH_OFFICER, Role.SYSTEM_ADMINISTRATOR):
        user = make_user(role, organisation=world.police)
        assert f'href="{TASKINGS}"' not in as_user(user).get("/").content.decode()


def test_the_taskings_page_is_its_own_current_navigation_item(world):
    page = as_user(world.officer).get(TASKINGS).content.decode()

    assert page.count('aria-current="page"') == 1
    current = page.split('aria-current="page"', 1)[1]
    assert current.split("</a>", 1)[0].endswith("Taskings</strong>")


def test_the_taskings_page_asks_for_a_sign_in(client, db):
    assert client.get(TASKINGS).status_code == 302


# Answering --------------------------------------------------------------------------------


def test_the_tasked_agency_answers_and_the_report_is_actioned(world):
    (tasking,) = world.task()
    officer = as_user(world.officer)

    page = officer.get(answer_url(tasking))
    assert page.status_code == 200
    assert "Visit the premises and speak to the workers." in page.content.decode()
    assert 'name="response"' in page.content.decode()
    read = AuditEvent.objects.get(action="record.read", object_type="intelligence.tasking")
    assert (read.actor_id, read.object_id) == (world.officer.pk, str(tasking.pk))

    response = officer.post(answer_url(tasking), ANSWER)

    assert response.status_code == 302
    assert response["Location"] == TASKINGS
    tasking.refresh_from_db()
    assert (tasking.status, tasking.result, tasking.responded_by) == (
        "answered",
        "intelligence_confirmed",
        world.officer,
    )
    assert tasking.response == "Visited on Tuesday; six workers."
    assert tasking.responded_at is not None
    world.report.refresh_from_db()
    assert world.report.status == "actioned"
    actioned = world.report.status_changes.first()
    assert (actioned.from_status, actioned.to_status, actioned.changed_by) == (
        "tasked",
        "actioned",
        world.officer,
    )
    event = AuditEvent.objects.get(action="intelligence.tasking_answered")
    assert (event.actor_id, event.object_id) == (world.officer.pk, str(tasking.pk))
    assert event.detail == {"report": world.report.reference, "result": "intelligence_confirmed"}


def test_the_report_is_actioned_only_when_every_open_tasking_is_answered(world, make_user):
    first, second = world.task(world.police, world.other)

    tasking_services.answer_tasking(tasking=first, user=world.officer, **ANSWER)
    world.report.refresh_from_db()
    assert world.report.status == "tasked"

    tasking_services.answer_tasking(tasking=second, user=world.outsider, **ANSWER)
    world.report.refresh_from_db()
    assert world.report.status == "actioned"
    assert world.report.status_changes.first().changed_by == world.outsider


def test_the_report_page_links_the_tasked_agency_to_its_open_tasking_only(world, make_user):
    (tasking,) = world.task()
    colleague = make_user(Role.OPERATIONS_LEAD, organisation=world.police)
    detail = f"/intelligence/{world.report.reference}/"

    assert answer_url(tasking) in as_user(colleague).get(detail).content.decode()
    assert answer_url(tasking) not in as_user(world.analyst).get(detail).content.decode()
    tasking_services.answer_tasking(tasking=tasking, user=world.officer, **ANSWER)
    assert answer_url(tasking) not in as_user(colleague).get(detail).content.decode()


def test_the_same_answer_sent_twice_is_recorded_once(world):
    (tasking,) = world.task()
    officer = as_user(world.officer)

    first = officer.post(answer_url(tasking), ANSWER)
    again = officer.post(answer_url(tasking), ANSWER)

    assert first.status_code == again.status_code == 302
    assert AuditEvent.objects.filter(action="intelligence.tasking_answered").count() == 1
    assert world.report.status_changes.filter(to_status="actioned").count() == 1


def test_an_answered_tasking_cannot_be_answered_again(world, make_user):
    (tasking,) = world.task()
    tasking_services.answer_tasking(tasking=tasking, user=world.officer, **ANSWER)
    colleague = make_user(Role.PARTNER_CONTRIBUTOR, organisation=world.police)
    client = as_user(colleague)

    page = client.get(answer_url(tasking)).content.decode()
    assert 'name="response"' not in page
    assert "Visited on Tuesday; six workers." in page
    response = client.post(answer_url(tasking), {"result": "nothing_found", "response": "No."})

    assert response.status_code == 400
    assert "This tasking is no longer open" in response.content.decode()
    tasking.refresh_from_db()
    assert (tasking.result, tasking.responded_by) == ("intelligence_confirmed", world.officer)
    with pytest.raises(ValidationError):
        tasking_services.answer_tasking(
            tasking=tasking, user=colleague, result="nothing_found", response="No."
        )


def test_a_withdrawn_tasking_cannot_be_answered(world):
    (tasking,) = world.task()
    tasking_services.withdraw_tasking(tasking=tasking, user=world.analyst)

    response = as_user(world.officer).post(answer_url(tasking), ANSWER)

    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        tasking_services.answer_tasking(tasking=tasking, user=world.officer, **ANSWER)
    tasking.refresh_from_db()
    assert tasking.status == "withdrawn"
    assert not AuditEvent.objects.filter(action="intelligence.tasking_answered").exists()


def test_another_partner_gets_404_on_someone_elses_tasking(world):
    (tasking,) = world.task()
    outsider = as_user(world.outsider)

    shown = outsider.get(answer_url(tasking))
    sent = outsider.post(answer_url(tasking), ANSWER)
    missing = outsider.get(f"{TASKINGS}999999/")

    assert shown.status_code == sent.status_code == missing.status_code == 404
    with pytest.raises(PermissionDenied):
        tasking_services.answer_tasking(tasking=tasking, user=world.outsider, **ANSWER)
    tasking.refresh_from_db()
    assert tasking.status == "open"
    assert not AuditEvent.objects.filter(object_type="intelligence.tasking", action="record.read")
    # The same address opens for the tasked agency.
    assert as_user(world.officer).get(answer_url(tasking)).status_code == 200


def test_the_analyst_does_not_answer_for_the_agency(world):
    (tasking,) = world.task()

    assert as_user(world.analyst).post(answer_url(tasking), ANSWER).status_code == 404
    with pytest.raises(PermissionDenied):
        tasking_services.answer_tasking(tasking=tasking, user=world.analyst, **ANSWER)


def test_a_tasked_user_who_may_not_submit_does_not_answer(world, make_user):
    (tasking,) = world.task()
    coordinator = make_user(Role.HUB_COORDINATOR, organisation=world.police)

    assert not access.can_answer_tasking(coordinator, tasking)
    assert as_user(coordinator).get(answer_url(tasking)).status_code == 404


@pytest.mark.parametrize(
    ("answer", "field", "message"),
    [
        ({"result": ""}, "result", "Select the result"),
        ({"result": "bogus"}, "result", "Select the result from the list"),
        ({"response": ""}, "response", "Enter what your organisation did"),
        ({"response": "x" * 2001}, "response", "2000 characters or fewer"),
        ({"response": "Done\x00"}, "response", "Remove the unreadable characters"),
    ],
    ids=["no-result", "bogus-result", "no-response", "too-long", "nul-byte"],
)
def test_a_bad_answer_is_refused_by_field(world, answer, field, message):
    (tasking,) = world.task()

    response = as_user(world.officer).post(answer_url(tasking), {**ANSWER, **answer})

    page = response.content.decode()
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in page
    assert message in page
    tasking.refresh_from_db()
    assert tasking.status == "open"
    world.report.refresh_from_db()
    assert world.report.status == "tasked"


def test_a_bogus_tasking_address_is_not_found(world):
    officer = as_user(world.officer)

    assert officer.get(f"{TASKINGS}not-a-number/").status_code == 404
    assert officer.get(f"{TASKINGS}99999999999999999999/").status_code == 404


# After the answer: close or re-task ---------------------------------------------------------


def test_the_analyst_closes_an_actioned_report_with_a_reason(world):
    (tasking,) = world.task()
    tasking_services.answer_tasking(tasking=tasking, user=world.officer, **ANSWER)

    response = as_user(world.analyst).post(
        f"/intelligence/{world.report.reference}/status/",
        {"to_status": "closed", "reason": "referred_for_safeguarding"},
    )

    assert response.status_code == 302
    world.report.refresh_from_db()
    assert world.report.status == "closed"


def test_the_analyst_re_tasks_an_actioned_report(world):
    (tasking,) = world.task()
    tasking_services.answer_tasking(tasking=tasking, user=world.officer, **ANSWER)

    world.task(world.police)

    world.report.refresh_from_db()
    assert world.report.status == "tasked"
    moves = list(world.report.status_changes.values_list("from_status", "to_status"))
    assert moves[0] == ("actioned", "tasked")
    assert Tasking.objects.filter(organisation=world.police).count() == 2


# Withdrawal -------------------------------------------------------------------------------


def test_the_analyst_withdraws_an_open_tasking_from_the_report_page(world):
    (tasking,) = world.task()
    analyst = as_user(world.analyst)
    assert (
        withdraw_url(tasking)
        in analyst.get(f"/intelligence/{world.report.reference}/").content.decode()
    )

    response = analyst.post(withdraw_url(tasking))

    assert response.status_code == 302
    tasking.refresh_from_db()
    assert tasking.status == "withdrawn"
    event = AuditEvent.objects.get(action="intelligence.tasking_withdrawn")
    assert (event.actor_id, event.object_id) == (world.analyst.pk, str(tasking.pk))
    # Nothing else was asked: the report goes back to assessment.
    world.report.refresh_from_db()
    assert world.report.status == "under_assessment"
    assert "withdrawn" in analyst.get(response["Location"]).content.decode()


def test_withdrawing_the_last_open_tasking_after_an_answer_actions_the_report(world):
    first, second = world.task(world.police, world.other)
    tasking_services.answer_tasking(tasking=first, user=world.officer, **ANSWER)

    tasking_services.withdraw_tasking(tasking=second, user=world.analyst)

    world.report.refresh_from_db()
    assert world.report.status == "actioned"


def test_withdrawing_one_of_two_open_taskings_keeps_the_report_tasked(world):
    first, _second = world.task(world.police, world.other)

    tasking_services.withdraw_tasking(tasking=first, user=world.analyst)

    world.report.refresh_from_db()
    assert world.report.status == "tasked"


def test_only_an_open_tasking_can_be_withdrawn(world):
    (tasking,) = world.task()
    tasking_services.answer_tasking(tasking=tasking, user=world.officer, **ANSWER)

    assert as_user(world.analyst).post(withdraw_url(tasking)).status_code == 404
    with pytest.raises(ValidationError):
        tasking_services.withdraw_tasking(tasking=tasking, user=world.analyst)
    tasking.refresh_from_db()
    assert tasking.status == "answered"


@pytest.mark.parametrize("role", [role for role in Role if role is not Role.HUB_ANALYST])
def test_only_hub_analysts_may_withdraw(world, make_user, role):
    (tasking,) = world.task()
    user = make_user(role, organisation=world.police)

    assert as_user(user).post(withdraw_url(tasking)).status_code == 404
    with pytest.raises(PermissionDenied):
        tasking_services.withdraw_tasking(tasking=tasking, user=user)
    tasking.refresh_from_db()
    assert tasking.status == "open"


def test_withdrawal_takes_only_posts(world):
    (tasking,) = world.task()

    assert as_user(world.analyst).get(withdraw_url(tasking)).status_code == 405


# Overdue and the timeline -----------------------------------------------------------------


def test_an_overdue_tasking_is_flagged_on_the_report_page_and_in_the_triage_queue(world):
    (tasking,) = world.task()
    analyst = as_user(world.analyst)
    on_time = IntelligenceReportFactory(status="tasked", summary="On time")
    TaskingFactory(report=on_time, organisation=world.other)
    assert "Overdue" not in analyst.get("/intelligence/triage/").content.decode()

    Tasking.objects.filter(pk=tasking.pk).update(deadline=in_days(-1))

    report_page = analyst.get(f"/intelligence/{world.report.reference}/").content.decode()
    queue = analyst.get("/intelligence/triage/").content.decode()
    assert "Overdue" in report_page
    late_row = queue.split(world.report.reference, 1)[1].split("</tr>", 1)[0]
    on_time_row = queue.split(on_time.reference, 1)[1].split("</tr>", 1)[0]
    assert "Overdue" in late_row
    assert "Overdue" not in on_time_row


def test_an_answered_tasking_is_not_overdue(world):
    (tasking,) = world.task()
    Tasking.objects.filter(pk=tasking.pk).update(deadline=in_days(-1))
    tasking.refresh_from_db()
    assert tasking.is_overdue

    tasking_services.answer_tasking(tasking=tasking, user=world.officer, **ANSWER)

    assert not selectors.has_overdue_tasking(world.analyst, world.report)
    assert not selectors.overdue_taskings().exists()


def test_the_timeline_shows_each_step_to_the_analyst_and_the_tasked_agency(world):
    triage_services.regrade(
        report=world.report,
        user=world.analyst,
        source_evaluation="1",
        intelligence_assessment="B",
        handling_code="C",
        handling_conditions="Hub and tasked agencies only.",
        reason="Confirmed by a second source.",
    )
    (tasking,) = world.task()
    tasking_services.answer_tasking(tasking=tasking, user=world.officer, **ANSWER)

    for user in (world.analyst, world.officer):
        kinds = [item.kind for item in selectors.timeline(user, world.report)]
        assert kinds == [
            "status_change",  # actioned
            "tasking_answer",
            "status_change",  # tasked
            "tasking",
            "regrading",
            "status_change",  # submitted
        ]
    page = as_user(world.officer).get(f"/intelligence/{world.report.reference}/").content.decode()
    timeline = page[page.index('class="moj-timeline"') :]
    assert "Tasking answered: Leicestershire Police" in timeline
    assert "Tasked: Leicestershire Police" in timeline
    assert "Result: Intelligence confirmed" in timeline


def test_other_readers_do_not_see_what_an_agency_was_asked_or_answered(world, make_user):
    world.report.handling_code = "P"
    world.report.handling_conditions = ""
    world.report.save()
    (tasking,) = world.task()
    tasking_services.answer_tasking(tasking=tasking, user=world.officer, **ANSWER)

    page = as_user(world.outsider).get(f"/intelligence/{world.report.reference}/").content.decode()

    assert "Visit the premises" not in page
    assert "Visited on Tuesday" not in page
    assert 'id="taskings"' not in page
    kinds = {item.kind for item in selectors.timeline(world.outsider, world.report)}
    assert kinds == {"status_change"}
    assert not selectors.report_taskings(world.outsider, world.report).exists()


def test_a_coordinator_follows_taskings_without_changing_them(world, make_user):
    (tasking,) = world.task()
    coordinator = make_user(Role.HUB_COORDINATOR)

    page = as_user(coordinator).get(f"/intelligence/{world.report.reference}/").content.decode()

    assert 'id="taskings"' in page
    assert withdraw_url(tasking) not in page
    assert task_url(world.report) not in page


def test_answering_and_withdrawing_leave_status_changes_consistent(world):
    """Every move a tasking makes is one of TRANSITIONS, so the timeline never skips."""
    first, second = world.task(world.police, world.other)
    tasking_services.withdraw_tasking(tasking=second, user=world.analyst)
    tasking_services.answer_tasking(tasking=first, user=world.officer, **ANSWER)

    moves = list(
        StatusChange.objects.filter(report=world.report)
        .order_by("changed_at", "id")
        .values_list("from_status", "to_status")
    )
    assert moves == [("", "new"), ("under_assessment", "tasked"), ("tasked", "actioned")]
