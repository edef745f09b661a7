"""Signing in through one's organisation's own identity provider (OpenID Connect)."""

from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import View
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from lantern.accounts import selectors
from lantern.accounts.forms import ProviderEmailForm
from lantern.accounts.sso import remember_state
from lantern.core import audit


def _posted(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


@never_cache
def sign_in(request: HttpRequest) -> HttpResponse:
    """Ask for the work address; offer "Sign in with <organisation>" for its domain."""
    form = ProviderEmailForm(_posted(request))
    provider = None
    if form.is_valid():
        provider = selectors.identity_provider_for(form.cleaned_data["email"])
        if provider is None:
            form.add_error(
                "email",
                _(
                    "Your organisation does not sign in to Lantern with its own accounts. "
                    "Sign in with your email address and password."
                ),
            )
    return render(
        request,
        "accounts/sso_sign_in.html",
        {"form": form, "provider": provider, "next": request.GET.get("next", "")},
        status=400 if form.errors else 200,
    )


class StartSignIn(OIDCAuthenticationRequestView):
    """The library's authorisation request, sent to the chosen organisation's provider."""

    def __init__(self, **kwargs: Any) -> None:
        # The library reads one provider from the settings here; ours comes with the URL.
        View.__init__(self, **kwargs)

    def get(self, request: HttpRequest, provider_id: int) -> HttpResponse:
        provider = selectors.identity_provider(provider_id)
        self.OIDC_OP_AUTH_ENDPOINT = provider.authorization_endpoint
        self.OIDC_RP_CLIENT_ID = provider.client_id
        response = super().get(request)
        state = parse_qs(urlsplit(response["Location"]).query)["state"][0]
        remember_state(request, state, provider)
        return response


class FinishSignIn(OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with a code; the backend checks it."""

    @property
    def failure_url(self) -> str:
        return reverse("accounts:sso_sign_in")

    def login_failure(self) -> HttpResponse:
        messages.error(
            self.request,
            _(
                "Lantern could not sign you in through your organisation. Only people who "
                "already have a Lantern account in that organisation can. Ask your "
                "organisation's Lantern administrator."
            ),
        )
        return HttpResponseRedirect(self.failure_url)

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            return super().get(request)
        except SuspiciousOperation as error:
            # A state this browser never asked for: a replay, or another browser's link.
            audit.record(
                action=audit.Action.SSO_REFUSED,
                request=request,
                detail={"reason": "unknown or reused state", "error": str(error)[:200]},
            )
            return self.login_failure()


start_sign_in = never_cache(StartSignIn.as_view())
finish_sign_in = never_cache(FinishSignIn.as_view())
