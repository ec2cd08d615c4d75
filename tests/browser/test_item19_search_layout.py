"""Issue 13 item 19 in Chromium: the search page paints its final layout
first (filters folded on a phone, shown on a wide screen, by the HTML and
CSS alone), and its first pictures load eagerly."""

import pytest
from django.contrib.auth.models import Group

from commonroom.accounts.tests.factories import MemberFactory
from commonroom.moderation import services as moderation
from commonroom.moderation.models import Review
from commonroom.resources import file_uploads
from commonroom.resources import services as resources
from commonroom.resources.tests.factories import ResourceFactory
from commonroom.resources.tests.helpers import pdf_bytes, upload
from commonroom.search.services import search_rebuild

pytestmark = [pytest.mark.browser]

# Sums the layout shifts the page makes without input, as Lighthouse does.
OBSERVE_SHIFTS = """
window.layoutShift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.layoutShift += entry.value;
  }
}).observe({type: "layout-shift", buffered: true});
"""


def published_with_pictures(count: int) -> None:
    moderator = MemberFactory()
    moderator.groups.add(Group.objects.get(name="Moderators"))
    for n in range(count):
        resource = ResourceFactory(title=f"Fractions worksheet {n}")
        file_uploads.resource_file_add(
            resource=resource, upload=upload(f"fractions-{n}.pdf", pdf_bytes()), by=resource.author
        )
        resources.resource_submit(resource=resource, by=resource.author)
        review = Review.objects.get(resource=resource, closed_at__isnull=True)
        moderation.review_decide(review=review, by=moderator, action="publish")
    search_rebuild()


def test_item19_search_has_no_layout_shift(page, browser, live_server):
    published_with_pictures(4)
    page.set_viewport_size({"width": 390, "height": 844})
    page.add_init_script(OBSERVE_SHIFTS)
    page.goto("/search/?q=fractions", wait_until="load")
    page.wait_for_timeout(500)
    assert page.evaluate("window.layoutShift") < 0.02
    # Folded from the first paint: the results come first.
    filters = page.locator("details.search-filters")
    assert filters.evaluate("d => d.open") is False
    assert not page.locator(".search-facet").first.is_visible()
    assert page.get_by_text("4 resources found").is_visible()
    page.locator("details.search-filters > summary").press("Enter")
    assert page.locator(".search-facet").first.is_visible()
    # The first cards' pictures are fetched first and not lazily.
    pictures = page.locator(".resource-card img")
    assert [pictures.nth(i).get_attribute("fetchpriority") for i in range(4)] == [
        "high",
        "high",
        "high",
        None,
    ]
    assert pictures.nth(3).get_attribute("loading") == "lazy"
    assert pictures.first.evaluate("img => img.complete && img.naturalWidth") > 0

    # A wide screen shows the filters by CSS alone, without a summary to
    # open them, even without JavaScript; nothing shifts there either.
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-GB",
        viewport={"width": 1280, "height": 900},
        java_script_enabled=False,
    )
    try:
        wide = context.new_page()
        wide.goto("/search/?q=fractions")
        assert wide.locator(".search-facet").first.is_visible()
        assert not wide.locator("details.search-filters > summary").is_visible()
        assert wide.locator("details.search-filters").get_attribute("open") is None
    finally:
        context.close()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/search/?q=fractions", wait_until="load")
    page.wait_for_timeout(500)
    assert page.evaluate("window.layoutShift") < 0.02
    assert page.locator(".search-facet").first.is_visible()
