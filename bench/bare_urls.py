"""Lantern's URLs plus ``POST /bench/bare/``, a view that inserts one row and nothing else.

It goes through the same middleware as the report form (sessions, CSRF, locale, security
headers, authentication), so the difference between the two is the report's own work.
The table is the benchmark's, created with raw SQL, so that no migration of Lantern knows it.
"""

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_POST

from lantern.urls import urlpatterns as lantern_urlpatterns

TABLE = "bench_bare_row"


def create_table() -> None:
    """Run by bench/public_report.py before the server starts, with the server's settings."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} "
            "(row_key VARCHAR(36) NOT NULL PRIMARY KEY, inserted_at TIMESTAMP NOT NULL)"
        )


@require_POST
def bare(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (row_key, inserted_at) VALUES (%s, CURRENT_TIMESTAMP)",
            [request.POST["key"]],
        )
    return HttpResponse(status=204)


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *lantern_urlpatterns]
