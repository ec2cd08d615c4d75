"""Every URL pattern of commonroom.urls, filled in with the world's objects.

The resolver is walked (includes and the admin too); each pattern becomes
one or more cases: a concrete URL and the key its expected answers are
listed under in policy.py. Named patterns are keyed by ``namespace:name``
(so a view that moves to another app keeps its row), unnamed ones by their
route; a variant (``name[draft]``) names another object for the same pattern.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.role_matrix.world import World


@dataclass(frozen=True)
class Pattern:
    route: str
    name: str | None  # namespace:name
    kwargs: tuple[str, ...]


def patterns() -> list[Pattern]:
    return list(_walk(get_resolver().url_patterns, "", None))


def _walk(
    entries: list[Any], prefix: str, namespace: str | None, outer: tuple[str, ...] = ()
) -> Iterator[Pattern]:
    for entry in entries:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if entry.namespace == "api_v1":
                # The JSON API's operations: every role of every operation is
                # asked in commonroom/api/tests/test_role_matrix.py instead.
                continue
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            # An include's own arguments (allauth's <provider_id>/) belong to its patterns.
            groups = outer + tuple(entry.pattern.regex.groupindex)
            yield from _walk(entry.url_patterns, route, inner, groups)
        elif isinstance(entry, URLPattern):
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            groups = outer + tuple(entry.pattern.regex.groupindex)
            yield Pattern(route=route, name=name, kwargs=groups)


# Admin URL names are admin:<app>_<model>_<view>; the model's admin key is <app>_<model>.
def admin_models() -> dict[str, type[Model]]:
    return {f"{m._meta.app_label}_{m._meta.model_name}": m for m in admin.site._registry}


def _admin_object_id(model: type[Model]) -> str:
    first = model._default_manager.order_by("pk").first()
    # A model without rows gets an id that matches none: staff are sent back
    # to the admin's index, and the row fails until world.py makes an object.
    return str(first.pk) if first is not None else "999999"


@dataclass(frozen=True)
class Ref:
    """An object of the world, by its name in World.ids."""

    name: str


# Which object an argument names, by argument name, and per URL name where
# the same argument names different things.
BY_ARGUMENT: dict[str, Any] = {
    "resource_id": Ref("resource"),
    "slug": Ref("slug"),
    "file_id": Ref("file"),
    "name": Ref("file_name"),
    "width": 480,
    "source_id": Ref("source"),
    "review_id": Ref("review"),
    "decision_id": Ref("decision"),
    "objection_id": Ref("objection"),
    "notice_id": Ref("notice"),
    "collection_id": Ref("collection"),
    "item_id": Ref("item"),
    "conversation_id": Ref("conversation"),
    "message_id": Ref("message"),
    "member_id": Ref("member"),
    "suspension_id": Ref("suspension"),
    "saved_search_id": Ref("saved_search"),
    "reaction_id": Ref("reaction"),
    "token": Ref("unsubscribe_token"),
    "thread_id": Ref("thread"),
    "post_id": Ref("post"),
    "organisation_id": Ref("organisation"),
    "offer_id": Ref("offer"),
    "saved_id": Ref("saved_guide"),
    "invitation_id": Ref("invitation"),
    "application_id": Ref("oauth_application"),
    "provider_id": "no-such-provider",
}

PER_NAME: dict[str, dict[str, Any]] = {
    "library:collection": {"collection_id": Ref("collection"), "slug": Ref("collection_slug")},
    "moderation:content_report": {"report_id": Ref("content_report")},
    "messaging:report": {"report_id": Ref("message_report")},
    "messaging:held": {"message_id": Ref("held_message")},
    "moderation:content_report_new": {"kind": "reaction", "object_id": Ref("reaction")},
    "people:subject_follow": {"slug": "mathematics"},
    "staffroom:category": {"slug": Ref("staffroom_category")},
    "staffroom:thread_new": {"slug": Ref("staffroom_category")},
    "staffroom:category_follow": {"slug": Ref("staffroom_category")},
    "people:subject_unfollow": {"slug": "mathematics"},
    "legal:version": {"kind": "terms", "version": Ref("terms_version")},
    "accounts:profile_photo": {"member_id": Ref("member"), "token": "no-such-photo"},
    "account_confirm_email": {"key": "no-such-key"},
    "account_reset_password_from_key": {"uidb36": "zz", "key": "no-such-key"},
    "admin:view_on_site": {
        "content_type_id": Ref("resource_content_type"),
        "object_id": Ref("resource"),
    },
    "admin:app_list": {"app_label": "accounts"},
    "organisations:detail": {
        "organisation_id": Ref("organisation"),
        "slug": Ref("organisation_slug"),
    },
    "organisations:logo": {"organisation_id": Ref("organisation"), "token": "no-such-logo"},
    "syndication:sitemap_section": {"section": "resources"},
    "syndication:resources_subject": {"slug": "mathematics"},
    "syndication:staffroom_category": {"slug": Ref("staffroom_category")},
    "api:not_found": {"rest": "no-such-operation"},
    "api:token_revoke": {"token_id": 999999},
}

# Object-level cases: the same pattern naming another object of the owner
# (or, for "own_work", the moderator's own work).
_DRAFT = {"resource_id": Ref("draft")}
_PRIVATE = {"collection_id": Ref("collection_private")}
VARIANTS: dict[str, dict[str, dict[str, Any]]] = {
    "resources:detail": {"draft": _DRAFT | {"slug": "owner-draft"}},
    "resources:detail_short": {"draft": _DRAFT},
    "resources:history": {"draft": _DRAFT},
    "library:collection": {"private": _PRIVATE | {"slug": Ref("collection_private_slug")}},
    "library:collection_short": {"private": _PRIVATE},
    "library:embed_collection": {"private": _PRIVATE},
    "moderation:content_report_new": {
        "reaction_hidden": {"kind": "reaction", "object_id": Ref("reaction_hidden")},
        "reaction_held": {"kind": "reaction", "object_id": Ref("reaction_held")},
        "collection": {"kind": "collection", "object_id": Ref("collection")},
        "collection_private": {"kind": "collection", "object_id": Ref("collection_private")},
        "profile": {"kind": "profile", "object_id": Ref("member")},
        "message": {"kind": "message", "object_id": Ref("message")},
        "resource": {"kind": "resource", "object_id": Ref("resource")},
        "organisation": {"kind": "organisation", "object_id": Ref("organisation")},
        "organisation_proposal": {
            "kind": "organisation",
            "object_id": Ref("organisation_proposal"),
        },
        "training_offer": {"kind": "training_offer", "object_id": Ref("offer")},
        "training_offer_excluded": {
            "kind": "training_offer",
            "object_id": Ref("offer_excluded"),
        },
    },
    # One Report model: the queue's page of a report on a message or a
    # resource, and messaging's page asked for a report on a reaction.
    "moderation:content_report": {
        "message": {"report_id": Ref("message_report")},
        "resource": {"report_id": Ref("resource_report")},
    },
    "messaging:report": {"reaction": {"report_id": Ref("content_report")}},
    "organisations:detail": {
        "proposal": {"organisation_id": Ref("organisation_proposal"), "slug": Ref("proposal_slug")}
    },
    "organisations:offer": {"excluded": {"offer_id": Ref("offer_excluded")}},
    "moderation:review": {"own_work": {"review_id": Ref("review_own_work")}},
    "moderation:objection": {"own_work": {"objection_id": Ref("objection_own_work")}},
    "moderation:notice": {"own_work": {"notice_id": Ref("notice_own_work")}},
    "moderation:edit": {"own_work": {"resource_id": Ref("resource_own_work")}},
    "moderation:remove": {"own_work": {"resource_id": Ref("resource_own_work")}},
}


def case_keys() -> list[str]:
    """The key of every case, without a database (for parametrising)."""
    keys: list[str] = []
    for pattern in patterns():
        keys.append(pattern.name or pattern.route)
        if pattern.name:
            keys.extend(f"{pattern.name}[{v}]" for v in VARIANTS.get(pattern.name, {}))
    return keys


class NoURL(Exception):
    """A pattern whose arguments the matrix cannot fill yet."""


def cases(world: World) -> dict[str, str | NoURL]:
    """The URL of every case key, filled with the world's objects (or why not:
    that case fails, the others run)."""
    models = admin_models()
    found: dict[str, str | NoURL] = {}
    for pattern in patterns():
        if pattern.name is None:
            found[pattern.route] = _unnamed_url(pattern.route, models)
            continue
        try:
            kwargs = _kwargs_for(pattern, PER_NAME.get(pattern.name, {}), models)
        except NoURL as problem:
            found[pattern.name] = problem
            continue
        found[pattern.name] = reverse(pattern.name, kwargs=_resolve(kwargs, world))
        for variant, overrides in VARIANTS.get(pattern.name, {}).items():
            url = reverse(pattern.name, kwargs=_resolve(kwargs | overrides, world))
            found[f"{pattern.name}[{variant}]"] = url
    return found


def _resolve(kwargs: dict[str, Any], world: World) -> dict[str, Any]:
    return {k: world.ids[v.name] if isinstance(v, Ref) else v for k, v in kwargs.items()}


def _kwargs_for(
    pattern: Pattern, named: dict[str, Any], models: dict[str, type[Model]]
) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    for argument in pattern.kwargs:
        if argument in named:
            kwargs[argument] = named[argument]
        elif argument in ("object_id", "id") and pattern.name and pattern.name.startswith("admin:"):
            kwargs[argument] = _admin_object_id(_admin_model_of(pattern.name, models))
        elif argument in BY_ARGUMENT:
            kwargs[argument] = BY_ARGUMENT[argument]
        else:
            raise NoURL(
                f"No object for the argument {argument!r} of {pattern.route!r}: "
                "name one in BY_ARGUMENT or PER_NAME (tests/role_matrix/urls.py)."
            )
    return kwargs


def _admin_model_of(name: str, models: dict[str, type[Model]]) -> type[Model]:
    bare = name.removeprefix("admin:")
    if bare == "auth_user_password_change":  # the member admin's password page
        return models["accounts_member"]
    return models[bare.rsplit("_", 1)[0]]


def _unnamed_url(route: str, models: dict[str, type[Model]]) -> str:
    """The admin's "<id>/" redirects, its catch-all, and the media route."""
    if route.startswith("admin/") and route.endswith("/<path:object_id>/"):
        app_label, model_name = route.split("/")[1:3]
        model = models[f"{app_label}_{model_name}"]
        return f"/{route.removesuffix('<path:object_id>/')}{_admin_object_id(model)}/"
    if route == "admin/(?P<url>.*)$":
        return "/admin/no-such-page/"
    if route.startswith("accounts/social/"):  # allauth's old addresses (issue 18)
        return f"/{route}"
    if route == "media/<path:path>":
        return "/media/no-such-file.txt"
    raise AssertionError(f"No URL for the unnamed pattern {route!r}: add one in _unnamed_url.")
