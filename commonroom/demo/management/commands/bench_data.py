"""A synthetic (or given) corpus for the search benchmark (``bench/``).

``bench_data --resources N --members M [--seed S]`` writes M members with
profiles and N published resources with Dutch and English text drawn from a
Zipf-like vocabulary (word k has probability ∝ 1/k, so there are rare, mid
and common terms), taxonomy assignments, saves and ratings; then the search
index, in batches, with the resources' own documents
(``resources.search.document_of``) written by the search app's
``documents_write``, and the engine's rebuild, as ``search_rebuild`` does.
``--from FILE.jsonl`` loads a given corpus instead of generating one (one
resource a line: title, description, keywords, body, subjects, levels,
kind, language, licence, saves, rating); ``--with FILE.jsonl`` adds such
resources to a generated corpus (``make bench`` adds the judged documents
of ``bench/relevance/documents.jsonl``).

Meant for a separate, freshly migrated database (``VAR_DIR=/tmp/bench-var``
or a ``DATABASE_URL`` of its own): it refuses to run where resources exist.
It also writes the corpus' document frequencies next to the database
(``vocabulary_path``), from which ``bench/search_bench.py`` draws queries.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from commonroom.demo.bench_corpus import (
    BATCH,
    CorpusBuilder,
    CorpusError,
    read_corpus,
    vocabulary_path,
)
from commonroom.resources.models import Resource
from commonroom.search.models import SearchDocument


class Command(BaseCommand):
    help = "Generate (or load) a corpus of members and resources for the search benchmark."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--resources", type=int, default=100_000)
        parser.add_argument("--members", type=int, default=250_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--from", dest="source", default="", help="a corpus as JSON lines")
        parser.add_argument(
            "--with",
            dest="extra",
            default="",
            help="resources as JSON lines added to the corpus (bench/relevance/documents.jsonl)",
        )
        parser.add_argument("--batch", type=int, default=BATCH)
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing where resources exist"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if Resource.objects.exists() or SearchDocument.objects.exists():
            if options["if_empty"]:
                self.stdout.write("Resources exist already: no corpus generated.")
                return
            raise CommandError("This database already holds resources: use a fresh one.")
        try:
            self.build(options)
        except CorpusError as exc:
            raise CommandError(str(exc)) from exc

    def build(self, options: dict[str, Any]) -> None:
        rng = random.Random(options["seed"])  # noqa: S311 - reproducible, not secret
        builder = CorpusBuilder(rng=rng, batch=options["batch"])
        started = time.monotonic()
        if connection.vendor == "sqlite" and not connection.in_atomic_block:
            # A bulk load need not wait for the disk (not possible, and not
            # needed, inside a transaction: the tests).
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous = OFF")
        columns = [
            TextColumn("{task.description:<12}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
        ]
        with Progress(*columns, disable=options["verbosity"] == 0) as bar:
            source = options["source"]
            rows = read_corpus(Path(source)) if source else None
            members, resources, documents = builder.build(
                bar=bar,
                n_resources=len(rows) if rows is not None else options["resources"],
                n_members=max(options["members"], 1),
                rows=rows,
                extra=read_corpus(Path(options["extra"])) if options["extra"] else None,
            )
        vocabulary_path().write_text(json.dumps(documents))
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"{members} members, {resources} resources indexed on "
            f"{connection.vendor} in {elapsed:.0f} s; term statistics in {vocabulary_path()}"
        )
