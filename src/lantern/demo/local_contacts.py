"""The demo's local contacts: each area's council services, the police and the hub.

The numbers are in Ofcom's ranges reserved for drama (0116 496 0xxx, 01632 960xxx), so
that nobody rings a real council from the demo; 101 is the national non-emergency number.
"""

import csv
from pathlib import Path

from django.db import transaction

from lantern.core.models import LocalAuthorityArea
from lantern.public.models import LocalContact

DATA = Path(__file__).resolve().parent / "data" / "local_contacts.csv"


@transaction.atomic
def generate() -> int:
    """Create the contacts the demo areas lack (idempotent); return how many were added."""
    areas = {area.gss_code: area for area in LocalAuthorityArea.objects.all()}
    added = 0
    with DATA.open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            targets = areas.values() if row["area"] == "*" else [areas[row["area"]]]
            for area in targets:
                _, created = LocalContact.objects.get_or_create(
                    area=area,
                    kind=row["kind"],
                    name=row["name"],
                    defaults={
                        "name_fr": row["name_fr"],
                        "phone_number": row["phone"],
                        "out_of_hours_phone_number": row["out_of_hours"],
                        "email": row["email"],
                        "website": row["website"],
                        "description": row["description"],
                        "description_fr": row["description_fr"],
                        "order": 0,
                    },
                )
                added += created
    return added
