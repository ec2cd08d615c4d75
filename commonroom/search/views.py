"""The search page. Nothing about who searched or what is recorded."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from commonroom.search.forms import SearchForm, Vocabulary, page_number
from commonroom.search.selectors import search_documents

FACET_TITLES = {
    "subject": _("Subject"),
    "level": _("Education level"),
    "kind": _("Kind"),
    "language": _("Language"),
    "licence": _("Licence"),
    "allows": _("What the licence allows"),
}


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    form.is_valid()
    text = form.cleaned_data.get("q", "") if form.is_valid() else request.GET.get("q", "")[:2000]
    vocabulary = Vocabulary.load()
    filters = vocabulary.filters(request.GET)
    result = search_documents(
        text=text,
        filters=filters,
        sort=form.cleaned_data.get("sort", "") if form.is_valid() else "",
        page=page_number(request.GET),
    )
    options = vocabulary.options(result.counts, filters)
    facets = [(name, FACET_TITLES[name], options[name]) for name in FACET_TITLES if options[name]]
    base = request.GET.copy()
    base.pop("page", None)
    return render(
        request,
        "search/search.html",
        {
            "form": form,
            "text": text,
            "result": result,
            "facets": facets,
            "base_query": base.urlencode(),
            "sort_choices": form.fields["sort"].choices,  # type: ignore[attr-defined]
        },
    )
