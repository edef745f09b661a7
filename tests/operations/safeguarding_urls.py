"""Stand-ins for the safeguarding pages the operation pages link to, to test those links
whether or not the safeguarding app's own pages are installed."""

from django.http import HttpResponse
from django.urls import include, path


def _page(request, **kwargs) -> HttpResponse:
    return HttpResponse()


urlpatterns = [
    path(
        "safeguarding/",
        include(
            (
                [
                    path("victims/new/", _page, name="victim_create"),
                    path("victims/<str:reference>/", _page, name="victim"),
                ],
                "safeguarding",
            )
        ),
    ),
]
