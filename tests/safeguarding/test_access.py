"""Who sees a potential victim, and who sees their personal details.

DESIGN.md: personal data only for the safeguarding leads of the organisations involved
and the hub coordinator; pseudonymised for everyone else who may see the record; a
record one may not see answers 404 exactly like a missing one.
"""

import re
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lantern.core import audit
from lantern.core.models import AuditEvent
from lantern.core.roles import Role
from lantern.safeguarding import services
from lantern.safeguarding.models import DutyToNotify, SafeguardingAction
from tests.factories import OrganisationFactory
from tests.safeguarding.factories import SupportReferralFactory, VictimFactory

NAME = "Zdenka Novakova"
ADDRESS = "Flat 2, 14 Hidden Lane"
NOTICE = (
    "Personal details are shown only to the safeguarding leads of the organisations "
    "involved and the hub coordinator"
)
FULL, PSEUDONYMISED, NONE = "full", "pseudonymised", "none"

# (who, role, organisation key, what they see)
MATRIX = [
    ("hub coordinator", Role.HUB_COORDINATOR, "hub", FULL),
    ("lead of the identifying organisation", Role.SAFEGUARDING_LEAD, "police", FULL),
    ("lead of another organisation", Role.SAFEGUARDING_LEAD, "charity", NONE),
    ("lead of an organisation without ISA", Role.SAFEGUARDING_LEAD, "no isa", NONE),
    ("hub analyst", Role.HUB_ANALYST, "hub", PSEUDONYMISED),
    ("operation participant", Role.PARTNER_CONTRIBUTOR, "council", PSEUDONYMISED),
    ("operations lead taking part", Role.OPERATIONS_LEAD, "police", PSEUDONYMISED),
    ("partner contributor elsewhere", Role.PARTNER_CONTRIBUTOR, "charity", NONE),
    ("board viewer", Role.BOARD_VIEWER, "police", NONE),
    ("outreach officer", Role.OUTREACH_OFFICER, "police", NONE),
]


@pytest.fixture
def world(police, council, charity, operation):
    operation.participants.create(
        organisation=council, role="Support", added_by=operation.created_by
    )
    organisations = {
        "hub": OrganisationFactory(name="Intelligence hub"),
        "police": police,
        "council": council,
        "charity": charity,
        "no isa": OrganisationFactory(name="Lapsed partner", isa_signed_on=None),
    }
    victim = VictimFactory(name=NAME, address=ADDRESS, identified_by=police, operation=operation)
    return organisations, victim


