"""Values every page's header needs: language links and the signed-in user's navigation."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse, translate_url
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lantern.core import access
from lantern.core import session_timeout as timeout
from lantern.core.middleware import second_factor_step


def navigation(request: HttpRequest) -> dict[str, Any]:
    current = get_language()
    languages = [
        {
            "code": code,
            "name": name,
            "href": translate_url(request.get_full_path(), code),
            "current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]
    items = []
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and second_factor_step(user) is None:
        items.append({"label": _("Home"), "href": reverse("core:home")})
        if access.can_view_partner_directory(user):
            items.append({"label": _("Partners"), "href": reverse("core:partner_list")})
        if access.can_read_intelligence(user):
            items.append({"label": _("Intelligence"), "href": reverse("intelligence:report_list")})
            items.append({"label": _("Hotspots"), "href": reverse("intelligence:hotspots")})
        if access.can_triage_intelligence(user):
            items.append({"label": _("Matches"), "href": reverse("entities:matches")})
        # Participants of an operation reach its victims from the operation; the list is
        # for those who record them and for the hub.
        if access.can_record_victims(user) or access.can_triage_intelligence(user):
            items.append(
                {"label": _("Potential victims"), "href": reverse("safeguarding:victim_list")}
            )
        if access.can_read_operations(user):
            items.append({"label": _("Operations"), "href": reverse("operations:operation_list")})
        if access.can_read_action_plan(user):
            items.append({"label": _("Action plan"), "href": reverse("evaluation:action_plan")})
        if access.can_answer_taskings(user):
            items.append({"label": _("Taskings"), "href": reverse("intelligence:taskings")})
        if access.can_view_public_reports(user):
            items.append({"label": _("Public reports"), "href": reverse("public:report_list")})
        if access.can_manage_campaigns(user):
            items.append({"label": _("Campaigns"), "href": reverse("outreach:campaign_list")})
        if access.can_view_kpis(user):
            items.append({"label": _("Key indicators"), "href": reverse("evaluation:kpi_list")})
        if access.can_book_training(user):
            items.append({"label": _("Training"), "href": reverse("outreach:training")})
        if access.can_manage_organisation_users(user):
            items.append({"label": _("Users"), "href": reverse("accounts:user_list")})
        elif access.can_oversee_access_reviews(user):
            items.append({"label": _("Access reviews"), "href": reverse("accounts:access_reviews")})
        items.append({"label": _("Account security"), "href": reverse("core:security")})
        if access.can_administer(user):
            items.append({"label": _("Administration"), "href": reverse("admin:index")})
    # The current item is the one whose address is the longest start of the page's path,
    # so that /intelligence/taskings/ is under Taskings, not also under Intelligence.
    home = reverse("core:home")
    within = [
        item["href"]
        for item in items
        if request.path == item["href"]
        or (item["href"] != home and request.path.startswith(item["href"]))
    ]
    current = max(within, key=len, default=None)
    for item in items:
        item["current"] = item["href"] == current
    return {"language_links": languages, "service_navigation": items}


def session_timeout(request: HttpRequest) -> dict[str, Any]:
    """The time-out warning for signed-in pages (the public app adds its own for drafts)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return {"session_timeout": timeout.for_staff(request)}
    return {"session_timeout": None}
