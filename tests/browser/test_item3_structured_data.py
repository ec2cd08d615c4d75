"""Issue 18 item 3: the JSON-LD block is data under the strict CSP: Chromium
reports no violation for it, runs nothing from it, and reads the JSON."""

import pytest

from commonroom.resources.tests.factories import published_resource

pytestmark = pytest.mark.django_db(transaction=True)


def test_item3_json_ld_is_read_as_data_without_a_csp_violation(page):
    resource = published_resource(title="Breuken </script><script>window.pwned=1</script>")
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    response = page.goto(resource.get_absolute_url())
    assert "script-src 'self'" in response.headers["content-security-policy"]
    data = page.evaluate(
        "JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)"
    )
    assert data["@type"] == "LearningResource"
    assert data["name"] == "Breuken </script><script>window.pwned=1</script>"
    assert page.evaluate("window.pwned === undefined")
    assert [m for m in messages if "Content Security Policy" in m] == []
