from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from commonroom.taxonomy.goals import GOALS_FILE, GoalFileError, read_goal_file
from commonroom.taxonomy.loading import load_taxonomy
from commonroom.taxonomy.signals import taxonomy_changed_send


class Command(BaseCommand):
    help = (
        "Create or update the vocabularies from commonroom/taxonomy/taxonomy.json and the "
        "curriculum goals from commonroom/taxonomy/data/curriculum_goals.json "
        "(format: docs/taxonomy.md)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--goals",
            type=Path,
            default=GOALS_FILE,
            metavar="PATH",
            help="Load the curriculum goals from this file instead of the shipped one.",
        )

    def handle(self, *args: object, **options: Any) -> None:
        try:
            goals = read_goal_file(options["goals"])
            with transaction.atomic():
                summary = load_taxonomy(lambda name: apps.get_model("taxonomy", name), goals=goals)
                # Search pages read the new labels at once; a moved term changes
                # which resources its ancestors count, so the index is rebuilt.
                taxonomy_changed_send(sender=type(self), moved=True)
        except GoalFileError as exc:
            raise CommandError(
                "Nothing was loaded: the curriculum goal file has errors.\n" + str(exc)
            ) from exc
        self.stdout.write(
            f"Curriculum goals: {summary.created} created, {summary.updated} updated, "
            f"{len(summary.retired)} retired (still used), {len(summary.deleted)} deleted."
        )
        for name in summary.retired:
            self.stdout.write(f"  retired: {name}")
        self.stdout.write(self.style.SUCCESS("Vocabularies loaded; the search index is rebuilt."))
