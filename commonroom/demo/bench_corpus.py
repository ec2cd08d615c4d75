"""Writing the search benchmark's corpus (``manage.py bench_data``): members
with profiles, published resources (generated from bench_words.py, or given
as JSON lines), saves and ratings, then the search index, in batches, with
the resources' own documents (``resources.search.document_of``) written by
the search app's ``documents_write``, and the engine's rebuild, as
``search_rebuild`` does. Returns the corpus' term statistics, which
``bench/search_bench.py`` draws queries from (``vocabulary_path``)."""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from rich.progress import Progress

from commonroom.accounts.models import Member, Profile
from commonroom.demo.bench_words import FIRST_NAMES, LAST_NAMES, Corpus, make_vocabulary
from commonroom.library.models import SavedItem
from commonroom.resources.models import Resource, State
from commonroom.resources.search import KEY as RESOURCE
from commonroom.resources.search import document_of
from commonroom.search.backends import get_backend
from commonroom.search.index import expansions
from commonroom.search.services import (
    documents_write,
    search_index_touch,
    search_pairs_rebuild,
)
from commonroom.search.suggest import search_words_refresh
from commonroom.search.termsets import term_sets_refresh
from commonroom.social.models import Rating
from commonroom.taxonomy.models import (
    CurriculumGoal,
    EducationLevel,
    Language,
    Licence,
    ResourceKind,
    Subject,
)

BATCH = 2000
VOCABULARY_WORDS = 4000
# Plus a long tail of rare words (names, specialist terms), one or two of
# which every resource carries in its keywords: terms found in a handful
# of documents.
RARE_WORDS = 30_000


class CorpusError(Exception):
    """The corpus cannot be written here (the command says why)."""


def vocabulary_path() -> Path:
    """Where the corpus' term statistics are kept, per database."""
    db = settings.DATABASES["default"]
    name = Path(str(db["NAME"])).stem if connection.vendor == "sqlite" else str(db["NAME"])
    return Path(settings.VAR_DIR) / f"bench-vocabulary-{connection.vendor}-{name}.json"


def read_corpus(path: Path) -> list[dict[str, Any]]:
    """A given corpus: one resource a JSON line."""
    if not path.exists():
        raise CorpusError(f"No such file: {path}")
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


