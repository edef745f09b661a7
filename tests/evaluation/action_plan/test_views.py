"""The action plan's pages: who sees what, the forms, the filters and the export."""

import datetime
import io
import uuid

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from lantern.core.models import AuditEvent
from lantern.core.roles import Role
from lantern.evaluation.models import Action, ActionUpdate, Objective
from tests.evaluation.action_plan.factories import ActionFactory
from tests.factories import OrganisationFactory

PLAN = reverse("evaluation:action_plan")


def page(reference: str, name: str = "action") -> str:
    return reverse(f"evaluation:{name}", args=[reference])


@pytest.fixture
def as_user(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def test_the_coordinator_and_the_board_read_the_whole_plan(
    as_user, coordinator, board, action, other_action
):
    for user in (coordinator, board):
        text = as_user(user).get(PLAN).text
        assert action.title in text and other_action.title in text


def test_a_partner_reads_only_its_own_organisations_actions(
    as_user, council_user, action, other_action
):
    client = as_user(council_user)
    text = client.get(PLAN).text

    assert action.title in text and other_action.title not in text
    assert client.get(page(action.reference)).status_code == 200
    # Another organisation's action is as missing as one that does not exist.
    assert client.get(page(other_action.reference)).status_code == 404
    assert client.get(page("NOPE-NOPE")).status_code == 404


@pytest.mark.parametrize(
    "roles_and_agreement",
    [((Role.SYSTEM_ADMINISTRATOR,), True), ((), True), ((Role.PARTNER_CONTRIBUTOR,), False)],
)
def test_everyone_else_gets_404(client, make_user, action, roles_and_agreement):
    roles, signed = roles_and_agreement
    organisation = OrganisationFactory(
        name="Elsewhere", isa_signed_on=datetime.date(2024, 1, 1) if signed else None
    )
    client.force_login(make_user(*roles, organisation=organisation))
    for address in (
        PLAN,
        reverse("evaluation:action_plan_export"),
        page(action.reference),
        page(action.reference, "action_progress"),
        reverse("evaluation:action_create"),
    ):
        assert client.get(address).status_code == 404, address


def test_signed_out_visitors_are_sent_to_sign_in(client, action):
    assert client.get(PLAN).status_code == 302


def test_the_board_and_partners_cannot_reach_the_coordinators_forms(
    as_user, board, council_user, action, objective
):
    for user in (board, council_user):
        client = as_user(user)
        for address in (
            reverse("evaluation:objective_create"),
            reverse("evaluation:objective_edit", args=[objective.pk]),
            reverse("evaluation:action_create"),
            page(action.reference, "action_edit"),
        ):
            assert client.get(address).status_code == 404
            assert client.post(address, {"title": "Hijacked"}).status_code == 404
    action.refresh_from_db()
    assert action.title != "Hijacked"


def test_the_board_reads_but_does_not_update(as_user, board, action):
    client = as_user(board)
    assert client.get(page(action.reference)).status_code == 200
    refused = client.post(
        page(action.reference, "action_progress"),
        {"status": "complete", "rag": "green", "note": "x", "submission_key": str(uuid.uuid4())},
    )
    assert refused.status_code == 404
    action.refresh_from_db()
    assert action.status == "not_started"


def test_the_coordinator_adds_an_action_through_the_form(as_user, coordinator, objective, council):
    client = as_user(coordinator)
    answers = {
        "submission_key": str(uuid.uuid4()),
        "objective": objective.pk,
        "title": "Visit every hand car wash",
        "owner": council.pk,
        "lead_name": "Licensing team leader",
        "due_on": "31/3/2027",
    }
    response = client.post(reverse("evaluation:action_create"), answers)
    again = client.post(reverse("evaluation:action_create"), answers)

    action = Action.objects.get()
    assert response.status_code == again.status_code == 302
    assert response.url == again.url == page(action.reference)
    assert action.due_on == datetime.date(2027, 3, 31)


def test_the_action_form_names_each_problem(as_user, coordinator, objective):
    response = as_user(coordinator).post(
        reverse("evaluation:action_create"),
        {"objective": "999999999999999999999", "title": "", "owner": "x", "due_on": "31/2/2027"},
    )
    assert response.status_code == 400
    for message in (
        "Select an objective from the list",
        "Enter the action",
        "Select an owner from the list of active partners",
        "Enter a real date, like 31/3/2027",
    ):
        assert message in response.text
    assert Action.objects.count() == 0


def test_the_owner_updates_progress_and_it_shows_on_the_timeline(as_user, council_user, action):
    client = as_user(council_user)
    response = client.post(
        page(action.reference, "action_progress"),
        {
            "submission_key": str(uuid.uuid4()),
            "status": "in_progress",
            "rag": "red",
            "rag_reason": "No venue for the sessions",
            "note": "Venue fell through.",
        },
    )
    assert response.status_code == 302
    text = client.get(page(action.reference)).text
    assert 'class="moj-timeline"' in text
    assert "No venue for the sessions" in text and "Venue fell through." in text


def test_a_red_status_without_reason_is_refused_on_the_form(as_user, council_user, action):
    response = as_user(council_user).post(
        page(action.reference, "action_progress"),
        {"submission_key": str(uuid.uuid4()), "status": "in_progress", "rag": "red"},
    )
    assert response.status_code == 400
    assert "Say why the action is amber or red" in response.text
    assert ActionUpdate.objects.filter(kind="progress").count() == 0


def test_filters_and_overdue_flag(as_user, coordinator, action, other_action):
    Action.objects.filter(pk=other_action.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=3), rag="red", rag_reason="Late"
    )
    client = as_user(coordinator)

    overdue = client.get(PLAN, {"overdue": "on"}).text
    red = client.get(PLAN, {"rag": "red"}).text
    by_owner = client.get(PLAN, {"owner": action.owner_id}).text
    pursue = client.get(PLAN, {"pillar": "pursue"}).text

    assert other_action.title in overdue and action.title not in overdue
    assert "Overdue" in overdue
    assert other_action.title in red and action.title not in red
    assert action.title in by_owner and other_action.title not in by_owner
    assert action.title not in pursue and "No actions match these filters." in pursue


