"""Loads the vocabularies in taxonomy.json; used by a data migration and by
``manage.py taxonomy_load`` after an instance edits the file."""

import json
from pathlib import Path
from typing import Any

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


def load_taxonomy(get_model: Any, data: dict | None = None) -> None:
    """Create or update every term; ``get_model(name)`` returns a model class,
    so this works with historical models inside a migration too."""
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
    Framework = get_model("CurriculumFramework")
    Goal = get_model("CurriculumGoal")
    for position, entry in enumerate(data.get("curriculum_frameworks", [])):
        framework, _created = Framework.objects.update_or_create(
            slug=entry["slug"],
            defaults={"label_nl": entry["nl"], "label_en": entry["en"], "position": position},
        )
        for goal_position, goal in enumerate(entry.get("goals", [])):
            Goal.objects.update_or_create(
                framework=framework,
                code=goal["code"],
                defaults={
                    "label_nl": goal["nl"],
                    "label_en": goal["en"],
                    "position": goal_position,
                },
            )
