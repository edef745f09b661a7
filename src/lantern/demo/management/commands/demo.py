"""``lantern demo``: load the demo partnership and print its log-ins."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lantern.demo import (
    entities,
    evaluation_plan,
    intelligence,
    local_contacts,
    operations,
    outreach_campaigns,
    outreach_training,
    partnership,
    safeguarding,
)
from lantern.entities import correlation


class Command(BaseCommand):
    help = "Load the demo partnership and its intelligence (idempotent); print the log-ins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=partnership.DEFAULT_SEED)

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Demo data and its published password are refused in production.")
        summary = partnership.generate(seed=options["seed"])
        self.stdout.write(
            f"Demo partnership: {summary.organisations} organisations, {summary.users} users."
        )
        contacts = local_contacts.generate()
        self.stdout.write(f"Demo local contacts: {contacts} added.")
        added = intelligence.generate(intelligence.DEMO_COUNT, seed=options["seed"])
        self.stdout.write(f"Demo intelligence: {added} reports added.")
        linked = correlation.correlate_unresolved()
        decided = entities.decide_old_suggestions()
        self.stdout.write(f"Demo entities: {linked} mentions linked, {decided} matches decided.")
        victims = safeguarding.generate(seed=options["seed"])
        joint = operations.generate(seed=options["seed"])
        self.stdout.write(f"Demo safeguarding: {victims} potential victims, {joint} operations.")
        campaigns = outreach_campaigns.generate(seed=options["seed"])
        self.stdout.write(f"Demo campaigns: {campaigns} awareness campaigns.")
        sessions = outreach_training.generate(seed=options["seed"])
        self.stdout.write(f"Demo training: {sessions} sessions.")
        planned = evaluation_plan.generate(seed=options["seed"])
        self.stdout.write(f"Demo action plan: {planned} actions.")
        self.stdout.write(
            f"Demo log-ins (password for every account: {partnership.DEMO_PASSWORD}):"
        )
        for account in summary.accounts:
            self.stdout.write(f"  {account.role:<31} {account.email:<30} {account.organisation}")