class CorpusBuilder:
    """Writes the corpus in batches of ``batch`` rows, drawing from ``rng``
    (reproducible for a seed) and showing its progress on ``bar``."""

    def __init__(self, *, rng: random.Random, batch: int) -> None:
        self.rng = rng
        self.batch = batch
        self.taxonomy()

    def build(
        self,
        *,
        bar: Progress,
        n_resources: int,
        n_members: int,
        rows: list[dict[str, Any]] | None,
        extra: list[dict[str, Any]] | None = None,
    ) -> tuple[int, int, dict[str, Any]]:
        """Members, resources (and the ``extra`` given ones after them: the
        judged documents of bench/relevance), saves and ratings, the index:
        how many members and resources, and the corpus' term statistics."""
        self.bar = bar
        words = [w for w, _ in make_vocabulary(self.rng, VOCABULARY_WORDS + RARE_WORDS)]
        self.corpus = Corpus(self.rng, words[:VOCABULARY_WORDS])
        self.rare = words[VOCABULARY_WORDS:]
        member_ids = self.members(n_members)
        resource_ids, stats = self.resources(n_resources, member_ids, rows)
        if extra:
            extra_ids, extra_stats = self.resources(len(extra), member_ids, extra)
            resource_ids += extra_ids
            stats.update(extra_stats)
        self.quality(resource_ids, member_ids, stats)
        return len(member_ids), len(resource_ids), self.index(resource_ids, stats)

    # -- taxonomy ---------------------------------------------------------

    def taxonomy(self) -> None:
        self.subjects = dict(Subject.objects.values_list("slug", "pk"))
        self.levels = dict(EducationLevel.objects.values_list("slug", "pk"))
        self.kinds = dict(ResourceKind.objects.values_list("slug", "pk"))
        self.languages = dict(Language.objects.values_list("slug", "pk"))
        self.licences = dict(Licence.objects.values_list("slug", "pk"))
        if not (self.subjects and self.levels and self.kinds and self.languages and self.licences):
            raise CorpusError("The taxonomy is empty: run migrate first.")
        self.licence_objects = {lic.pk: lic for lic in Licence.objects.all()}
        # Leaves are assigned most; popularity is Zipf-like too.
        self.subject_ids = list(self.subjects.values())
        self.level_ids = list(self.levels.values())
        self.subject_weights = [1.0 / (k + 1) ** 0.7 for k in range(len(self.subject_ids))]
        self.level_weights = [1.0 / (k + 1) ** 0.7 for k in range(len(self.level_ids))]
        self.expanded = expansions(RESOURCE)

    def task(self, name: str, total: int) -> Any:
        return self.bar.add_task(name, total=total, rate="")

    def advance(self, task: Any, n: int, started: float) -> None:
        self.bar.advance(task, n)
        done = self.bar.tasks[task].completed
        rate = done / max(time.monotonic() - started, 1e-6)
        self.bar.update(task, rate=f"{rate:,.0f}/s")

    @staticmethod
    def chunks(n: int, size: int) -> Iterator[range]:
        for start in range(0, n, size):
            yield range(start, min(n, start + size))

    # -- members ----------------------------------------------------------

    def members(self, n: int) -> list[int]:
        task, started = self.task("Members", n), time.monotonic()
        now = timezone.now()
        ids: list[int] = []
        first = Member.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        through = Profile.subjects.through
        unusable = make_password(None)  # nobody signs in as a benchmark member
        level_through = Profile.levels.through
        for chunk in self.chunks(n, self.batch):
            with transaction.atomic():
                members = Member.objects.bulk_create(
                    [
                        Member(
                            email=f"bench{first + i}@bench.commonroom.example",
                            password=unusable,
                            first_name=self.rng.choice(FIRST_NAMES),
                            last_name=self.rng.choice(LAST_NAMES),
                            declared_not_pupil_at=now,
                            date_joined=now - timedelta(days=self.rng.randrange(1500)),
                        )
                        for i in chunk
                    ]
                )
                profiles = Profile.objects.bulk_create([Profile(member=m) for m in members])
                links, level_links = [], []
                for p in profiles:
                    for s in set(self.rng.choices(self.subject_ids, self.subject_weights, k=2)):
                        links.append(through(profile_id=p.pk, subject_id=s))
                    for lv in set(self.rng.choices(self.level_ids, self.level_weights, k=2)):
                        level_links.append(level_through(profile_id=p.pk, educationlevel_id=lv))
                through.objects.bulk_create(links)
                level_through.objects.bulk_create(level_links)
            ids += [m.pk for m in members]
            self.advance(task, len(chunk), started)
        return ids

    # -- resources --------------------------------------------------------

    def generated(self) -> dict[str, Any]:
        corpus, rng = self.corpus, self.rng
        body_paragraphs = [
            corpus.sentence(rng.randint(12, 30)) + "." for _ in range(rng.randint(2, 5))
        ]
        saves = int(rng.paretovariate(1.2)) - 1 if rng.random() < 0.6 else 0
        rated = rng.random() < 0.3
        return {
            "title": corpus.sentence(rng.randint(3, 8)),
            "description": corpus.sentence(rng.randint(15, 40)) + ".",
            "keywords": sorted(
                {*corpus.draw(rng.randint(2, 5)), *rng.sample(self.rare, rng.randint(1, 2))}
            ),
            "body": "\n\n".join(body_paragraphs),
            "subjects": rng.choices(self.subject_ids, self.subject_weights, k=rng.randint(1, 2)),
            "levels": rng.choices(self.level_ids, self.level_weights, k=rng.randint(1, 2)),
            "kind": rng.choice(list(self.kinds.values())),
            "language": self.languages.get(rng.choice(["nl", "nl", "nl", "en"]))
            or rng.choice(list(self.languages.values())),
            "licence": rng.choice(list(self.licences.values())),
            "saves": min(saves, 500),
            "rating": round(rng.uniform(2.5, 5.0), 1) if rated else None,
        }

    def given(self, row: dict[str, Any]) -> dict[str, Any]:
        """A corpus line with its slugs turned into ids (unknown slugs dropped)."""

        def one(slug: Any, table: dict[str, int]) -> int:
            return table.get(str(slug)) or next(iter(table.values()))

        return {
            "title": str(row.get("title", ""))[:200] or "Untitled",
            "description": str(row.get("description", ""))[:5000],
            "keywords": [str(k) for k in row.get("keywords") or []],
            "body": str(row.get("body", ""))[:50_000],
            "subjects": [self.subjects[s] for s in row.get("subjects") or [] if s in self.subjects],
            "levels": [self.levels[s] for s in row.get("levels") or [] if s in self.levels],
            "kind": one(row.get("kind"), self.kinds),
            "language": one(row.get("language"), self.languages),
            "licence": one(row.get("licence"), self.licences),
            "saves": int(row.get("saves") or 0),
            "rating": float(row["rating"]) if row.get("rating") else None,
        }

    def resources(
        self, n: int, member_ids: list[int], rows: list[dict[str, Any]] | None
    ) -> tuple[list[int], dict[int, dict[str, Any]]]:
        task, started = self.task("Resources", n), time.monotonic()
        now = timezone.now()
        ids: list[int] = []
        data: dict[int, dict[str, Any]] = {}
        subject_through = Resource.subjects.through
        level_through = Resource.levels.through
        for chunk in self.chunks(n, self.batch):
            specs = [self.given(rows[i]) if rows is not None else self.generated() for i in chunk]
            with transaction.atomic():
                made = []
                for spec in specs:
                    published = now - timedelta(minutes=self.rng.randrange(5 * 365 * 24 * 60))
                    made.append(
                        Resource(
                            author_id=self.rng.choice(member_ids),
                            state=State.PUBLISHED,
                            title=spec["title"],
                            description=spec["description"],
                            keywords=spec["keywords"],
                            body=spec["body"],
                            kind_id=spec["kind"],
                            language_id=spec["language"],
                            licence_id=spec["licence"],
                            rights_confirmed_at=published,
                            submitted_at=published,
                            published_at=published,
                            reviewed_at=published,
                        )
                    )
                resources = Resource.objects.bulk_create(made)
                subject_through.objects.bulk_create(
                    subject_through(resource_id=r.pk, subject_id=s)
                    for r, spec in zip(resources, specs, strict=True)
                    for s in set(spec["subjects"])
                )
                level_through.objects.bulk_create(
                    level_through(resource_id=r.pk, educationlevel_id=lv)
                    for r, spec in zip(resources, specs, strict=True)
                    for lv in set(spec["levels"])
                )
            for r, spec in zip(resources, specs, strict=True):
                spec["resource"] = r
                data[r.pk] = spec
            ids += [r.pk for r in resources]
            self.advance(task, len(chunk), started)
        return ids, data

    # -- saves and ratings ------------------------------------------------

    def quality(
        self, resource_ids: list[int], member_ids: list[int], stats: dict[int, dict[str, Any]]
    ) -> None:
        """Real SavedItem and Rating rows, so a later ``search_rebuild``
        computes the very same quality signals."""
        task, started = self.task("Saves/ratings", len(resource_ids)), time.monotonic()
        now = timezone.now()
        for chunk in self.chunks(len(resource_ids), self.batch):
            saves, ratings = [], []
            for i in chunk:
                pk = resource_ids[i]
                spec = stats[pk]
                n_saves = min(spec["saves"], len(member_ids))
                for m in self.rng.sample(member_ids, n_saves) if n_saves else []:
                    saves.append(SavedItem(member_id=m, resource_id=pk, created_at=now))
                if spec["rating"]:
                    # Stars whose mean is the asked rating, up to 0.1.
                    count = self.rng.randint(1, 6)
                    total = max(count, min(5 * count, round(spec["rating"] * count)))
                    stars = [total // count + (k < total % count) for k in range(count)]
                    raters = self.rng.sample(member_ids, min(count, len(member_ids)))
                    ratings += [
                        Rating(resource_id=pk, member_id=m, stars=s, created_at=now)
                        for m, s in zip(raters, stars, strict=False)
                    ]
                    spec["rating_row"] = (sum(stars[: len(raters)]) / len(raters), len(raters))
            with transaction.atomic():
                SavedItem.objects.bulk_create(saves)
                Rating.objects.bulk_create(ratings)
            self.advance(task, len(chunk), started)

    # -- the search index -------------------------------------------------

    def index(self, resource_ids: list[int], stats: dict[int, dict[str, Any]]) -> dict[str, Any]:
        """Documents and facet values written with the search app's helpers,
        then the engine's structures rebuilt as ``search_rebuild`` does;
        returns the corpus' term statistics for the benchmark."""
        task, started = self.task("Index", len(resource_ids)), time.monotonic()
        backend = get_backend()
        document_frequency: Counter[str] = Counter()
        samples: list[list[str]] = []
        for chunk in self.chunks(len(resource_ids), self.batch):
            documents = []
            signals = {}
            for i in chunk:
                spec = stats[resource_ids[i]]
                resource = spec.pop("resource")
                resource.licence = self.licence_objects[spec["licence"]]
                resource._prefetched_objects_cache = {
                    "subjects": Subject.objects.none(),
                    "levels": EducationLevel.objects.none(),
                    "curriculum_goals": CurriculumGoal.objects.none(),
                }
                resource.active_files = []
                rating_average, rating_count = spec.get("rating_row", (None, 0))
                signals[resource.pk] = {
                    "saves": spec["saves"],
                    "rating_average": rating_average,
                    "rating_count": rating_count,
                    "used_in_class": 0,
                }
                document = document_of(resource)
                subjects, levels = sorted(set(spec["subjects"])), sorted(set(spec["levels"]))
                document = replace(
                    document, facets={**document.facets, "subject": subjects, "level": levels}
                )
                documents.append(document)
                keywords = " ".join(document.keywords)
                words = (
                    f"{resource.title} {keywords} {resource.description} {resource.body}"
                ).lower()
                tokens = [w.strip(".,") for w in words.split()]
                document_frequency.update(set(tokens))
                if len(samples) < 5000 and self.rng.random() < 0.1:
                    samples.append([w.strip(".,").lower() for w in resource.title.split()])
            with transaction.atomic():
                documents_write(RESOURCE, documents, expanded=self.expanded, signals=signals)
            self.advance(task, len(chunk), started)
        engine = self.task("Engine index", 1)
        with transaction.atomic():
            backend.rebuild()
            search_index_touch()
        search_words_refresh()  # the vocabulary behind "did you mean"
        # Planner statistics: without them PostgreSQL estimates a handful of
        # matches and counts facets with nested loops (seconds per query).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.bar.advance(engine, 1)
        for name, step in (("Word pairs", search_pairs_rebuild), ("Word sets", term_sets_refresh)):
            task, started = self.task(name, 1), time.monotonic()

            def progress(done: int, total: int, task: Any = task, started: float = started) -> None:
                self.bar.update(task, total=total)
                self.advance(task, done - self.bar.tasks[task].completed, started)

            step(progress=progress)
        return {
            "documents": len(resource_ids),
            "document_frequency": dict(document_frequency.most_common()),
            "titles": samples,
            "subjects": self.subjects,
            "levels": self.levels,
            "kinds": self.kinds,
            "languages": self.languages,
            "licences": self.licences,
        }
