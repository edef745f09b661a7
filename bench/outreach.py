"""Benchmark: a room of attendees sending their post-test at once, and the results page.

At the end of a session every attendee sends the post-test within the same minute, from
phones on the venue's network: each answer sent must be stored, once. This serves Lantern
as in production (``lantern serve``: gunicorn workers, production settings) and sends
``--attendees`` post-tests through the public page (``POST /t/<code>/post/``) with
``--clients`` requests in flight, then as many requests to the bare view that only inserts
a row (bench/bare_urls.py), under the same server and for as long: the floor to compare
with. Afterwards it counts what the database holds.

Then it times the results page's work for a course with ``--attempts`` attempts (half
pre-tests, half post-tests, ten questions each): the selector that pairs and tests them and
the template that shows them, in a process configured like the server (p50 and p95 of
``--repeats`` runs) — uncached, as right after a new attempt, and cached, as officers
reload it — beside a bare aggregate query over the same answers (the floor). A signed-in
page needs a second factor in production, which a benchmark cannot type, so this part runs
in-process rather than through the server.

    .venv/bin/python bench/outreach.py [--database sqlite|postgres|both]
        [--attendees 300] [--clients 30] [--attempts 10000] [--repeats 20]

One JSON line per database.
"""

import argparse
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

import public_report as base

QUESTIONS = 10
POSTGRES_DATABASE = "lantern_bench_outreach"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--attendees", type=int, default=300)
    parser.add_argument("--clients", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=60, help="the longest a phase runs")
    parser.add_argument("--attempts", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/11")
    parser.add_argument(
        "--helper", choices=["prepare", "verify", "results"], help=argparse.SUPPRESS
    )
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()

    if options.helper == "prepare":
        prepare(options.attendees, options.file)
        return
    if options.helper == "verify":
        verify(options.file)
        return
    if options.helper == "results":
        time_results(options.attempts, options.repeats, options.file)
        return
    base.POSTGRES_DATABASE = POSTGRES_DATABASE
    databases = ["sqlite", "postgres"] if options.database == "both" else [options.database]
    for database in databases:
        print(json.dumps(measure(database, options)), flush=True)


def measure(database: str, options: argparse.Namespace) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="lantern-bench-outreach-") as directory:
        home = Path(directory)
        port = base.free_port()
        environment = base.server_environment(database, home, port, options.redis_url)
        # Production refuses to start without the salts of the encrypted fields.
        environment["LANTERN_FIELD_ENCRYPTION_SALTS"] = secrets.token_urlsafe(16)
        base.recreate_database(database)
        base.run(environment, [str(base.LANTERN), "migrate", "--no-input", "--verbosity=0"])
        prepared = home / "attendees.json"
        helper(environment, "prepare", prepared, "--attendees", str(options.attendees))
        plan = json.loads(prepared.read_text())

        with base.serving(environment, port, options.workers, home / "server.log"):
            base.drive(port, base.healthz_requests(port), clients=5, seconds=2, accept=base.is_ok)
            started = time.perf_counter()
            posts = base.drive(
                port,
                post_requests(port, plan),
                clients=options.clients,
                seconds=options.seconds,
                accept=is_done(plan["code"]),
            )
            elapsed = time.perf_counter() - started
            bare = base.drive(
                port,
                bounded(base.bare_requests(port, plan["bare"]), options.attendees),
                clients=options.clients,
                seconds=options.seconds,
                accept=base.is_no_content,
            )

        acknowledged = home / "acknowledged.json"
        acknowledged.write_text(json.dumps(posts.acknowledged))
        stored = json.loads(helper(environment, "verify", acknowledged))
        results_file = home / "results.json"
        helper(
            environment,
            "results",
            results_file,
            "--attempts",
            str(options.attempts),
            "--repeats",
            str(options.repeats),
        )
        results = json.loads(results_file.read_text())

    for name, phase in (("post-tests", posts), ("bare", bare)):
        if phase.errors:
            print(f"{database} {name} errors: {dict(phase.errors)}", file=sys.stderr)
    return {
        "database": database,
        "attendees": options.attendees,
        "clients": options.clients,
        "workers": options.workers,
        "post_tests_seconds": round(elapsed, 1),
        "post_tests_per_second": round(len(posts.acknowledged) / posts.seconds, 1),
        "post_p50_ms": round(posts.percentile_ms(50), 1),
        "post_p95_ms": round(posts.percentile_ms(95), 1),
        "post_errors": sum(posts.errors.values()),
        "bare_p95_ms": round(bare.percentile_ms(95), 1),
        "bare_per_second": round(len(bare.acknowledged) / bare.seconds, 1),
        "bare_errors": sum(bare.errors.values()),
        **stored,
        **results,
    }


