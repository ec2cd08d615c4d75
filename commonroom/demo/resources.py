"""Realistic demo resources for a new instance: about fifty, in Dutch and
English, across kinds, subjects and levels, with real small files, in every
moderation state. Created through the same services members use."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from fpdf import FPDF
from PIL import Image, ImageDraw

from commonroom.accounts.models import Member
from commonroom.moderation import appeals
from commonroom.moderation import services as moderation
from commonroom.moderation.models import Criterion, Review
from commonroom.resources import services
from commonroom.resources.models import Resource
from commonroom.taxonomy.models import (
    CurriculumGoal,
    EducationLevel,
    Language,
    Licence,
    ResourceKind,
    Subject,
)


@dataclass(frozen=True)
class Topic:
    title: str
    description: str
    kind: str
    language: str
    subjects: tuple[str, ...]
    levels: tuple[str, ...]
    keywords: tuple[str, ...]
    content: str  # pdf, image, text, link, video, presentation
    lines: tuple[str, ...] = ()


# fmt: off
TOPICS = [
    Topic("Breuken met pizza's", "Werkblad waarin leerlingen breuken leren door pizza's eerlijk te verdelen.", "worksheet", "nl", ("mathematics",), ("primary-2",), ("breuken", "delen", "pizza"), "pdf", ("Verdeel de pizza in 4 gelijke stukken.", "Kleur 3/4 van de pizza.", "Welke breuk is groter: 2/3 of 3/4?")),
    Topic("Fractions with pizza", "A worksheet introducing fractions by sharing pizzas fairly.", "worksheet", "en", ("mathematics",), ("primary-2",), ("fractions", "sharing"), "pdf", ("Cut the pizza into 4 equal slices.", "Colour 3/4 of the pizza.", "Which is bigger: 2/3 or 3/4?")),
    Topic("De fotosynthese in 5 stappen", "Lesvoorbereiding over fotosynthese met een proefje met waterpest.", "lesson-plan", "nl", ("biology",), ("secondary-1",), ("fotosynthese", "planten", "proef"), "pdf", ("Doel: leerlingen leggen fotosynthese uit.", "Materiaal: waterpest, lamp, bekerglas.", "Stap 1: zet de plant onder de lamp.")),
    Topic("Photosynthesis experiment", "A lesson plan with a simple pondweed experiment to show photosynthesis.", "lesson-plan", "en", ("biology",), ("secondary-1",), ("photosynthesis", "experiment"), "pdf", ("Aim: pupils explain photosynthesis.", "You need: pondweed, a lamp, a beaker.", "Count the bubbles per minute.")),
    Topic("Werkwoordspelling: de d/t-regels", "Oefenbundel over de vervoeging van werkwoorden in de tegenwoordige tijd.", "worksheet", "nl", ("dutch",), ("primary-3", "secondary-1"), ("spelling", "werkwoorden", "dt"), "pdf", ("Hij (vinden) het boek.", "Word jij morgen (ophalen)?", "Ik (antwoorden) meteen.")),
    Topic("Present simple or present continuous?", "Exercises to practise the two present tenses with everyday situations.", "worksheet", "en", ("english",), ("secondary-1",), ("grammar", "tenses"), "pdf", ("She ___ (play) tennis every Sunday.", "Look! It ___ (rain).", "I ___ (not/understand) this question.")),
    Topic("De Eerste Wereldoorlog in de Westhoek", "Presentatie over het leven in de loopgraven rond Ieper, met bronnen.", "presentation", "nl", ("history",), ("secondary-2",), ("wo1", "ieper", "loopgraven"), "presentation", ("1914: de Duitse inval", "Het leven in de loopgraven", "Bronnen en getuigenissen")),
    Topic("The water cycle", "A labelled diagram of the water cycle to print or project.", "image", "en", ("geography",), ("primary-3",), ("water cycle", "weather"), "image"),
    Topic("De waterkringloop", "Een schema van de waterkringloop om af te drukken of te projecteren.", "image", "nl", ("geography",), ("primary-3",), ("waterkringloop", "weer"), "image"),
    Topic("Kaart van de Vlaamse provincies", "Blinde kaart om de provincies en hoofdsteden in te vullen.", "drawing", "nl", ("geography",), ("primary-3",), ("kaart", "provincies"), "image"),
    Topic("Getallenlijn tot 100", "Een getallenlijn om te plastificeren en aan de muur te hangen.", "drawing", "nl", ("mathematics",), ("primary-1",), ("getallen", "rekenen"), "image"),
    Topic("Algebra tiles", "Printable algebra tiles for factorising quadratic expressions.", "drawing", "en", ("mathematics",), ("secondary-2",), ("algebra", "factorising"), "image"),
    Topic("Leesbevordering: boekenkring", "Tips om een boekenkring op te zetten in de klas, met rollenkaarten.", "text", "nl", ("dutch",), ("primary-3",), ("lezen", "boekenkring"), "text"),
    Topic("Classroom rules we agree on", "How to write classroom agreements together with pupils in the first week.", "text", "en", ("classroom-practice",), ("primary",), ("classroom management", "rules"), "text"),
    Topic("Programmeren met Scratch", "Link naar de Scratch-website met een stappenplan voor een eerste spel.", "website", "nl", ("computer-science",), ("primary-3",), ("programmeren", "scratch"), "link"),
    Topic("Interactive periodic table", "A link to an interactive periodic table with properties of each element.", "website", "en", ("chemistry",), ("secondary-2",), ("periodic table", "elements"), "link"),
    Topic("Hoe werkt een vulkaan?", "Korte video die uitlegt hoe een vulkaan uitbarst.", "video", "nl", ("geography",), ("primary-3",), ("vulkaan", "aardrijkskunde"), "video"),
    Topic("How do vaccines work?", "A short animated video explaining how vaccines train the immune system.", "video", "en", ("biology",), ("secondary-2",), ("vaccines", "immune system"), "video"),
    Topic("Frans: les jours de la semaine", "Oefenblad met de dagen van de week in het Frans.", "worksheet", "nl", ("french",), ("primary-3",), ("frans", "woordenschat"), "pdf", ("lundi, mardi, mercredi", "Quel jour sommes-nous?", "Vul aan: jeudi, ..., samedi")),
    Topic("Ohm's law practice", "Twenty problems on voltage, current and resistance with answers.", "worksheet", "en", ("physics",), ("secondary-2",), ("electricity", "ohm"), "pdf", ("U = R x I", "A lamp of 12 ohm on 6 V: what is the current?", "Answers on page 2.")),
    Topic("Wet van Ohm: oefeningen", "Twintig vraagstukken over spanning, stroom en weerstand met oplossingen.", "worksheet", "nl", ("physics",), ("secondary-2",), ("elektriciteit", "ohm"), "pdf", ("U = R x I", "Een lamp van 12 ohm op 6 V: hoeveel stroom?", "Oplossingen op pagina 2.")),
    Topic("Filosoferen met kinderen", "Gespreksvragen over vriendschap voor een filosofisch kringgesprek.", "text", "nl", ("philosophy",), ("primary-2",), ("filosoferen", "vriendschap"), "text"),
    Topic("Muziek: ritmekaarten", "Ritmekaarten met kwartnoten en achtste noten om te klappen.", "worksheet", "nl", ("music",), ("primary-1",), ("ritme", "muziek"), "pdf", ("ta ta ti-ti ta", "ti-ti ti-ti ta ta", "Klap en zeg het ritme.")),
    Topic("Persuasive writing frame", "A writing frame to help pupils build a persuasive letter step by step.", "worksheet", "en", ("english",), ("primary-3",), ("writing", "persuasion"), "pdf", ("Dear ...,", "I believe that ... because ...", "Firstly ... Secondly ... Finally ...")),
    Topic("Budget van een gezin", "Lesvoorbereiding economie: een maandbudget opstellen met een spreadsheet.", "lesson-plan", "nl", ("economics",), ("secondary-2",), ("budget", "economie"), "pdf", ("Inkomsten en uitgaven", "Vaste en variabele kosten", "Opdracht: maak een budget voor een gezin van vier.")),
]
# fmt: on

# Curriculum goals of the shipped sample (taxonomy/data/curriculum_goals.json)
# per topic, by code; both rounds of a topic get them.
GOALS = {
    "Breuken met pizza's": ("WI 1.3",),
    "Fractions with pizza": ("WI 1.3",),
    "De fotosynthese in 5 stappen": ("1G 6.7", "1G 6.9"),
    "Photosynthesis experiment": ("1G 6.7", "1G 6.9"),
    "Werkwoordspelling: de d/t-regels": ("NL 2.2", "1G 2.3"),
    "Present simple or present continuous?": ("1G 3.4",),
    "De Eerste Wereldoorlog in de Westhoek": ("2G 8.1", "2G 8.2"),
    "The water cycle": ("MM 2.3",),
    "De waterkringloop": ("MM 2.3",),
    "Kaart van de Vlaamse provincies": ("MM 2.2",),
    "Getallenlijn tot 100": ("WI 1.1",),
    "Algebra tiles": ("1G 6.3",),
    "Leesbevordering: boekenkring": ("NL 4.1",),
    "Classroom rules we agree on": ("MM 3.1", "SC05"),
    "Programmeren met Scratch": ("WT 3.2",),
    "Interactive periodic table": ("2G 6.4",),
    "How do vaccines work?": ("2G 6.6",),
    "Frans: les jours de la semaine": ("FR 2.2",),
    "Ohm's law practice": ("2G 6.3",),
    "Wet van Ohm: oefeningen": ("2G 6.3",),
    "Muziek: ritmekaarten": ("SC16",),
    "Budget van een gezin": ("2G 11.1",),
}

LICENCES = [
    "cc-by-4.0",
    "cc-by-sa-4.0",
    "cc-by-nc-4.0",
    "cc-by-nc-sa-4.0",
    "cc-by-nd-4.0",
    "cc0-1.0",
]


def _pdf(title: str, lines: tuple[str, ...]) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 20)
    pdf.multi_cell(0, 10, title.encode("latin-1", "replace").decode("latin-1"))
    pdf.ln(4)
    pdf.set_font("Helvetica", size=13)
    for number, line in enumerate(lines, start=1):
        pdf.multi_cell(0, 9, f"{number}. {line}".encode("latin-1", "replace").decode("latin-1"))
        pdf.ln(2)
        pdf.set_draw_color(180, 180, 180)
        pdf.line(15, pdf.get_y() + 4, 195, pdf.get_y() + 4)
        pdf.ln(10)
    return bytes(pdf.output())


def _image(title: str, seed: int) -> bytes:
    rng = random.Random(seed)  # noqa: S311 -- decoration, not security
    image = Image.new("RGB", (1200, 800), (244, 246, 243))
    draw = ImageDraw.Draw(image)
    palette = [(11, 93, 99), (180, 83, 28), (90, 143, 123), (10, 92, 158)]
    for _ in range(14):
        x, y = rng.randint(0, 1100), rng.randint(120, 700)
        r = rng.randint(30, 110)
        draw.ellipse((x - r, y - r, x + r, y + r), outline=rng.choice(palette), width=8)
    draw.rectangle((0, 0, 1200, 100), fill=(11, 93, 99))
    draw.text((40, 35), title, fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _content(topic: Topic, index: int) -> tuple[list[SimpleUploadedFile], dict[str, str]]:
    stem = "-".join(topic.title.lower().split()[:4])
    if topic.content in ("pdf", "presentation"):
        data = _pdf(topic.title, topic.lines)
        return [SimpleUploadedFile(f"{stem}.pdf", data, content_type="application/pdf")], {}
    if topic.content == "image":
        data = _image(topic.title, index)
        return [SimpleUploadedFile(f"{stem}.png", data, content_type="image/png")], {}
    if topic.content == "link":
        url = "https://scratch.mit.edu/" if topic.language == "nl" else "https://ptable.com/"
        return [], {"external_url": url, "body": topic.description}
    if topic.content == "video":
        return [], {"video_url": "https://www.youtube.com/watch?v=rdDjn_9a2ZE"}
    body = f"## {topic.title}\n\n{topic.description}\n\n- " + "\n- ".join(topic.keywords)
    return [], {"body": body}


def load_demo_resources(*, authors: list[Member], moderator: Member, staff: Member) -> int:
    """Create the demo resources; returns how many. Skips when any exist."""
    if Resource.objects.exists():
        return 0
    kinds = {k.slug: k for k in ResourceKind.objects.all()}
    languages = {lang.slug: lang for lang in Language.objects.all()}
    licences = {lic.slug: lic for lic in Licence.objects.all()}
    criteria = list(Criterion.objects.filter(slug__in=["metadata", "pupil-privacy"]))
    goals = {goal.code: goal for goal in CurriculumGoal.objects.filter(retired=False)}
    created = 0
    for round_ in range(2):
        for index, topic in enumerate(TOPICS):
            author = authors[(index + round_) % len(authors)]
            uploads, extra = _content(topic, index + round_ * 100)
            title = (
                topic.title
                if round_ == 0
                else f"{topic.title} ({'deel 2' if topic.language == 'nl' else 'part 2'})"
            )
            resource = services.resource_create(
                author=author,
                fields={
                    "title": title,
                    "description": topic.description,
                    "kind": kinds[topic.kind],
                    "language": languages[topic.language],
                    "subjects": list(Subject.objects.filter(slug__in=topic.subjects)),
                    "levels": list(EducationLevel.objects.filter(slug__in=topic.levels)),
                    "keywords": list(topic.keywords),
                    "curriculum_goals": [
                        goals[code] for code in GOALS.get(topic.title, ()) if code in goals
                    ],
                    "licence": licences[LICENCES[(index + round_) % len(LICENCES)]],
                    **extra,
                },
                uploads=uploads,
                rights_confirmed=True,
                rate_limited=False,
            )
            created += 1
            _move_to_demo_state(resource, author, moderator, staff, created, criteria)
    return created


def _move_to_demo_state(
    resource: Resource,
    author: Member,
    moderator: Member,
    staff: Member,
    n: int,
    criteria: list[Criterion],
) -> None:
    """Most resources published; a few in each other state."""
    if n % 17 == 0:
        return  # stays a draft
    services.resource_submit(resource=resource, by=author)
    if n % 13 == 0:
        return  # waiting in the queue
    review = Review.objects.get(resource=resource, closed_at__isnull=True)
    # Nobody decides on their own work: staff review the moderator's resources.
    if author == moderator:
        moderator = staff
    moderation.review_claim(review=review, by=moderator)
    if n % 11 == 0:
        return  # in review
    if n % 9 == 0:
        moderation.review_decide(
            review=review,
            by=moderator,
            action="request_changes",
            reason="Add the solutions, please.",
        )
        return
    if n % 19 == 0:
        moderation.review_decide(
            review=review,
            by=moderator,
            action="reject",
            criteria=criteria,
            reason="A pupil's name is visible on page 1.",
        )
        return
    moderation.review_decide(review=review, by=moderator, action="publish")
    if n == 23:
        appeals.notice_file(
            item=resource,
            name="Uitgeverij Voorbeeld",
            email="rechten@uitgeverij.example",
            work="Werkboek p. 12",
            reasons="The exercises are copied from our workbook.",
            good_faith=True,
        )
