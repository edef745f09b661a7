"""The access matrix: every role against every page built so far, allowed or denied."""

import datetime

import pytest
from django.urls import reverse

from lantern.core import access
from lantern.core.roles import Role
from lantern.safeguarding.models import DutyToNotify, SafeguardingAction
from tests.factories import OrganisationFactory
from tests.safeguarding.factories import (
    FirstResponderFactory,
    NRMReferralFactory,
    SupportReferralFactory,
    VictimFactory,
)

ALL_ROLES = list(Role)
PARTNER_ROLES = [
    role for role in Role if role not in {Role.BOARD_VIEWER, Role.ORGANISATION_ADMINISTRATOR}
]
USER_MANAGERS = {Role.ORGANISATION_ADMINISTRATOR, Role.SYSTEM_ADMINISTRATOR}

# page name -> roles that may open it (a signed-in user with a signed ISA)
MATRIX = {
    "core:home": set(ALL_ROLES),
    "core:security": set(ALL_ROLES),
    "core:partner_list": set(PARTNER_ROLES),
    "admin:index": {Role.SYSTEM_ADMINISTRATOR},
    "admin:core_organisation_changelist": {Role.SYSTEM_ADMINISTRATOR},
    "admin:core_organisation_add": {Role.SYSTEM_ADMINISTRATOR},
    "admin:core_user_changelist": {Role.SYSTEM_ADMINISTRATOR},
    "admin:core_user_add": {Role.SYSTEM_ADMINISTRATOR},
    "admin:core_auditevent_changelist": {Role.SYSTEM_ADMINISTRATOR},
    "admin:auth_group_changelist": {Role.SYSTEM_ADMINISTRATOR},
    "admin:core_rolegrant_changelist": {Role.SYSTEM_ADMINISTRATOR},
    "admin:core_localauthorityarea_changelist": {Role.SYSTEM_ADMINISTRATOR},
    "admin:otp_totp_totpdevice_changelist": {Role.SYSTEM_ADMINISTRATOR},
    "admin:accounts_invitation_changelist": {Role.SYSTEM_ADMINISTRATOR},
    "admin:accounts_idleaccount_changelist": {Role.SYSTEM_ADMINISTRATOR},
    "admin:accounts_accessreview_changelist": {Role.SYSTEM_ADMINISTRATOR},
    "admin:accounts_identityprovider_changelist": {Role.SYSTEM_ADMINISTRATOR},
    "admin:accounts_identityprovider_add": {Role.SYSTEM_ADMINISTRATOR},
    "accounts:access_reviews": USER_MANAGERS | {Role.HUB_COORDINATOR},
    "accounts:user_list": USER_MANAGERS,
    "accounts:invite": USER_MANAGERS,
    "accounts:activity": USER_MANAGERS,
}


@pytest.mark.parametrize("role", ALL_ROLES, ids=lambda role: role.value)
@pytest.mark.parametrize("page", sorted(MATRIX))
def test_role_page_matrix(signed_in, role, page):
    client = signed_in(role)
    response = client.get(reverse(page))
    if role in MATRIX[page]:
        assert response.status_code == 200
    elif page.startswith("admin:"):
        # The admin sends anyone without access to its own sign-in page, which says so.
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    elif page.startswith("accounts:"):
        # Managing users is not shared data: for anyone else the pages do not exist.
        assert response.status_code == 404
    else:
        assert response.status_code == 403
        assert "You cannot see shared data" in response.text


@pytest.mark.parametrize("page", sorted(MATRIX))
def test_anonymous_visitors_are_sent_to_sign_in(client, db, page):
    response = client.get(reverse(page))
    assert response.status_code == 302
    if page == "core:home":
        # The site's address is the public front door for anyone without an account.
        assert response["Location"] == reverse("public:start")
    else:
        assert "sign-in" in response["Location"] or "login" in response["Location"]


def test_partner_detail_is_visible_to_partner_roles(signed_in, organisation):
    client = signed_in(Role.PARTNER_CONTRIBUTOR)
    response = client.get(reverse("core:partner_detail", args=[organisation.pk]))
    assert response.status_code == 200
    assert organisation.name in response.text


