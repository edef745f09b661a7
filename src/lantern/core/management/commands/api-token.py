"""``lantern api-token create|rotate|revoke|list``: the API tokens of partner systems.

A token is printed once, alone on standard output (so it can be piped into the partner
system's secret store), and only its hash is kept. Every change is audited, naming the
operator's login on this machine. docs/adr/0018-hashed-api-tokens.md.
"""

import argparse
import datetime
import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from knox.settings import knox_settings

from lantern.core import selectors, services
from lantern.core.audit import AuditContext
from lantern.core.models import ApiToken, User

MAX_DAYS = 3650


def _days(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= MAX_DAYS:
        raise argparse.ArgumentTypeError(f"must be a whole number of days from 1 to {MAX_DAYS}")
    return int(value)


def _operator() -> str:
    """Who ran the command, for the audit log: the login on this machine."""
    try:
        login = getpass.getuser()
    except (KeyError, OSError):
        login = "unknown"
    return f"command line ({login})"[:254]


def _when(moment: datetime.datetime | None) -> str:
    if moment is None:
        return "never"
    return timezone.localtime(moment, datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")


class Command(BaseCommand):
    help = "Issue, rotate, revoke and list the API tokens of partner systems' service accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        default_days = knox_settings.TOKEN_TTL.days
        commands = parser.add_subparsers(dest="subcommand", required=True)
        for name, text in (
            ("create", "Issue one more token for an account and print it once."),
            ("rotate", "Revoke every token of an account and print one new token once."),
        ):
            command = commands.add_parser(name, help=text)
            command.add_argument("email", help="The service account's email.")
            command.add_argument(
                "--expires-in",
                type=_days,
                default=default_days,
                metavar="DAYS",
                help=f"Days until the token expires (default {default_days}).",
            )
        revoke = commands.add_parser("revoke", help="Revoke an account's tokens.")
        revoke.add_argument("email", help="The service account's email.")
        revoke.add_argument(
            "--token",
            default="",
            metavar="BEGINNING",
            help="Only the token that begins so, as `list` shows it (default: all of them).",
        )
        listing = commands.add_parser("list", help="List tokens (their beginnings only).")
        listing.add_argument("email", nargs="?", help="Only this account's tokens.")

    def _account(self, email: str) -> User:
        account = selectors.account_by_email(email)
        if account is None:
            raise CommandError(f"No account has the email {email!r}.")
        return account

    def handle(self, *args: Any, **options: Any) -> None:
        subcommand = options["subcommand"]
        if subcommand == "list":
            account = self._account(options["email"]) if options["email"] else None
            self._list(selectors.api_tokens(account=account))
            return
        account = self._account(options["email"])
        context = AuditContext.system(f"lantern api-token {subcommand}")
        if subcommand == "revoke":
            beginning = options["token"].strip().rstrip("…")
            revoked = services.revoke_api_tokens(
                account=account, token_key=beginning, actor_email=_operator(), context=context
            )
            if not revoked:
                raise CommandError(f"{account.email} has no token to revoke that matches.")
            self.stdout.write(f"Revoked {revoked} token(s) of {account.email}.")
            return
        issue = services.rotate_api_tokens if subcommand == "rotate" else services.issue_api_token
        try:
            issued = issue(
                account=account,
                expires_in=datetime.timedelta(days=options["expires_in"]),
                actor_email=_operator(),
                context=context,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stderr.write(
            f"API token for {account.email}, expires {_when(issued.record.expiry)}. "
            "It is shown once and stored only as a hash: give it to the partner system now. "
            "It is sent as the header 'Authorization: Token <token>'."
        )
        self.stdout.write(issued.token)

    def _list(self, tokens: Any) -> None:
        now = timezone.now()
        rows: list[ApiToken] = list(tokens)
        if not rows:
            self.stdout.write("No API tokens.")
            return
        for token in rows:
            state = "EXPIRED" if token.expiry is not None and token.expiry <= now else "active"
            self.stdout.write(
                f"{token.user.email}  {token.token_key}…  issued {_when(token.created)}  "
                f"expires {_when(token.expiry)}  {state}"
            )
