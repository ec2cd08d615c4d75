"""A rich progress bar for commands whose services report (stage, done, total)."""

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

from commonroom.core.backup import Progress as Report

STAGES = {
    "database": "Copying the database",
    "media": "Media files",
    "private": "Private files",
    "unpack": "Unpacking",
    "verify": "Checking hashes",
}


@contextmanager
def progress_bar(*, enabled: bool) -> Iterator[Report]:
    bars: dict[str, TaskID] = {}
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        disable=not enabled,
    ) as progress:

        def report(stage: str, done: int, total: int) -> None:
            if stage not in bars:
                bars[stage] = progress.add_task(STAGES.get(stage, stage), total=total)
            progress.update(bars[stage], completed=done, total=total)

        yield report
