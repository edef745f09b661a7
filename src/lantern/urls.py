"""Lantern's URLs. Pages are served in English at / and in French under /fr/."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from lantern.core import views as core_views
from lantern.core.admin import site as admin_site

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", include("lantern.intelligence.api")),
]

urlpatterns += i18n_patterns(
    path("admin/", admin_site.urls),
    path("", include("lantern.public.urls")),
    path("", include("lantern.intelligence.urls")),
    path("", include("lantern.entities.urls")),
    path("", include("lantern.safeguarding.urls")),
    path("", include("lantern.operations.urls")),
    path("", include("lantern.outreach.urls")),
    path("", include("lantern.evaluation.urls")),
    path("", include("lantern.accounts.urls")),
    path("", include("lantern.housekeeping.urls")),
    path("", include("lantern.core.urls")),
    prefix_default_language=False,
)
