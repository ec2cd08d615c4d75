"""Demo members for every role, so a new instance can be tried at once."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.db import connection, transaction
from django.utils import timezone

from commonroom.accounts.models import Member, Profile
from commonroom.accounts.roles import MODERATORS, STAFF
from commonroom.legal.selectors import terms_current
from commonroom.legal.services import terms_accept
from commonroom.moderation import suspensions
from commonroom.taxonomy.models import EducationLevel, Province, Subject

DEMO_PASSWORD = "demo-Commonroom-2026"  # noqa: S105 -- printed for the demo on purpose

DEMO_MEMBERS = [
    # email, first, last, role, subjects, levels, province, bio
    (
        "staff@demo.commonroom.example",
        "Sofie",
        "Claes",
        "staff",
        [],
        [],
        "flemish-brabant",
        "Platform team: terms, maintenance and member support.",
    ),
    (
        "moderator@demo.commonroom.example",
        "Pieter",
        "Janssens",
        "moderator",
        ["mathematics", "physics"],
        ["secondary"],
        "antwerp",
        "Maths teacher and volunteer moderator.",
    ),
    (
        "teacher@demo.commonroom.example",
        "Anna",
        "Peeters",
        "member",
        ["dutch", "history"],
        ["primary-3", "secondary"],
        "east-flanders",
        "I teach Dutch and history and love project work.",
    ),
    (
        "suspended@demo.commonroom.example",
        "Tom",
        "Maes",
        "suspended",
        ["english"],
        ["secondary"],
        "limburg",
        "",
    ),
    (
        "lotte@demo.commonroom.example",
        "Lotte",
        "Vermeulen",
        "member",
        ["biology", "chemistry"],
        ["secondary"],
        "antwerp",
        "Science teacher who loves experiments.",
    ),
    (
        "ahmed@demo.commonroom.example",
        "Ahmed",
        "El Amrani",
        "member",
        ["french", "english"],
        ["secondary-1"],
        "brussels",
        "Languages, drama and debating.",
    ),
    (
        "emma@demo.commonroom.example",
        "Emma",
        "De Smet",
        "member",
        ["mathematics", "music"],
        ["primary"],
        "west-flanders",
        "Primary teacher, year 3.",
    ),
]


@contextmanager
def _no_mail_to_demo_members() -> Iterator[None]:
    """Loading the demo notifies its members dozens of times; they see the
    notifications in the app, but nobody needs those e-mails."""
    from commonroom.notifications.kinds import registered_kinds
    from commonroom.notifications.models import NotificationPreference

    members = list(Member.objects.filter(email__endswith="@demo.commonroom.example"))
    NotificationPreference.objects.bulk_create(
        [
            NotificationPreference(member=m, kind=k, frequency="never")
            for m in members
            for k in registered_kinds()
        ],
        ignore_conflicts=True,
    )
    try:
        yield
    finally:
        NotificationPreference.objects.filter(member__in=members, frequency="never").delete()


def demo_data_allowed() -> bool:
    if settings.DEMO_DATA:
        return True
    database = connection.settings_dict
    return (
        database["ENGINE"] == "django.db.backends.sqlite3"
        and Path(str(database["NAME"])).resolve() == Path(settings.EMBEDDED_DATABASE).resolve()
    )


class Command(BaseCommand):
    help = "Create demo members for every role (idempotent); prints their sign-ins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when any member exists."
        )
        parser.add_argument("--quiet", action="store_true", help="Do not print the sign-ins.")

    def handle(self, *args: object, **options: object) -> None:
        if not demo_data_allowed():
            message = (
                "Demo data not loaded: the database is not the embedded SQLite file "
                f"({settings.EMBEDDED_DATABASE}) and every demo member's password is "
                "published. Set DEMO_DATA=1 to load it into this database anyway."
            )
            if options["if_empty"]:
                # make run on PostgreSQL: serve without the demo.
                self.stderr.write(message)
                return
            raise CommandError(message)
        if options["if_empty"] and Member.objects.exists():
            self.stdout.write("Demo data: members exist already, nothing loaded.")
        else:
            with transaction.atomic():
                self._load()
            with _no_mail_to_demo_members():
                with transaction.atomic():
                    count = self._load_resources()
                with transaction.atomic():
                    self._load_network()
                # The staffroom's services are entry points of their own (durable).
                self._load_staffroom()
                # Each service is its own (durable) transaction.
                self._load_organisations()
            # "Did you mean" knows the demo's words at once, not at the
            # scheduler's next hourly refresh.
            from commonroom.search.suggest import search_words_refresh

            search_words_refresh()
            self.stdout.write(self.style.SUCCESS(f"Demo data loaded ({count} resources)."))
        if not options["quiet"]:
            self.print_sign_ins(self.stdout)

    @staticmethod
    def print_sign_ins(out: OutputWrapper) -> None:
        out.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        for email, first, last, role, *_rest in DEMO_MEMBERS:
            out.write(f"  {role:<10} {email:<38} {first} {last}")

    def _load_network(self) -> None:
        from commonroom.demo.social import load_demo_network

        members = {
            str(m.email): m
            for m in Member.objects.filter(email__endswith="@demo.commonroom.example")
        }
        load_demo_network(members)

    def _load_staffroom(self) -> None:
        from commonroom.demo.staffroom import load_demo_staffroom

        members = {
            str(m.email): m
            for m in Member.objects.filter(email__endswith="@demo.commonroom.example")
        }
        load_demo_staffroom(members)

    def _load_organisations(self) -> int:
        from commonroom.demo.organisations import load_demo_organisations

        members = {
            m.email: m for m in Member.objects.filter(email__endswith="@demo.commonroom.example")
        }
        proposers = [
            members[e]
            for e in (
                "teacher@demo.commonroom.example",
                "lotte@demo.commonroom.example",
                "ahmed@demo.commonroom.example",
                "emma@demo.commonroom.example",
            )
        ]
        return load_demo_organisations(
            proposers=proposers, staff=members["staff@demo.commonroom.example"]
        )

    def _load_resources(self) -> int:
        from commonroom.demo.resources import load_demo_resources

        members = {
            m.email: m for m in Member.objects.filter(email__endswith="@demo.commonroom.example")
        }
        authors = [members[e] for e, *_r in DEMO_MEMBERS if _r[2] in ("member", "moderator")]
        return load_demo_resources(
            authors=authors,
            moderator=members["moderator@demo.commonroom.example"],
            staff=members["staff@demo.commonroom.example"],
        )

    def _load(self) -> None:
        terms = terms_current()
        staff = None
        now = timezone.now()
        for email, first, last, role, subjects, levels, province, bio in DEMO_MEMBERS:
            member, created = Member.objects.get_or_create(
                email=email,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "birth_year": 1985,
                    "declared_not_pupil_at": now,
                },
            )
            if not created:
                continue
            member.set_password(DEMO_PASSWORD)
            member.is_staff = role == "staff"
            member.is_superuser = role == "staff"
            member.save()
            EmailAddress.objects.create(user=member, email=email, verified=True, primary=True)
            if role == "staff":
                member.groups.add(Group.objects.get(name=STAFF))
                staff = member
            if role == "moderator":
                member.groups.add(Group.objects.get(name=MODERATORS))
            profile = Profile.objects.create(
                member=member, bio=bio, province=Province.objects.filter(slug=province).first()
            )
            profile.subjects.set(Subject.objects.filter(slug__in=subjects))
            profile.levels.set(EducationLevel.objects.filter(slug__in=levels))
            if terms:
                terms_accept(member=member, document=terms, language=member.language)
            if role == "suspended" and staff is not None:
                suspensions.member_suspend(
                    member=member,
                    reason="Posted the same advertisement in many reactions (demo).",
                    until=now + timedelta(days=30),
                    by=staff,
                )
