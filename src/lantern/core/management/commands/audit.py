"""``lantern audit verify``: prove the audit log intact, or name the first bad entry.

The hash chain shows an entry altered, removed or reordered in the middle of the log, but
not its last entries deleted nor its tail rewritten with recomputed hashes. For that an
operator records the head this command prints (``head SEQ HASH``) outside the database,
daily, and passes the recorded heads back (``--expect-head``, ``--heads-file``): each
must still be in the log with the same hash. See docs/adr/0004-audit-log.md.
"""

import re
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lantern.core import audit

_HASH = re.compile(r"[0-9a-f]{64}")


def _head(sequence: str, entry_hash: str, where: str) -> audit.RecordedHead:
    """A recorded head from its two parts, or a CommandError that says where it was."""
    entry_hash = entry_hash.strip().lower()
    if not sequence.strip().isdigit() or not _HASH.fullmatch(entry_hash):
        raise CommandError(
            f"{where}: a recorded head is a sequence number and a 64-character hex hash, "
            "e.g. 4711 followed by the hash that `lantern audit verify` printed."
        )
    return audit.RecordedHead(sequence=int(sequence), entry_hash=entry_hash)


def _expected_head(value: str) -> audit.RecordedHead:
    sequence, _colon, entry_hash = value.partition(":")
    return _head(sequence, entry_hash, f"--expect-head {value!r} (SEQ:HASH)")


def _heads_file(path: str) -> list[audit.RecordedHead]:
    """Heads from a file, one ``SEQ HASH`` a line (a ``head`` word first is allowed)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"--heads-file {path}: cannot be read ({error}).") from error
    heads = []
    for number, line in enumerate(text.splitlines(), start=1):
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        if words[0] == "head":
            words = words[1:]
        if len(words) != 2:
            words = ["", ""]
        heads.append(_head(words[0], words[1], f"{path}, line {number}"))
    return heads


class Command(BaseCommand):
    help = "Work with the audit log."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        verify = subcommands.add_parser(
            "verify",
            help="Check every entry's hash and link, and the heads recorded outside the log.",
        )
        verify.add_argument(
            "--expect-head",
            action="append",
            default=[],
            metavar="SEQ:HASH",
            help="A head recorded earlier: entry SEQ must still have HASH (repeatable).",
        )
        verify.add_argument(
            "--heads-file",
            action="append",
            default=[],
            metavar="PATH",
            help="A file of recorded heads, one 'SEQ HASH' a line, as appended daily.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        heads = [_expected_head(value) for value in options["expect_head"]]
        for path in options["heads_file"]:
            heads.extend(_heads_file(path))

        result = audit.verify_chain()
        mismatches = audit.check_recorded_heads(heads)
        problems = [str(mismatch) for mismatch in mismatches]
        if not result.intact:
            problems.insert(
                0,
                f"Audit log BROKEN at entry #{result.first_bad_id}: {result.problem}. "
                f"{result.entries - 1} entries before it are intact.",
            )
        if problems:
            raise CommandError("\n".join(problems))

        self.stdout.write(
            self.style.SUCCESS(f"Audit log intact: {result.entries} entries verified.")
        )
        if heads:
            self.stdout.write(
                self.style.SUCCESS(f"Recorded heads still match: {len(set(heads))} checked.")
            )
        # The line to record outside the database (README: the daily routine).
        self.stdout.write(f"head {result.head_sequence} {result.head_hash}")
