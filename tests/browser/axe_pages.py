"""Every page of the site for the axe-core pass (tests/browser/test_axe.py):
the demo data plus the few objects it lacks (an objection, reports, a held
message, a saved search), each page as the role that sees most of it, and
the URL patterns that are not pages, each with its reason."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Roles: a visitor, or a demo member signed in (manage.py demo_data).
VISITOR = "visitor"
MEMBER = "teacher@demo.commonroom.example"
MODERATOR = "moderator@demo.commonroom.example"
STAFF = "staff@demo.commonroom.example"
SUSPENDED = "suspended@demo.commonroom.example"
ROLE_NAMES = {
    VISITOR: "visitor",
    MEMBER: "member",
    MODERATOR: "moderator",
    STAFF: "staff",
    SUSPENDED: "suspended member",
}

# URL patterns that are not pages, by view name (namespace:name); the pass
# fails on any other pattern it does not visit, so a new page is not missed.
# Views that answer only POST (require_POST) are found by themselves.
NOT_PAGES = {
    # Downloads and files
    "accounts:data_export": "a JSON download",
    "accounts:profile_photo": "an image",
    "organisations:logo": "an image",
    "resources:zip": "a ZIP download",
    "resources:thumbnail": "an image",
    "resources:thumbnail_sized": "an image",
    "resources:file": "a file download",
    "mfa_download_recovery_codes": "a text download",
    # Machine answers
    "search:suggest": "JSON for the search box",
    "healthz": "a health probe",
    "readyz": "a readiness probe",
    "set_language": "POST-only (Django's set_language redirects a GET)",
    # Redirects to a page that is visited
    "resources:detail_short": "redirects to the resource page",
    "organisations:detail_short": "redirects to the organisation page",
    "library:collection_short": "redirects to the collection page",
    "staffroom:post": "a post's permanent link redirects to its thread page",
    "account_logout": "a sign-out button; GET redirects when signed out",
    "account_set_password": "redirects to 'change password' when a password is set",
    "mfa_view_recovery_codes": "redirects to 2FA set-up without an authenticator",
    "mfa_generate_recovery_codes": "redirects to 2FA set-up without an authenticator",
    "mfa_deactivate_totp": "redirects to 2FA set-up without an authenticator",
    "mfa_authenticate": "only inside a sign-in with 2FA (redirects otherwise)",
    "mfa_reauthenticate": "redirects to 2FA set-up without an authenticator",
    "account_confirm_login_code": "only inside a sign-in by code (redirects otherwise)",
    "account_request_reauthentication_code": "sign-in by code is off (redirects)",
    "account_confirm_reauthentication_code": "sign-in by code is off (redirects)",
    # POST handlers that redirect a GET back to the page they belong to
    "library:collection_add": "the 'add to collection' form posts here; a GET redirects",
    "library:collection_follow": "a follow button",
    "library:collection_unfollow": "an unfollow button",
    "library:save": "a save button",
    "library:unsave": "an unsave button",
    "staff:lift": "a button on the members page",
    # The OpenID Connect provider's machine answers (issue 18)
    "oauth2_provider:token": "the token endpoint (POST, JSON)",
    "oauth2_provider:revoke-token": "token revocation (POST)",
    "oauth2_provider:user-info": "userinfo (JSON, with a bearer token)",
    "oauth2_provider:oidc-connect-discovery-info": "the discovery document (JSON)",
    "oauth2_provider:jwks-info": "the signing keys (JSON)",
    # Sign-in through an external provider: none is configured in the tests
    "socialaccount_signup": "only inside an external sign-in (redirects otherwise)",
    "openid_connect_login": "no external provider configured (404)",
    "openid_connect_callback": "no external provider configured (404)",
    "social/login/cancelled/": "allauth's old address of a visited page",
    "social/login/error/": "allauth's old address of a visited page",
    "social/signup/": "allauth's old address; only inside an external sign-in",
    "social/connections/": "allauth's old address of a visited page",
    # Harvesting, feeds and machine-readable answers (issue 18, R34)
    "oai": "OAI-PMH (XML)",
    "syndication": "robots.txt, sitemaps, Atom feeds and oEmbed (text, XML, JSON)",
    "metrics": "Prometheus metrics (text, loopback only)",
    "api_v1": "the JSON API (its own schema test and role matrix)",
    "api:not_found": "the JSON API's 404",
    # Served by Django's admin, not the site's templates
    "admin": "Django's admin (its own templates; staff only)",
    "media": "uploaded files",
}


@dataclass(frozen=True)
class Page:
    role: str
    path: str
    view: str  # the resolved view name ("" for no URL pattern)
    status: int = 200


def _view_name(path: str) -> str:
    from django.urls import Resolver404, resolve

    try:
        match = resolve(path.split("?")[0])
    except Resolver404:
        return ""
    return match.view_name or match.route


def _seed() -> dict[str, Any]:
    """The demo data, and what it lacks for a page to show something."""
    from django.conf import settings
    from django.core.management import call_command

    from commonroom.accounts.models import Member, Suspension
    from commonroom.library.models import Collection
    from commonroom.messaging import services as messaging
    from commonroom.messaging.models import Conversation, Message
    from commonroom.moderation import appeals
    from commonroom.moderation.models import Decision, Notice, Review
    from commonroom.moderation.report_services import report_file
    from commonroom.notifications.mail import unsubscribe_token
    from commonroom.resources.models import Resource
    from commonroom.search.models import SavedSearch
    from commonroom.social.models import Reaction
    from commonroom.social.services import reaction_post

    settings.DEMO_DATA = True
    call_command("demo_data", quiet=True)
    members = {m.email: m for m in Member.objects.filter(email__endswith="demo.commonroom.example")}
    anna, pieter, lotte = (
        members[MEMBER],
        members[MODERATOR],
        members["lotte@demo.commonroom.example"],
    )
    published = Resource.objects.published().order_by("pk")
    others = published.exclude(author=anna)
    reacted = others.filter(reactions__isnull=False).first() or others.first()
    assert reacted is not None
    reaction = reaction_post(resource=reacted, author=anna, body="Handig voor mijn klas, dank je!")
    own = published.filter(author=anna).first()
    assert own is not None
    decision = (
        Decision.objects.exclude(action="publish").filter(content_type__model="resource").first()
    )
    assert decision is not None
    objection = appeals.objection_file(
        decision=decision, by=decision.target.author, text="The solutions are on page 2."
    )
    report_file(target=own, reporter=lotte, reason="spam", text="Advertising.")
    collection = Collection.objects.get(owner=anna)
    content_report = report_file(target=collection, reporter=lotte, reason="spam")
    conversation = Conversation.objects.filter(participants__member=anna).first()
    assert conversation is not None
    from_lotte = Message.objects.filter(conversation=conversation, sender=lotte).first()
    assert from_lotte is not None
    message_report = messaging.message_report(message=from_lotte, reporter=anna, reason="spam")
    held = messaging.message_send(conversation=conversation, sender=lotte, body="Bekijk mijn site!")
    Message.objects.filter(pk=held.pk).update(held=True)
    saved_search = SavedSearch.objects.create(member=anna, name="Breuken", query="breuken")
    queue_review = (
        Review.objects.filter(closed_at__isnull=True).exclude(resource__author=pieter).first()
    )
    assert queue_review is not None
    from commonroom.organisations.models import Organisation, SavedGuide

    run_by_anna = Organisation.objects.administered_by(anna.pk).filter(offers__isnull=False).first()
    assert run_by_anna is not None
    SavedGuide.objects.create(member=anna, query="themes=stem&province=antwerp")
    from commonroom.organisations.models import OrganisationInvitation

    # Anna is invited to run another organisation, and invited Lotte to hers.
    inviting = Organisation.objects.public().exclude(administrators__member=anna).first()
    assert inviting is not None
    invitation = OrganisationInvitation.objects.create(
        organisation=inviting, member=anna, invited_by=inviting.proposed_by
    )
    OrganisationInvitation.objects.create(organisation=run_by_anna, member=lotte, invited_by=anna)
    from django.utils import timezone
    from oauth2_provider.models import AccessToken, Application

    oauth_app = Application.objects.create(
        name="Klasplanner",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="https://planner.example/callback",
        algorithm=Application.RS256_ALGORITHM,
    )
    AccessToken.objects.create(
        user=anna, application=oauth_app, token="axe-access-token", scope="openid profile email",
        expires=timezone.now() + timedelta(hours=1),
    )  # fmt: skip
    return {
        "oauth_app": oauth_app,
        "organisation": run_by_anna,
        "invitation": invitation,
        "offer": run_by_anna.offers.first(),
        "proposal": Organisation.objects.filter(state="submitted").first(),
        "anna": anna,
        "lotte": lotte,
        "tom": members[SUSPENDED],
        "reacted": reacted,
        "reaction": Reaction.objects.get(pk=reaction.pk),
        "own": own,
        "objection": objection,
        "objection_author": decision.target.author.email,
        "decision": decision,
        "notice": Notice.objects.first(),
        "collection": collection,
        "item": collection.items.first(),
        "content_report": content_report,
        "conversation": conversation,
        "from_lotte": from_lotte,
        "message_report": message_report,
        "held": held,
        "saved_search": saved_search,
        "review": queue_review,
        "suspension": Suspension.objects.first(),
        "file": own.files.first() or Resource.objects.filter(files__isnull=False).first(),
        "unsubscribe": unsubscribe_token(anna, "reaction"),
    }


def pages() -> list[Page]:
    """Seeds the database, then lists every page with its role."""
    from commonroom.legal.selectors import terms_current
    from commonroom.resources.models import ResourceFile

    d = _seed()
    file = ResourceFile.objects.filter(resource__author=d["anna"]).first() or (
        ResourceFile.objects.first()
    )
    assert file is not None
    terms = terms_current()
    assert terms is not None

    def r(name: str, *args: object) -> str:
        return reverse(name, args=args)

    from commonroom.staffroom.models import Post, Thread

    own_thread = Thread.objects.filter(author=d["anna"]).order_by("pk").first()
    others_thread = Thread.objects.exclude(author__email=MODERATOR).order_by("pk").first()
    assert own_thread is not None
    assert others_thread is not None
    others_post = Post.objects.filter(thread=others_thread).exclude(author__email=MODERATOR).last()
    assert others_post is not None

    listed: list[tuple[str, str] | tuple[str, str, int]] = [
        # A visitor: sign-in, sign-up, the public pages, the forms for anyone.
        (VISITOR, "/"),
        (VISITOR, r("account_login")),
        (VISITOR, r("account_signup")),
        (VISITOR, r("account_reset_password")),
        (VISITOR, r("account_reset_password_done")),
        (VISITOR, r("account_reset_password_from_key", "0", "bad-key")),
        (VISITOR, r("account_reset_password_from_key_done")),
        (VISITOR, r("account_confirm_email", "bad-key")),
        (VISITOR, r("account_email_verification_sent")),
        (VISITOR, r("account_inactive")),
        (VISITOR, r("legal:terms")),
        (VISITOR, r("legal:privacy")),
        (VISITOR, r("legal:copyright")),
        (VISITOR, r("legal:version", "terms", terms.version)),
        (VISITOR, r("legal:contact")),
        (VISITOR, r("legal:contact_sent")),
        (VISITOR, r("resources:list")),
        (VISITOR, r("moderation:notice_new", d["reacted"].pk)),
        (VISITOR, r("moderation:notice_sent")),
        (VISITOR, r("moderation:report_new", d["reacted"].pk)),
        (VISITOR, r("moderation:content_report_new", "collection", d["collection"].pk)),
        (VISITOR, r("moderation:content_report_new", "organisation", d["organisation"].pk)),
        (VISITOR, r("moderation:content_report_new", "training_offer", d["offer"].pk)),
        (VISITOR, r("library:embed_resource", d["reacted"].pk)),
        (VISITOR, r("library:embed_collection", d["collection"].pk)),
        (VISITOR, r("notifications:unsubscribe", d["unsubscribe"])),
        (VISITOR, r("staffroom:categories")),
        (VISITOR, r("staffroom:category", others_thread.category.slug)),
        (VISITOR, r("organisations:directory") + "?theme=stem"),
        (VISITOR, r("organisations:guide") + "?themes=stem&province=antwerp&roles=teachers"),
        (VISITOR, d["organisation"].get_absolute_url()),
        (VISITOR, r("organisations:offer", d["offer"].pk)),
        (VISITOR, "/no-such-page/", 404),  # the 404 page
        # A member: their own pages, and others' pages with every button.
        (MEMBER, r("mfa_activate_totp")),  # first: allauth asks again after 5 minutes
        (MEMBER, "/"),
        (MEMBER, d["reacted"].get_absolute_url()),
        (MEMBER, r("people:profile", d["lotte"].pk)),
        (MEMBER, r("search:search") + "?q=breuken"),
        (MEMBER, r("moderation:queue"), 403),  # the 403 page
        (MEMBER, r("accounts:profile")),
        (MEMBER, r("accounts:delete")),
        (MEMBER, r("account_email")),
        (MEMBER, r("account_change_password")),
        (MEMBER, r("account_reauthenticate")),
        (MEMBER, r("usersessions_list")),
        # Sign-in both ways (issue 18): the consent screen, its error page, the
        # member's connected apps and external sign-ins.
        (
            MEMBER,
            r("oauth2_provider:authorize")
            + "?"
            + urlencode(
                {
                    "response_type": "code",
                    "client_id": d["oauth_app"].client_id,
                    "redirect_uri": "https://planner.example/callback",
                    "scope": "openid profile email",
                    "state": "s",
                    "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
                    "code_challenge_method": "S256",
                }
            ),
        ),
        (MEMBER, r("oauth2_provider:authorize"), 400),
        (MEMBER, r("identity:granted_apps")),
        (MEMBER, r("api:tokens")),
        (VISITOR, r("api:docs")),
        (MEMBER, r("socialaccount_connections")),
        (VISITOR, r("socialaccount_login_cancelled")),
        (VISITOR, r("socialaccount_login_error"), 401),
        (MEMBER, r("mfa_index")),
        (MEMBER, r("resources:create")),
        (MEMBER, r("resources:mine")),
        (MEMBER, r("resources:edit", d["own"].pk)),
        (MEMBER, r("resources:licence", d["own"].pk)),
        (MEMBER, r("resources:delete", d["own"].pk)),
        (MEMBER, r("resources:stats", d["own"].pk)),
        (MEMBER, r("resources:history", d["own"].pk)),
        (MEMBER, r("notifications:centre")),
        (MEMBER, r("notifications:preferences")),
        (MEMBER, r("social:feed")),
        (MEMBER, r("social:classroom_use", d["reacted"].pk)),
        (MEMBER, r("social:reaction_edit", d["reaction"].pk)),
        (MEMBER, r("library:saved")),
        (MEMBER, r("library:collections")),
        (MEMBER, r("library:collection_create")),
        (MEMBER, d["collection"].get_absolute_url()),
        (MEMBER, r("library:collection_edit", d["collection"].pk)),
        (MEMBER, r("library:collection_delete", d["collection"].pk)),
        (MEMBER, r("library:item_note", d["collection"].pk, d["item"].pk)),
        (MEMBER, r("messaging:inbox")),
        (MEMBER, r("messaging:new")),
        (MEMBER, r("messaging:conversation", d["conversation"].pk)),
        (MEMBER, r("messaging:report_message", d["from_lotte"].pk)),
        (MEMBER, r("messaging:blocked")),
        (MEMBER, own_thread.get_absolute_url()),
        (MEMBER, r("staffroom:thread_new", own_thread.category.slug)),
        (MEMBER, r("staffroom:reply", others_thread.pk) + f"?quote={others_post.pk}"),
        (MEMBER, r("staffroom:post_edit", own_thread.opening_post_id)),
        (MEMBER, r("people:directory")),
        (MEMBER, r("people:tutors")),
        (MEMBER, r("people:tutor_me")),
        (MEMBER, r("people:following")),
        (MEMBER, r("people:subjects")),
        (MEMBER, r("search:saved")),
        (MEMBER, r("search:saved_edit", d["saved_search"].pk)),
        (MEMBER, r("organisations:propose")),
        (MEMBER, r("organisations:mine")),
        (MEMBER, r("organisations:edit", d["organisation"].pk)),
        (MEMBER, r("organisations:administrators", d["organisation"].pk)),
        (MEMBER, r("organisations:invitation", d["invitation"].pk)),
        (MEMBER, r("organisations:offer_new", d["organisation"].pk)),
        (MEMBER, r("organisations:offer_edit", d["offer"].pk)),
        (MEMBER, r("organisations:guide") + "?themes=digital"),
        (d["objection_author"], r("moderation:object", d["decision"].pk)),
        # A moderator: the queues and decisions.
        (MODERATOR, r("moderation:queue")),
        (MODERATOR, r("moderation:review", d["review"].pk)),
        (MODERATOR, r("moderation:edit", d["reacted"].pk)),
        (MODERATOR, r("moderation:remove", d["reacted"].pk)),
        (MODERATOR, r("moderation:file_remove", file.pk)),
        (MODERATOR, r("moderation:dashboard")),
        (MODERATOR, r("moderation:content_reports")),
        (MODERATOR, r("moderation:content_report", d["content_report"].pk)),
        (MODERATOR, r("messaging:reports")),
        (MODERATOR, r("messaging:report", d["message_report"].pk)),
        (MODERATOR, r("messaging:held", d["held"].pk)),
        (MODERATOR, r("social:reaction_moderate", d["reaction"].pk)),
        (MODERATOR, r("social:held_reactions")),
        (MODERATOR, others_thread.get_absolute_url()),
        (MODERATOR, r("staffroom:thread_moderate", others_thread.pk)),
        (MODERATOR, r("staffroom:post_hide", others_post.pk)),
        (MODERATOR, r("staffroom:post_moderate", others_post.pk)),
        (MODERATOR, r("staffroom:post_history", others_post.pk)),
        # Staff: members, suspensions, maintenance, search insight, and the
        # moderation pages only the platform's team sees.
        (STAFF, r("moderation:objections")),
        (STAFF, r("moderation:objection", d["objection"].pk)),
        (STAFF, r("moderation:notices")),
        (STAFF, r("moderation:notice", d["notice"].pk)),
        (STAFF, r("moderation:audit")),
        (STAFF, r("moderation:transparency")),
        (STAFF, r("staff:members")),
        (STAFF, r("staff:suspend", d["lotte"].pk)),
        (STAFF, r("legal:maintenance")),
        (STAFF, r("search:insight")),
        (STAFF, r("organisations:staff_queue")),
        (STAFF, r("organisations:staff_review", d["proposal"].pk)),
        # A suspended member sees why, on every page.
        (SUSPENDED, "/"),
    ]
    return [Page(entry[0], entry[1], _view_name(entry[1]), *entry[2:]) for entry in listed]


def _patterns(
    resolver: URLResolver, namespace: str = "", prefix: str = ""
) -> Iterator[tuple[str, str, Callable[..., Any]]]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace or "") if n)
            yield from _patterns(pattern, inner, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            name = pattern.name or str(pattern.pattern)
            yield (
                ":".join(n for n in (namespace, name) if n),
                prefix + str(pattern.pattern),
                (pattern.callback),
            )


def _post_only(view: Callable[..., Any]) -> bool:
    """Django's require_POST/require_http_methods keep the allowed methods in
    their wrapper's closure; walk the wrappers (login_required, ...) to it."""
    function: Any = view
    while function is not None:
        code = getattr(function, "__code__", None)
        if code is not None and "request_method_list" in code.co_freevars:
            cell = function.__closure__[code.co_freevars.index("request_method_list")]
            return "GET" not in cell.cell_contents
        function = getattr(function, "__wrapped__", None)
    return False


def unvisited_patterns(visited: set[str]) -> list[str]:
    """URL patterns that answer GET, are not visited and are not listed,
    and listed names that match no pattern any more."""
    missing = []
    seen = set()
    for key, route, view in _patterns(get_resolver()):
        top = "media" if route.startswith("media/") else key.split(":")[0]
        seen.update({key, top})
        if key in visited or _post_only(view) or key in NOT_PAGES or top in NOT_PAGES:
            continue
        missing.append(f"{key} ({route})")
    missing += [
        f"{name} is listed in NOT_PAGES but no URL has it" for name in NOT_PAGES.keys() - seen
    ]
    return missing
