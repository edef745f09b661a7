"""The action plan's writes: who may, what is refused, what the timeline and audit log keep."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lantern.core.models import AuditEvent
from lantern.core.roles import Role
from lantern.evaluation.models import Action, ActionUpdate, Evidence, Objective
from lantern.evaluation.services import action_plan as services
from tests.factories import OrganisationFactory
from tests.operations.factories import OperationFactory

SOON = timezone.localdate() + datetime.timedelta(days=60)


def new_action(actor, objective, owner, **overrides):
    fields = {
        "submission_key": uuid.uuid4(),
        "objective": objective,
        "title": "Train licensed taxi drivers",
        "owner": owner,
        "due_on": SOON,
        **overrides,
    }
    return services.create_action(actor=actor, **fields)


def test_the_coordinator_adds_an_objective_and_an_action(coordinator, council):
    objective = services.create_objective(
        actor=coordinator, submission_key=uuid.uuid4(), pillar="pursue", title="Disrupt gangs"
    )
    action = new_action(coordinator, objective, council, lead_name="Licensing manager")

    assert action.reference and action.status == "not_started" and action.rag == "green"
    assert [update.kind for update in action.updates.all()] == ["created"]
    assert AuditEvent.objects.filter(action="evaluation.objective_created").count() == 1
    assert AuditEvent.objects.filter(
        action="evaluation.action_created", object_id=str(action.pk)
    ).exists()


def test_sending_the_same_forms_twice_stores_one_record(coordinator, council):
    key = uuid.uuid4()
    first = services.create_objective(
        actor=coordinator, submission_key=key, pillar="protect", title="Support victims"
    )
    again = services.create_objective(
        actor=coordinator, submission_key=key, pillar="protect", title="Support victims"
    )
    action_key = uuid.uuid4()
    action = new_action(coordinator, first, council, submission_key=action_key)
    action_again = new_action(coordinator, first, council, submission_key=action_key)

    assert first == again and action == action_again
    assert Objective.objects.count() == 1 and Action.objects.count() == 1


@pytest.mark.parametrize("role", [Role.PARTNER_CONTRIBUTOR, Role.BOARD_VIEWER, Role.HUB_ANALYST])
def test_only_the_coordinator_shapes_the_plan(make_user, council, objective, action, role):
    user = make_user(role, organisation=council)
    with pytest.raises(PermissionDenied):
        services.create_objective(
            actor=user, submission_key=uuid.uuid4(), pillar="pursue", title="Anything"
        )
    with pytest.raises(PermissionDenied):
        new_action(user, objective, council)
    with pytest.raises(PermissionDenied):
        services.change_action(
            action=action, actor=user, objective=objective, title="x", owner=council, due_on=SOON
        )
    assert Action.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("title", {"title": "   "}),
        ("title", {"title": "x" * 201}),
        ("title", {"title": "bad\x00byte"}),
        ("title", {"title": "lone \ud800 surrogate"}),
        ("due_on", {"due_on": datetime.date(2014, 12, 31)}),
        ("due_on", {"due_on": datetime.date(2999, 1, 1)}),
    ],
)
def test_bad_input_is_refused_naming_the_field(coordinator, objective, council, field, overrides):
    with pytest.raises(ValidationError) as refusal:
        new_action(coordinator, objective, council, **overrides)
    assert field in refusal.value.error_dict
    assert Action.objects.count() == 0


def test_an_owner_without_a_signed_agreement_is_refused(coordinator, objective):
    pending = OrganisationFactory(name="Leicester Hotels Association", isa_signed_on=None)
    with pytest.raises(ValidationError) as refusal:
        new_action(coordinator, objective, pending)
    assert "owner" in refusal.value.error_dict


def test_a_lead_user_must_work_for_the_owner(coordinator, objective, council, charity_user):
    with pytest.raises(ValidationError) as refusal:
        new_action(coordinator, objective, council, lead_user=charity_user)
    assert "lead_user" in refusal.value.error_dict


def test_the_owner_reports_progress_on_the_timeline(council_user, action):
    services.update_progress(
        action=action,
        actor=council_user,
        submission_key=uuid.uuid4(),
        status="in_progress",
        rag="amber",
        rag_reason="Trainer off sick until March",
        note="Two of five sessions held.",
    )
    action.refresh_from_db()
    update = action.updates.first()

    assert (action.status, action.rag, action.rag_reason) == (
        "in_progress",
        "amber",
        "Trainer off sick until March",
    )
    assert (update.kind, update.from_rag, update.to_rag) == ("progress", "green", "amber")
    event = AuditEvent.objects.get(action="evaluation.action_progress_updated")
    assert event.detail["rag"] == ["green", "amber"]
    # The audit log says what changed, never the text typed.
    assert "Two of five" not in str(event.detail)


@pytest.mark.parametrize("rag", ["amber", "red"])
def test_amber_and_red_need_a_reason(council_user, action, rag):
    with pytest.raises(ValidationError) as refusal:
        services.update_progress(
            action=action,
            actor=council_user,
            submission_key=uuid.uuid4(),
            status="in_progress",
            rag=rag,
            rag_reason="  ",
        )
    assert "rag_reason" in refusal.value.error_dict
    action.refresh_from_db()
    assert action.rag == "green" and action.updates.count() == 1


def test_an_update_that_says_nothing_is_refused(council_user, action):
    with pytest.raises(ValidationError) as refusal:
        services.update_progress(
            action=action,
            actor=council_user,
            submission_key=uuid.uuid4(),
            status=action.status,
            rag=action.rag,
        )
    assert "note" in refusal.value.error_dict


def test_another_organisation_cannot_update_the_action(charity_user, board, action):
    for user in (charity_user, board):
        with pytest.raises(PermissionDenied):
            services.update_progress(
                action=action,
                actor=user,
                submission_key=uuid.uuid4(),
                status="complete",
                rag="green",
                note="Done",
            )
    action.refresh_from_db()
    assert action.status == "not_started"


def test_completing_records_the_day_and_an_overdue_action_is_no_longer_overdue(
    council_user, action
):
    Action.objects.filter(pk=action.pk).update(due_on=timezone.localdate() - datetime.timedelta(1))
    action.refresh_from_db()
    assert action.is_overdue()

    services.update_progress(
        action=action,
        actor=council_user,
        submission_key=uuid.uuid4(),
        status="complete",
        rag="green",
        note="All sessions held.",
    )
    action.refresh_from_db()

    assert action.completed_on == timezone.localdate()
    assert not action.is_overdue()


def test_a_repeated_progress_update_is_stored_once(council_user, action):
    key = uuid.uuid4()
    for _attempt in range(2):
        services.update_progress(
            action=action,
            actor=council_user,
            submission_key=key,
            status="in_progress",
            rag="green",
            note="Started",
        )
    assert ActionUpdate.objects.filter(kind="progress").count() == 1


def test_the_coordinators_edit_lists_what_changed(coordinator, action, charity):
    services.change_action(
        action=action,
        actor=coordinator,
        objective=action.objective,
        title=action.title,
        owner=charity,
        due_on=action.due_on + datetime.timedelta(days=7),
        lead_name=action.lead_name,
    )
    edit = action.updates.get(kind="edited")

    assert edit.changed_fields == ["owner", "due_on"]
    assert AuditEvent.objects.get(action="evaluation.action_changed").detail == {
        "changed": ["owner", "due_on"]
    }


def test_evidence_links_an_operation_the_user_may_read(council_user, council, action):
    operation = OperationFactory(lead_organisation=council)
    linked = services.link_evidence(
        action=action,
        actor=council_user,
        submission_key=uuid.uuid4(),
        kind="operation",
        reference=operation.reference.lower(),
    )
    assert linked.reference == operation.reference
    assert action.updates.filter(kind="evidence", evidence=linked).exists()
    assert AuditEvent.objects.filter(action="evaluation.action_evidence_linked").exists()


def test_evidence_of_an_operation_the_user_may_not_read_is_refused_like_a_missing_one(
    council_user, action
):
    hidden = OperationFactory()  # another agency's operation: the council takes no part
    messages = []
    for reference in (hidden.reference, "NO-SUCH-REF"):
        with pytest.raises(ValidationError) as refusal:
            services.link_evidence(
                action=action,
                actor=council_user,
                submission_key=uuid.uuid4(),
                kind="operation",
                reference=reference,
            )
        messages.append(refusal.value.error_dict["reference"][0].messages)
    assert messages[0] == messages[1]
    assert Evidence.objects.count() == 0


@pytest.mark.parametrize(
    ("kind", "reference", "stored"),
    [
        ("page", "/operations/", "/operations/"),
        ("page", "/fr/action-plan/", "/fr/action-plan/"),
        ("kpi", " nrm_referrals ", "NRM_REFERRALS"),
    ],
)
def test_evidence_of_pages_and_kpis(council_user, action, kind, reference, stored):
    linked = services.link_evidence(
        action=action,
        actor=council_user,
        submission_key=uuid.uuid4(),
        kind=kind,
        reference=reference,
    )
    assert linked.reference == stored


@pytest.mark.parametrize(
    ("kind", "reference", "field"),
    [
        ("page", "https://example.com/", "reference"),
        ("page", "//example.com/x", "reference"),
        ("page", "/no/such/page/", "reference"),
        ("page", "javascript:alert(1)", "reference"),
        ("kpi", "not a code!", "reference"),
        ("campaign", "ANY", "reference"),  # no campaign has that code
        ("course", "ANY", "reference"),  # not the number of a course
        ("nonsense", "ANY", "kind"),
    ],
)
def test_evidence_that_does_not_exist_is_refused(council_user, action, kind, reference, field):
    with pytest.raises(ValidationError) as refusal:
        services.link_evidence(
            action=action,
            actor=council_user,
            submission_key=uuid.uuid4(),
            kind=kind,
            reference=reference,
        )
    assert field in refusal.value.error_dict
    assert Evidence.objects.count() == 0
