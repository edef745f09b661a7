"""Who reads and who runs an operation: every role, in every kind of organisation.

Participating agencies read the plan from the moment they are added, the hub's analysts
and coordinators read every operation, nobody else reads any (404, exactly like a missing
one). Only the lead agency's operations leads and hub coordinators change it.
"""

import re

import pytest

from lantern.core import access
from lantern.core.models import AuditEvent
from lantern.core.roles import Role
from lantern.operations import services
from lantern.operations.models import Participant
from tests.factories import OrganisationFactory

PLACES = ["lead agency", "participant", "other partner", "participant without ISA"]


@pytest.fixture
def world(targeted, lead, police, council):
    services.add_participant(operation=targeted, actor=lead, organisation=council, role="Licensing")
    lapsed = OrganisationFactory(name="Lapsed partner")
    Participant.objects.create(operation=targeted, organisation=lapsed, role="X", added_by=lead)
    lapsed.isa_signed_on = None
    lapsed.save()
    places = {
        "lead agency": police,
        "participant": council,
        "other partner": OrganisationFactory(name="Other partner"),
        "participant without ISA": lapsed,
    }
    return targeted, places


# What a user of each role may do with the operation, working in each of PLACES:
#                           lead agency, participant, other partner, participant without ISA
# "R" reads it, "W" also runs it. Written out by hand from the module's docstring, never
# computed, so that a wrong rule fails.
RIGHTS = {
    Role.PARTNER_CONTRIBUTOR: ("R", "R", "", ""),
    Role.HUB_ANALYST: ("R", "R", "R", ""),
    Role.HUB_COORDINATOR: ("RW", "RW", "RW", ""),
    Role.SAFEGUARDING_LEAD: ("R", "R", "", ""),
    Role.OPERATIONS_LEAD: ("RW", "R", "", ""),
    Role.OUTREACH_OFFICER: ("", "", "", ""),
    Role.BOARD_VIEWER: ("", "", "", ""),
    Role.SYSTEM_ADMINISTRATOR: ("", "", "", ""),
    Role.ORGANISATION_ADMINISTRATOR: ("", "", "", ""),
}


def may_read(role: Role, place: str) -> bool:
    return "R" in RIGHTS[role][PLACES.index(place)]


def may_run(role: Role, place: str) -> bool:
    return "W" in RIGHTS[role][PLACES.index(place)]


def test_the_expected_table_covers_every_role():
    assert set(RIGHTS) == set(Role)


MATRIX = [(role, place) for role in Role for place in PLACES]


@pytest.mark.parametrize(
    ("role", "place"), MATRIX, ids=[f"{role.name}-{place}" for role, place in MATRIX]
)
def test_access_matrix(client, make_user, world, role, place):
    operation, places = world
    user = make_user(role, organisation=places[place])
    client.force_login(user)
    reference = operation.reference
    allowed, runs = may_read(role, place), may_run(role, place)

    listing = client.get("/operations/")
    page = client.get(f"/operations/{reference}/")
    printed = client.get(f"/operations/{reference}/order/")
    change_pages = [
        client.get(f"/operations/{reference}/{path}/")
        for path in ("status", "participants/new", "targets/new", "debrief", "intelligence")
    ]

    assert (operation in access.readable_operations(user)) is allowed
    assert access.can_run_operation(user, operation) is runs
    if access.can_read_operations(user):
        assert listing.status_code == 200
        assert (reference in listing.content.decode()) is allowed
    else:
        assert listing.status_code == 403
    assert page.status_code == printed.status_code == (200 if allowed else 404)
    expected_change = 200 if runs else 403 if allowed else 404
    assert [response.status_code for response in change_pages] == [expected_change] * 5
    reads = AuditEvent.objects.filter(action="record.read", object_id=str(operation.pk))
    assert reads.count() == (7 if allowed else 0)


def test_an_agency_reads_the_plan_from_the_moment_it_is_added(
    client, make_user, operation, lead, council
):
    user = make_user(Role.PARTNER_CONTRIBUTOR, organisation=council)
    client.force_login(user)
    address = f"/operations/{operation.reference}/"

    assert client.get(address).status_code == 404
    assert operation.reference not in client.get("/operations/").content.decode()

    services.add_participant(operation=operation, actor=lead, organisation=council, role="Support")

    assert client.get(address).status_code == 200
    assert operation.reference in client.get("/operations/").content.decode()


def without_token(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


@pytest.mark.parametrize("path", ["", "order/", "status/", "targets/new/"])
def test_a_refused_operation_answers_like_a_missing_one(signed_in, operation, path):
    outsider = signed_in(Role.OPERATIONS_LEAD)

    refused = outsider.get(f"/operations/{operation.reference}/{path}")
    missing = outsider.get(f"/operations/ZZZZ-ZZZZ/{path}")

    assert refused.status_code == missing.status_code == 404
    page = refused.content.decode().replace(operation.reference, "ZZZZ-ZZZZ")
    assert without_token(page) == without_token(missing.content.decode())


def test_a_refused_change_is_not_made(client, make_user, targeted, lead, council):
    services.add_participant(operation=targeted, actor=lead, organisation=council, role="X")
    participant_lead = make_user(Role.OPERATIONS_LEAD, organisation=council)
    client.force_login(participant_lead)

    response = client.post(f"/operations/{targeted.reference}/status/", {"to_status": "briefed"})

    assert response.status_code == 403
    targeted.refresh_from_db()
    assert targeted.status == "planned"


def test_a_board_viewer_and_an_outreach_officer_see_no_operations(make_user, operation, police):
    for role in (Role.BOARD_VIEWER, Role.OUTREACH_OFFICER):
        user = make_user(role, organisation=police)
        assert not access.can_read_operations(user)
        assert not access.readable_operations(user).exists()
