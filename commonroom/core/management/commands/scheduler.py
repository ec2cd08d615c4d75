from django.core.management.base import BaseCommand, CommandParser

from commonroom.core.scheduler import JOBS, scheduler_run


class Command(BaseCommand):
    help = "Queue periodic jobs (link checks, re-review) at their intervals."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="One tick, then exit (for cron).")
        parser.add_argument("--interval", type=float, default=60, help="Seconds between ticks.")

    def handle(self, *args: object, **options: object) -> None:
        quiet = {job.name for job in JOBS if job.quiet}

        def report(queued: list[str]) -> None:
            queued = [name for name in queued if name not in quiet]
            if queued:
                self.stdout.write(f"Queued: {', '.join(queued)}")

        scheduler_run(
            interval=float(str(options["interval"])), once=bool(options["once"]), report=report
        )
