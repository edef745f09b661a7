"""Local contacts: each area's council services, police route and partnership contact.

A visitor chooses their area on the get-help page; a reporter sees the contacts of the
area their report names as soon as it is sent. They are data an administrator edits.
"""

import re

import pytest
from django.urls import reverse

from lantern.core.models import LocalAuthorityArea
from lantern.demo import local_contacts as demo_contacts
from lantern.public.models import LocalContact
from tests.public.test_report import fill_in, send

pytestmark = pytest.mark.django_db

GET_HELP = reverse("public:get_help")


def _area(name: str) -> LocalAuthorityArea:
    return LocalAuthorityArea.objects.get(name=name)


def _contact(area_name: str, name: str, **fields) -> LocalContact:
    return LocalContact.objects.create(
        area=_area(area_name),
        kind=fields.pop("kind", LocalContact.Kind.ADULT_SOCIAL_CARE),
        name=name,
        name_fr=fields.pop("name_fr", f"{name} (fr)"),
        phone_number=fields.pop("phone_number", "0116 496 0101"),
        **fields,
    )


def test_a_visitor_sees_the_local_services_of_the_area_they_choose(client):
    _contact("Leicester", "Leicester adult social care", out_of_hours_phone_number="0116 496 0199")
    _contact("Rutland", "Rutland adult social care")

    page = client.get(GET_HELP, {"area": _area("Leicester").gss_code}).content.decode()

    assert "Local services in Leicester" in page
    assert "Leicester adult social care" in page
    assert 'href="tel:01164960101"' in page
    assert 'href="tel:01164960199"' in page
    assert "Rutland adult social care" not in page


def test_the_area_list_offers_only_areas_with_a_contact_shown(client):
    _contact("Leicester", "Leicester adult social care")
    _contact("Melton", "Hidden service", is_active=False)

    page = client.get(GET_HELP).content.decode()

    options = re.findall(r'<option value="(E\d+)"', page)
    assert options == [_area("Leicester").gss_code]
    assert "Hidden service" not in client.get(GET_HELP, {"area": options[0]}).content.decode()


@pytest.mark.parametrize("area", ["", "E99999999", "'; DROP TABLE x;--", "\x00"])
def test_a_wrong_area_is_named_and_shows_no_services(client, area):
    _contact("Leicester", "Leicester adult social care")

    response = client.get(GET_HELP, {"area": area})

    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="#id_area"' in page
    assert page.count("govuk-error-summary__list") == 1
    assert "Leicester adult social care" not in page
    assert "<title>Error:" in page


def test_without_any_local_contact_the_page_has_no_area_question(client):
    page = client.get(GET_HELP).content.decode()

    assert 'name="area"' not in page
    assert "Local services" not in page


def test_french_visitors_read_the_french_name(client):
    _contact("Leicester", "Leicester adult social care", name_fr="Aide sociale de Leicester")

    page = client.get("/fr/help/contacts/", {"area": _area("Leicester").gss_code})

    assert "Aide sociale de Leicester" in page.content.decode()


def test_after_a_report_the_contacts_of_its_area_are_shown(client):
    _contact(
        "Leicester", "Leicester children’s services", kind=LocalContact.Kind.CHILDRENS_SERVICES
    )
    _contact("Blaby", "Blaby adult social care")

    send(client, fill_in(client))  # the report's postcode, LE3 0AB, is in Leicester

    page = client.get(reverse("public:sent")).content.decode()
    assert "Local services that can help" in page
    assert "Leicester children’s services" in page
    assert "Blaby adult social care" not in page


def test_a_contact_needs_a_way_to_reach_it(db):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        _contact("Leicester", "Nowhere", phone_number="")


def test_the_demo_gives_every_area_its_council_and_police_once():
    added = demo_contacts.generate()

    assert demo_contacts.generate() == 0
    assert added == LocalContact.objects.count()
    for area in LocalAuthorityArea.objects.all():
        kinds = set(area.local_contacts.values_list("kind", flat=True))
        assert {"adult_social_care", "childrens_services", "police", "partnership"} <= kinds