def helper(environment: dict[str, str], step: str, file: Path, *arguments: str) -> str:
    script = str(Path(__file__).resolve())
    return base.run(
        environment, [sys.executable, script, "--helper", step, "--file", str(file), *arguments]
    )


def bounded(requests, count: int):
    """As many bare requests as there are attendees, so both phases do the same work."""
    for number, request in enumerate(requests):
        if number >= count:
            return
        yield request


def post_requests(port: int, plan: dict):
    """Each attendee's post-test once: their session (holding the pairing code), CSRF pair
    and answers."""
    path = f"/t/{plan['code']}/post/"
    for session_key, pairing_code, csrf_secret, csrf_token in plan["attendees"]:
        yield (
            pairing_code,
            base.http_request(
                port,
                "POST",
                path,
                cookies=f"sessionid={session_key}; csrftoken={csrf_secret}",
                form=f"csrfmiddlewaretoken={csrf_token}&{plan['answers']}",
            ),
        )


def is_done(code: str):
    done = f"/t/{code}/post/done/".encode()

    def accept(response: bytes) -> bool:
        return base.status_and_location(response) == (b"302", done)

    return accept


# Inside Django, configured like the server.


def _course(title: str):
    import uuid

    from lantern.core.models import Organisation, OrganisationType, User
    from lantern.outreach.models import Choice, Course, CourseItem, Question, TrainingTopic

    organisation, _created = Organisation.objects.get_or_create(
        name="Bench training partner",
        defaults={"organisation_type": OrganisationType.CHARITY, "isa_signed_on": "2024-01-01"},
    )
    officer, _created = User.objects.get_or_create(
        email="bench-officer@lantern.example",
        defaults={"organisation": organisation, "full_name": "Bench officer"},
    )
    topic = TrainingTopic.objects.get(code="nrm")
    course = Course.objects.create(
        submission_key=uuid.uuid4(),
        title=title,
        duration_minutes=120,
        delivery="in_person",
        created_by=officer,
    )
    course.topics.add(topic)
    for number in range(QUESTIONS):
        question = Question.objects.create(
            topic=topic,
            key=f"bench_{course.pk}_{number}",
            kind="single",
            text=f"Question {number}",
            text_fr=f"Question {number}",
        )
        Choice.objects.bulk_create(
            Choice(
                question=question,
                position=position,
                name=name,
                text=name,
                text_fr=name,
                is_correct=name == "right",
            )
            for position, name in enumerate(("right", "wrong"))
        )
        for stage in ("pre", "post"):
            CourseItem.objects.create(
                course=course, stage=stage, question=question, position=number
            )
    return course, officer


def _session(course, officer, code: str):
    import datetime
    import uuid

    from django.utils import timezone

    from lantern.outreach.models import TrainingSession

    starts = timezone.now() - datetime.timedelta(hours=1)
    return TrainingSession.objects.create(
        submission_key=uuid.uuid4(),
        code=code,
        course=course,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3),
        trainer_organisation=officer.organisation,
        trainer_name="Bench trainer",
        venue="Bench hall",
        capacity=1000,
        pre_opens_at=starts - datetime.timedelta(hours=1),
        pre_closes_at=starts + datetime.timedelta(hours=3),
        post_opens_at=starts,
        post_closes_at=starts + datetime.timedelta(days=1),
        created_by=officer,
    )


