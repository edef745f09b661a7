"""``lantern roles grant``: give a role on the authority of a named, different administrator.

The admin asks a second administrator to approve a role that needs it (Role grants). This
command is the route for an operator at the server: it refuses to run without
``--authorised-by``, refuses an administrator authorising a role for themselves, and
audits who authorised it and which operating-system account ran it
(docs/adr/0016-separation-of-duties.md).
"""

import getpass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lantern.core import services
from lantern.core.models import User, normalise_email
from lantern.core.roles import Role


def _role(value: str) -> Role:
    """A role by its name, with spaces, hyphens or underscores ("hub-coordinator")."""
    name = " ".join(value.replace("-", " ").replace("_", " ").split()).lower()
    try:
        return Role(name)
    except ValueError:
        choices = ", ".join(f'"{role.value}"' for role in Role)
        raise CommandError(f"Unknown role {value!r}: one of {choices}.") from None


def _operator() -> str:
    """The operating-system account running the command, for the audit record."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _user(email: str, what: str) -> User:
    user = User.objects.filter(email=normalise_email(email)).first()
    if user is None:
        raise CommandError(f"No user with the email address {email!r} ({what}).")
    return user


class Command(BaseCommand):
    help = "Give roles with a second administrator's authority."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        grant = subcommands.add_parser(
            "grant", help="Give a user a role, authorised by another system administrator."
        )
        grant.add_argument("email", help="The email address of the user to give the role to.")
        grant.add_argument("role", help='The role, e.g. "hub coordinator" or safeguarding-lead.')
        grant.add_argument(
            "--authorised-by",
            required=True,
            metavar="EMAIL",
            help="The email address of the system administrator (not the user) who authorised it.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        role = _role(options["role"])
        user = _user(options["email"], "to give the role to")
        authoriser = _user(options["authorised_by"], "--authorised-by")
        try:
            added = services.grant_role_by_command(
                user=user, role=role, authorised_by=authoriser, operator=_operator()
            )
        except PermissionDenied as refused:
            raise CommandError(f"Refused: {refused}.") from None
        except ValidationError as refused:
            raise CommandError("Refused: " + " ".join(refused.messages)) from None
        if added:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{user.email} now holds the role {role.value!r}, "
                    f"authorised by {authoriser.email}."
                )
            )
        else:
            self.stdout.write(f"{user.email} already holds the role {role.value!r}.")
