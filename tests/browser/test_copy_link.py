"""Issue 13 item 18e: the Copy button keeps its visually hidden words hidden
after use, and the confirmation is announced through a status region."""

import pytest

from commonroom.resources.tests.factories import published_resource

pytestmark = pytest.mark.django_db(transaction=True)

CLIPPED = {"width": 1, "height": 1}


def _hidden_box(button) -> dict[str, float]:  # type: ignore[no-untyped-def]
    hidden = button.locator(".visually-hidden")
    assert hidden.count() == 1, button.evaluate("b => b.innerHTML")
    box = hidden.bounding_box()
    return {"width": round(box["width"]), "height": round(box["height"])}


def test_item18e_copy_link_hidden_text_stays_hidden_and_status_announces(page, live_server):
    resource = published_resource(title="Fractions with pizza")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(resource.get_absolute_url())
    button = page.locator(f'[data-copy-target="share-link-{resource.pk}"]')
    status = button.locator("xpath=following-sibling::*[1]")

    assert _hidden_box(button) == CLIPPED
    assert status.get_attribute("role") == "status"
    assert status.get_attribute("aria-live") == "polite"
    assert status.inner_text() == ""

    button.click()
    page.wait_for_function(
        "el => el.textContent === 'Copied'", arg=status.element_handle(), timeout=5_000
    )
    assert (
        page.evaluate("navigator.clipboard.readText()")
        == page.locator(f"#share-link-{resource.pk}").input_value()
    )
    assert button.evaluate("b => b.textContent") == "Copy the link"
    assert _hidden_box(button) == CLIPPED

    # After the confirmation fades, the button still has its hidden part.
    page.wait_for_function(
        "el => el.textContent === ''", arg=status.element_handle(), timeout=8_000
    )
    assert button.evaluate("b => b.textContent") == "Copy the link"
    assert _hidden_box(button) == CLIPPED
