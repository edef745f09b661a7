"""Personal details are encrypted at rest; the age group follows the age."""

import datetime

import pytest
from django.db import connection

from lantern.safeguarding.models import AgeGroup, PotentialVictim, age_on
from tests.safeguarding.factories import VictimFactory


@pytest.mark.django_db
def test_encrypted_columns_hold_no_plaintext():
    victim = VictimFactory(
        name="Zdenka Novakova",
        date_of_birth=datetime.date(1991, 7, 14),
        contact="07700 900123",
        address="14 Hidden Lane, Leicester",
        immigration_status="Visa overstayer",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, date_of_birth, contact, address, immigration_status "
            "FROM safeguarding_potentialvictim WHERE id = %s",
            [victim.pk],
        )
        stored = [str(value) for value in cursor.fetchone()]
    for plaintext in ("Zdenka", "1991", "900123", "Hidden Lane", "overstayer"):
        assert not any(plaintext in value for value in stored), plaintext
    assert PotentialVictim.objects.get(pk=victim.pk).name == "Zdenka Novakova"
    assert PotentialVictim.objects.get(pk=victim.pk).date_of_birth == datetime.date(1991, 7, 14)


@pytest.mark.parametrize(
    ("age", "group"), [(None, AgeGroup.UNKNOWN), (17, AgeGroup.CHILD), (18, AgeGroup.ADULT)]
)
def test_age_group(age, group):
    assert PotentialVictim(age_at_identification=age).age_group == group


def test_age_on_counts_whole_years():
    assert age_on(datetime.date(2008, 3, 2), datetime.date(2026, 3, 1)) == 17
    assert age_on(datetime.date(2008, 3, 2), datetime.date(2026, 3, 2)) == 18
