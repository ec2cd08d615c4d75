"""Edits of a verified organisation's page, waiting for a moderator like an
edit of a published resource: proposed, then applied or declined."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from commonroom.core import versions
from commonroom.organisations.models import Organisation, OrganisationChange, OrganisationKind
from commonroom.taxonomy.models import Province

# What an administrator may change, and how it is kept in a change's data.
EDITABLE_FIELDS = ("name", "kind", "address", "province", "website", "email", "description")


def as_data(fields: dict[str, Any]) -> dict[str, Any]:
    """Form values as JSON (a province by its id)."""
    data: dict[str, Any] = {}
    for name in EDITABLE_FIELDS:
        if name in fields:
            value = fields[name]
            data[name] = value.pk if isinstance(value, Province) else value
    return data


def apply_data(organisation: Organisation, data: dict[str, Any]) -> list[str]:
    changed: list[str] = []
    for name, value in data.items():
        if name not in EDITABLE_FIELDS:
            continue
        attribute = "province_id" if name == "province" else name
        if getattr(organisation, attribute) != value:
            setattr(organisation, attribute, value)
            changed.append(attribute)
    return changed


def differs(organisation: Organisation, data: dict[str, Any]) -> dict[str, Any]:
    """The part of ``data`` that differs from the organisation as it is."""
    return {
        name: value
        for name, value in data.items()
        if getattr(organisation, "province_id" if name == "province" else name) != value
    }


def change_apply(*, change: OrganisationChange) -> Organisation:
    organisation = Organisation.objects.select_for_update().get(pk=change.organisation_id)
    changed = apply_data(organisation, change.data)
    if change.logo:
        organisation.logo = change.logo.name
        changed.append("logo")
    organisation.full_clean()
    organisation.save(update_fields=[*changed, "updated_at"])
    # Its name shows on the pages of the resources published under it.
    versions.changed(Organisation)
    change.status = OrganisationChange.Status.APPLIED
    change.decided_at = timezone.now()
    change.save(update_fields=["status", "decided_at"])
    return organisation


def change_decline(*, change: OrganisationChange) -> None:
    change.status = OrganisationChange.Status.DECLINED
    change.decided_at = timezone.now()
    change.save(update_fields=["status", "decided_at"])


def _label(name: str) -> str:
    field = Organisation._meta.get_field(name)
    return str(getattr(field, "verbose_name", name)).capitalize()


def change_lines(change: OrganisationChange) -> list[tuple[str, str]]:
    """Each changed field's label and new value, as the review page shows them."""
    lines: list[tuple[str, str]] = []
    for name, value in change.data.items():
        shown = value
        if name == "province":
            shown = Province.objects.filter(pk=value).first() or value
        elif name == "kind":
            shown = dict(OrganisationKind.choices).get(value, value)
        lines.append((_label(name), str(shown)))
    if change.logo:
        lines.append((_label("logo"), "✓"))
    return lines
