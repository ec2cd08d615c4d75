"""Loads the vocabularies in taxonomy.json and the curriculum goals in
data/curriculum_goals.json (``goals.py``); used by data migrations and by
``manage.py taxonomy_load`` after an instance edits the files."""

import json
from pathlib import Path
from typing import Any

from commonroom.taxonomy.goals import GoalLoadSummary, load_curriculum_goals

TAXONOMY_FILE = Path(__file__).with_name("taxonomy.json")

TREE_VOCABULARIES = {"education_levels": "EducationLevel", "subjects": "Subject"}
FLAT_VOCABULARIES = {
    "resource_kinds": "ResourceKind",
    "languages": "Language",
    "provinces": "Province",
    "training_themes": "TrainingTheme",
}


def licence_flags(slug: str) -> dict[str, bool]:
    """What a licence allows, read from its CC code (by, sa, nd, nc, zero)."""
    parts = slug.split("-")
    public_domain = slug.startswith("cc0")
    return {
        "allows_commercial": "nc" not in parts,
        "allows_adaptation": "nd" not in parts,
        "share_alike": "sa" in parts,
        "requires_attribution": not public_domain,
    }


def load_taxonomy(
    get_model: Any, data: dict | None = None, goals: dict | None = None
) -> GoalLoadSummary:
    """Create or update every term and curriculum goal; ``get_model(name)``
    returns a model class."""
    load_vocabularies(get_model, data)
    return load_curriculum_goals(get_model, goals)


def load_vocabularies(get_model: Any, data: dict | None = None) -> None:
    """Create or update every term of taxonomy.json; works with historical
    models inside a migration too."""
    data = data or json.loads(TAXONOMY_FILE.read_text(encoding="utf-8"))

    def upsert_tree(model: Any, entries: list[dict], parent: Any = None) -> None:
        for position, entry in enumerate(entries):
            defaults = {
                "label_nl": entry["nl"],
                "label_en": entry["en"],
                "position": position,
                "parent": parent,
            }
            if "ages" in entry and model.__name__ == "EducationLevel":
                defaults["min_age"], defaults["max_age"] = entry["ages"]
            term, _created = model.objects.update_or_create(slug=entry["slug"], defaults=defaults)
            upsert_tree(model, entry.get("children", []), term)

    for key, name in TREE_VOCABULARIES.items():
        upsert_tree(get_model(name), data.get(key, []))
    for key, name in FLAT_VOCABULARIES.items():
        model = get_model(name)
        for position, entry in enumerate(data.get(key, [])):
            model.objects.update_or_create(
                slug=entry["slug"],
                defaults={"label_nl": entry["nl"], "label_en": entry["en"], "position": position},
            )
    Licence = get_model("Licence")
    for position, entry in enumerate(data.get("licences", [])):
        Licence.objects.update_or_create(
            slug=entry["slug"],
            defaults={
                "name": entry["name"],
                "url": entry["url"],
                "position": position,
                **licence_flags(entry["slug"]),
            },
        )
