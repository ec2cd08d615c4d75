"""Demo organisations (issue 17): twelve verified organisations across the
provinces, eight of them training providers with offers across themes,
formats and provinces; one proposal waits for staff and one was rejected.
Created through the same services members and staff use, each in its own
transaction (the services are durable entry points)."""

from __future__ import annotations

from typing import Any

from commonroom.accounts.models import Member
from commonroom.organisations import offer_services, services
from commonroom.organisations.models import Organisation
from commonroom.taxonomy.models import EducationLevel, Province, TrainingTheme

# name, kind, province, website host, description
ORGANISATIONS: list[tuple[str, str, str, str, str]] = [
    (
        "Leerpunt Vorming",
        "training_provider",
        "antwerp",
        "leerpunt",
        "Professional development for primary and secondary schools in and around "
        "Antwerp: reading, STEM and classroom management.",
    ),
    (
        "STEMlab Limburg",
        "training_provider",
        "limburg",
        "stemlab",
        "Hands-on STEM training for teachers: robots, sensors, experiments with "
        "everyday materials.",
    ),
    (
        "Taalhuis Gent",
        "training_provider",
        "east-flanders",
        "taalhuis",
        "Language and reading policy: coaching teams, workshops on reading "
        "comprehension and multilingual classrooms.",
    ),
    (
        "Zorgacademie Brugge",
        "training_provider",
        "west-flanders",
        "zorgacademie",
        "Pupil guidance and care: inclusive classrooms, working with parents, wellbeing at school.",
    ),
    (
        "Digitaal Onderwijs Leuven",
        "training_provider",
        "flemish-brabant",
        "digitaal-onderwijs",
        "Digital skills and media literacy for school teams, online and at the school.",
    ),
    (
        "Schoolleiders Netwerk Brussel",
        "training_provider",
        "brussels",
        "schoolleiders",
        "Leadership, policy and school development for principals and middle management.",
    ),
    (
        "Cultuurkuur Educatie",
        "training_provider",
        "antwerp",
        "cultuurkuur",
        "Arts and culture in the classroom: music, drama and visual arts for every teacher.",
    ),
    (
        "Groene Klas vzw",
        "training_provider",
        "east-flanders",
        "groene-klas",
        "Sustainability and outdoor learning: school gardens, climate projects, citizenship.",
    ),
    (
        "Basisschool De Regenboog",
        "school",
        "limburg",
        "regenboog",
        "A primary school in Hasselt that shares its project work.",
    ),
    (
        "Scholengroep Kempen",
        "school_group",
        "antwerp",
        "kempen",
        "A group of twelve primary and secondary schools in the Kempen.",
    ),
    (
        "Uitgeverij Krijtstreep",
        "publisher",
        "flemish-brabant",
        "krijtstreep",
        "Educational publisher of maths and science textbooks.",
    ),
    (
        "Provincie West-Vlaanderen, dienst Onderwijs",
        "government",
        "west-flanders",
        "west-vlaanderen",
        "The province's education department: projects and grants for schools.",
    ),
]
PENDING = (
    "Speelpleinwerking Zon",
    "non_profit",
    "limburg",
    "zon",
    "Holiday play schemes that also offer teacher workshops.",
)
REFUSED = (
    "Goedkope Bijles Online",
    "other",
    "brussels",
    "bijles-online",
    "Private tutoring for pupils, sold per hour.",
)

