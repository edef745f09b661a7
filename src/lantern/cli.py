"""The ``lantern`` command for operators.

``lantern serve`` runs the production web server (gunicorn, static files by WhiteNoise),
with ``--with-worker`` the background worker beside it (what ``make run`` does),
``lantern worker`` the background worker alone, ``lantern demo`` loads the demo
partnership, ``lantern audit verify`` checks the audit log; every other sub-command is
passed to Django's management (``lantern migrate``, …).
"""

import os
import signal
import subprocess
import sys
import time
from types import FrameType

# How long a process stopped by the supervisor may take to finish (a job in hand, a request
# being answered) before it is killed.
STOP_GRACE_SECONDS = 30


def _serve(arguments: list[str]) -> None:
    import argparse

    from django.conf import settings
    from django.core.management import call_command

    parser = argparse.ArgumentParser(prog="lantern serve", description="Serve Lantern.")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "3")))
    parser.add_argument(
        "--with-worker",
        action="store_true",
        help="Run the background worker beside the web server; stopping one stops both.",
    )
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
    if not options.with_worker:
        os.execvp(sys.executable, [sys.executable, "-m", *gunicorn])  # noqa: S606
    worker = [sys.executable, "-m", "lantern.cli", "worker"]
    sys.exit(supervise([[sys.executable, "-m", *gunicorn], worker]))


def supervise(commands: list[list[str]]) -> int:
    """Run the commands together until one stops or we are told to stop; then stop all.

    Each runs in its own session, so Ctrl+C reaches this supervisor alone, which passes
    exactly one SIGTERM to each (a second signal would cut the worker's job short). Returns
    the exit status of the first to stop, 0 when stopped by a signal.
    """
    processes = [subprocess.Popen(command, start_new_session=True) for command in commands]  # noqa: S603
    stopping = False

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    status = 0
    try:
        while not stopping:
            ended = [process for process in processes if process.poll() is not None]
            if ended:
                status = ended[0].returncode or 1
                break
            time.sleep(0.2)
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=STOP_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return status


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
    from lantern import environment

    # The settings write nothing on import; the data folder (and, locally, the keys) are
    # made here, once, so that sessions and encrypted data survive restarts.
    environment.prepare_local_files(environment.var_dir(), keys=not environment.is_production())
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
