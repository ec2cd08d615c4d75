"""The moderators' form to correct a resource's metadata in part (R27)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from commonroom.moderation.forms import reason_field
from commonroom.resources.forms import ResourceForm


class ModeratorEditForm(ResourceForm):
    """Moderators correct metadata in part (R27), saying why."""

    FIELDS = ("title", "description", "kind", "language", "subjects", "levels", "keywords")
    reason = reason_field(
        required=True,
        label=_("Why you change the metadata"),
        help_text=_("The author is told what changed and why."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in (*self.FIELDS, "reason"):
                del self.fields[name]

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}
