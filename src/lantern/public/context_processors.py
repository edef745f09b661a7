"""What every public page needs: the quick-exit address and the portal's navigation."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lantern.core import session_timeout
from lantern.public.drafts import Draft


def portal(request: HttpRequest) -> dict[str, Any]:
    items = [
        {"label": _("Spot the signs"), "href": reverse("public:signs")},
        {"label": _("Get help"), "href": reverse("public:get_help")},
        {"label": _("Report a concern"), "href": reverse("public:report_start")},
    ]
    for item in items:
        item["current"] = request.path.startswith(item["href"])
    context: dict[str, Any] = {
        "exit_url": settings.PUBLIC_EXIT_URL,
        "public_navigation": items,
    }
    # Answers kept between the report form's pages are lost when the session ends: warn
    # before it does (the pages say the limit, and the start page says it beforehand).
    start = reverse("public:report_start")
    if request.path.startswith(start) and Draft.SESSION_KEY in request.session:
        context["session_timeout"] = session_timeout.for_draft(
            request, timed_out_url=f"{start}?timed_out=1"
        )
    return context
