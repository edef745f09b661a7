"""What the operation pages show, shaped so that templates stay free of logic.

Links into the safeguarding pages are built here, and left out if those pages are not
installed: an operation page never fails because another app's page is missing.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

from lantern.core import access
from lantern.core.models import User
from lantern.operations import selectors
from lantern.operations.models import Operation, Target
from lantern.safeguarding.models import PotentialVictim


def url_or_none(name: str, *args: object, query: dict[str, object] | None = None) -> str | None:
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return None
    return f"{url}?{urlencode(query)}" if query else url


@dataclass(frozen=True)
class VictimRow:
    """A potential victim by pseudonymous reference and non-identifying facts only."""

    reference: str
    url: str | None
    target: str
    organisation: str
    awaiting_take_on: bool
    outcome: str
    referred_to_nrm: bool
    duty_to_notify: bool

    @classmethod
    def of(cls, victim: PotentialVictim) -> "VictimRow":
        return cls(
            reference=victim.reference,
            url=url_or_none("safeguarding:victim", victim.reference),
            target=victim.target.description if victim.target_id else "",
            organisation=str(victim.identified_by),
            awaiting_take_on=victim.handed_over_by_id is not None and victim.taken_on_at is None,
            outcome=victim.get_outcome_display() if victim.outcome else "",
            referred_to_nrm=hasattr(victim, "nrm_referral"),
            duty_to_notify=hasattr(victim, "duty_to_notify"),
        )


def victim_rows(user: User, operation: Operation) -> list[VictimRow]:
    return [VictimRow.of(victim) for victim in selectors.victims(user, operation)]


def hand_over_url(user: User, operation: Operation) -> str | None:
    """Where the people found are handed over: while the operation is live or debriefing."""
    if not (operation.can_be_debriefed and access.can_hand_over_victims(user, operation)):
        return None
    return reverse("operations:hand_over", args=[operation.reference])


def record_victim_url(user: User, operation: Operation, target: Target) -> str | None:
    """Where a safeguarding lead records a person found at this target, once it went live."""
    if not (operation.can_be_debriefed and access.can_record_victims(user)):
        return None
    return url_or_none(
        "safeguarding:victim_create", query={"operation": operation.pk, "target": target.pk}
    )
