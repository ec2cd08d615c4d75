"""Issue 13 item 9: one language at a time. Every page (as visitor, member,
moderator and staff), every notification in the demo data and every mail is
rendered in Dutch and in English, and fails on a sentence from the other
language's catalogue: an English msgid on a Dutch page means a string that is
not marked or not translated, a Dutch msgstr on an English page means text
rendered in the wrong language (a notification stored in Dutch, say).

The catalogues are the ones Django loads (the project's, allauth's, Django's),
so the test needs no list of its own; only sentences of at least
``MIN_WORDS`` words that differ between the languages are looked for, which
keeps names and words the same in both ("Commonroom", "Tutor", "Staff") out.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import trans_real

from commonroom.accounts.models import Member
from commonroom.notifications.mail import digest_email_build, notification_email_build
from commonroom.notifications.models import Notification

MIN_WORDS = 3
# Phrases the same in both languages although the catalogue lists them
# apart; each one says why.
ALLOWED = {
    # Licence names are proper names; the Dutch catalogue adds only a hint.
    "Creative Commons",
}
ROLES = {
    "visitor": "",
    "member": "teacher@demo.commonroom.example",
    "moderator": "moderator@demo.commonroom.example",
    "staff": "staff@demo.commonroom.example",
}
# Pages that are not the platform's UI, or that change state on GET.
SKIPPED_PREFIXES = ("/admin/", "/accounts/logout/", "/i18n/", "/static/", "/media/")
_PLACEHOLDER = re.compile(r"%\(\w+\)[sdfi]|%[sdfi]|\{\w*\}|\{\{[^}]*\}\}")
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def _normal(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _fragments(text: str) -> Iterator[str]:
    """The literal runs of a catalogue string long enough to be recognised:
    placeholders and inline tags split it; a word glued to a placeholder
    ("“%(title)s”") is dropped, as the page shows it with the value."""
    runs = _PLACEHOLDER.split(_TAG.sub(" ", text))
    for index, run in enumerate(runs):
        words = run.split(" ")
        if index > 0 and not run[:1].isspace():
            words = words[1:]
        if index < len(runs) - 1 and not run[-1:].isspace():
            words = words[:-1]
        words = [w for w in _normal(" ".join(words)).split(" ") if w]
        if len(words) >= MIN_WORDS and any(w[:1].isalpha() for w in words):
            yield " ".join(words)


@dataclass
class Phrases:
    """Sentences of one language, found by their first three words."""

    by_start: dict[tuple[str, ...], set[str]] = field(default_factory=dict)

    def add(self, phrase: str) -> None:
        words = tuple(phrase.split(" ")[:MIN_WORDS])
        self.by_start.setdefault(words, set()).add(phrase)

    def discard(self, phrases: set[str]) -> None:
        for start in list(self.by_start):
            self.by_start[start] -= phrases
            if not self.by_start[start]:
                del self.by_start[start]

    def all(self) -> set[str]:
        return {p for group in self.by_start.values() for p in group}

    def found_in(self, text: str) -> set[str]:
        words = _normal(text).split(" ")
        joined = " " + " ".join(words) + " "
        found = set()
        for i in range(len(words) - MIN_WORDS + 1):
            for phrase in self.by_start.get(tuple(words[i : i + MIN_WORDS]), ()):
                if f" {phrase} " in joined or f" {phrase}" in joined:
                    found.add(phrase)
        return found


def _catalogue() -> dict[str, str]:
    """msgid → Dutch msgstr, singular forms, from every catalogue Django loads."""
    with translation.override("nl"):
        catalog = trans_real.translation("nl")._catalog  # type: ignore[attr-defined]
    pairs: dict[str, str] = {}
    for key, value in catalog.items():
        msgid = key[0] if isinstance(key, tuple) else key
        if isinstance(key, tuple) and key[1] != 0:
            continue
        if not msgid or "\x04" in msgid:  # header, or context-qualified
            msgid = msgid.split("\x04", 1)[-1]
        if msgid and value and msgid != value:
            pairs[msgid] = value
    return pairs


def phrase_sets(pairs: dict[str, str]) -> tuple[Phrases, Phrases]:
    english, dutch = Phrases(), Phrases()
    for msgid, msgstr in pairs.items():
        for phrase in _fragments(msgid):
            english.add(phrase)
        for phrase in _fragments(msgstr):
            dutch.add(phrase)
    # A phrase in both languages (a quote, a name) says nothing about either.
    both = english.all() & dutch.all()
    english.discard(both | ALLOWED)
    dutch.discard(both | ALLOWED)
    return english, dutch


class _Reader(HTMLParser):
    """What a person reads on a page: text outside script and style, and the
    attributes read out or shown (title, aria-label, placeholder, alt, the
    value of a button). Text marked with another ``lang`` is content in that
    language (a resource, a quote; issue 13 item 18) and is left out."""

    ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}

    def __init__(self, language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.language = language
        self.parts: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, hides its text)

    def _hidden(self) -> bool:
        return any(hides for _tag, hides in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        lang = (values.get("lang") or "").split("-")[0]
        hides = tag in ("script", "style", "template") or bool(lang and lang != self.language)
        if tag not in self.VOID:
            self.stack.append((tag, hides))
        if self._hidden() or hides:
            return
        for name in self.ATTRIBUTES:
            if values.get(name):
                self.parts.append(str(values[name]))
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(str(values["value"]))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if not self._hidden():
            self.parts.append(data)


def readable_text(html: str, language: str) -> str:
    reader = _Reader(language)
    reader.feed(html)
    return _normal(" ".join(reader.parts))


@pytest.fixture(scope="module")
def phrases() -> tuple[Phrases, Phrases]:
    return phrase_sets(_catalogue())


def _other_language(language: str, phrases: tuple[Phrases, Phrases]) -> Phrases:
    english, dutch = phrases
    return english if language == "nl" else dutch


def _client(role: str, language: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if ROLES[role]:
        client.force_login(Member.objects.get(email=ROLES[role]))
    return client


def _links(html: str) -> Iterable[str]:
    for href in re.findall(r'href="([^"#]*)', html):
        parts = urlsplit(href.replace("&amp;", "&"))
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        yield parts.path + (f"?{parts.query}" if parts.query else "")


def _pattern(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.route or match.view_name


# Where the crawl starts; it follows every link from there.
START = (
    "/",
    "/accounts/signup/",
    "/accounts/login/",
    "/accounts/password/reset/",
    "/accounts/profile/",
    "/notifications/",
    "/notifications/settings/",
    "/resources/mine/",
    "/library/saved/",
    "/messages/",
    "/moderation/",
    "/moderation/dashboard/",
    "/moderation/objections/",
    "/moderation/notices/",
    "/moderation/transparency/",
    "/moderation/audit/",
    "/staff/members/",
    "/search/?q=a",
)


def pages_no_link_leads_to() -> tuple[str, ...]:
    """Pages reached by a form or a mail, not a link, named with demo ids;
    a role that may not see one gets a redirect or 403 and skips it."""
    from commonroom.library.models import Collection
    from commonroom.messaging.models import Message
    from commonroom.messaging.selectors import message_reports
    from commonroom.moderation.models import Decision, Objection, Report
    from commonroom.resources.models import Resource, ResourceFile
    from commonroom.social.models import Reaction

    teacher = Member.objects.get(email=ROLES["member"])
    paths = [
        "/accounts/my-data/",
        "/accounts/password/set/",
        "/accounts/2fa/totp/activate/",
        "/accounts/2fa/recovery-codes/",
        "/contact/sent/",
        "/moderation/notices/sent/",
        "/search/saved/new/?q=a",
        "/terms/accept/",
    ]
    own = Resource.objects.filter(author=teacher).order_by("pk").first()
    if own is not None:
        paths += [f"/resources/{own.pk}/edit/", f"/resources/{own.pk}/licence/"]
        paths.append(f"/library/embed/resource/{own.pk}/")
    firsts = {
        "/moderation/decisions/{}/object/": Decision.objects.exclude(action="publish"),
        "/moderation/objections/{}/": Objection.objects.all(),
        "/moderation/content-reports/{}/": Report.objects.exclude(pk__in=message_reports()),
        "/moderation/files/{}/remove/": ResourceFile.objects.all(),
        "/messages/reports/{}/": message_reports(),
        "/messages/held/{}/": Message.objects.filter(held=True),
        "/reactions/{}/edit/": Reaction.objects.all(),
        "/reactions/{}/moderate/": Reaction.objects.all(),
        "/library/embed/collection/{}/": Collection.objects.filter(is_public=True),
    }
    for path, rows in firsts.items():
        first = rows.order_by("pk").values_list("pk", flat=True).first()
        if first is not None:
            paths.append(path.format(first))
    return tuple(paths)


def crawl(
    client: Client, *, language: str, other: Phrases, seen_patterns: set[str]
) -> dict[str, set[str]]:
    """Visit each URL pattern not in ``seen_patterns`` once, starting from
    START and following links; returns what was found per page. Patterns
    visited are added to ``seen_patterns``, so the next role only reads the
    pages this one could not reach (the header and menus of each role are on
    every page it reads)."""
    start = START + pages_no_link_leads_to()
    queue = deque(start)
    found: dict[str, set[str]] = {}
    mine: set[str] = set()
    while queue:
        path = queue.popleft()
        pattern = _pattern(path)
        if pattern is None or pattern in mine or path.startswith(SKIPPED_PREFIXES):
            continue
        mine.add(pattern)
        if pattern in seen_patterns and path not in start:
            continue
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        seen_patterns.add(pattern)
        html = response.content.decode()
        hits = other.found_in(readable_text(html, language))
        if hits:
            found[path] = hits
        queue.extend(_links(html))
    return found


@pytest.fixture(autouse=True)
def _demo_data_allowed(settings) -> None:
    settings.DEMO_DATA = True


def test_item9_the_phrase_finder_finds_an_injected_untranslated_string(phrases):
    """The test can fail: a sentence of the catalogue left in English on a
    Dutch page, or Dutch on an English page, is found; the same page in the
    right language is not."""
    english, dutch = phrases
    pairs = _catalogue()
    msgid = next(m for m in pairs if m.startswith("A moderator approved your resource"))
    dutch_page = f"<main><p>{pairs[msgid]}</p><p title='{msgid}'>x</p></main>"
    assert english.found_in(readable_text(dutch_page, "nl")) == {msgid}
    assert pairs[msgid] in dutch.found_in(readable_text(dutch_page, "nl"))
    # Content marked as English on a Dutch page is content, not the UI.
    assert english.found_in(readable_text(f"<p lang='en'>{msgid}</p>", "nl")) == set()
    assert english.found_in(readable_text(f"<script>'{msgid}'</script>", "nl")) == set()


@pytest.mark.django_db(transaction=False)
def test_item9_every_page_every_notification_and_mail_speak_one_language(phrases):
    call_command("demo_data", "--if-empty", verbosity=0)  # about 25 s
    started = time.monotonic()
    problems: list[str] = []
    patterns: dict[str, set[str]] = {"nl": set(), "en": set()}
    for role in ROLES:
        for language in ("nl", "en"):
            found = crawl(
                _client(role, language),
                language=language,
                other=_other_language(language, phrases),
                seen_patterns=patterns[language],
            )
            problems += [
                f"{language} page {path} as {role}: {sorted(hits)}" for path, hits in found.items()
            ]
    problems += notification_and_mail_problems(phrases)
    assert problems == []
    # The crawl reached the site, not just the home page.
    assert len(patterns["nl"]) > 70
    assert patterns["nl"] == patterns["en"]
    # About 25 s on an idle machine (plus the demo data); printed, not
    # asserted, so that a busy CI machine does not fail it.
    seconds = time.monotonic() - started
    print(f"item 9: {len(patterns['nl'])} URL patterns per language, {seconds:.0f} s")


def _mail_text(message) -> str:  # type: ignore[no-untyped-def]
    return f"{message.subject}\n{message.body}"


def notification_and_mail_problems(phrases: tuple[Phrases, Phrases]) -> list[str]:
    """Every notification of the demo data as shown (the list) and mailed,
    in each language; the daily digest; every allauth mail template."""
    problems = []
    _kinds_the_demo_lacks()
    notifications = list(Notification.objects.select_related("recipient"))
    assert {n.kind for n in notifications} >= {
        "moderation_decision",
        "objection_decision",
        "reaction",
        "new_follower",
        "new_message",
        "notice",
        "review_due",
        "link_broken",
    }
    for language in ("nl", "en"):
        other = _other_language(language, phrases)
        for notification in notifications:
            with translation.override(language):
                shown = f"{notification.shown_title}\n{notification.shown_body}"
            hits = other.found_in(shown)
            if hits:
                problems.append(f"{language} notification {notification.kind}: {sorted(hits)}")
            member = notification.recipient
            member.language = language
            member.save(update_fields=["language"])
            message = notification_email_build(notification_id=notification.pk)
            if message is not None and (hits := other.found_in(_mail_text(message))):
                problems.append(f"{language} mail of {notification.kind}: {sorted(hits)}")
        by_member: dict[int, list[int]] = {}
        for notification in notifications:
            by_member.setdefault(notification.recipient_id, []).append(notification.pk)
        for member_id, ids in by_member.items():
            digest = digest_email_build(member_id=member_id, notification_ids=ids)
            if digest is not None and (hits := other.found_in(_mail_text(digest))):
                problems.append(f"{language} digest: {sorted(hits)}")
        problems += [
            f"{language} {name}: {sorted(hits)}" for name, hits in _account_mails(language, other)
        ]
    return problems


def _kinds_the_demo_lacks() -> None:
    """Notifications the demo data does not make: a decision on an
    objection, a resource due for a check, a broken link."""
    from datetime import timedelta

    from django.utils import timezone

    from commonroom.moderation import appeals
    from commonroom.moderation import services as moderation
    from commonroom.moderation.models import Decision
    from commonroom.resources import link_checks
    from commonroom.resources.links import _status_words
    from commonroom.resources.models import Resource

    staff = Member.objects.get(email=ROLES["staff"])
    refusal = Decision.objects.filter(action="reject", content_type__model="resource").first()
    assert refusal is not None
    objection = appeals.objection_file(
        decision=refusal, by=refusal.target.author, text="The name is blurred."
    )
    appeals.objection_decide(objection=objection, by=staff, overturn=True, reason="Indeed.")
    later = timezone.now() + timedelta(days=settings.REREVIEW_AFTER_DAYS + 1)
    moderation.rereview_mark_due(now=later)
    published = Resource.objects.published().select_related("author").first()
    assert published is not None
    link_checks._report_broken_link(published, _status_words(404))


def _account_mails(language: str, other: Phrases) -> Iterator[tuple[str, set[str]]]:
    """allauth's mails as the site renders them (its own templates and the
    project's overrides), with the context allauth gives them."""
    import allauth

    member = Member.objects.get(email=ROLES["member"])
    context = {
        "user": member,
        "email": member.email,
        "activate_url": "https://example.org/confirm/abc/",
        "password_reset_url": "https://example.org/reset/abc/",
        "signup_url": "https://example.org/signup/",
        "code": "123456",
        "key": "abc",
        "from_email": "old@example.org",
        "to_email": "new@example.org",
        "deleted_email": "old@example.org",
        "current_site": {"name": settings.PLATFORM_NAME, "domain": "example.org"},
    }
    folder = Path(allauth.__file__).parent / "templates" / "account" / "email"
    for path in sorted(folder.glob("*_message.txt")) + sorted(folder.glob("*_subject.txt")):
        name = f"account/email/{path.name}"
        with translation.override(language):
            try:
                text = render_to_string(name, context)
            except TemplateDoesNotExist:
                continue
        hits = other.found_in(text)
        if hits:
            yield name, hits


