"""The demo partnership behind `make run`."""

from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from lantern.core.models import LocalAuthorityArea, Organisation, OrganisationType, User
from lantern.core.roles import Role
from lantern.demo import partnership


@pytest.fixture
def demo(db):
    return partnership.generate()


def test_at_least_forty_organisations_of_every_type(demo):
    assert demo.organisations >= 40
    types = Counter(Organisation.objects.values_list("organisation_type", flat=True))
    assert set(types) == set(OrganisationType.values)


def test_every_area_is_covered_by_several_partners(demo):
    for area in LocalAuthorityArea.objects.all():
        assert area.organisations.count() >= 5, area.name


def test_at_least_one_user_per_role_and_each_can_sign_in(demo, client):
    for role in Role:
        user = User.objects.filter(groups__name=role.value).first()
        assert user is not None, role
        response = client.post(
            reverse("core:login"), {"username": user.email, "password": partnership.DEMO_PASSWORD}
        )
        assert response.status_code == 302, role
        client.logout()


def test_demo_shows_organisations_outside_the_sharing(demo):
    assert Organisation.objects.filter(isa_signed_on__isnull=True).exists()
    assert Organisation.objects.filter(is_active=False).exists()


def test_running_it_twice_duplicates_nothing(demo):
    counts = (Organisation.objects.count(), User.objects.count())
    again = partnership.generate()
    assert (Organisation.objects.count(), User.objects.count()) == counts
    assert again.organisations == demo.organisations


def test_it_is_deterministic_from_the_seed(db):
    partnership.generate(seed=7)
    first = list(Organisation.objects.order_by("name").values_list("name", "isa_signed_on"))
    people = sorted(User.objects.values_list("email", flat=True))
    Organisation.objects.update(isa_signed_on=None)
    User.objects.all().delete()
    Organisation.objects.all().delete()
    partnership.generate(seed=7)
    assert list(Organisation.objects.order_by("name").values_list("name", "isa_signed_on")) == first
    assert sorted(User.objects.values_list("email", flat=True)) == people


def test_command_prints_the_log_ins(db, capsys):
    call_command("demo")
    output = capsys.readouterr().out
    assert "analyst@lantern.example" in output
    assert partnership.DEMO_PASSWORD in output
    for role in Role:
        assert role.value in output


def test_command_refuses_production(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("demo")
    assert not Organisation.objects.exists()


def test_hub_analysts_find_public_reports_in_both_languages_and_none_twice(demo):
    from lantern.public.models import PublicReport

    reports = PublicReport.objects.all()
    assert reports.count() >= 8
    assert set(reports.values_list("language", flat=True)) == {"en-gb", "fr"}
    assert reports.filter(immediate_danger=True).exists()
    assert reports.filter(area__isnull=False).count() == reports.count()
    # The lexicon finds something in every one of them, in either language.
    assert reports.filter(suggestions__isnull=False).distinct().count() == reports.count()

    # Dated across the demo's years, as the intelligence is, not all on the day it loads.
    dates = sorted(reports.values_list("submitted_at", flat=True))
    assert dates[0].year == partnership.FIRST_DAY.year
    assert len({date.year for date in dates}) >= 5
    assert dates[-1] <= timezone.now()

    partnership.generate()
    assert PublicReport.objects.count() == reports.count()
    assert sorted(reports.values_list("submitted_at", flat=True)) == dates
