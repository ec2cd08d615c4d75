"""A resource's address built without resolving the route each time is the
address ``reverse`` gives, whatever the title and the script prefix."""

from __future__ import annotations

import pytest
from django.urls import reverse, set_script_prefix

from commonroom.resources.models import resource_slug, resource_url


@pytest.mark.parametrize(
    "title",
    ["Breuken met pizza", "Ça va? Élève & leraar 100%", "", "!!!", "x" * 200, "Getijden_1/2"],
)
@pytest.mark.parametrize("prefix", ["/", "/commonroom/"])
def test_resource_url_is_the_reversed_address(title: str, prefix: str):
    set_script_prefix(prefix)
    try:
        expected = reverse("resources:detail", args=[4321, resource_slug(title)])
        assert resource_url(4321, title) == expected
        assert expected.startswith(prefix + "resources/4321-")
    finally:
        set_script_prefix("/")
