"""A training course linked as an action's evidence: by its number, only if the user may
read it (those who manage training); anyone else gets the same refusal for a course that
exists and one that does not."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from lantern.core.roles import Role
from lantern.evaluation import evidence
from lantern.evaluation.models import Evidence
from lantern.evaluation.services import action_plan as services
from tests.outreach.training.factories import CourseFactory


@pytest.fixture
def course(coordinator):
    return CourseFactory(title="Spotting exploitation in A&E", created_by=coordinator)


def link(actor, action, reference):
    return services.link_evidence(
        action=action,
        actor=actor,
        submission_key=uuid.uuid4(),
        kind="course",
        reference=reference,
    )


def test_courses_are_offered_as_evidence():
    assert "course" in dict(evidence.available_kinds())


def test_the_coordinator_links_a_course_by_its_number(coordinator, action, course):
    linked = link(coordinator, action, f" {course.pk} ")
    assert linked.reference == str(course.pk)
    assert action.evidence.filter(kind="course", reference=str(course.pk)).exists()


def test_a_training_officer_owning_the_action_links_a_course(make_user, council, action, course):
    officer = make_user(Role.OUTREACH_OFFICER, organisation=council)
    assert link(officer, action, str(course.pk)).reference == str(course.pk)


@pytest.mark.parametrize("reference", ["0", "-1", "1.0", "12a", "<script>", "1 2", "9" * 12])
def test_a_reference_that_is_not_a_course_is_refused(coordinator, action, course, reference):
    with pytest.raises(ValidationError) as refusal:
        link(coordinator, action, reference)
    assert "reference" in refusal.value.error_dict
    assert not Evidence.objects.exists()


def test_a_partner_who_may_not_read_courses_cannot_probe_numbers(council_user, action, course):
    """The owner's contributor may update the action, but not link (or learn of) a course."""
    with pytest.raises(ValidationError) as existing:
        link(council_user, action, str(course.pk))
    with pytest.raises(ValidationError) as missing:
        link(council_user, action, str(course.pk + 1000))
    assert existing.value.message_dict == missing.value.message_dict
    assert not Evidence.objects.exists()


def test_the_course_is_named_and_linked_only_for_readers(
    client, coordinator, board, action, course
):
    link(coordinator, action, str(course.pk))
    address = reverse("evaluation:action", args=[action.reference])
    course_page = reverse("outreach:training_course", args=[course.pk])

    client.force_login(coordinator)
    text = client.get(address).text
    assert f"Spotting exploitation in A&amp;E ({course.pk})" in text
    assert f'href="{course_page}"' in text

    client.force_login(board)
    text = client.get(address).text
    assert "Spotting exploitation in A&amp;E" not in text
    assert course_page not in text


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(reference=st.text(max_size=40))
@example(reference="１２")  # full-width digits are not a course number
def test_any_reference_is_checked_or_refused_on_the_field(coordinator, course, reference):
    try:
        stored = evidence.check(coordinator, "course", reference)
    except ValidationError as refusal:
        assert set(refusal.error_dict) == {"reference"}
    else:
        assert stored == str(course.pk)
