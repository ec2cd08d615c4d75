"""The moderators' and staff's state-changing actions, as POSTs a member
could forge: the URL (filled from the world), the form data a moderator or
staff member would send, who may act, and what a forger gets instead.

tests/test_role_matrix.py sends each POST as a member and as the owner of
the object (forging a decision on one's own work), expects the refusal
listed here and nothing changed in the database; and sends it as the role
that may act, to prove the data is the real thing (something changes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Model
from django.urls import reverse

from tests.role_matrix.policy import ADMIN_LOGIN, Answer
from tests.role_matrix.urls import Ref
from tests.role_matrix.world import World


@dataclass(frozen=True)
class Action:
    name: str  # the URL name
    kwargs: dict[str, Any]
    data: dict[str, Any]
    actor: str  # the role that may act: "moderator" or "staff"
    member: Answer  # what a member forging it gets
    # What the owner of the object forging it gets (None: the owner may do it).
    owner: Answer | None
    # What a moderator forging a staff action gets (None: moderators may act).
    moderator: Answer | None = None
    # The actor's own work: the actor is refused with this, and nothing changes.
    refused_to_actor: Answer | None = None
    # Whether test_issue14_the_actions_work_for_their_role sends it as the actor.
    proven: bool = True

    def url(self, world: World) -> str:
        return reverse(self.name, kwargs=_filled(self.kwargs, world))

    def post_data(self, world: World) -> dict[str, Any]:
        return _filled(self.data, world)


def _filled(values: dict[str, Any], world: World) -> dict[str, Any]:
    def fill(value: Any) -> Any:
        if isinstance(value, list):
            return [fill(v) for v in value]
        return world.ids[value.name] if isinstance(value, Ref) else value

    return {key: fill(value) for key, value in values.items()}


DECIDE = {"decide": "", "decision-action": "publish", "decision-reason": "Looks fine."}
REASON = {"reason": "Breaks the rules."}
REVIEW = {"review_id": Ref("review")}
OWN_REVIEW = {"review_id": Ref("review_own_work")}

ACTIONS: dict[str, Action] = {
    "publish a submission": Action(
        "moderation:review", REVIEW, DECIDE, "moderator", member=403, owner=403
    ),
    "publish one's own submission": Action(
        "moderation:review",
        OWN_REVIEW,
        DECIDE,
        "moderator",
        member=403,
        owner=403,
        refused_to_actor=403,
    ),
    "claim a submission": Action(
        "moderation:queue", {}, {"claim": Ref("review")}, "moderator", member=403, owner=403
    ),
    "remove a resource": Action(
        "moderation:remove",
        {"resource_id": Ref("resource")},
        REASON,
        "moderator",
        member=403,
        owner=403,
    ),
    "remove one's own resource as a moderator": Action(
        "moderation:remove",
        {"resource_id": Ref("resource_own_work")},
        REASON,
        "moderator",
        member=403,
        owner=403,
        refused_to_actor=403,
    ),
    "remove a file": Action(
        "moderation:file_remove",
        {"file_id": Ref("file")},
        REASON,
        "moderator",
        member=403,
        owner=403,
    ),
    "edit a resource's metadata": Action(
        "moderation:edit",
        {"resource_id": Ref("resource")},
        {
            "title": "Forged title",
            "description": "Forged.",
            "kind": Ref("kind"),
            "language": Ref("language"),
            "subjects": [Ref("subject")],
            "levels": [Ref("level")],
            "keywords": "fractions",
            "reason": "Clearer.",
        },
        "moderator",
        member=403,
        owner=403,
    ),
    "overturn a refusal": Action(
        "moderation:objection",
        {"objection_id": Ref("objection")},
        {"outcome": "overturn", "reason": "The objection is right."},
        "staff",
        member=403,
        owner=403,
        moderator=403,
    ),
    "overturn a refusal one took oneself": Action(
        "moderation:objection",
        {"objection_id": Ref("objection_own_decision")},
        {"outcome": "overturn", "reason": "I was wrong."},
        "staff",
        member=403,
        owner=403,
        moderator=403,
        refused_to_actor=403,
    ),
    "restore a noticed resource": Action(
        "moderation:notice",
        {"notice_id": Ref("notice")},
        {"outcome": "restore", "reason": "The notice is unfounded."},
        "staff",
        member=403,
        owner=403,
        moderator=403,
    ),
    "dismiss a content report": Action(
        "moderation:content_report",
        {"report_id": Ref("content_report")},
        {"dismiss": "", "dismiss-reason": "Unfounded."},
        "moderator",
        member=403,
        owner=403,
    ),
    "dismiss a report on one's own reaction": Action(
        "moderation:content_report",
        {"report_id": Ref("content_report_own_work")},
        {"dismiss": "", "dismiss-reason": "Unfounded."},
        "moderator",
        member=403,
        owner=403,
        refused_to_actor=403,
    ),
    "dismiss a report on a resource in the one queue": Action(
        "moderation:content_report",
        {"report_id": Ref("resource_report")},
        {"dismiss": "", "dismiss-reason": "Unfounded."},
        "moderator",
        member=403,
        owner=403,
    ),
    "dismiss a report on a message in the one queue": Action(
        "moderation:content_report",
        {"report_id": Ref("message_report")},
        {"dismiss": "", "dismiss-reason": "Unfounded."},
        "moderator",
        member=403,
        owner=403,
        # Moderators are sent to messaging's page, which decides (above).
        proven=False,
    ),
    "hide a reaction": Action(
        # The resource's author may hide reactions to it: the owner is the author.
        "social:reaction_hide",
        {"reaction_id": Ref("reaction")},
        REASON,
        "moderator",
        member=403,
        owner=None,
    ),
    "edit a reaction as a moderator": Action(
        "social:reaction_moderate",
        {"reaction_id": Ref("reaction")},
        {"body": "Forged words.", "reason": "Tidied."},
        "moderator",
        member=403,
        owner=403,
    ),
    "hide a staffroom post": Action(
        "staffroom:post_hide",
        {"post_id": Ref("post")},
        REASON,
        "moderator",
        member=403,
        owner=403,
    ),
    "edit a staffroom post as a moderator": Action(
        "staffroom:post_moderate",
        {"post_id": Ref("post")},
        {"body": "Forged words.", "reason": "Tidied."},
        "moderator",
        member=403,
        owner=403,
    ),
    "lock a staffroom thread": Action(
        "staffroom:thread_moderate",
        {"thread_id": Ref("thread")},
        {"action": "lock", "reason": "Off topic."},
        "moderator",
        member=403,
        owner=403,
    ),
    "release a held reaction": Action(
        "social:reaction_release",
        {"reaction_id": Ref("reaction_held")},
        {},
        "moderator",
        member=403,
        owner=403,
    ),
    "reject a held reaction": Action(
        "social:reaction_reject",
        {"reaction_id": Ref("reaction_held")},
        REASON,
        "moderator",
        member=403,
        owner=403,
    ),
    "dismiss a message report": Action(
        "messaging:report",
        {"report_id": Ref("message_report")},
        {"action": "dismiss", "note": "Unfounded."},
        "moderator",
        member=403,
        owner=403,
    ),
    "release a held message": Action(
        "messaging:held",
        {"message_id": Ref("held_message")},
        {"action": "release", "note": "Fine."},
        "moderator",
        member=403,
        owner=403,
    ),
    "verify an organisation": Action(
        "people:verify",
        {"member_id": Ref("member")},
        {"organisation_name": "Forged Academy"},
        "staff",
        member=403,
        owner=403,
        moderator=403,
    ),
    "unverify an organisation": Action(
        "people:unverify",
        {"member_id": Ref("other")},
        {},
        "staff",
        member=403,
        owner=403,
        moderator=403,
    ),
    "suspend a member": Action(
        "staff:suspend",
        {"member_id": Ref("other")},
        {"reason": "Forged.", "permanent": "on"},
        "staff",
        member=403,
        owner=403,
        moderator=403,
    ),
    "lift a suspension": Action(
        "staff:lift",
        {"suspension_id": Ref("suspension")},
        {},
        "staff",
        member=403,
        owner=403,
        moderator=403,
    ),
    "switch maintenance mode on": Action(
        "legal:maintenance",
        {},
        {"enabled": "on", "message_en": "Down", "message_nl": "Weg"},
        "staff",
        member=403,
        owner=403,
        moderator=403,
    ),
    "add a group in the admin": Action(
        "admin:auth_group_add",
        {},
        {"name": "Forged moderators"},
        "staff",
        member=ADMIN_LOGIN,
        owner=ADMIN_LOGIN,
        moderator=ADMIN_LOGIN,
    ),
    "make oneself staff in the admin": Action(
        "admin:accounts_member_change",
        {"object_id": Ref("member")},
        {"is_staff": "on", "is_superuser": "on"},
        "staff",
        member=ADMIN_LOGIN,
        owner=ADMIN_LOGIN,
        moderator=ADMIN_LOGIN,
        # Staff would send the whole form; the refusal is what is asked here.
        proven=False,
    ),
}


# What a refused action must leave as it was: every row of the apps whose
# objects these actions change.
WATCHED_APPS = ("auth", "accounts", "moderation", "resources", "social", "messaging",
                "people", "library", "legal")  # fmt: skip


def database_state() -> dict[str, list[tuple[Any, ...]]]:
    state: dict[str, list[tuple[Any, ...]]] = {}
    for label in WATCHED_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            state[model._meta.label] = _rows(model)
    return state


def _rows(model: type[Model]) -> list[tuple[Any, ...]]:
    return list(model._default_manager.order_by("pk").values_list())


def changed_tables(before: dict[str, list[tuple[Any, ...]]]) -> list[str]:
    """The models whose rows differ from ``before`` (a database_state())."""
    after = database_state()
    return [label for label, rows in after.items() if before.get(label) != rows]