def _attempts(session, pairing_codes: list[str], stages: tuple[str, ...]) -> None:
    """Attempts and their answers in bulk, answers right with a chance rising after."""
    import random

    from lantern.outreach import pairing
    from lantern.outreach.models import Answer, Attempt, Choice, CourseItem

    randomiser = random.Random(13)
    items = list(CourseItem.objects.filter(course=session.course, stage="pre"))
    right = dict(
        Choice.objects.filter(
            question__in=[item.question_id for item in items], is_correct=True
        ).values_list("question_id", "pk")
    )
    wrong = dict(
        Choice.objects.filter(
            question__in=[item.question_id for item in items], is_correct=False
        ).values_list("question_id", "pk")
    )
    for stage in stages:
        chance = 0.4 if stage == "pre" else 0.8
        attempts, answers = [], []
        for code in pairing_codes:
            rows = []
            for item in items:
                correct = randomiser.random() < chance
                choice = right[item.question_id] if correct else wrong[item.question_id]
                rows.append(
                    Answer(question_id=item.question_id, choices=[choice], is_correct=correct)
                )
            attempts.append(
                Attempt(
                    session=session,
                    stage=stage,
                    pairing_code=pairing.key(session.code, code),
                    score=100 * sum(row.is_correct for row in rows) / len(rows),
                )
            )
            answers.append(rows)
        Attempt.objects.bulk_create(attempts, batch_size=1000)
        for attempt, rows in zip(attempts, answers, strict=True):
            for row in rows:
                row.attempt = attempt
        Answer.objects.bulk_create([row for rows in answers for row in rows], batch_size=5000)


def prepare(attendees: int, output: Path) -> None:
    """A session open now; each attendee took the pre-test and holds, in a session of
    their own, the pairing code the pre-test page gave them."""
    import django

    django.setup()
    from django.contrib.sessions.backends.base import VALID_KEY_CHARS
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from bare_urls import create_table
    from lantern.core import references
    from lantern.outreach.models import CourseItem
    from lantern.outreach.views.training_attendee import _PAIRING

    create_table()
    course, officer = _course("Bench post-test course")
    session = _session(course, officer, "BENCH1")
    codes = [references.new_reference() for _ in range(attendees)]
    _attempts(session, codes, ("pre",))
    store = SessionStore()
    expires = timezone.now() + timezone.timedelta(hours=2)
    rows, sessions = [], []
    for code in codes:
        session_key = get_random_string(32, VALID_KEY_CHARS)
        sessions.append(
            Session(
                session_key=session_key,
                session_data=store.encode({_PAIRING: {session.code: code}}),
                expire_date=expires,
            )
        )
        csrf_secret = _get_new_csrf_string()
        rows.append([session_key, code, csrf_secret, _mask_cipher_secret(csrf_secret)])
    Session.objects.bulk_create(sessions, batch_size=2000)
    answers = "&".join(
        f"q{item.question_id}={item.question.choices.get(name='right').pk}"
        for item in CourseItem.objects.filter(course=course, stage="post").select_related(
            "question"
        )
    )
    bare_secret = _get_new_csrf_string()
    output.write_text(
        json.dumps(
            {
                "code": session.code,
                "attendees": rows,
                "answers": answers,
                "bare": ["", "", bare_secret, _mask_cipher_secret(bare_secret)],
            }
        )
    )