@pytest.mark.parametrize(
    "case",
    ["inactive organisation", "missing organisation"],
)
def test_partner_detail_answers_404_alike_for_missing_and_hidden(signed_in, case):
    client = signed_in(Role.HUB_ANALYST)
    if case == "inactive organisation":
        target = OrganisationFactory(name="Closed charity", is_active=False).pk
    else:
        target = 987654
    response = client.get(reverse("core:partner_detail", args=[target]))
    assert response.status_code == 404
    assert "Closed charity" not in response.text


def test_board_viewer_cannot_open_partner_detail(signed_in, organisation):
    client = signed_in(Role.BOARD_VIEWER)
    response = client.get(reverse("core:partner_detail", args=[organisation.pk]))
    assert response.status_code == 404
    # The same page opens for a partner user who may see the directory.
    analyst = signed_in(Role.HUB_ANALYST)
    assert analyst.get(reverse("core:partner_detail", args=[organisation.pk])).status_code == 200


@pytest.mark.parametrize(
    "organisation_fields",
    [
        {"isa_signed_on": None},
        {"is_active": False},
        {"isa_signed_on": datetime.date.today() + datetime.timedelta(days=30)},
    ],
    ids=["no signed agreement", "inactive", "agreement not yet in force"],
)
def test_organisation_outside_the_sharing_sees_no_shared_data(signed_in, organisation_fields):
    outsider = OrganisationFactory(name="Outsider", **organisation_fields)
    OrganisationFactory(name="Visible partner")
    client = signed_in(Role.HUB_ANALYST, organisation=outsider)

    assert not access.has_shared_data_access(client.user)
    listing = client.get(reverse("core:partner_list"))
    assert listing.status_code == 403
    assert "Visible partner" not in listing.text
    home = client.get(reverse("core:home"))
    assert home.status_code == 200
    assert "cannot see any shared data" in home.text


def test_user_without_organisation_sees_no_shared_data(signed_in):
    client = signed_in(Role.HUB_ANALYST, organisation=None)
    client.user.organisation = None
    client.user.save()
    assert client.get(reverse("core:partner_list")).status_code == 403


def test_deactivated_user_has_no_access(make_user):
    user = make_user(Role.SYSTEM_ADMINISTRATOR, is_active=False)
    assert not access.can_administer(user)
    assert not access.has_shared_data_access(user)
    assert not access.can_verify_audit_log(user)


def test_system_administrator_administers_without_an_isa(make_user):
    pending = OrganisationFactory(name="Pending", isa_signed_on=None)
    admin = make_user(Role.SYSTEM_ADMINISTRATOR, organisation=pending)
    assert access.can_administer(admin)
    assert access.administrable_organisations(admin).filter(pk=pending.pk).exists()
    assert not access.can_view_partner_directory(admin)


def test_only_administrators_get_administrable_records(make_user):
    analyst = make_user(Role.HUB_ANALYST)
    assert not access.administrable_users(analyst).exists()
    assert not access.administrable_organisations(analyst).exists()


def test_board_viewer_sees_aggregates_only(make_user):
    assert access.sees_aggregates_only(make_user(Role.BOARD_VIEWER))
    assert not access.sees_aggregates_only(make_user(Role.BOARD_VIEWER, Role.HUB_COORDINATOR))
    assert not access.sees_aggregates_only(make_user(Role.HUB_ANALYST))


def test_partner_directory_filters(signed_in):
    police = OrganisationFactory(
        name="County Police",
        organisation_type="police",
        is_first_responder=True,
        helps_with_operations=True,
    )
    OrganisationFactory(name="Food bank", organisation_type="charity", helps_with_victims=True)
    client = signed_in(Role.PARTNER_CONTRIBUTOR)

    by_type = client.get(reverse("core:partner_list"), {"type": "police"})
    assert "County Police" in by_type.text
    assert "Food bank" not in by_type.text

    by_help = client.get(reverse("core:partner_list"), {"helps_with": "victims"})
    assert "Food bank" in by_help.text
    assert "County Police" not in by_help.text

    first_responders = client.get(reverse("core:partner_list"), {"first_responders": "1"})
    assert "County Police" in first_responders.text
    assert "Food bank" not in first_responders.text

    area = police.areas.model.objects.get(name="Melton")
    police.areas.add(area)
    by_area = client.get(reverse("core:partner_list"), {"area": area.gss_code})
    assert "County Police" in by_area.text
    assert "Food bank" not in by_area.text


