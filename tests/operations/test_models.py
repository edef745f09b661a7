"""The operation's invariants: its moves, its window, one participation per agency."""

import datetime
import itertools

import pytest
from django.db import IntegrityError

from lantern.operations.models import TRANSITIONS, OperationStatus, Participant
from tests.operations.factories import OperationFactory

Status = OperationStatus


def test_the_only_forward_path_is_planned_briefed_live_debriefed_closed():
    path = [Status.PLANNED, Status.BRIEFED, Status.LIVE, Status.DEBRIEFED, Status.CLOSED]
    for current, following in itertools.pairwise(path):
        assert TRANSITIONS.allows(current, following)
    assert TRANSITIONS.moves_from(Status.CLOSED) == ()


def test_cancelling_is_possible_only_before_the_operation_goes_live():
    can_cancel = {status for status in Status if TRANSITIONS.allows(status, Status.CANCELLED)}
    assert can_cancel == {Status.PLANNED, Status.BRIEFED}
    assert TRANSITIONS.moves_from(Status.CANCELLED) == ()


def test_no_status_skips_a_step_or_goes_back():
    order = [Status.PLANNED, Status.BRIEFED, Status.LIVE, Status.DEBRIEFED, Status.CLOSED]
    for current in Status:
        for following in set(TRANSITIONS.moves_from(current)) - {Status.CANCELLED}:
            assert order.index(following) == order.index(current) + 1


@pytest.mark.django_db
def test_the_database_refuses_a_window_that_ends_before_it_starts():
    operation = OperationFactory()
    operation.ends_at = operation.starts_at - datetime.timedelta(minutes=1)
    with pytest.raises(IntegrityError):
        operation.save()


@pytest.mark.django_db
def test_an_agency_takes_part_once():
    operation = OperationFactory()
    with pytest.raises(IntegrityError):
        Participant.objects.create(
            operation=operation,
            organisation=operation.lead_organisation,
            role="Again",
            added_by=operation.created_by,
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "plan_open", "debrief_open"),
    [
        (Status.PLANNED, True, False),
        (Status.BRIEFED, True, False),
        (Status.LIVE, True, True),
        (Status.DEBRIEFED, False, True),
        (Status.CLOSED, False, False),
        (Status.CANCELLED, False, False),
    ],
)
def test_what_can_change_in_each_status(status, plan_open, debrief_open):
    operation = OperationFactory.build(status=status)
    assert operation.plan_is_open is plan_open
    assert operation.can_be_debriefed is debrief_open


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("Kestrel", "Operation Kestrel"),
        ("Operation Kestrel", "Operation Kestrel"),
        ("operation kestrel", "operation kestrel"),
        ("Op. Kestrel", "Op. Kestrel"),
        ("Opération Crécerelle", "Opération Crécerelle"),
        ("Operational Sweep", "Operation Operational Sweep"),
    ],
)
def test_the_title_never_doubles_the_word_operation(name, title):
    assert OperationFactory.build(name=name).title == title