def test_a_filter_that_does_not_exist_says_so_and_shows_everything(as_user, coordinator, action):
    response = as_user(coordinator).get(PLAN, {"owner": "99999999999999999999", "rag": "purple"})
    assert response.status_code == 200
    assert "No action you can see has that owner" in response.text
    assert "There is no such RAG status" in response.text
    assert action.title in response.text


def test_the_export_is_a_workbook_of_what_the_user_reads_and_is_audited(
    as_user, council_user, action, other_action
):
    response = as_user(council_user).get(reverse("evaluation:action_plan_export"))
    book = openpyxl.load_workbook(io.BytesIO(response.content))

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert book.sheetnames == ["About", "Actions"]
    rows = list(book["Actions"].iter_rows(values_only=True))
    assert rows[0][:4] == ("Reference", "Strand", "Objective", "Action")
    assert [row[0] for row in rows[1:]] == [action.reference]
    assert book["Actions"].column_dimensions["D"].width > 40
    event = AuditEvent.objects.get(action="record.export")
    assert event.detail["rows"] == 1 and event.actor_id == council_user.pk


def test_formulas_typed_into_the_plan_stay_text_in_the_export(as_user, coordinator, objective):
    ActionFactory(objective=objective, title='=HYPERLINK("http://evil","x")')
    response = as_user(coordinator).get(reverse("evaluation:action_plan_export"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Actions"]
    assert sheet["D2"].data_type == "s"


def test_french_plan(as_user, board, action):
    text = as_user(board).get("/fr/action-plan/").text
    assert "Plan d’action" in text


def test_home_panels_for_each_role(as_user, coordinator, board, council_user, action, other_action):
    Action.objects.filter(pk=other_action.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    home = reverse("core:home")
    coordinator_home = as_user(coordinator).get(home).text
    board_home = as_user(board).get(home).text
    partner_home = as_user(council_user).get(home).text

    assert "Overdue actions" in coordinator_home and other_action.title in coordinator_home
    assert "open actions on track" in board_home or "open action on track" in board_home
    assert other_action.title not in board_home
    assert action.title in partner_home and other_action.title not in partner_home


def test_coordinator_adds_an_objective(as_user, coordinator):
    response = as_user(coordinator).post(
        reverse("evaluation:objective_create"),
        {"submission_key": str(uuid.uuid4()), "pillar": "prepare", "title": "Ready partners"},
    )
    assert response.status_code == 302
    assert Objective.objects.get().pillar == "prepare"


_ANY_TEXT = st.one_of(
    st.text(max_size=60),
    st.just("\ud800"),
    st.just("99999999999999999999"),
    st.just("-1"),
    st.just("\x00"),
)


def _encodable(value: str) -> str:
    # A browser cannot send a lone surrogate; what reaches Django is its replacement.
    return value.encode("utf-8", "replace").decode("utf-8")


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    parameters=st.dictionaries(
        st.sampled_from(["pillar", "owner", "rag", "overdue"]), _ANY_TEXT, max_size=4
    )
)
@example(parameters={"owner": "99999999999999999999", "rag": "\ud800"})
def test_no_filter_causes_a_server_error(as_user, coordinator, action, parameters):
    client = as_user(coordinator)
    query = {name: _encodable(value) for name, value in parameters.items()}
    assert client.get(PLAN, query).status_code == 200


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    answers=st.dictionaries(
        st.sampled_from(
            ["objective", "title", "description", "owner", "lead_name", "lead_user", "due_on"]
        ),
        _ANY_TEXT,
    )
)
def test_no_action_form_input_causes_a_server_error(as_user, coordinator, objective, answers):
    client = as_user(coordinator)
    data = {name: _encodable(value) for name, value in answers.items()}
    response = client.post(reverse("evaluation:action_create"), data)
    assert response.status_code in {302, 400}


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    answers=st.dictionaries(
        st.sampled_from(["status", "rag", "rag_reason", "note", "kind", "reference"]), _ANY_TEXT
    ),
    form=st.sampled_from(["action_progress", "action_evidence"]),
)
def test_no_progress_or_evidence_input_causes_a_server_error(
    as_user, council_user, action, answers, form
):
    data = {name: _encodable(value) for name, value in answers.items()}
    response = as_user(council_user).post(page(action.reference, form), data)
    assert response.status_code in {302, 400}


