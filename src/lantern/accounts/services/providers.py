"""Setting up an organisation's identity provider: its endpoints read from the issuer's
OpenID Connect discovery document, so an administrator types only the issuer."""

from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lantern.accounts.models import IdentityProvider

ENDPOINTS = ("authorization_endpoint", "token_endpoint", "jwks_uri")
# Plain HTTP only to this machine (a provider run by the tests, or a developer's own).
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


def _secure(url: object) -> bool:
    if not isinstance(url, str):
        return False
    parts = urlsplit(url)
    return parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOCAL_HOSTS)


def discover(provider: IdentityProvider) -> None:
    """Fill ``provider``'s endpoints from its issuer's discovery document (not saved).

    Raises ``ValidationError`` naming the issuer field when the document cannot be read,
    names another issuer, or gives an endpoint that is not HTTPS.
    """
    if not _secure(provider.issuer):
        raise ValidationError({"issuer": _("Enter the issuer's HTTPS address")})
    address = provider.issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        response = requests.get(address, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError):
        raise ValidationError(
            {"issuer": _("Lantern could not read this provider's discovery document")}
        ) from None
    if not isinstance(document, dict) or document.get("issuer") != provider.issuer:
        raise ValidationError(
            {"issuer": _("The provider's discovery document names another issuer")}
        )
    if not all(_secure(document.get(name)) for name in ENDPOINTS):
        raise ValidationError(
            {"issuer": _("The provider's discovery document gives an address that is not HTTPS")}
        )
    for name in ENDPOINTS:
        setattr(provider, name, document[name])


def claimed_domains(exclude: IdentityProvider | None = None) -> dict[str, str]:
    """Each email domain already given to a provider, with its organisation's name."""
    providers = IdentityProvider.objects.select_related("organisation")
    if exclude is not None and exclude.pk is not None:
        providers = providers.exclude(pk=exclude.pk)
    return {
        domain: provider.organisation.name for provider in providers for domain in provider.domains
    }