def verify(acknowledged_file: Path) -> None:
    """Every acknowledged post-test is stored once; nothing else was stored."""
    import django

    django.setup()
    from django.db.models import Count

    from lantern.outreach import pairing
    from lantern.outreach.models import Attempt

    # Attempts keep the keyed hash of each pairing code, not the code.
    acknowledged = {
        pairing.key("BENCH1", code) for code in json.loads(acknowledged_file.read_text())
    }
    posts = Attempt.objects.filter(stage="post", session__code="BENCH1")
    stored = set(posts.values_list("pairing_code", flat=True))
    print(
        json.dumps(
            {
                "acknowledged": len(acknowledged),
                "stored": posts.count(),
                "lost": len(acknowledged - stored),
                "duplicates": posts.values("pairing_code")
                .annotate(times=Count("id"))
                .filter(times__gt=1)
                .count(),
            }
        )
    )


def time_results(attempts: int, repeats: int, output: Path) -> None:
    """The results page's selector and template for a course with ``attempts`` attempts."""
    import django

    django.setup()
    from django.contrib.auth.models import Group
    from django.core.cache import cache
    from django.db.models import Count, Q
    from django.template.loader import render_to_string
    from django.test import RequestFactory
    from django.utils import translation

    from lantern.core.models import User
    from lantern.core.roles import Role
    from lantern.outreach.models import Answer
    from lantern.outreach.presenters import training as presenters
    from lantern.outreach.selectors import training as selectors

    course, officer = _course("Bench results course")
    officer.groups.add(*Group.objects.filter(name=Role.OUTREACH_OFFICER.value))
    officer = User.objects.get(pk=officer.pk)
    pairs = attempts // 2
    sessions_needed = max(1, pairs // 250)
    for number in range(sessions_needed):
        session = _session(course, officer, f"R{number:05d}")
        share = pairs // sessions_needed + (1 if number < pairs % sessions_needed else 0)
        _attempts(session, [f"{number:04d}-{index:04d}" for index in range(share)], ("pre", "post"))
    request = RequestFactory().get("/training/results/")
    request.user = officer
    officer.is_verified = lambda: True  # as the second-factor middleware marks a signed-in user

    def page() -> object:
        outcome = selectors.results(officer, course=course)
        render_to_string(
            "outreach/training/results.html",
            {
                "outcome": outcome,
                "knowledge": presenters.paired_figures(outcome.knowledge),
                "confidence": presenters.paired_figures(outcome.confidence),
                "items": [],
                "by_topic": [],
            },
            request=request,
        )
        return outcome

    def timed(action, times: int, *, before=lambda: None) -> list[float]:
        samples = []
        for _repeat in range(times):
            before()
            started = time.perf_counter()
            action()
            samples.append(time.perf_counter() - started)
        return samples

    # The floor: one bare aggregate over the same answers, in the same run.
    bare = timed(
        lambda: Answer.objects.filter(attempt__session__course=course).aggregate(
            right=Count("pk", filter=Q(is_correct=True))
        ),
        repeats,
    )
    with translation.override("en-gb"):
        # Right after an attempt is stored (nothing cached for the new key), then as
        # officers reload the page (cached until the next attempt).
        cold = timed(page, max(3, repeats // 4), before=cache.clear)
        outcome = page()
        warm = timed(page, repeats)

    def quantiles(samples: list[float]) -> list[float]:
        if len(samples) > 1:
            return statistics.quantiles(samples, n=100, method="inclusive")
        return samples * 99

    output.write_text(
        json.dumps(
            {
                "results_attempts": outcome.pre_attempts + outcome.post_attempts,
                "results_pairs": outcome.knowledge.n if outcome.knowledge else 0,
                "results_p50_ms": round(quantiles(warm)[49] * 1000, 1),
                "results_p95_ms": round(quantiles(warm)[94] * 1000, 1),
                "results_uncached_p50_ms": round(quantiles(cold)[49] * 1000, 1),
                "results_uncached_p95_ms": round(quantiles(cold)[94] * 1000, 1),
                "results_bare_query_p95_ms": round(quantiles(bare)[94] * 1000, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
