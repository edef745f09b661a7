"""Reads for the core pages. Every query starts from the access policy."""

import re
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lantern.core import access, lookups, normalisers
from lantern.core.access import NotFoundOrNotAllowed
from lantern.core.models import ApiToken, LocalAuthorityArea, Organisation, OrganisationType, User
from lantern.core.roles import ROLE_DESCRIPTIONS, Role

# An ONS GSS code, e.g. E06000016. Anything else is ignored rather than sent to the database
# (PostgreSQL refuses a NUL byte with an error).
_GSS_CODE = re.compile(r"[EWSN]\d{8}")
# The four things police need partners for (DOMAIN.md §7), as filter choices.
CAPABILITY_CHOICES = [
    ("victims", _("working with victims")),
    ("operations", _("planning operations")),
    ("intelligence", _("building the intelligence picture")),
    ("information", _("information about premises, companies and people")),
]
_CAPABILITY_FIELDS = {
    "victims": "helps_with_victims",
    "operations": "helps_with_operations",
    "intelligence": "helps_with_intelligence",
    "information": "helps_with_information",
}


@dataclass(frozen=True)
class RoleSummary:
    role: Role
    description: str


def home_roles(user: User) -> list[RoleSummary]:
    return [RoleSummary(role=role, description=ROLE_DESCRIPTIONS[role]) for role in user.roles()]


def partner_directory(
    user: User,
    *,
    organisation_type: str = "",
    area_code: str = "",
    capability: str = "",
    first_responders_only: bool = False,
) -> QuerySet[Organisation]:
    """Active partner organisations, filtered; empty for anyone outside the sharing."""
    organisations = access.visible_partner_organisations(user)
    if organisation_type in OrganisationType.values:
        organisations = organisations.filter(organisation_type=organisation_type)
    if _GSS_CODE.fullmatch(area_code):
        organisations = organisations.filter(areas__gss_code=area_code)
    if capability in _CAPABILITY_FIELDS:
        organisations = organisations.filter(**{_CAPABILITY_FIELDS[capability]: True})
    if first_responders_only:
        organisations = organisations.filter(is_first_responder=True)
    return organisations.annotate(
        member_count=Count("members", filter=Q(members__is_active=True), distinct=True)
    ).prefetch_related("areas")


def partner_detail(user: User, organisation_id: int) -> Organisation:
    """One partner; ``NotFoundOrNotAllowed`` alike for one that does not exist and one not
    visible."""
    try:
        return (
            access.visible_partner_organisations(user)
            .prefetch_related("areas")
            .get(pk=organisation_id)
        )
    except Organisation.DoesNotExist as missing:
        raise NotFoundOrNotAllowed from missing


def partner_contacts(user: User, organisation: Organisation) -> QuerySet[User]:
    """The active people of a visible partner, for getting in touch."""
    if not access.visible_partner_organisations(user).filter(pk=organisation.pk).exists():
        return User.objects.none()
    return organisation.members.filter(is_active=True).order_by("full_name")


def area_choices() -> list[tuple[str, str]]:
    """Areas as (GSS code, name) pairs, for filters."""
    return list(LocalAuthorityArea.objects.values_list("gss_code", "name"))


def area_id_for_postcode(postcode: str) -> int | None:
    """The best-guess local authority area of a normalised postcode (DOMAIN.md §6).

    Districts that straddle a boundary belong to the first area listing them, largest
    first; a partnership replaces the mapping with the ONS Postcode Directory for precision.
    """
    return lookups.areas_by_district().get(normalisers.outward_code(postcode))


def area_for_postcode(postcode: str) -> LocalAuthorityArea | None:
    area_id = area_id_for_postcode(postcode)
    return LocalAuthorityArea.objects.filter(pk=area_id).first() if area_id else None


def api_tokens(viewer: User | None = None, *, account: User | None = None) -> QuerySet[ApiToken]:
    """API tokens (hashes and their first characters only), by account and age.

    ``viewer`` is the administrator asking through the admin site; the operator's
    ``lantern api-token list`` runs with no viewer, as the server's own command.
    """
    tokens = ApiToken.objects.select_related("user").order_by("user__email", "created")
    if viewer is not None and not access.can_administer(viewer):
        return tokens.none()
    if account is not None:
        tokens = tokens.filter(user=account)
    return tokens


def account_by_email(email: str) -> User | None:
    """The account an operator names by email (case does not matter), if there is one."""
    return User.objects.filter(email__iexact=email.strip()).first()
