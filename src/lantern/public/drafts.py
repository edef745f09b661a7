"""The report being filled in, kept in the visitor's session until it is sent.

Each page's answers are stored as soon as that page is valid, so going back shows what
was typed. The draft's key travels with the final "Send" and makes sending idempotent:
the same key can only ever create one report.
"""

import re
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.sessions.backends.base import SessionBase

from lantern.public import forms
from lantern.public.models import CAMPAIGN_CODE_MAX_LENGTH

_CAMPAIGN_CODE = re.compile(rf"[A-Z0-9-]{{1,{CAMPAIGN_CODE_MAX_LENGTH}}}")


@dataclass(frozen=True)
class Step:
    slug: str
    form_class: type[forms.ReportForm]


STEPS: tuple[Step, ...] = (
    Step("danger", forms.DangerForm),
    Step("what-happened", forms.WhatHappenedForm),
    Step("signs", forms.SignsForm),
    Step("exploitation", forms.ExploitationForm),
    Step("where", forms.WhereForm),
    Step("when", forms.WhenForm),
    Step("people", forms.PeopleForm),
    Step("photos", forms.PhotosForm),
    Step("contact", forms.ContactForm),
    Step("heard", forms.HeardFromForm),
)
_SLUGS = [step.slug for step in STEPS]
# Steps a report may be sent without: a draft begun before they existed still sends.
OPTIONAL_STEPS = frozenset({"heard"})

# The campaign code a visitor arrived through (``/c/<code>``), kept in the session the
# report form uses anyway, and nothing else about the visit.
CAMPAIGN_SESSION_KEY = "campaign_code"


def step(slug: str) -> Step | None:
    return next((candidate for candidate in STEPS if candidate.slug == slug), None)


def next_slug(slug: str) -> str | None:
    index = _SLUGS.index(slug)
    return _SLUGS[index + 1] if index + 1 < len(_SLUGS) else None


def previous_slug(slug: str) -> str | None:
    index = _SLUGS.index(slug)
    return _SLUGS[index - 1] if index > 0 else None


class Draft:
    SESSION_KEY = "public_report_draft"
    SENT_KEY = "public_report_sent"

    def __init__(self, session: SessionBase) -> None:
        self.session = session
        stored = session.get(self.SESSION_KEY)
        self.data: dict[str, Any] = stored or {"key": str(uuid.uuid4()), "pages": {}}

    @property
    def key(self) -> uuid.UUID:
        return uuid.UUID(self.data["key"])

    @property
    def exists(self) -> bool:
        return self.SESSION_KEY in self.session

    def answers(self, slug: str) -> dict[str, Any] | None:
        return self.data["pages"].get(slug)

    def save(self, slug: str, answers: dict[str, Any]) -> None:
        self.data["pages"][slug] = answers
        self.session[self.SESSION_KEY] = self.data

    def first_unanswered(self) -> str | None:
        return next(
            (
                slug
                for slug in _SLUGS
                if slug not in self.data["pages"] and slug not in OPTIONAL_STEPS
            ),
            None,
        )

    def all_answers(self) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for slug in _SLUGS:
            merged.update(self.data["pages"].get(slug, {}))
        return merged

    def campaign_code(self) -> str:
        """The campaign code the visitor arrived through, if it looks like one."""
        code = self.session.get(CAMPAIGN_SESSION_KEY)
        if not isinstance(code, str) or not _CAMPAIGN_CODE.fullmatch(code):
            return ""
        return code

    def mark_sent(self, *, reference: str, token: str | None, area_id: int | None = None) -> None:
        """Forget the answers; remember what the confirmation page shows."""
        sent = self.session.get(self.SENT_KEY) or {}
        if sent.get("key") != self.data["key"] or token:
            sent = {
                "key": self.data["key"],
                "reference": reference,
                "token": token,
                "area_id": area_id,
            }
        self.session[self.SENT_KEY] = sent
        self.session.pop(self.SESSION_KEY, None)

    @classmethod
    def sent(cls, session: SessionBase) -> dict[str, Any] | None:
        return session.get(cls.SENT_KEY)

    @classmethod
    def mark_link_emailed(cls, session: SessionBase) -> None:
        """Remember that the private link was emailed, so that a second press sends nothing."""
        sent = dict(session.get(cls.SENT_KEY) or {})
        sent["link_emailed"] = True
        session[cls.SENT_KEY] = sent