def _entries(po: str) -> Iterator[tuple[list[str], str, str]]:
    """(flags, msgid, msgstr) of each entry of a .po text; plural entries
    give their first form."""
    for block in po.split("\n\n"):
        lines = block.strip().splitlines()
        flags = [f for line in lines if line.startswith("#,") for f in line[2:].split(",")]
        fields: dict[str, str] = {}
        current = ""
        for line in lines:
            if line.startswith(("msgid ", "msgstr ", "msgstr[0] ")):
                current, _sep, rest = line.partition(" ")
                fields[current] = rest.strip()[1:-1]
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
            elif not line.startswith('"'):
                current = ""
        msgid = fields.get("msgid", "")
        if msgid:
            yield (
                [f.strip() for f in flags],
                msgid,
                fields.get("msgstr", fields.get("msgstr[0]", "")),
            )


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext")
def test_item9_every_string_the_code_marks_has_a_dutch_translation(tmp_path):
    """The crawl above only knows the strings in the catalogue; a string
    marked in the code but never extracted (``gettext`` under another name)
    or not yet translated shows in English on a Dutch page. makemessages is
    run on a copy of the code, as ``make messages`` runs it, and every msgid
    it finds needs a Dutch translation that is not marked fuzzy."""
    source = Path(settings.BASE_DIR) / "commonroom"
    copy = tmp_path / "commonroom"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("static", "__pycache__"))
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "nl", "--no-obsolete"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    po = (copy / "locale" / "nl" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    missing = sorted(
        msgid for flags, msgid, msgstr in _entries(po) if not msgstr or "fuzzy" in flags
    )
    assert not missing, f"{len(missing)} strings without Dutch:\n" + "\n".join(missing)