def without_token(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def reads_logged(victim) -> int:
    return AuditEvent.objects.filter(
        action="safeguarding.personal_data_read", object_id=str(victim.pk)
    ).count()


@pytest.mark.parametrize(("who", "role", "place", "sees"), MATRIX, ids=[row[0] for row in MATRIX])
def test_victim_page(client, make_user, world, who, role, place, sees):
    organisations, victim = world
    client.force_login(make_user(role, organisation=organisations[place]))
    response = client.get(reverse("safeguarding:victim", args=[victim.reference]))
    page = response.content.decode()
    assert (NAME in page) == (sees == FULL)
    if sees == NONE:
        assert response.status_code == 404
        missing = client.get(reverse("safeguarding:victim", args=["NONE-XXXX"]))
        assert without_token(page) == without_token(
            missing.content.decode().replace("NONE-XXXX", victim.reference)
        )
        return
    assert response.status_code == 200
    assert victim.reference in page
    assert (ADDRESS in page) == (sees == FULL)
    assert (NOTICE in page) == (sees == PSEUDONYMISED)
    assert reads_logged(victim) == (1 if sees == FULL else 0)


@pytest.mark.parametrize(("who", "role", "place", "sees"), MATRIX, ids=[row[0] for row in MATRIX])
def test_victim_list(client, make_user, world, who, role, place, sees):
    organisations, victim = world
    client.force_login(make_user(role, organisation=organisations[place]))
    response = client.get(reverse("safeguarding:victim_list"))
    if response.status_code == 403:
        assert sees == NONE
        return
    page = response.content.decode()
    assert (victim.reference in page) == (sees != NONE)
    assert NAME not in page


def test_each_showing_of_personal_data_is_audited(client, make_user, world):
    organisations, victim = world
    client.force_login(make_user(Role.HUB_COORDINATOR, organisation=organisations["hub"]))
    url = reverse("safeguarding:victim", args=[victim.reference])
    client.get(url)
    client.get(url)
    assert reads_logged(victim) == 2


@pytest.fixture
def housing(db):
    return OrganisationFactory(
        name="Housing Options", organisation_type="local_authority", helps_with_victims=True
    )


def test_a_pending_receiver_sees_only_the_shared_details(client, make_user, world, housing):
    _organisations, victim = world
    referral = SupportReferralFactory(
        victim=victim, to_organisation=housing, shared_details=["name"]
    )
    client.force_login(make_user(Role.SAFEGUARDING_LEAD, organisation=housing))
    assert client.get(reverse("safeguarding:victim", args=[victim.reference])).status_code == 404
    response = client.get(reverse("safeguarding:support_referral", args=[referral.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert NAME in page
    assert ADDRESS not in page
    assert reads_logged(victim) == 1


def test_after_accepting_the_receivers_lead_sees_the_record_with_only_what_was_shared(
    client, make_user, world, housing
):
    _organisations, victim = world
    referral = SupportReferralFactory(victim=victim, to_organisation=housing, shared_details=[])
    client.force_login(make_user(Role.SAFEGUARDING_LEAD, organisation=housing))
    url = reverse("safeguarding:support_referral", args=[referral.pk])
    assert NAME not in client.get(url).content.decode()
    response = client.post(url, {"accept": "yes", "decline_reason": ""})
    assert response.status_code == 302
    victim_url = reverse("safeguarding:victim", args=[victim.reference])

    page = client.get(victim_url).content.decode()

    assert victim.reference in page
    assert NAME not in page and ADDRESS not in page
    SupportReferralFactory(
        victim=victim, to_organisation=housing, shared_details=["name"], status="accepted"
    )
    page = client.get(victim_url).content.decode()
    assert NAME in page and ADDRESS not in page
    event = AuditEvent.objects.filter(action=audit.Action.VICTIM_PERSONAL_DATA_READ).last()
    assert event.detail["fields"] == ["name"]
    assert (
        client.get(reverse("safeguarding:personal_details", args=[victim.reference])).status_code
        == 404
    )


def test_a_declined_referral_no_longer_shows_what_it_shared(client, make_user, world, housing):
    _organisations, victim = world
    referral = SupportReferralFactory(victim=victim, to_organisation=housing)
    client.force_login(make_user(Role.SAFEGUARDING_LEAD, organisation=housing))
    url = reverse("safeguarding:support_referral", args=[referral.pk])
    assert NAME in client.get(url).content.decode()

    client.post(url, {"accept": "no", "decline_reason": "No space"})

    assert NAME not in client.get(url).content.decode()


def test_another_organisations_referral_is_404(client, make_user, world, housing):
    _organisations, victim = world
    referral = SupportReferralFactory(victim=victim, to_organisation=housing)
    url = reverse("safeguarding:support_referral", args=[referral.pk])
    client.force_login(make_user(Role.SAFEGUARDING_LEAD, organisation=world[0]["charity"]))
    assert client.get(url).status_code == 404
    # The same page opens for the receiving organisation's safeguarding lead.
    client.force_login(make_user(Role.SAFEGUARDING_LEAD, organisation=housing))
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "name", ["personal_details", "nrm_referral", "duty_to_notify", "action", "outcome"]
)
def test_pseudonymised_viewers_cannot_open_the_forms(client, make_user, world, name):
    organisations, victim = world
    client.force_login(make_user(Role.HUB_ANALYST, organisation=organisations["hub"]))
    response = client.get(reverse(f"safeguarding:{name}", args=[victim.reference]))
    assert response.status_code == 404
    assert NAME not in response.content.decode()


def test_opening_the_change_form_is_an_audited_read(client, make_user, world):
    organisations, victim = world
    client.force_login(make_user(Role.SAFEGUARDING_LEAD, organisation=organisations["police"]))
    page = client.get(reverse("safeguarding:personal_details", args=[victim.reference]))
    assert NAME in page.content.decode()
    assert reads_logged(victim) == 1


def test_a_lead_of_an_inactive_organisation_sees_nothing(client, make_user, world):
    organisations, victim = world
    police = organisations["police"]
    lead = make_user(Role.SAFEGUARDING_LEAD, organisation=police)
    police.is_active = False
    police.save()
    client.force_login(lead)
    response = client.get(reverse("safeguarding:victim", args=[victim.reference]))
    assert response.status_code == 404
    assert NAME not in response.content.decode()


@pytest.fixture
def supporter(make_user, world, housing):
    """Housing's safeguarding lead, after accepting a referral that shared only the name."""
    _organisations, victim = world
    SupportReferralFactory(
        victim=victim, to_organisation=housing, shared_details=["name"], status="accepted"
    )
    return make_user(Role.SAFEGUARDING_LEAD, organisation=housing)


def test_a_supporting_organisation_records_what_it_does_but_corrects_nothing(
    client, supporter, world
):
    _organisations, victim = world
    client.force_login(supporter)
    for name, status in (("action", 200), ("personal_details", 404), ("nrm_decision", 404)):
        url = reverse(f"safeguarding:{name}", args=[victim.reference])
        assert client.get(url).status_code == status, name


def test_a_supporting_organisation_passes_on_only_what_it_was_given(supporter, world, council):
    _organisations, victim = world
    arguments = {
        "actor": supporter,
        "victim": victim,
        "to_organisation": council,
        "service": "housing",
        "request_text": "A room",
        "consented": True,
    }
    with pytest.raises(ValidationError) as refused:
        services.refer_for_support(
            submission_key=uuid.uuid4(), shared_details=["name", "address"], **arguments
        )
    assert "shared_details" in refused.value.message_dict
    referral = services.refer_for_support(
        submission_key=uuid.uuid4(), shared_details=["name"], **arguments
    )
    assert referral.shared_details == ["name"]


def test_action_notes_are_for_those_who_know_the_person_or_wrote_them(
    client, make_user, supporter, world, police, housing
):
    _organisations, victim = world
    for organisation, note in ((police, "Moved to the Oak Street refuge"), (housing, "Key given")):
        SafeguardingAction.objects.create(
            victim=victim,
            submission_key=uuid.uuid4(),
            kind="place_of_safety",
            note=note,
            done_on=victim.identified_on,
            organisation=organisation,
            done_by=make_user(Role.SAFEGUARDING_LEAD, organisation=organisation),
        )
    url = reverse("safeguarding:victim", args=[victim.reference])

    client.force_login(supporter)
    page = client.get(url).content.decode()
    assert "Key given" in page and "Oak Street" not in page
    client.force_login(make_user(Role.HUB_ANALYST))
    page = client.get(url).content.decode()
    assert "Key given" not in page and "Oak Street" not in page
    client.force_login(make_user(Role.SAFEGUARDING_LEAD, organisation=police))
    page = client.get(url).content.decode()
    assert "Key given" in page and "Oak Street" in page


def test_an_anonymous_notification_gives_the_notifier_the_record_but_not_the_person(
    client, make_user, world, council
):
    _organisations, victim = world
    DutyToNotify.objects.create(
        victim=victim,
        notifying_organisation=council,
        notified_on=victim.identified_on,
        notified_by=make_user(Role.SAFEGUARDING_LEAD, organisation=council),
    )
    client.force_login(make_user(Role.SAFEGUARDING_LEAD, organisation=council))

    page = client.get(reverse("safeguarding:victim", args=[victim.reference])).content.decode()

    assert victim.reference in page
    assert NAME not in page and ADDRESS not in page


def test_a_prefill_that_is_not_a_number_is_ignored(client, make_user, world, police):
    client.force_login(make_user(Role.SAFEGUARDING_LEAD, organisation=police))
    for value in ("²", "-1", "9" * 30, "x"):
        response = client.get("/safeguarding/victims/new/", {"operation": value, "target": value})
        assert response.status_code == 200, value
