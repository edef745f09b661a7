"""Single sign-on through an organisation's own OpenID Connect provider.

mozilla-django-oidc runs the protocol: the authorisation request with state, nonce and
PKCE, the code exchanged at the token endpoint, and the ID token's signature checked
against the provider's published keys (JWKS), its expiry and its nonce. Lantern adds, per
organisation (``IdentityProvider``): whose provider it is, the issuer and audience the
token must name, and the one rule that matters most — the provider may only sign in an
account that already exists, is active, belongs to *its* organisation and has a verified
address in one of its domains. Nothing is created, nothing is matched across
organisations, and each refusal is audited with its reason
(docs/adr/0028-accounts-sso-and-access-review.md).
"""

import logging
from typing import Any

import jwt
import requests
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import HttpRequest
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from lantern.accounts.models import IdentityProvider, IdentityProviderDevice
from lantern.core import audit
from lantern.core.models import User, normalise_email

logger = logging.getLogger(__name__)

# Which provider each outstanding authorisation request (by its state) was sent to.
STATES_SESSION_KEY = "lantern_sso_states"
# Why the last attempt was refused, for the page that says so (never the detail).
REFUSAL_ATTRIBUTE = "lantern_sso_refused"


def remember_state(request: HttpRequest, state: str, provider: IdentityProvider) -> None:
    states = request.session.get(STATES_SESSION_KEY, {})
    states[state] = provider.pk
    request.session[STATES_SESSION_KEY] = states


def _provider_for_state(request: HttpRequest) -> IdentityProvider | None:
    states = request.session.get(STATES_SESSION_KEY, {})
    provider_id = states.pop(request.GET.get("state", ""), None)
    request.session[STATES_SESSION_KEY] = states
    if provider_id is None:
        return None
    return (
        IdentityProvider.objects.select_related("organisation")
        .filter(pk=provider_id, is_active=True, organisation__is_active=True)
        .first()
    )


class ProviderBackend(OIDCAuthenticationBackend):
    """The library's backend, configured for the provider the sign-in was sent to."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The library reads one provider from the settings here; ours is per request.
        self.UserModel = User
        self.provider: IdentityProvider | None = None

    def _configure(self, provider: IdentityProvider) -> None:
        self.provider = provider
        self.OIDC_OP_TOKEN_ENDPOINT = provider.token_endpoint
        self.OIDC_OP_USER_ENDPOINT = None
        self.OIDC_OP_JWKS_ENDPOINT = provider.jwks_uri
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.OIDC_RP_CLIENT_SECRET = provider.client_secret
        self.OIDC_RP_SIGN_ALGO = self.get_settings("OIDC_RP_SIGN_ALGO", "RS256")
        self.OIDC_RP_IDP_SIGN_KEY = None

    def _refuse(self, reason: str, *, email: str = "", **detail: object) -> None:
        """Audit a refused sign-in; the page says only that it did not work."""
        assert self.provider is not None
        setattr(self.request, REFUSAL_ATTRIBUTE, reason)
        audit.record(
            action=audit.Action.SSO_REFUSED,
            actor_email=email,
            request=self.request,
            detail={
                "reason": reason,
                "organisation": self.provider.organisation.name,
                "issuer": self.provider.issuer,
                **detail,
            },
        )

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        # Only the callback of a sign-in Lantern itself started comes with a nonce.
        if request is None or "nonce" not in kwargs or "code" not in request.GET:
            return None
        provider = _provider_for_state(request)
        if provider is None:
            return None
        self._configure(provider)
        self.request = request
        try:
            return super().authenticate(request, **kwargs)
        except (SuspiciousOperation, jwt.PyJWTError) as error:
            self._refuse("the provider's token is not valid", error=str(error)[:200])
        except (requests.RequestException, ValueError, KeyError) as error:
            logger.warning("Single sign-on with %s failed: %r", provider.issuer, error)
            self._refuse("the provider could not be reached", error=type(error).__name__)
        return None

    def get_user(self, user_id: int) -> User | None:
        # Django's own check: a deactivated account's session ends at its next request.
        return ModelBackend.get_user(self, user_id)

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """The library checks signature, expiry and nonce; the issuer and audience must be
        this provider's and this client's, or another tenant's token would do."""
        payload = super().verify_token(token, **kwargs)
        assert self.provider is not None
        if payload.get("iss") != self.provider.issuer:
            raise SuspiciousOperation("the token names another issuer")
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.provider.client_id not in audiences:
            raise SuspiciousOperation("the token is for another client")
        if "exp" not in payload:
            raise SuspiciousOperation("the token never expires")
        return payload

    def get_userinfo(self, access_token: str, id_token: str, payload: dict) -> dict:
        """The claims of the signed ID token, rather than the userinfo endpoint's answer:
        the signature vouches for them (Entra ID's userinfo omits what is needed)."""
        return payload

    def verify_claims(self, claims: dict) -> bool:
        assert self.provider is not None
        email = claims.get("email")
        if not isinstance(email, str) or not email.strip():
            self._refuse("the provider gave no email address")
            return False
        email = normalise_email(email)
        # Entra ID sends no email_verified; its xms_edov says the tenant owns the domain.
        if claims.get("email_verified") is not True and claims.get("xms_edov") is not True:
            self._refuse("the provider has not verified the email address", email=email)
            return False
        domain = email.rpartition("@")[2]
        if domain not in self.provider.domains:
            self._refuse("an email address outside the organisation's domains", email=email)
            return False
        return True

    def filter_users_by_claims(self, claims: dict) -> Any:
        """Active accounts of the provider's own organisation only."""
        assert self.provider is not None
        return User.objects.filter(
            email=normalise_email(claims["email"]),
            organisation=self.provider.organisation,
            is_active=True,
        )

    def _provider_checked_two_factors(self, claims: dict) -> bool:
        assert self.provider is not None
        if not self.provider.trust_provider_mfa:
            return False
        methods = claims.get("amr")
        if isinstance(methods, list) and "mfa" in methods:
            return True
        return bool(self.provider.acr_values) and claims.get("acr") in self.provider.acr_values

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict) -> User | None:
        """The existing account, never a new one; with the provider's second factor
        standing for Lantern's only where the partnership trusts it."""
        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims):
            return None
        users = list(self.filter_users_by_claims(claims))
        email = normalise_email(claims["email"])
        if len(users) != 1:
            self._refuse("no active account of this organisation has this address", email=email)
            return None
        user = users[0]
        assert self.provider is not None
        second_factor = self._provider_checked_two_factors(claims)
        with transaction.atomic():
            if second_factor:
                device, _created = IdentityProviderDevice.objects.get_or_create(
                    user=user,
                    provider=self.provider,
                    defaults={"name": self.provider.organisation.name[:64], "confirmed": True},
                )
                # django-otp keeps it in the session when Django signs the user in.
                user.otp_device = device
            audit.record(
                action=audit.Action.SSO_SIGN_IN,
                actor=user,
                target=user,
                request=self.request,
                detail={
                    "organisation": self.provider.organisation.name,
                    "issuer": self.provider.issuer,
                    "second_factor": "provider" if second_factor else "lantern",
                },
            )
        return user
