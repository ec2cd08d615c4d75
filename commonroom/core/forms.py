from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Every form renders through templates/forms/: labels, help text and
    errors tied to their inputs for screen readers."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


def service_error_onto_form(
    form: BaseForm, exc: ValidationError, fields_by_code: Mapping[str, str] | None = None
) -> None:
    """A service's refusal, shown in the form next to what the user typed: a
    per-field error goes to its field, a coded one to the field its code names
    (``fields_by_code``), anything else above the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
        return
    field = (fields_by_code or {}).get(exc.code or "")
    form.add_error(field if field in form.fields else None, exc)


def form_status(form: BaseForm) -> int:
    """400 for a bound form with errors, so tests and tools see the refusal."""
    return 400 if form.is_bound and form.errors else 200
