import re
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from commonroom.core.fields import (
    MultipleFileField,
    SingleLineCharField,
    id_from,
)
from commonroom.resources.licensing import Answers
from commonroom.resources.models import Resource
from commonroom.resources.video import parse_video_url
from commonroom.taxonomy.forms import TreeMultipleChoiceField
from commonroom.taxonomy.goal_picker import GOAL_HELP, GoalChoiceField
from commonroom.taxonomy.models import EducationLevel, Licence, Subject

RESOURCE_URL = re.compile(r"/resources/(\d+)(?:-[\w-]*)?/?")
NO_CONTENT = _("Add a file, a link, a video or a text.")


class ResourceForm(forms.ModelForm):
    subjects = TreeMultipleChoiceField(
        label=_("Subjects"),
        queryset=Subject.objects.all(),
    )
    levels = TreeMultipleChoiceField(
        label=_("Education levels"),
        queryset=EducationLevel.objects.all(),
    )
    curriculum_goals = GoalChoiceField(
        label=_("Curriculum goals (optional)"), required=False, help_text=GOAL_HELP
    )
    keywords = SingleLineCharField(
        label=_("Keywords"),
        required=False,
        max_length=500,
        help_text=_("Separate keywords with commas, for example: fractions, pizza, group work."),
    )
    adapted_from_link = SingleLineCharField(
        label=_("Adapted from (optional)"),
        required=False,
        max_length=500,
        help_text=_("If this is an adaptation of a resource on this platform, paste its link."),
    )
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Files"),
        required=False,
        help_text=_(
            "Documents, presentations, images, audio or video. You can select several files."
        ),
    )

    class Meta:
        model = Resource
        fields = [
            "title",
            "description",
            "kind",
            "language",
            "subjects",
            "levels",
            "keywords",
            "age_min",
            "age_max",
            "curriculum_goals",
            "external_url",
            "video_url",
            "body",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "body": forms.Textarea(attrs={"rows": 8}),
        }
        # The title heads the author's mails ("published", "changes requested").
        field_classes = {"title": SingleLineCharField}
        help_texts = {
            "body": _("Optional text, written in Markdown."),
            "external_url": _("An educational website this resource is about (optional)."),
            "video_url": _("A YouTube or Vimeo link (optional)."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["keywords"] = ", ".join(self.instance.keywords or [])
            if self.instance.adapted_from_id:
                self.initial["adapted_from_link"] = str(self.instance.adapted_from_id)
        goals = cast(GoalChoiceField, self.fields["curriculum_goals"])
        if self.instance.pk:
            goals.keep_goals_of(self.instance)
        goals.fit_to(subjects=self["subjects"].value() or (), levels=self["levels"].value() or ())

    def clean_keywords(self) -> list[str]:
        raw = self.cleaned_data.get("keywords", "")
        words = [" ".join(w.split()).lower() for w in raw.split(",")]
        unique = list(dict.fromkeys(w for w in words if w))
        if len(unique) > 20:
            raise ValidationError(_("Use at most 20 keywords."))
        return [w[:60] for w in unique]

    def clean_video_url(self) -> str:
        url = self.cleaned_data.get("video_url", "")
        if url and parse_video_url(url) is None:
            raise ValidationError(_("Only YouTube and Vimeo links can be embedded."))
        return url

    def clean_adapted_from_link(self) -> Resource | None:
        raw = self.cleaned_data.get("adapted_from_link", "").strip()
        if not raw:
            return None
        match = RESOURCE_URL.search(raw)
        pk = id_from(match.group(1) if match else raw)
        source = Resource.objects.published().filter(pk=pk).first() if pk else None
        if source is None:
            raise ValidationError(_("Paste the link of a published resource on this platform."))
        return source

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        age_min, age_max = data.get("age_min"), data.get("age_max")
        if age_min is not None and age_max is not None and age_min > age_max:
            self.add_error("age_max", _("The upper age must not be below the lower age."))
        return data

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("files", None)
        data.pop("rights_confirmed", None)
        data["adapted_from"] = data.pop("adapted_from_link", None)
        return data


class ResourceCreateForm(ResourceForm):
    rights_confirmed = forms.BooleanField(
        label=_(
            "I confirm that I do not infringe anyone's intellectual property rights or portrait "
            "rights: I made this myself or may share it, and people recognisable in it agreed."
        ),
        error_messages={
            "required": _("You can only share material that you have the right to share.")
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # Submitting refuses a resource without content (resource_submit);
        # saying so on this first step spares the author the licence step.
        names = ("files", "external_url", "video_url", "body")
        content = [data.get(name) for name in names[:3]] + [(data.get("body") or "").strip()]
        if not any(content) and not any(self.has_error(name) for name in names):
            self.add_error(None, ValidationError(NO_CONTENT, code="no_content"))
        return data


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class LicenceWizardForm(forms.Form):
    """The questions of R32; works without JavaScript, htmx updates the proposal."""

    waive = forms.ChoiceField(
        label=_("Do you give up all your rights, so anyone may use the work without naming you?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        initial="no",
    )
    commercial = forms.ChoiceField(
        label=_("May others use your work commercially (for example in a book they sell)?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        initial="no",
        required=False,
    )
    adaptations = forms.ChoiceField(
        label=_("May others share adapted versions of your work?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        initial="yes",
        required=False,
    )
    share_alike = forms.ChoiceField(
        label=_("Must they share their adaptations under the same licence?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        initial="yes",
        required=False,
    )

    @staticmethod
    def answers_for(licence: Licence | None) -> dict[str, str]:
        """Answers that lead to ``licence``, to start the wizard from."""
        if licence is None:
            return {"waive": "no", "commercial": "no", "adaptations": "yes", "share_alike": "yes"}

        def yes(flag: bool) -> str:
            return "yes" if flag else "no"

        return {
            "waive": yes(not licence.requires_attribution),
            "commercial": yes(licence.allows_commercial),
            "adaptations": yes(licence.allows_adaptation),
            "share_alike": yes(licence.share_alike),
        }

    def answers(self) -> Answers:
        data = self.cleaned_data
        return Answers(
            waive_all_rights=data.get("waive") == "yes",
            allow_commercial=data.get("commercial") == "yes",
            allow_adaptations=data.get("adaptations") != "no",
            share_alike=data.get("share_alike") == "yes",
        )


class DeleteForm(forms.Form):
    confirm = forms.BooleanField(label=_("Yes, delete this resource and its files for good."))
