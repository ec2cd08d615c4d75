from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Every form renders through templates/forms/: labels, help text and
    errors tied to their inputs for screen readers."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
