"""Second-factor enforcement, responses kept by no cache, input that is not text.

A user who has enrolled a second factor must confirm it after their password before
anything else; when ``LANTERN_REQUIRE_SECOND_FACTOR`` is on (always in production) a user
without one must enrol first. Until then only the pages that do this, signing out and the
language switch are reachable.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.handlers.exception import response_for_exception
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import resolve
from django.urls.exceptions import Resolver404
from django.utils.cache import add_never_cache_headers
from django_otp import devices_for_user

from lantern.core import text
from lantern.core.access import NotFoundOrNotAllowed
from lantern.core.caching import is_public_content
from lantern.core.models import User


def has_code_device(user: User) -> bool:
    """Whether ``user`` has a confirmed device they can type a code from.

    A device that declares ``accepts_codes = False`` (the organisation's identity provider
    standing for its own second factor, accounts app) verifies a session but never a code:
    on its own it neither sends anyone to the code page nor counts as enrolled.
    """
    return any(
        getattr(device, "accepts_codes", True) for device in devices_for_user(user, confirmed=True)
    )


def second_factor_step(user: User) -> str | None:
    """The page a signed-in user must go through first, if any, for their second factor."""
    if not user.is_authenticated or user.is_verified():
        return None
    if has_code_device(user):
        return "core:verify"
    if settings.LANTERN_REQUIRE_SECOND_FACTOR:
        return "core:security"
    return None


_ALWAYS_REACHABLE = {
    "core:verify",
    "core:security",
    "core:logout",
    "core:session_extend",
    "healthz",
}


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        redirect_to = self._required_step(request)
        if redirect_to is not None:
            return redirect(redirect_to)
        return self.get_response(request)

    def _required_step(self, request: HttpRequest) -> str | None:
        step = second_factor_step(request.user)
        if step is None or request.path.startswith(settings.STATIC_URL):
            return None
        try:
            view_name = resolve(request.path_info).view_name
        except Resolver404:
            return None
        return None if view_name in _ALWAYS_REACHABLE else step


class NoStoreMiddleware:
    """Every response is ``Cache-Control: no-store`` but the public information pages'.

    Signed-in users always get ``no-store`` (their pages carry restricted data, or at least
    their name); so do the API's answers, whose token is read only inside the view, after
    this middleware has seen an anonymous request. An anonymous visitor's page is left to
    the view only when the view is marked ``public_content`` (core/caching.py).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.lantern_public_content = False
        response = self.get_response(request)
        if request.user.is_authenticated or not request.lantern_public_content:
            add_never_cache_headers(response)
        return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: object,
        view_kwargs: object,
    ) -> None:
        request.lantern_public_content = is_public_content(view_func)


class UnreadableInputMiddleware:
    """Refuses a query string or form holding text that cannot be stored (core/text.py).

    Django decodes a form with the charset its ``Content-Type`` names, any codec Python
    knows: ``unicode_escape`` turns ``\\ud800`` typed in a field into a lone surrogate that
    would fail the insert or the page echoing it with a server error. Nothing is stored and
    no view runs; the 400 names the field.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        fields = list(request.GET.lists())
        if request.method == "POST":
            fields += list(request.POST.lists())
        names = text.unreadable_fields(fields)
        if names:
            return render(
                request,
                "core/unreadable_input.html",
                {"messages_for_fields": [text.unreadable_message(name) for name in names]},
                status=400,
            )
        return self.get_response(request)


class NotFoundMiddleware:
    """Turn the domain's "not found or not allowed" into the site's ordinary 404 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotFoundOrNotAllowed):
            return response_for_exception(request, Http404())
        return None
