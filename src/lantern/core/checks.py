"""Lantern's own deployment checks, run by ``lantern check --deploy``.

Django's deployment checks are warnings; these are errors, so the command exits non-zero
and lists everything a production installation of Lantern must not run without: keys
from the environment (not generated into var/), a second factor for every account, HTTPS,
real host names, and a backup key and directory.
"""

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import Error, Warning, register

from lantern.core.backup.crypto import MINIMUM_KEY_LENGTH

_LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1", "testserver"}


def _from_environment(variable: str) -> bool:
    return bool(os.environ.get(variable, "").strip())


@register("lantern", deploy=True)
def check_production_settings(app_configs: Any = None, **kwargs: Any) -> list[Error | Warning]:
    """Everything wrong with this configuration for production, each with its remedy."""
    problems: list[Error | Warning] = []
    if not settings.PRODUCTION:
        problems.append(
            Error(
                "LANTERN_ENV is not 'production'.",
                hint="Set LANTERN_ENV=production: secure cookies, HSTS, HTTPS redirect.",
                id="lantern.E001",
            )
        )
    for variable, purpose in (
        ("SECRET_KEY", "signs sessions and, with the salts, derives the field encryption key"),
        ("LANTERN_FIELD_ENCRYPTION_SALTS", "encrypts victims' personal details"),
        ("LANTERN_BACKUP_KEY", "encrypts backups"),
    ):
        if not _from_environment(variable):
            problems.append(
                Error(
                    f"{variable} is not set in the environment.",
                    hint=f"It {purpose}. A key generated into var/ is for local use only; "
                    "keep the production value in your secrets store, not beside the database.",
                    id="lantern.E002",
                )
            )
    backup_keys = [key for key in settings.LANTERN_BACKUP_KEY.split(",") if key.strip()]
    if backup_keys and len(backup_keys[0].strip()) < MINIMUM_KEY_LENGTH:
        problems.append(
            Error(
                f"LANTERN_BACKUP_KEY is shorter than {MINIMUM_KEY_LENGTH} characters.",
                hint="Generate one with `lantern backup --new-key`.",
                id="lantern.E003",
            )
        )
    if not settings.LANTERN_REQUIRE_SECOND_FACTOR:
        problems.append(
            Error(
                "A second factor is not required for every account.",
                hint="Unset LANTERN_REQUIRE_SECOND_FACTOR (production requires it by default).",
                id="lantern.E004",
            )
        )
    https = {
        "SECURE_SSL_REDIRECT": bool(getattr(settings, "SECURE_SSL_REDIRECT", False)),
        "SESSION_COOKIE_SECURE": bool(getattr(settings, "SESSION_COOKIE_SECURE", False)),
        "CSRF_COOKIE_SECURE": bool(getattr(settings, "CSRF_COOKIE_SECURE", False)),
        "SECURE_HSTS_SECONDS": getattr(settings, "SECURE_HSTS_SECONDS", 0) > 0,
        "SECURE_PROXY_SSL_HEADER": bool(getattr(settings, "SECURE_PROXY_SSL_HEADER", None)),
    }
    off = [name for name, on in https.items() if not on]
    if off:
        problems.append(
            Error(
                f"HTTPS is not enforced: {', '.join(off)} off.",
                hint="LANTERN_ENV=production turns them all on; serve behind a TLS proxy "
                "that sets X-Forwarded-Proto.",
                id="lantern.E005",
            )
        )
    hosts = [host for host in settings.ALLOWED_HOSTS if host not in _LOCAL_HOSTS]
    if not hosts or "*" in settings.ALLOWED_HOSTS:
        problems.append(
            Error(
                f"ALLOWED_HOSTS does not name this site's host ({settings.ALLOWED_HOSTS}).",
                hint="Set ALLOWED_HOSTS to the public host name(s), e.g. lantern.example.org; "
                "never '*'.",
                id="lantern.E006",
            )
        )
    problems.extend(_backup_directory_problems())
    if settings.DEBUG:
        problems.append(Error("DEBUG is on.", hint="Unset DEBUG.", id="lantern.E008"))
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        problems.append(
            Warning(
                "The database is SQLite.",
                hint="A partnership's production data belongs in PostgreSQL (DATABASE_URL).",
                id="lantern.W001",
            )
        )
    return problems


def _backup_directory_problems() -> list[Error]:
    directory = settings.LANTERN_BACKUP_DIR
    if not directory or not _from_environment("LANTERN_BACKUP_DIR"):
        return [
            Error(
                "LANTERN_BACKUP_DIR is not set in the environment.",
                hint="Point it at a directory copied off this machine; schedule "
                "`lantern backup` (README, 'Running in production').",
                id="lantern.E007",
            )
        ]
    path = Path(directory)
    if not path.is_dir() or not os.access(path, os.W_OK | os.X_OK):
        return [
            Error(
                f"LANTERN_BACKUP_DIR ({directory}) is not a directory Lantern can write to.",
                hint="Create it and give the user running Lantern write access.",
                id="lantern.E007",
            )
        ]
    return []