@pytest.mark.parametrize(
    "address",
    [
        "/action-plan/actions/abc/",
        "/action-plan/objectives/99999999999999999999/change/",
        "/fr/action-plan/actions/%00/",
        "/action-plan/actions/AAAAAAAAAAAAAAAAAAAA/",
    ],
)
def test_odd_addresses_are_404_not_500(as_user, coordinator, address):
    assert as_user(coordinator).get(address).status_code == 404


@pytest.mark.parametrize("objective", ["99999999999999999999", "-1", "abc", "\x00", "\ufffd"])
def test_an_odd_objective_in_the_new_action_address_is_not_an_error(
    as_user, coordinator, objective
):
    response = as_user(coordinator).get(
        reverse("evaluation:action_create"), {"objective": objective}
    )
    assert response.status_code == 200


@hypothesis_settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    answers=st.dictionaries(st.sampled_from(["pillar", "title", "description"]), _ANY_TEXT),
    editing=st.booleans(),
)
def test_no_objective_form_input_causes_a_server_error(
    as_user, coordinator, objective, answers, editing
):
    address = (
        reverse("evaluation:objective_edit", args=[objective.pk])
        if editing
        else reverse("evaluation:objective_create")
    )
    data = {name: _encodable(value) for name, value in answers.items()}
    assert as_user(coordinator).post(address, data).status_code in {302, 400}


def test_a_partner_cannot_update_another_organisations_action(as_user, charity_user, action):
    client = as_user(charity_user)
    for form, data in (
        ("action_progress", {"status": "complete", "rag": "green", "note": "Done"}),
        ("action_evidence", {"kind": "page", "reference": "/action-plan/"}),
    ):
        response = client.post(
            page(action.reference, form), {**data, "submission_key": str(uuid.uuid4())}
        )
        assert response.status_code == 404
    action.refresh_from_db()
    assert action.status == "not_started" and not action.evidence.exists()
    assert not AuditEvent.objects.filter(action__startswith="evaluation.").exists()


def test_the_owner_links_evidence_through_the_form(as_user, council_user, action):
    client = as_user(council_user)
    response = client.post(
        page(action.reference, "action_evidence"),
        {
            "submission_key": str(uuid.uuid4()),
            "kind": "page",
            "reference": "/action-plan/",
            "description": "The plan",
        },
    )
    assert response.status_code == 302
    text = client.get(page(action.reference)).text
    assert 'href="/action-plan/"' in text and "The plan" in text
