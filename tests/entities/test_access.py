"""Hit / no-hit, tested as an attacker would: a partner who touches an entity that appears
in intelligence they may not read learns that it exists and whom to call, and nothing
else — by the report page, the entity page, search, the network, the API or the CSV."""

import datetime
import re

import pytest
from django.test import Client

from lantern.core.models import AuditEvent
from lantern.core.roles import Role
from lantern.entities import services
from lantern.entities.models import Entity, RestrictedHit
from tests.entities.factories import MatchFactory
from tests.factories import IntelligenceReportFactory, OrganisationFactory

PHONE = "07700 900461"


@pytest.fixture
def secret(restricted_report, mention):
    """The police's C report names a phone, a person and a premises."""
    mention(restricted_report, "phone", "+44 7700 900461", role="contact")
    mention(restricted_report, "person", "Vasile Moraru", role="suspected_exploiter")
    mention(restricted_report, "location", "Unit 4 Canal Street, Leicester LE1 3LE")
    return restricted_report


@pytest.fixture
def partner(signed_in, council):
    return signed_in(Role.PARTNER_CONTRIBUTOR, organisation=council)


@pytest.fixture
def own_report(partner, council, mention):
    """The council's own report, mentioning the same phone as the police's C report."""
    report = IntelligenceReportFactory(
        originating_organisation=council,
        created_by=partner.user,
        summary="Men collected from the hostel by car",
    )
    mention(report, "phone", PHONE, role="contact")
    return report


def leaks(page: str, secret) -> list[str]:
    """Whatever of the restricted report shows on the page."""
    words = [
        secret.reference,
        secret.summary,
        "Leicestershire Police",
        "Vasile",
        "Canal Street",
        "Police only",
    ]
    return [word for word in words if word in page]


def test_the_partner_is_told_restricted_intelligence_exists_and_nothing_more(
    partner, own_report, secret, signed_in
):
    page = partner.get(f"/intelligence/{own_report.reference}/").content.decode()

    hit = RestrictedHit.objects.get()
    assert "Restricted intelligence exists" in page
    assert hit.reference in page
    assert leaks(page, secret) == []
    assert (hit.user, hit.entity.key) == (partner.user, "+447700900461")
    assert AuditEvent.objects.filter(action="entities.restricted_hit").count() == 1


def test_the_notice_is_the_same_however_much_is_restricted(
    partner, own_report, secret, mention, police
):
    before = partner.get(f"/intelligence/{own_report.reference}/").content.decode()
    for number in range(4):
        more = IntelligenceReportFactory(
            originating_organisation=police,
            handling_code="C",
            handling_conditions="Police only",
            summary=f"Further sighting {number}",
        )
        mention(more, "phone", PHONE)

    after = partner.get(f"/intelligence/{own_report.reference}/").content.decode()

    def without_tokens(page: str) -> str:
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)

    assert without_tokens(before) == without_tokens(after)
    assert RestrictedHit.objects.count() == 1


def test_the_hub_sees_who_matched_what_and_when(partner, own_report, secret, signed_in):
    partner.get(f"/intelligence/{own_report.reference}/")
    hit = RestrictedHit.objects.get()
    partner_email = partner.user.email
    analyst = signed_in(Role.HUB_ANALYST)

    page = analyst.get("/entities/hits/").content.decode()

    assert hit.reference in page
    assert partner_email in page
    assert "Charnwood Borough Council" in page


def test_each_author_is_emailed_the_reference_alone_and_owners_see_the_hit_not_who(
    partner,
    own_report,
    secret,
    signed_in,
    police,
    mention,
    mailoutbox,
    run_jobs,
):
    agency = OrganisationFactory(name="National Crime Agency")
    other_secret = IntelligenceReportFactory(
        originating_organisation=agency, handling_code="C", handling_conditions="NCA only"
    )
    mention(other_secret, "phone", "07700900461", role="contact")
    partner.get(f"/intelligence/{own_report.reference}/")
    assert mailoutbox == []  # queued with the hit, sent by the worker
    assert run_jobs() == 2
    hit = RestrictedHit.objects.get()
    who = partner.user.email
    police_user = signed_in(Role.PARTNER_CONTRIBUTOR, organisation=police)

    page = police_user.get("/entities/hits/").content.decode()

    assert sorted(email.to for email in mailoutbox) == sorted(
        [[secret.created_by.email], [other_secret.created_by.email]]
    )
    for email in mailoutbox:
        assert hit.reference in email.body
        assert who not in email.body and "07700" not in email.body
        assert "National Crime Agency" not in email.body and "Police" not in email.body
        assert "Someone came across" in email.body and "Quelqu" in email.body
    assert hit.reference in page
    assert "+44 7700 900461" in page  # the phone as the police wrote it
    assert who not in page and "Charnwood" not in page and "National Crime" not in page
    hub = signed_in(Role.HUB_ANALYST)
    assert who in hub.get("/entities/hits/").content.decode()