# organisation, title, themes, provinces, levels, roles, formats, sessions, price
OFFERS: list[tuple[str, str, list[str], list[str], list[str], list[str], list[str], int, str]] = [
    (
        "Leerpunt Vorming",
        "Begrijpend lezen in de lagere school",
        ["language-reading"],
        ["antwerp", "flemish-brabant"],
        ["primary"],
        ["teachers"],
        ["at_school"],
        3,
        "medium",
    ),
    (
        "Leerpunt Vorming",
        "Rust in de klas",
        ["classroom-management"],
        ["antwerp", "limburg"],
        ["primary", "secondary"],
        ["teachers"],
        ["open_course"],
        2,
        "low",
    ),
    (
        "Leerpunt Vorming",
        "STEM-projecten opzetten",
        ["stem"],
        ["antwerp"],
        ["primary"],
        ["teachers", "principals"],
        ["coaching"],
        5,
        "high",
    ),
    (
        "STEMlab Limburg",
        "Robots in de klas",
        ["stem", "digital"],
        ["limburg", "antwerp"],
        ["primary"],
        ["teachers"],
        ["at_school"],
        3,
        "medium",
    ),
    (
        "STEMlab Limburg",
        "Experimenteren met alledaagse materialen",
        ["stem"],
        ["limburg"],
        ["primary", "secondary"],
        ["teachers", "support_staff"],
        ["open_course"],
        1,
        "low",
    ),
    (
        "STEMlab Limburg",
        "Online STEM-coaching",
        ["stem"],
        ["limburg"],
        ["secondary"],
        ["teachers"],
        ["online", "coaching"],
        6,
        "medium",
    ),
    (
        "Taalhuis Gent",
        "Een leesbeleid voor je school",
        ["language-reading"],
        ["east-flanders", "west-flanders"],
        ["primary"],
        ["principals", "teachers"],
        ["coaching"],
        6,
        "high",
    ),
    (
        "Taalhuis Gent",
        "Meertaligheid als kracht",
        ["language-reading", "diversity"],
        ["east-flanders", "brussels"],
        ["primary", "secondary"],
        ["teachers", "support_staff"],
        ["open_course", "online"],
        2,
        "low",
    ),
    (
        "Zorgacademie Brugge",
        "Zorgbeleid op school",
        ["care"],
        ["west-flanders"],
        ["primary", "secondary"],
        ["principals", "support_staff"],
        ["at_school"],
        4,
        "medium",
    ),
    (
        "Zorgacademie Brugge",
        "Welbevinden in de klas",
        ["care", "classroom-management"],
        ["west-flanders", "east-flanders"],
        ["primary"],
        ["teachers"],
        ["open_course"],
        1,
        "free",
    ),
    (
        "Digitaal Onderwijs Leuven",
        "Mediawijsheid voor leerkrachten",
        ["digital", "citizenship"],
        ["flemish-brabant", "brussels", "antwerp"],
        ["secondary"],
        ["teachers"],
        ["online"],
        3,
        "low",
    ),
    (
        "Digitaal Onderwijs Leuven",
        "Digitale toetsen en feedback",
        ["digital", "assessment"],
        ["flemish-brabant"],
        ["secondary"],
        ["teachers"],
        ["at_school", "online"],
        2,
        "medium",
    ),
    (
        "Schoolleiders Netwerk Brussel",
        "Leiderschap in een lerende school",
        ["leadership"],
        ["brussels", "flemish-brabant", "antwerp"],
        [],
        ["principals"],
        ["open_course"],
        5,
        "high",
    ),
    (
        "Schoolleiders Netwerk Brussel",
        "Evaluatiebeleid met je team",
        ["leadership", "assessment"],
        ["brussels"],
        [],
        ["principals"],
        ["coaching"],
        4,
        "on_request",
    ),
    (
        "Cultuurkuur Educatie",
        "Drama in elke les",
        ["arts-culture"],
        ["antwerp", "limburg"],
        ["primary"],
        ["teachers"],
        ["at_school"],
        2,
        "medium",
    ),
    (
        "Cultuurkuur Educatie",
        "Muziek zonder muzikant te zijn",
        ["arts-culture"],
        ["antwerp"],
        ["primary"],
        ["teachers"],
        ["open_course"],
        1,
        "low",
    ),
    (
        "Groene Klas vzw",
        "Een schooltuin beginnen",
        ["sustainability"],
        ["east-flanders", "west-flanders"],
        ["primary"],
        ["teachers", "support_staff"],
        ["at_school"],
        3,
        "free",
    ),
    (
        "Groene Klas vzw",
        "Klimaat en burgerschap",
        ["sustainability", "citizenship"],
        ["east-flanders"],
        ["secondary"],
        ["teachers"],
        ["online", "open_course"],
        2,
        "low",
    ),
    (
        "Groene Klas vzw",
        "Buiten lesgeven, het hele jaar",
        ["sustainability", "health-sport"],
        ["east-flanders", "limburg"],
        ["primary"],
        ["teachers"],
        ["coaching"],
        6,
        "medium",
    ),
]


def _fields(row: tuple[str, str, str, str, str]) -> dict[str, Any]:
    name, kind, province, host, description = row
    return {
        "name": name,
        "kind": kind,
        "address": f"{name}, {Province.objects.get(slug=province).label}",
        "province": Province.objects.get(slug=province),
        "website": f"https://{host}.example",
        "email": f"info@{host}.example",
        "description": description,
    }


def load_demo_organisations(*, proposers: list[Member], staff: Member) -> int:
    """Propose, verify (or refuse) and fill the demo organisations; returns how many are public."""
    created: dict[str, Organisation] = {}
    for number, row in enumerate(ORGANISATIONS):
        proposer = proposers[number % len(proposers)]
        organisation = services.organisation_propose(by=proposer, **_fields(row))
        services.organisation_verify(organisation=organisation, by=staff)
        created[organisation.name] = organisation
    services.organisation_propose(by=proposers[0], **_fields(PENDING))
    refused = services.organisation_propose(by=proposers[1], **_fields(REFUSED))
    services.organisation_reject(
        organisation=refused,
        by=staff,
        reason="Private tutoring sold to pupils: no professional development for school staff.",
    )
    for name, title, themes, provinces, levels, roles, formats, sessions, price in OFFERS:
        organisation = Organisation.objects.get(pk=created[name].pk)
        admin = organisation.administrators.select_related("member").get().member
        offer_services.offer_save(
            organisation=organisation,
            by=admin,
            themes=list(TrainingTheme.objects.filter(slug__in=themes)),
            provinces=list(Province.objects.filter(slug__in=provinces)),
            levels=list(EducationLevel.objects.filter(slug__in=levels)),
            title=title,
            description=f"{title}: a route we plan with your school team. We agree on the "
            "objectives, the number of sessions, the place and the dates together.",
            roles=roles,
            formats=formats,
            sessions=sessions,
            duration=f"{sessions} × 3 hours" if sessions > 1 else "One afternoon",
            price_range=price,
            contact_person=f"{admin.first_name} {admin.last_name}",
            contact_channel=str(organisation.email),
        )
    return len(created)