@pytest.mark.parametrize(
    "query",
    [
        {"type": "<script>"},
        {"area": "x" * 5000},
        {"helps_with": "\x00"},
        {"first_responders": "yes"},
    ],
)
def test_partner_directory_ignores_nonsense_filters(signed_in, query):
    client = signed_in(Role.PARTNER_CONTRIBUTOR)
    assert client.get(reverse("core:partner_list"), query).status_code == 200


# Potential victims: what makes an organisation responsible (issue 16, finding 1) --------


@pytest.fixture
def supported_victim(make_user):
    """A person the police identified, supported by a council given only their name."""
    police = FirstResponderFactory(name="Police force")
    council = FirstResponderFactory(name="City council", organisation_type="local_authority")
    victim = VictimFactory(identified_by=police, address="14 Hidden Lane")
    SupportReferralFactory(
        victim=victim, to_organisation=council, shared_details=["name"], status="accepted"
    )
    return victim, police, council, make_user(Role.SAFEGUARDING_LEAD, organisation=council)


@pytest.mark.parametrize("record", ["nrm_referral", "duty_to_notify", "action", "onward"])
def test_no_record_a_supporting_organisation_makes_makes_it_responsible(supported_victim, record):
    victim, _police, council, lead = supported_victim
    if record == "nrm_referral":
        NRMReferralFactory(victim=victim, referring_organisation=council, referred_by=lead)
    elif record == "duty_to_notify":
        DutyToNotify.objects.create(
            victim=victim,
            notifying_organisation=council,
            notified_on=victim.identified_on,
            notified_by=lead,
        )
    elif record == "action":
        SafeguardingAction.objects.create(
            victim=victim,
            kind="place_of_safety",
            done_on=victim.identified_on,
            organisation=council,
            done_by=lead,
        )
    else:
        SupportReferralFactory(
            victim=victim,
            from_organisation=council,
            to_organisation=OrganisationFactory(name="Third partner"),
            referred_by=lead,
            shared_details=["name"],
            status="accepted",
        )

    assert access.readable_victims(lead).filter(pk=victim.pk).exists()
    assert not access.identifiable_victims(lead).filter(pk=victim.pk).exists()
    assert not access.can_read_victim_personal_data(lead, victim)
    assert not access.can_correct_victim(lead, victim)
    assert access.shown_personal_details(lead, victim) == ("name",)


def test_the_identifying_organisation_stays_responsible(make_user, supported_victim):
    victim, police, council, lead = supported_victim
    NRMReferralFactory(victim=victim, referring_organisation=council, referred_by=lead)
    police_lead = make_user(Role.SAFEGUARDING_LEAD, organisation=police)
    assert access.can_read_victim_personal_data(police_lead, victim)
    assert "address" in access.shown_personal_details(police_lead, victim)


def test_a_referring_organisation_that_supports_nothing_reads_the_record_only(
    make_user, supported_victim
):
    """A hub coordinator refers in the hub's name: the hub's other leads get the record,
    pseudonymised, and nothing to change."""
    victim, *_rest = supported_victim
    hub = FirstResponderFactory(name="Hub", organisation_type="public_body")
    coordinator = make_user(Role.HUB_COORDINATOR, organisation=hub)
    NRMReferralFactory(victim=victim, referring_organisation=hub, referred_by=coordinator)
    hub_lead = make_user(Role.SAFEGUARDING_LEAD, organisation=hub)
    assert access.readable_victims(hub_lead).filter(pk=victim.pk).exists()
    assert access.shown_personal_details(hub_lead, victim) == ()
    assert not access.can_change_victim(hub_lead, victim)
    assert access.can_read_victim_personal_data(coordinator, victim)
