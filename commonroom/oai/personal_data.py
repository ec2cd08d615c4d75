"""Harvester keys name the staff member who issued them (R6, R7)."""

from typing import Any

from commonroom.oai.models import HarvesterKey


def export(member: Any) -> dict[str, Any]:
    return {
        "harvester_keys_issued": [
            {"name": k.name, "created_at": k.created_at.isoformat()}
            for k in HarvesterKey.objects.filter(created_by=member)
        ]
    }


def erase(member: Any) -> None:
    HarvesterKey.objects.filter(created_by=member).update(created_by=None)
