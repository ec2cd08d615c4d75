"""Words for the audit log (R30): the log stores codes (``decision_publish``,
``resource:52``, ``changes_requested``) so that it never changes with a
translation; staff read them as labels in their own language."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from commonroom.core.discovery import app_modules
from commonroom.moderation.lifecycle import State
from commonroom.moderation.models import AuditEntry, Criterion, Decision, Report

ACTIONS: dict[str, Promise] = {
    "resource_create": _("Resource created"),
    "resource_submit": _("Submitted for review"),
    "resource_withdraw": _("Withdrawn by the author"),
    "resource_delete": _("Resource deleted"),
    "revision_propose": _("Change proposed"),
    "review_claim": _("Review claimed"),
    "review_release": _("Review released"),
    "decision_publish": _("Decision: published"),
    "decision_request_changes": _("Decision: changes requested"),
    "decision_reject": _("Decision: rejected"),
    "decision_remove": _("Decision: removed"),
    "decision_edit": _("Decision: metadata edited"),
    "decision_remove_file": _("Decision: file removed"),
    "objection_file": _("Objection filed"),
    "objection_overturn": _("Objection accepted"),
    "objection_uphold": _("Objection not accepted"),
    "notice_file": _("Copyright notice filed"),
    "notice_restore": _("Notice: resource restored"),
    "notice_remove": _("Notice: resource removed"),
    "report_file": _("Report filed"),
    "report_dismiss": _("Report dismissed"),
    "report_hide": _("Report: hidden"),
    "report_remove": _("Report: removed"),
    "report_warn": _("Report: author warned"),
    "report_suspend": _("Report: author suspended"),
    "rereview_due": _("Due for a new check"),
    # The codes before the one report model (issue 14), kept for old rows.
    "content_report_file": _("Report filed"),
    "content_report_dismiss": _("Report dismissed"),
    "content_report_hide": _("Report: hidden"),
    "content_report_remove": _("Report: removed"),
    "content_report_warn": _("Report: author warned"),
    "content_report_suspend": _("Report: author suspended"),
    "reaction_edit": _("Reaction edited by a moderator"),
    "reaction_hide": _("Reaction hidden"),
    "reaction_release": _("Reaction released"),
    "reaction_remove": _("Reaction removed"),
    "message_report": _("Private message reported"),
    "message_report_dismiss": _("Message report dismissed"),
    "message_hide": _("Private message removed"),
    "message_release": _("Private message released"),
    "collection_hide": _("Collection hidden"),
    "collection_remove": _("Collection removed"),
    "profile_verify": _("Profile verified"),
    "profile_unverify": _("Verification withdrawn"),
}
# Decisions are recorded under their own action code as well (publish, reject …).
ACTIONS.update({code: label for code, label in Decision.Action.choices if code not in ACTIONS})

TARGET_KINDS: dict[str, Promise] = {
    "resource": _("Resource"),
    "review": _("Review"),
    "decision": _("Decision"),
    "file": _("File"),
    "revision": _("Revision"),
    "objection": _("Objection"),
    "notice": _("Copyright notice"),
    "report": _("Report on a resource"),
    "reaction": _("Reaction"),
    "message": _("Private message"),
    "collection": _("Collection"),
    "profile": _("Profile"),
}

# Resource states first; the states of a report for what a resource has not.
STATES: dict[str, Promise] = {
    **dict(Report.Status.choices),
    **dict(State.choices),
}


@functools.cache
def _registered(name: str) -> dict[str, Promise]:
    """Words a kind's own app gives its audit codes: ``AUDIT_ACTIONS`` and
    ``AUDIT_TARGETS`` in its ``moderation`` module (core.discovery), so a new
    kind's actions read as words without a change here."""
    found: dict[str, Promise] = {}
    for module in app_modules("moderation"):
        found.update(getattr(module, name, {}))
    return found


def action_label(code: str) -> str:
    """The action in words; an action no table knows yet keeps its code."""
    label = ACTIONS.get(code) or _registered("AUDIT_ACTIONS").get(code)
    return str(label) if label is not None else code


def state_label(code: str) -> str:
    label = STATES.get(code)
    return str(label) if label is not None else code


def target_label(target: str) -> str:
    """``resource:52`` → "Resource 52"."""
    kind, _sep, number = target.partition(":")
    label = TARGET_KINDS.get(kind) or _registered("AUDIT_TARGETS").get(kind)
    if label is None or not number:
        return target
    return f"{label} {number}"


@dataclass(frozen=True)
class AuditRow:
    entry: AuditEntry
    action: str
    target: str
    from_state: str
    to_state: str
    criteria: list[str]


def audit_rows(entries: Iterable[AuditEntry]) -> list[AuditRow]:
    """The entries of one page with their codes in words, criteria by label
    (one query for the criteria of the whole page)."""
    entries = list(entries)
    slugs = {slug for entry in entries for slug in entry.criteria}
    labels = {c.slug: c.label for c in Criterion.objects.filter(slug__in=slugs)}
    return [
        AuditRow(
            entry=entry,
            action=action_label(entry.action),
            target=target_label(entry.target),
            from_state=state_label(entry.from_state),
            to_state=state_label(entry.to_state),
            criteria=[labels.get(slug, slug) for slug in entry.criteria],
        )
        for entry in entries
    ]


def action_choices(codes: Iterable[str]) -> list[tuple[str, str]]:
    """The filter's choices: codes as values, words as labels, in alphabetical order."""
    return sorted(((code, action_label(code)) for code in codes), key=lambda c: c[1].lower())
