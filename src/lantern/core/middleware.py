"""Second-factor enforcement.

A user who has enrolled a second factor must confirm it after their password before
anything else; when ``LANTERN_REQUIRE_SECOND_FACTOR`` is on (always in production) a user
without one must enrol first. Until then only the pages that do this, signing out and the
language switch are reachable.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import resolve
from django.urls.exceptions import Resolver404
from django_otp import user_has_device

from lantern.core.models import User


def second_factor_step(user: User) -> str | None:
    """The page a signed-in user must go through first, if any, for their second factor."""
    if not user.is_authenticated or user.is_verified():
        return None
    if user_has_device(user, confirmed=True):
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
