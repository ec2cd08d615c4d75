"""Demo networking among the demo members: follows, a public collection,
saved resources, reactions, ratings, a conversation and a tutor listing.
Created through the same services members use."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from commonroom.accounts.models import Member
from commonroom.library import services as library
from commonroom.messaging import services as messaging
from commonroom.people import services as people
from commonroom.resources.models import Resource
from commonroom.social import services
from commonroom.taxonomy.models import EducationLevel, Province, Subject

REACTIONS = [
    "Used this with my class last week: it worked really well.",
    "Heel bruikbaar, bedankt om te delen!",
    "Clear and well structured. Could you add the solutions?",
    "Mijn leerlingen vonden dit erg leuk.",
]


def load_demo_network(members: dict[str, Member]) -> None:
    anna = members["teacher@demo.commonroom.example"]
    lotte = members["lotte@demo.commonroom.example"]
    ahmed = members["ahmed@demo.commonroom.example"]
    emma = members["emma@demo.commonroom.example"]
    pieter = members["moderator@demo.commonroom.example"]
    published = list(Resource.objects.published().select_related("author").order_by("pk"))
    if not published:
        return
    # Demo posts are spread over a few minutes' worth of limits: make the
    # accounts look established so the anti-spam limits for newcomers do not apply.
    Member.objects.filter(pk__in=[m.pk for m in members.values()]).update(
        date_joined=timezone.now() - timedelta(days=90)
    )
    for member in (anna, lotte, ahmed, emma, pieter):
        member.refresh_from_db()

    collection = library.collection_create(
        owner=anna,
        title="Taal in de derde graad",
        is_public=True,
        description="Werkbladen en ideeën voor Nederlands in het 5de en 6de leerjaar.",
    )
    for resource in [r for r in published if r.language.slug == "nl"][:4]:
        library.collection_item_add(
            collection=collection, resource=resource, by=anna, note="Goed als herhaling na de les."
        )
    for resource in published[:6]:
        library.saved_item_create(member=anna, resource=resource)
    library.collection_follow(collection=collection, member=lotte)

    services.follow(follower=ahmed, target=anna)
    services.follow(follower=anna, target=lotte)
    services.follow(follower=anna, target=Subject.objects.get(slug="dutch"))
    services.follow(follower=lotte, target=pieter)
    services.follow(follower=emma, target=Subject.objects.get(slug="mathematics"))

    reactors = [lotte, ahmed, emma]
    for index, resource in enumerate(published[:8]):
        reactor = reactors[index % len(reactors)]
        if reactor.pk == resource.author_id:
            continue
        services.reaction_post(
            resource=resource, author=reactor, body=REACTIONS[index % len(REACTIONS)]
        )
        services.rating_set(resource=resource, member=reactor, stars=4 + index % 2)

    conversation = messaging.conversation_start(
        sender=lotte,
        recipients=[anna],
        body="Dag Anna, mag ik jouw werkblad over breuken aanpassen voor mijn klas?",
    )
    messaging.message_send(
        conversation=conversation,
        sender=anna,
        body="Natuurlijk! De licentie laat bewerkingen toe. Veel succes!",
    )

    people.tutor_listing_save(
        member=pieter,
        subjects=Subject.objects.filter(slug__in=["mathematics", "physics"]),
        levels=EducationLevel.objects.filter(slug__in=["secondary-2", "secondary-3"]),
        provinces=Province.objects.filter(slug__in=["antwerp", "flemish-brabant"]),
        availability="Woensdagnamiddag",
        offer="Ik help collega's met differentiatie in wiskunde en met STEM-projecten.",
    )
