"""What an action's evidence may point at, and how each kind of reference is checked.

Evidence is a kind and a reference, so that a record of an app installed later (the
outreach app's campaigns and courses) is linked without a change to the schema: a checker
is registered for its kind here (``register``), and until one is the kind is not offered
and is refused. Evaluation checks campaigns and courses itself (``check_campaign``,
``check_course``): outreach sits below evaluation and may not import it. Each checker
returns the reference as stored, or raises a ``ValidationError`` naming the ``reference``
field; it sees only what the user may read.
"""

import re
from collections.abc import Callable
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext as _

from lantern.core import access
from lantern.core.models import User
from lantern.evaluation.models import EvidenceKind
from lantern.outreach.selectors import campaigns as campaign_selectors
from lantern.outreach.selectors import training as training_selectors

Checker = Callable[[User, str], str]

_OPERATION_REFERENCE = re.compile(r"[A-Z0-9-]{1,12}")
# A KPI's code as the KPI register writes it, for example NRM_REFERRALS or KPI-07.
_KPI_CODE = re.compile(r"[A-Z0-9][A-Z0-9_.-]{0,39}")
# A campaign's code: six characters of the reference alphabet (ADR 0019).
_CAMPAIGN_CODE = re.compile(r"[A-Z0-9]{6}")
# A course's number, as its page's address shows it (/training/courses/12/).
_COURSE_NUMBER = re.compile(r"[0-9]{1,9}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\s]")


def _refuse(message: str) -> ValidationError:
    return ValidationError({"reference": message})


def check_operation(user: User, reference: str) -> str:
    """A joint operation the user may read, by its reference."""
    reference = reference.strip().upper()
    found = _OPERATION_REFERENCE.fullmatch(reference) and (
        access.readable_operations(user).filter(reference=reference).exists()
    )
    if not found:
        raise _refuse(_("Enter the reference of a joint operation you may read, like K7PD-3XQA"))
    return reference


def check_kpi(user: User, reference: str) -> str:
    """A KPI by its code. The KPI register checks that the code exists once it registers
    its own checker for this kind; until then the code's shape is checked."""
    code = reference.strip().upper()
    if not _KPI_CODE.fullmatch(code):
        raise _refuse(_("Enter the KPI’s code, like NRM_REFERRALS"))
    return code


def check_campaign(user: User, reference: str) -> str:
    """An awareness campaign the user may read, by its code; any other is refused with the
    same message, so that the answer does not tell which codes exist."""
    code = reference.strip().upper()
    found = _CAMPAIGN_CODE.fullmatch(code) and (
        campaign_selectors.campaigns(user).filter(code=code).exists()
    )
    if not found:
        raise _refuse(_("Enter the code of a campaign you may read, like K7PD3X"))
    return code


def check_course(user: User, reference: str) -> str:
    """A training course the user may read, by its number; any other is refused with the
    same message, so that the answer does not tell which courses exist."""
    number = reference.strip()
    found = _COURSE_NUMBER.fullmatch(number) and (
        training_selectors.courses(user).filter(pk=int(number)).exists()
    )
    if not found:
        raise _refuse(
            _("Enter the number of a training course you may read, like 12 (from its address)")
        )
    return str(int(number))


def check_page(user: User, reference: str) -> str:
    """An address inside Lantern (a path such as /operations/K7PD-3XQA/), never another site."""
    address = reference.strip()
    parts = urlsplit(address) if not _CONTROL.search(address) else None
    if (
        parts is None
        or parts.scheme
        or parts.netloc
        or not parts.path.startswith("/")
        or parts.path.startswith("//")
        or not _resolves(parts.path)
    ):
        raise _refuse(_("Enter the address of a page in Lantern, starting with /"))
    return address


def _resolves(path: str) -> bool:
    for language in ("en-gb", "fr"):
        with translation.override(language):
            try:
                resolve(path)
            except Resolver404:
                continue
            return True
    return False


_checkers: dict[str, Checker] = {
    EvidenceKind.OPERATION: check_operation,
    EvidenceKind.KPI: check_kpi,
    EvidenceKind.PAGE: check_page,
    EvidenceKind.CAMPAIGN: check_campaign,
    EvidenceKind.COURSE: check_course,
}


def register(kind: str, checker: Checker) -> None:
    """Let evidence of ``kind`` be linked, checked by ``checker`` (the outreach app's
    campaigns and courses, the KPI register's codes)."""
    _checkers[kind] = checker


def available_kinds() -> list[tuple[str, str]]:
    """The kinds that can be linked now, as choices."""
    return [(kind, label) for kind, label in EvidenceKind.choices if kind in _checkers]


def check(user: User, kind: str, reference: str) -> str:
    """The reference as stored, or a ``ValidationError`` that names the field at fault."""
    checker = _checkers.get(kind)
    if checker is None:
        raise ValidationError({"kind": _("Select a kind of evidence from the list")})
    if not reference or not reference.strip():
        raise _refuse(_("Enter the reference of the evidence"))
    if len(reference) > 200:
        raise _refuse(_("The reference must be 200 characters or fewer"))
    return checker(user, reference)
