from __future__ import annotations

from typing import Any

from django import forms

from commonroom.notifications.kinds import registered_kinds
from commonroom.notifications.models import EmailFrequency


class PreferencesForm(forms.Form):
    """One choice per registered kind of notification: e-mail at once, daily or never."""

    def __init__(self, *args: Any, current: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, kind in registered_kinds().items():
            self.fields[key] = forms.ChoiceField(
                label=str(kind.label),
                choices=EmailFrequency.choices,
                initial=current[key],
                widget=forms.RadioSelect,
            )
