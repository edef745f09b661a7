"""``lantern accounts review``: flag unused accounts and close the ones nobody confirmed.

Run daily by ``lantern daily`` (the worker's daily job), or by hand. An account nobody
has signed in to for ``ACCOUNT_IDLE_DAYS`` is flagged and its organisation's
administrators are emailed; a flag nobody confirmed within ``ACCOUNT_IDLE_GRACE_DAYS``
deactivates the account (docs/adr/0026-accounts.md). It also opens, reminds and reports
the periodic access reviews (docs/adr/0028-accounts-sso-and-access-review.md). Each step is audited.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lantern.accounts.services import access_review, review


class Command(BaseCommand):
    help = "Review accounts: flag the unused, deactivate the unconfirmed."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        subcommands.add_parser(
            "review",
            help="Flag unused accounts; deactivate unconfirmed ones; open, remind and report "
            "access reviews.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = review.review_idle_accounts()
        for email in result.flagged:
            self.stdout.write(f"flagged {email}")
        for email in result.deactivated:
            self.stdout.write(f"deactivated {email}")
        for email in result.signed_in_again:
            self.stdout.write(f"signed in again {email}")
        self.stdout.write(
            f"{len(result.flagged)} flagged, {len(result.deactivated)} deactivated, "
            f"{len(result.signed_in_again)} signed in again."
        )
        reviews = access_review.run_access_reviews()
        for name in reviews.opened:
            self.stdout.write(f"access review opened {name}")
        for name in reviews.reported_overdue:
            self.stdout.write(f"access review overdue {name}")
        self.stdout.write(
            f"{len(reviews.opened)} access review(s) opened, {len(reviews.reminded)} reminded, "
            f"{len(reviews.reported_overdue)} newly overdue."
        )
