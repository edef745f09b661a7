"""What every public page needs: the quick-exit address and the portal's navigation."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def portal(request: HttpRequest) -> dict[str, Any]:
    items = [
        {"label": _("Spot the signs"), "href": reverse("public:signs")},
        {"label": _("Get help"), "href": reverse("public:get_help")},
        {"label": _("Report a concern"), "href": reverse("public:report_start")},
    ]
    for item in items:
        item["current"] = request.path.startswith(item["href"])
    return {"exit_url": settings.PUBLIC_EXIT_URL, "public_navigation": items}