def test_a_partner_sees_no_hit_on_intelligence_that_is_not_its_own(
    partner, own_report, secret, signed_in, council
):
    partner.get(f"/intelligence/{own_report.reference}/")
    neighbour = signed_in(Role.PARTNER_CONTRIBUTOR, organisation=council)

    page = neighbour.get("/entities/hits/").content.decode()

    assert RestrictedHit.objects.get().reference not in page
    assert "Nobody has come across" in page
    assert leaks(page, secret) == []
    outsider = signed_in(Role.OUTREACH_OFFICER, organisation=council)
    assert outsider.get("/entities/hits/").status_code == 403


def test_an_entity_only_in_restricted_intelligence_does_not_exist_for_the_partner(
    partner, secret, make_user
):
    person = Entity.objects.get(kind="person")
    missing = Entity.objects.order_by("-pk").first().pk + 100

    hidden = partner.get(f"/entities/{person.pk}/")
    absent = partner.get(f"/entities/{missing}/")

    def without_address(page: bytes) -> str:
        page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page.decode())
        page = re.sub(r"/entities/\d+/", "/entities/N/", page)
        # The time-out warning's sign-in link carries the address too, URL-encoded.
        return re.sub(r"%2Fentities%2F\d+%2F", "%2Fentities%2FN%2F", page)

    assert hidden.status_code == absent.status_code == 404
    assert without_address(hidden.content) == without_address(absent.content)
    # The same page opens for an analyst, who reads the restricted report.
    analyst = Client()
    analyst.force_login(make_user(Role.HUB_ANALYST))
    assert analyst.get(f"/entities/{person.pk}/").status_code == 200


def test_the_entity_page_shows_only_readable_reports_and_the_notice(partner, own_report, secret):
    phone = Entity.objects.get(kind="phone")

    page = partner.get(f"/entities/{phone.pk}/").content.decode()

    assert own_report.reference in page
    assert "Restricted intelligence exists" in page
    assert leaks(page, secret) == []
    assert "Corroborated" not in page


def test_the_network_never_crosses_a_restricted_report(partner, own_report, secret, mention):
    mention(own_report, "vehicle", "FD19 XKP", role="vehicle_used")
    phone = Entity.objects.get(kind="phone")

    page = partner.get(f"/entities/{phone.pk}/").content.decode()

    assert "FD19 XKP" in page
    assert leaks(page, secret) == []


def test_a_search_for_the_number_gives_the_notice_not_the_report(partner, own_report, secret):
    phone = Entity.objects.get(kind="phone")

    page = partner.get("/intelligence/search/", {"q": PHONE}).content.decode()

    assert "Restricted intelligence exists" in page
    assert f'href="/entities/{phone.pk}/"' in page
    assert leaks(page, secret) == []
    assert RestrictedHit.objects.get().context == "search"


def test_a_submission_touching_restricted_intelligence_notifies_the_hub(partner, secret):
    response = partner.post(
        "/intelligence/new/",
        {
            "submission_key": "0b0f3f4e-8f0c-4b5b-9d43-b0d0f5b1a001",
            "summary": "Car wash workers",
            "narrative": "The manager's number is on the door.",
            "source_evaluation": "2",
            "intelligence_assessment": "B",
            "handling_code": "P",
            "sector": "hand_car_wash",
            "mentions-TOTAL_FORMS": "1",
            "mentions-INITIAL_FORMS": "0",
            "mentions-0-kind": "phone",
            "mentions-0-role": "contact",
            "mentions-0-value": "07700900461",
        },
    )

    assert response.status_code == 302
    assert RestrictedHit.objects.get().context == "submission"
    page = partner.get(response["Location"]).content.decode()
    assert "Restricted intelligence exists" in page
    assert leaks(page, secret) == []


def test_the_api_and_the_csv_say_nothing_of_restricted_reports(partner, own_report, secret):
    api = partner.get("/api/v1/intelligence/").content.decode()
    csv = b"".join(partner.get("/intelligence/export.csv").streaming_content)

    assert leaks(api, secret) == []
    assert leaks(csv.decode(), secret) == []
    assert own_report.reference in csv.decode()


def test_analysts_read_everything_and_get_no_notice(signed_in, own_report, secret):
    analyst = signed_in(Role.HUB_ANALYST)
    phone = Entity.objects.get(kind="phone")

    page = analyst.get(f"/entities/{phone.pk}/").content.decode()

    assert secret.reference in page and own_report.reference in page
    assert "Restricted intelligence exists" not in page
    assert "Corroborated by 2 agencies" in page
    assert not RestrictedHit.objects.exists()


@pytest.mark.parametrize("role", [Role.BOARD_VIEWER, Role.OUTREACH_OFFICER])
def test_people_who_read_no_intelligence_see_no_entity(signed_in, own_report, role):
    phone = Entity.objects.get(kind="phone")

    assert signed_in(role).get(f"/entities/{phone.pk}/").status_code == 404


