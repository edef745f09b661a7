"""The ``lantern`` command for operators.

``lantern serve`` runs the production web server (gunicorn, static files by WhiteNoise),
``lantern demo`` loads the demo partnership, ``lantern audit verify`` checks the audit log;
every other sub-command is passed to Django's management (``lantern migrate``, …).
"""

import os
import sys


def _serve(arguments: list[str]) -> None:
    import argparse

    from django.conf import settings
    from django.core.management import call_command

    parser = argparse.ArgumentParser(prog="lantern serve", description="Serve Lantern.")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "3")))
    options = parser.parse_args(arguments)
    if settings.PRODUCTION:
        call_command("collectstatic", interactive=False, verbosity=0)
    host = f"[{options.host}]" if ":" in options.host else options.host
    gunicorn = [
        "gunicorn",
        "lantern.wsgi:application",
        f"--bind={host}:{options.port}",
        f"--workers={options.workers}",
        "--access-logfile=-",
        "--forwarded-allow-ips=" + os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
    ]
    os.execvp(sys.executable, [sys.executable, "-m", *gunicorn])  # noqa: S606


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
    import django

    django.setup()
    arguments = sys.argv[1:]
    if arguments[:1] == ["serve"]:
        _serve(arguments[1:])
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(["lantern", *arguments])


if __name__ == "__main__":
    main()
