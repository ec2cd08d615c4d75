"""The moderation checklist a new instance starts with (R26); staff edit it
in the admin afterwards."""

from typing import Any

# fmt: off
DEFAULT_CRITERIA = [
    ("relevant", "Relevant voor onderwijs", "Relevant to education",
     "Het materiaal is bruikbaar in een onderwijscontext.",
     "The material can be used in teaching or learning."),
    ("metadata", "Metadata correct en volledig", "Metadata correct and complete",
     "Titel, beschrijving, vak, onderwijsniveau en soort kloppen met de inhoud.",
     "Title, description, subject, education level and kind match the content."),
    ("licence", "Licentie aannemelijk", "Licence plausible",
     "De indiener lijkt de rechten te hebben om deze licentie toe te kennen.",
     "The author plausibly holds the rights to grant this licence."),
    ("pupil-privacy", "Geen persoonsgegevens van leerlingen", "No personal data of pupils",
     "Geen namen, foto's, cijfers of andere gegevens van herkenbare leerlingen.",
     "No names, photos, grades or other data of identifiable pupils."),
    ("no-advertising", "Geen reclame", "No advertising",
     "Geen commerciële promotie of politieke propaganda.",
     "No commercial promotion or political propaganda."),
    ("legal-respectful", "Wettelijk en respectvol", "Legal and respectful",
     "Niets onwettigs, kwetsends, haatdragends of seksueel getints.",
     "Nothing illegal, insulting, hateful or sexual."),
    ("files-safe", "Bestanden openen en zijn veilig", "Files open and are safe",
     "Bestanden openen zonder fouten en bevatten geen malware.",
     "Files open without errors and contain no malware."),
    ("language", "Taal correct", "Language correct",
     "De taal is verzorgd en de opgegeven taal klopt.",
     "The language is careful and matches the language given."),
]
# fmt: on


def seed_criteria(criterion_model: Any) -> None:
    for position, (slug, nl, en, expl_nl, expl_en) in enumerate(DEFAULT_CRITERIA):
        criterion_model.objects.get_or_create(
            slug=slug,
            defaults={
                "label_nl": nl,
                "label_en": en,
                "explanation_nl": expl_nl,
                "explanation_en": expl_en,
                "position": position,
            },
        )
