"""Demo staffroom: five categories with questions (some answered) and
discussions in Dutch and English, written through the staffroom's own
services by the demo members, then dated over the past weeks."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from commonroom.accounts.models import Member
from commonroom.resources.models import Resource
from commonroom.staffroom import services
from commonroom.staffroom.models import Category, Post, Thread, ThreadKind
from commonroom.taxonomy.models import EducationLevel, Subject

CATEGORIES = [
    # slug, name, description, level slug, subject slug
    (
        "klaspraktijk",
        "Klaspraktijk",
        "Klasmanagement, differentiatie en alles wat een lesdag goed laat lopen.",
        None,
        None,
    ),
    (
        "wiskunde",
        "Wiskunde",
        "Rekenen en wiskunde: didactiek, materiaal en toetsen.",
        None,
        "mathematics",
    ),
    (
        "lager-onderwijs",
        "Lager onderwijs",
        "Voor leerkrachten van het eerste tot het zesde leerjaar.",
        "primary",
        None,
    ),
    (
        "science",
        "Science lab",
        "Experiments, safety and practical work in biology, chemistry and physics.",
        "secondary",
        "biology",
    ),
    (
        "languages",
        "Languages",
        "Teaching Dutch, French and English: reading, speaking and feedback.",
        None,
        None,
    ),
]

# category, author key, kind, title, body, replies: (author key, body, quote the opening?),
# index of the accepted reply (questions only) or None.
THREADS = [
    (
        "wiskunde",
        "emma",
        ThreadKind.QUESTION,
        "Hoe leren jullie breuken aan in het derde leerjaar?",
        "Mijn leerlingen haken af zodra we breuken op papier zetten. "
        "Welke **concrete materialen** werken bij jullie?",
        [
            (
                "pieter",
                "Begin met echte dingen: een pizza of een reep chocolade in gelijke delen. "
                "Pas daarna de notatie.",
                False,
            ),
            (
                "anna",
                "Breukenstroken! Laat ze die zelf knippen en vergelijken: "
                "*welke is groter, 1/3 of 1/4?*",
                True,
            ),
            ("emma", "Bedankt allebei, de breukenstroken waren een schot in de roos.", False),
        ],
        1,
    ),
    (
        "klaspraktijk",
        "anna",
        ThreadKind.DISCUSSION,
        "Gsm-vrije school: ervaringen?",
        "Onze school overweegt een volledig gsm-verbod, ook op de speelplaats. "
        "Hoe loopt dat bij jullie?",
        [
            (
                "ahmed",
                "Wij doen het sinds september. De eerste weken was het wennen, "
                "nu spelen ze weer voetbal.",
                False,
            ),
            (
                "lotte",
                "Bij ons mag de gsm wel in de les als hulpmiddel, met duidelijke afspraken.",
                False,
            ),
        ],
        None,
    ),
    (
        "science",
        "lotte",
        ThreadKind.QUESTION,
        "Safe alternative to the classic volcano experiment?",
        "I want a reaction that fizzes nicely but without vinegar smell all over the lab. "
        "Any ideas for 13-year-olds?",
        [
            (
                "pieter",
                "Citric acid and baking soda in water works well and smells of nothing.",
                False,
            ),
            (
                "ahmed",
                "Yeast and hydrogen peroxide (3%) makes 'elephant toothpaste': "
                "goggles on, and it is a great talk about catalysts.",
                True,
            ),
        ],
        1,
    ),
    (
        "languages",
        "ahmed",
        ThreadKind.DISCUSSION,
        "Feedback on speaking without embarrassing shy pupils",
        "How do you give feedback on spoken French or English when half the class "
        "would rather disappear than speak?",
        [
            (
                "anna",
                "Short recordings they make at home, feedback one-to-one. Nobody hears it but me.",
                False,
            ),
            (
                "emma",
                "Pair work first, then a volunteer pair performs. "
                "@[Ahmed El Amrani] have you tried that?",
                False,
            ),
        ],
        None,
    ),
    (
        "lager-onderwijs",
        "emma",
        ThreadKind.QUESTION,
        "Leesmotivatie in het vierde leerjaar",
        "Hoe krijgen jullie lezers die 'niet graag lezen' toch aan een boek?",
        [
            ("anna", "Een klasbibliotheek die de kinderen zelf mee samenstellen.", False),
            (
                "lotte",
                "Strips en informatieve boeken tellen ook! Niet iedereen wil een roman.",
                False,
            ),
        ],
        0,
    ),
    (
        "wiskunde",
        "pieter",
        ThreadKind.DISCUSSION,
        "Rekenmachine in de eerste graad: ja of nee?",
        "In onze vakgroep zijn de meningen verdeeld. Wat is jullie beleid?",
        [
            (
                "emma",
                "Pas als het hoofdrekenen vlot zit. Anders wordt het een kruk.",
                False,
            ),
        ],
        None,
    ),
]


def load_demo_staffroom(members: dict[str, Member]) -> int:
    """Returns the number of threads made; nothing when categories exist."""
    if Category.objects.exists():
        return 0
    by_key = {
        "anna": members["teacher@demo.commonroom.example"],
        "lotte": members["lotte@demo.commonroom.example"],
        "ahmed": members["ahmed@demo.commonroom.example"],
        "emma": members["emma@demo.commonroom.example"],
        "pieter": members["moderator@demo.commonroom.example"],
    }
    boards = {}
    for position, (slug, name, description, level, subject) in enumerate(CATEGORIES):
        boards[slug] = Category.objects.create(
            slug=slug,
            name=name,
            description=description,
            position=position,
            level=EducationLevel.objects.filter(slug=level).first() if level else None,
            subject=Subject.objects.filter(slug=subject).first() if subject else None,
        )
    # Anna follows the maths category; Lotte follows the phone discussion below.
    services.follow_set(member=by_key["anna"], target=boards["wiskunde"], on=True)
    now = timezone.now()
    for number, (slug, author, kind, title, body, replies, accepted) in enumerate(THREADS):
        thread = services.thread_start(
            category=boards[slug], author=by_key[author], title=title, body=body, kind=kind
        )
        posts = []
        for writer, text, quote in replies:
            posts.append(
                services.post_reply(
                    thread=thread,
                    author=by_key[writer],
                    body=text,
                    quote=thread.opening_post if quote else None,
                )
            )
        if number == 0:
            _link_a_resource(thread, by_key["lotte"])
        if accepted is not None:
            services.answer_mark(thread=thread, post=posts[accepted], by=by_key[author])
        _date(thread, start=now - timedelta(days=3 * (len(THREADS) - number) + 2))
    return len(THREADS)


def _link_a_resource(thread: Thread, writer: Member) -> None:
    """A reply that links a published resource: shown as a card under the post."""
    resource = (
        Resource.objects.published().filter(title__icontains="breuk").order_by("pk").first()
        or Resource.objects.published().order_by("pk").first()
    )
    if resource is not None:
        services.post_reply(
            thread=thread,
            author=writer,
            body=f"Op het platform staat ook dit: {resource.get_absolute_url()}",
        )


def _date(thread: Thread, *, start: datetime) -> None:
    """Spread a thread's posts over the hours after ``start``."""
    last = start
    for hours, post in enumerate(Post.objects.filter(thread=thread).order_by("pk")):
        last = start + timedelta(hours=5 * hours)
        Post.objects.filter(pk=post.pk).update(created_at=last)
    Thread.objects.filter(pk=thread.pk).update(created_at=start, last_post_at=last)
