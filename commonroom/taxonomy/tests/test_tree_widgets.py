"""Issue 13 item 13: every form that chooses a level or a subject shows the
tree: each term once, each child after its parent, siblings by position;
checkboxes nested under their parent, selects grouped by root."""

import importlib
import inspect
import pkgutil
from html.parser import HTMLParser
from typing import Any

import pytest
from django import forms

import commonroom
from commonroom.accounts.forms import ProfileForm
from commonroom.moderation.forms import QueueFilterForm
from commonroom.people.forms import DirectoryForm, TutorListingForm, TutorSearchForm
from commonroom.resources.forms import ResourceCreateForm, ResourceForm
from commonroom.social.forms import ClassroomUseForm
from commonroom.taxonomy.models import EducationLevel, Subject
from commonroom.taxonomy.selectors import tree_order
from commonroom.taxonomy.widgets import TreeCheckboxSelectMultiple, TreeSelect

pytestmark = pytest.mark.django_db


class Choices(HTMLParser):
    """The values offered for one field name, in document order, with the
    optgroup or nested list each sits in."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.values: list[str] = []
        self.groups: list[str | None] = []
        self.in_select = False
        self.group: str | None = None
        self.summaries = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "select":
            self.in_select = found.get("name") == self.name
        elif tag == "optgroup" and self.in_select:
            self.group = found.get("label")
        elif tag == "option" and self.in_select and found.get("value"):
            self.values.append(str(found["value"]))
            self.groups.append(self.group)
        elif tag == "input" and found.get("name") == self.name:
            self.values.append(str(found["value"]))
        elif tag == "summary":
            self.summaries += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.in_select = False
        elif tag == "optgroup":
            self.group = None


def offered(form: forms.BaseForm, name: str) -> Choices:
    parser = Choices(name)
    parser.feed(str(form[name]))
    return parser


def assert_tree(parser: Choices, model: Any, key: str = "pk") -> None:
    """Each term once, in tree order: every child right after its parent's
    subtree starts, siblings by position."""
    expected = [str(getattr(entry.term, key)) for entry in tree_order(model.objects.all())]
    assert len(parser.values) == len(set(parser.values))
    assert parser.values == expected
    position = {value: i for i, value in enumerate(parser.values)}
    for term in model.objects.exclude(parent=None).select_related("parent"):
        assert position[str(getattr(term.parent, key))] < position[str(getattr(term, key))]


def test_item13_tree_order_walks_each_parent_before_its_children_by_position():
    slugs = [entry.term.slug for entry in tree_order(EducationLevel.objects.all())]
    assert slugs[slugs.index("secondary") :][:8] == [
        "secondary",
        "secondary-1",
        "secondary-1-a",
        "secondary-1-b",
        "secondary-2",
        "secondary-2-transition",
        "secondary-2-dual",
        "secondary-2-labour",
    ]
    dual = next(
        e for e in tree_order(EducationLevel.objects.all()) if e.term.slug == "secondary-3-dual"
    )
    assert dual.depth == 2
    assert dual.path_label == "Secondary education › Third stage › Dual finality"


def test_item13_tree_order_names_a_term_whose_parent_was_filtered_out():
    entries = tree_order(EducationLevel.objects.filter(slug="secondary-2-dual"))
    assert [e.path_label for e in entries] == ["Secondary education › Second stage › Dual finality"]


@pytest.mark.parametrize(
    ("form_class", "kwargs"),
    [
        (ResourceCreateForm, {}),
        (ResourceForm, {}),
        (ProfileForm, {}),
        (TutorListingForm, {}),
    ],
)
def test_item13_checkbox_forms_render_the_tree_in_order_without_duplicates(form_class, kwargs):
    form = form_class(**kwargs)
    for name, model in (("levels", EducationLevel), ("subjects", Subject)):
        assert isinstance(form.fields[name].widget, TreeCheckboxSelectMultiple)
        parser = offered(form, name)
        assert_tree(parser, model)
        # One fold per term with children: children cost no Tab stop until opened.
        assert parser.summaries == model.objects.filter(children__isnull=False).distinct().count()


@pytest.mark.parametrize(
    ("form_class", "names", "key"),
    [
        (QueueFilterForm, ("level", "subject"), "pk"),
        (ClassroomUseForm, ("level", "subject"), "pk"),
        (DirectoryForm, ("level", "subject"), "slug"),
        (TutorSearchForm, ("level", "subject"), "slug"),
    ],
)
def test_item13_select_forms_render_the_tree_in_order_without_duplicates(form_class, names, key):
    form = form_class()
    for name, model in zip(names, (EducationLevel, Subject), strict=True):
        assert isinstance(form.fields[name].widget, TreeSelect)
        parser = offered(form, name)
        assert_tree(parser, model, key)


def test_item13_select_groups_each_root_with_its_descendants_and_names_them():
    html = str(QueueFilterForm()["level"])
    assert '<optgroup label="Secondary education">' in html
    assert ">Secondary education › Second stage › Dual finality</option>" in html
    assert ">Secondary education › Third stage › Dual finality</option>" in html
    parser = offered(QueueFilterForm(), "level")
    secondary = EducationLevel.objects.get(slug="secondary")
    nursery = EducationLevel.objects.get(slug="nursery")
    assert parser.groups[parser.values.index(str(secondary.pk))] == "Secondary education"
    assert parser.groups[parser.values.index(str(nursery.pk))] is None


def test_item13_a_chosen_child_is_shown_unfolded_and_named_with_its_parent():
    biology = Subject.objects.get(slug="biology")
    html = str(ResourceForm(initial={"subjects": [biology.pk]})["subjects"])
    assert '<details class="tree-children" open>' in html
    assert '<span class="visually-hidden">Science and technology › </span>Biology</label>' in html
    assert (
        html.count("<details") == Subject.objects.filter(children__isnull=False).distinct().count()
    )
    assert html.count(" open>") == 1


def _form_classes() -> list[type[forms.BaseForm]]:
    found = []
    for module_info in pkgutil.walk_packages(commonroom.__path__, "commonroom."):
        if not module_info.name.endswith(".forms") or ".tests" in module_info.name:
            continue
        module = importlib.import_module(module_info.name)
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
                found.append(value)
    return found


def _instance_fields(form_class: type[forms.BaseForm]) -> dict[str, forms.Field]:
    """The fields a form has once built (some add fields in __init__); the
    declared ones when it cannot be built without arguments."""
    try:
        return dict(form_class().fields)
    except TypeError:
        return dict(form_class.base_fields)


def test_item13_every_level_or_subject_field_in_the_project_uses_the_tree_widget():
    form_classes = _form_classes()
    assert len(form_classes) > 30  # the walk found the project's forms
    checked, wrong = [], []
    for form_class in form_classes:
        for name, field in _instance_fields(form_class).items():
            queryset = getattr(field, "queryset", None)
            if queryset is None or queryset.model not in (EducationLevel, Subject):
                continue
            checked.append(f"{form_class.__name__}.{name}")
            if not isinstance(field.widget, TreeCheckboxSelectMultiple | TreeSelect):
                wrong.append(f"{form_class.__module__}.{form_class.__name__}.{name}")
    assert wrong == []
    assert {"ResourceForm.levels", "QueueFilterForm.subject", "ClassroomUseForm.level"} <= set(
        checked
    )
