"""References read out on the phone, and records stored once per submission key."""

import re
import uuid

from lantern.core import references
from lantern.public.models import PublicReport
from lantern.public.services import submit_report
from tests.public.test_report import ANSWERS


def answers() -> dict:
    merged: dict = {}
    for page in ANSWERS.values():
        merged.update(page)
    return merged


def test_a_reference_has_no_characters_that_sound_or_look_alike():
    for _ in range(200):
        assert re.fullmatch(
            r"[ACDEFGHJKMNPQRTWXY34679]{4}-[ACDEFGHJKMNPQRTWXY34679]{4}", references.new_reference()
        )


def test_a_taken_reference_is_replaced_by_a_fresh_one(db, monkeypatch):
    first, _ = submit_report(submission_key=uuid.uuid4(), answers=answers(), language="en-gb")
    offered = iter([first.reference, "ACDE-FGHJ"])
    monkeypatch.setattr(references, "new_reference", lambda: next(offered))

    second, token = submit_report(submission_key=uuid.uuid4(), answers=answers(), language="en-gb")

    assert second.reference == "ACDE-FGHJ"
    assert token is not None
    assert PublicReport.objects.count() == 2


def test_the_same_key_returns_the_stored_record_without_a_token(db):
    key = uuid.uuid4()
    first, token = submit_report(submission_key=key, answers=answers(), language="en-gb")

    again, no_token = submit_report(submission_key=key, answers=answers(), language="en-gb")

    assert again == first and token and no_token is None
    assert PublicReport.objects.count() == 1
