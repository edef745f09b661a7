import datetime

from django.utils import timezone

from lantern.core.models import LocalAuthorityArea, Organisation, User
from lantern.core.roles import Role
from tests.factories import OrganisationFactory


def test_the_nine_local_authority_areas_are_loaded(db):
    areas = LocalAuthorityArea.objects.all()
    assert areas.count() == 9
    assert set(areas.values_list("gss_code", flat=True)) >= {"E06000016", "E06000017", "E07000135"}
    assert LocalAuthorityArea.objects.get(name="Leicester").population == 368600


def test_shared_data_access_needs_an_active_organisation_with_a_signed_isa(db):
    today = timezone.localdate()
    signed = OrganisationFactory(isa_signed_on=today)
    unsigned = OrganisationFactory(isa_signed_on=None)
    future = OrganisationFactory(isa_signed_on=today + datetime.timedelta(days=1))
    inactive = OrganisationFactory(is_active=False)
    assert signed.has_shared_data_access
    assert not unsigned.has_shared_data_access
    assert not future.has_shared_data_access
    assert not inactive.has_shared_data_access
    assert list(Organisation.objects.with_shared_data_access()) == [signed]


def test_capabilities_are_listed_in_words(db):
    organisation = OrganisationFactory(helps_with_victims=True, helps_with_information=True)
    assert organisation.capabilities() == [
        "working with victims",
        "information about premises, companies and people",
    ]


def test_roles_come_back_in_declared_order(make_user):
    user = make_user(Role.SYSTEM_ADMINISTRATOR, Role.HUB_ANALYST)
    assert user.roles() == [Role.HUB_ANALYST, Role.SYSTEM_ADMINISTRATOR]


def test_every_role_exists_as_a_group_with_its_permissions(db):
    from django.contrib.auth.models import Group

    from lantern.core.roles import ROLE_PERMISSIONS

    for role, permissions in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role.value)
        granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert granted == set(permissions), role


def test_create_user_and_superuser(db):
    user = User.objects.create_user("Someone@Example.TEST", "pw", full_name="Some One")
    assert user.email == "someone@example.test"
    assert not user.is_staff and user.check_password("pw")
    assert user.get_full_name() == "Some One"
    assert user.get_short_name() == "Some"
    assert str(user) == "Some One <someone@example.test>"
    superuser = User.objects.create_superuser("root@example.test", "pw", full_name="Root")
    assert superuser.is_superuser and superuser.is_staff