def test_what_the_restricted_report_wrote_never_shows_even_after_a_merge(
    secret, partner, council, mention, make_user
):
    """The police wrote the man's name, birth date and nationality first; the council's
    report names him differently; an analyst merges the two."""
    police_man = Entity.objects.get(kind="person")
    Entity.objects.filter(pk=police_man.pk).update(
        date_of_birth=datetime.date(1979, 5, 4), nationality="Moldovan"
    )
    own = IntelligenceReportFactory(originating_organisation=council, created_by=partner.user)
    council_man = mention(own, "person", "V. Moraru").entity
    match = MatchFactory(entity=council_man, candidate=police_man)
    services.confirm_match(match=match, actor=make_user(Role.HUB_ANALYST))

    report_page = partner.get(f"/intelligence/{own.reference}/").content.decode()
    entity_page = partner.get(f"/entities/{police_man.pk}/").content.decode()

    for page in (report_page, entity_page):
        assert "V. Moraru appears in intelligence you cannot read" in page
        assert leaks(page, secret) == []
        assert "1979" not in page and "Moldovan" not in page


def test_a_search_touching_many_restricted_entities_gives_one_notice(partner, police, mention):
    for _copy in range(3):
        report = IntelligenceReportFactory(
            originating_organisation=police, handling_code="C", handling_conditions="Police"
        )
        mention(report, "person", "Vasile Moraru")

    page = partner.get("/intelligence/search/", {"q": "Vasile Moraru"}).content.decode()

    assert page.count("Restricted intelligence exists") == 1
    assert RestrictedHit.objects.count() == 1


def test_an_absorbed_entity_only_in_restricted_intelligence_is_not_found(
    partner, own_report, secret, make_user
):
    phone = Entity.objects.get(kind="phone")
    restricted_person = Entity.objects.get(kind="person")
    Entity.objects.filter(pk=restricted_person.pk).update(kind="phone", merged_into=phone)

    response = partner.get(f"/entities/{restricted_person.pk}/")

    assert response.status_code == 404


def test_only_analysts_read_why_a_value_was_excluded(partner, own_report):
    phone = Entity.objects.get(kind="phone")
    Entity.objects.filter(pk=phone.pk).update(
        excluded_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC),
        exclusion_reason="Covert line of Operation Nightjar",
    )

    page = partner.get(f"/entities/{phone.pk}/").content.decode()

    assert "Not evidence: excluded by an analyst" in page
    assert "Nightjar" not in page


def test_two_mentions_of_one_restricted_phone_give_one_notice(partner, own_report, secret, mention):
    mention(own_report, "phone", "+44 (0)7700 900461", role="contact")

    page = partner.get(f"/intelligence/{own_report.reference}/").content.decode()

    hit = RestrictedHit.objects.get()
    assert page.count(f'id="restricted-{hit.reference}"') == 1
    assert page.count("Restricted intelligence exists") == 1


@pytest.mark.parametrize(
    "address",
    [
        "/entities/chart/?entity={phone}",
        "/entities/chart/expand.json?entity={phone}",
        "/entities/chart/export.graphml?entity={phone}",
        "/entities/chart/export.csv?entity={phone}",
        "/entities/chart/?entity={phone}&from={phone}&to={vehicle}",
        "/entities/chart/path.json?from={phone}&to={vehicle}",
    ],
)
def test_the_link_chart_and_each_export_never_cross_a_restricted_report(
    partner, own_report, secret, mention, address
):
    mention(own_report, "vehicle", "FD19 XKP", role="vehicle_used")
    phone = Entity.objects.get(kind="phone")
    vehicle = Entity.objects.get(kind="vehicle")

    response = partner.get(address.format(phone=phone.pk, vehicle=vehicle.pk))
    page = response.content.decode()

    assert response.status_code == 200
    assert "FD19 XKP" in page
    assert leaks(page, secret) == []


@pytest.mark.parametrize(
    "address",
    [
        "/entities/chart/?entity={hidden}",
        "/entities/chart/?entity={phone}&entity={hidden}",
        "/entities/chart/expand.json?entity={hidden}",
        "/entities/chart/export.graphml?entity={hidden}",
        "/entities/chart/export.csv?entity={hidden}",
        "/entities/chart/path.json?from={phone}&to={hidden}",
        "/entities/chart/?entity={phone}&from={phone}&to={hidden}",
    ],
)
def test_an_entity_only_in_restricted_intelligence_is_missing_from_every_chart_address(
    partner, own_report, secret, address
):
    phone = Entity.objects.get(kind="phone")
    person = Entity.objects.get(kind="person")
    missing = Entity.objects.order_by("-pk").first().pk + 100

    hidden = partner.get(address.format(phone=phone.pk, hidden=person.pk))
    absent = partner.get(address.format(phone=phone.pk, hidden=missing))

    assert hidden.status_code == absent.status_code == 404
    assert not AuditEvent.objects.filter(action="record.export").exists()


def test_a_picture_of_the_chart_is_refused_for_an_entity_the_partner_may_not_read(
    partner, own_report, secret
):
    person = Entity.objects.get(kind="person")

    refused = partner.post("/entities/chart/drawn/", {"type": "png", "entity": person.pk})

    assert refused.status_code == 404
    assert not AuditEvent.objects.filter(action="record.export").exists()
