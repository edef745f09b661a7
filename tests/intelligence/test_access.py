"""Who reads which intelligence: every role, organisation, handling code and path.

DESIGN.md: P is shared with every partner user holding an intelligence role; C only with
the originating organisation, hub analysts and coordinators, and the organisations named
in the conditions. Board viewers and organisations outside the sharing see none. A report
one may not read answers 404 exactly like a missing one, and is absent from the list.
"""

import re

import pytest

from lantern.core import access
from lantern.core.models import AuditEvent
from lantern.core.roles import Role
from lantern.intelligence.models import IntelligenceReport
from tests.factories import IntelligenceReportFactory, OrganisationFactory

PLACES = ["own organisation", "other partner", "named in conditions", "without ISA"]


@pytest.fixture
def world(db):
    origin = OrganisationFactory(name="Originating partner")
    named = OrganisationFactory(name="Named partner")
    organisations = {
        "own organisation": origin,
        "other partner": OrganisationFactory(name="Other partner"),
        "named in conditions": named,
        "without ISA": OrganisationFactory(name="Partner without ISA", isa_signed_on=None),
    }
    reports = {
        "P": IntelligenceReportFactory(originating_organisation=origin, handling_code="P"),
        "C": IntelligenceReportFactory(
            originating_organisation=origin,
            handling_code="C",
            handling_conditions="Named partner only; do not act without the hub.",
            shared_with=[named],
        ),
    }
    return organisations, reports


# Which of the two reports (P, C) a user of each role may read, working in each of PLACES:
#                           own org, other partner, named in conditions, without ISA
# Written out by hand from DESIGN.md, never computed, so that a wrong rule fails.
READS = {
    Role.PARTNER_CONTRIBUTOR: ("PC", "P", "PC", ""),
    Role.HUB_ANALYST: ("PC", "PC", "PC", ""),
    Role.HUB_COORDINATOR: ("PC", "PC", "PC", ""),
    Role.SAFEGUARDING_LEAD: ("PC", "P", "PC", ""),
    Role.OPERATIONS_LEAD: ("PC", "P", "PC", ""),
    Role.OUTREACH_OFFICER: ("", "", "", ""),
    Role.BOARD_VIEWER: ("", "", "", ""),
    Role.SYSTEM_ADMINISTRATOR: ("", "", "", ""),
    Role.ORGANISATION_ADMINISTRATOR: ("", "", "", ""),
}


def may_read(role: Role, place: str, code: str) -> bool:
    return code in READS[role][PLACES.index(place)]


def test_the_expected_table_covers_every_role():
    assert set(READS) == set(Role)


MATRIX = [
    (role, place, code, may_read(role, place, code))
    for role in Role
    for place in PLACES
    for code in ("P", "C")
]


@pytest.mark.parametrize(
    ("role", "place", "code", "allowed"),
    MATRIX,
    ids=[f"{role.name}-{place}-{code}" for role, place, code, _allowed in MATRIX],
)
def test_access_matrix(client, make_user, world, role, place, code, allowed):
    organisations, reports = world
    report = reports[code]
    user = make_user(role, organisation=organisations[place])
    client.force_login(user)

    listing = client.get("/intelligence/")
    detail = client.get(f"/intelligence/{report.reference}/")

    assert (report in access.readable_intelligence(user)) is allowed
    if access.can_read_intelligence(user):
        assert listing.status_code == 200
        assert (report.reference in listing.content.decode()) is allowed
    else:
        assert listing.status_code == 403
    assert detail.status_code == (200 if allowed else 404)
    reads = AuditEvent.objects.filter(action="record.read", object_id=str(report.pk))
    assert reads.count() == (1 if allowed else 0)


def test_a_refused_report_answers_like_a_missing_one(signed_in, world):
    _organisations, reports = world
    outsider = signed_in(Role.PARTNER_CONTRIBUTOR)

    refused = outsider.get(f"/intelligence/{reports['C'].reference}/")
    missing = outsider.get("/intelligence/ZZZZ-ZZZZ/")

    assert refused.status_code == missing.status_code == 404
    # The pages differ only by the address asked for (in the language links) and the
    # sign-out form's masked CSRF token.
    reference = reports["C"].reference
    assert without_token(refused.content.decode().replace(reference, "ZZZZ-ZZZZ")) == (
        without_token(missing.content.decode())
    )


def without_token(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def test_a_user_without_an_organisation_reads_nothing(make_user, world):
    user = make_user(Role.HUB_ANALYST, organisation=None)
    user.organisation = None
    user.save()

    assert not access.readable_intelligence(user).exists()


def test_an_organisation_that_left_the_sharing_reads_nothing_even_of_its_own(make_user, world):
    organisations, _reports = world
    origin = organisations["own organisation"]
    origin.is_active = False
    origin.save()
    user = make_user(Role.PARTNER_CONTRIBUTOR, organisation=origin)

    assert not access.readable_intelligence(user).exists()


def test_a_board_viewer_with_no_other_role_sees_no_intelligence_anywhere(signed_in, world):
    board = signed_in(Role.BOARD_VIEWER)

    assert board.get("/intelligence/").status_code == 403
    assert 'href="/intelligence/"' not in board.get("/").content.decode()


def test_readers_are_shown_the_way_to_intelligence(signed_in, world):
    contributor = signed_in(Role.PARTNER_CONTRIBUTOR)

    assert 'href="/intelligence/"' in contributor.get("/").content.decode()


def test_the_list_shows_grading_newest_first(signed_in, world):
    organisations, reports = world
    analyst = signed_in(Role.HUB_ANALYST, organisation=organisations["other partner"])

    page = analyst.get("/intelligence/").content.decode()

    assert "2 / B / P" in page and "2 / B / C" in page
    assert page.index(reports["C"].reference) < page.index(reports["P"].reference)


def test_one_query_serves_every_count(make_user, world):
    organisations, _reports = world
    contributor = make_user(Role.PARTNER_CONTRIBUTOR, organisation=organisations["other partner"])
    named = make_user(Role.PARTNER_CONTRIBUTOR, organisation=organisations["named in conditions"])

    assert access.readable_intelligence(contributor).count() == 1
    assert access.readable_intelligence(named).count() == 2
    assert IntelligenceReport.objects.count() == 2


def test_each_read_is_audited_with_user_organisation_and_purpose(signed_in, world):
    organisations, reports = world
    reader = signed_in(Role.PARTNER_CONTRIBUTOR, organisation=organisations["named in conditions"])

    reader.get(f"/intelligence/{reports['C'].reference}/")
    reader.get("/intelligence/")

    (event,) = AuditEvent.objects.filter(action="record.read")
    assert event.actor_id == reader.user.pk
    assert event.organisation_name == "Named partner"
    assert event.object_type == "intelligence.intelligencereport"
    assert event.object_id == str(reports["C"].pk)
    assert event.purpose == "reading intelligence"
