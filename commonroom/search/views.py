"""The search page, saved searches and the staff's search insight.

Nothing about who searched is recorded: a search only adds one to the
week's counter of its folded text (``insight.query_stat_record``)."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from commonroom.accounts.permissions import acting_member
from commonroom.accounts.roles import is_staff
from commonroom.core.forms import service_error_onto_form
from commonroom.search import registry, saved
from commonroom.search.autocomplete import MAX_TYPED_CHARS, autocomplete
from commonroom.search.facets import TYPE, Filters
from commonroom.search.forms import (
    SavedSearchForm,
    SaveSearchForm,
    SearchForm,
    Vocabulary,
    chosen_count,
    page_number,
)
from commonroom.search.insight import insight_weeks, query_stat_record
from commonroom.search.models import SavedSearch
from commonroom.search.page_search import searched
from commonroom.search.suggest import correction_for


def found_text(
    total: int, *, filters: Filters, kinds_present: int, found_kinds: Sequence[str] = ()
) -> str:
    """ "3 resources found" in the words of the one kind searched (the only
    kind in the index, or the one chosen), else "3 results found".
    ``found_kinds``: the kinds the results are of (the only kind in the
    index need not be the first registered)."""
    chosen = filters.chosen(TYPE.name)
    kinds = registry.kinds()
    if len(chosen) == 1 and str(chosen[0]) in kinds:
        return kinds[str(chosen[0])].found_text(total)
    if kinds_present <= 1 and kinds:
        key = found_kinds[0] if len(found_kinds) == 1 and found_kinds[0] in kinds else ""
        return kinds[key or next(iter(kinds))].found_text(total)
    return ngettext("%(n)s result found", "%(n)s results found", total) % {"n": total}


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    form.is_valid()
    text = form.cleaned_data.get("q", "") if form.is_valid() else request.GET.get("q", "")[:2000]
    made = searched(
        request.GET,
        text=text,
        sort=form.cleaned_data.get("sort", "") if form.is_valid() else "",
        page=page_number(request.GET),
        member=acting_member(request) if request.user.is_authenticated else None,
    )
    result, vocabulary, filters = made.result, made.vocabulary, made.filters
    options = vocabulary.options(result.counts, filters)
    kinds_present = made.snapshot.kinds_present()
    facets = [
        (facet.name, facet.title, options[facet.name])
        for facet in vocabulary.facets
        if options[facet.name] and (facet is not TYPE or kinds_present > 1)
    ]
    chosen_filters = sum(chosen_count(facet_options) for _, _, facet_options in facets)
    base = request.GET.copy()
    base.pop("page", None)
    if result.page == 1 and "page" not in request.GET:
        # Paging on is the same search, not another one.
        query_stat_record(text=text, found=result.total)
    save_form = None
    if request.user.is_authenticated:
        save_form = SaveSearchForm(
            initial={"name": " ".join(text.split())[:120], "params": base.urlencode()},
            auto_id="save-search-%s",
        )
    correction = None
    if corrected := correction_for(text, found=result.total, query=result.query):
        params = base.copy()
        params["q"] = corrected
        correction = {"text": corrected, "query": params.urlencode()}
    return render(
        request,
        "search/search.html",
        {
            "form": form,
            "text": text,
            "result": result,
            "found_text": found_text(
                result.total,
                filters=filters,
                kinds_present=kinds_present,
                found_kinds=[str(k) for k in result.counts.get(TYPE.name, {})],
            ),
            "facets": facets,
            "chosen_filters": chosen_filters,
            "base_query": base.urlencode(),
            "sort_choices": form.fields["sort"].choices,  # type: ignore[attr-defined]
            "save_form": save_form,
            "did_you_mean": correction,
        },
    )


def _suggest_rate(group: str, request: HttpRequest) -> str:
    return str(getattr(settings, "SUGGEST_RATE_LIMIT", "300/m"))


@require_GET
@ratelimit(key="ip", rate=_suggest_rate, method="GET", block=False)
def suggest(request: HttpRequest) -> HttpResponse:
    """Titles and keywords starting with the typed text: an htmx fragment
    under the search box while typing, or a page of its own without
    JavaScript."""
    text = request.GET.get("q", "")[:MAX_TYPED_CHARS]
    limited = bool(getattr(request, "limited", False))
    context = {
        "text": text,
        "suggestions": [] if limited else autocomplete(text),
        "limited": limited,
    }
    status = 429 if limited else 200
    if getattr(request, "htmx", False):
        # No context processors: a fragment is rendered at every keystroke.
        response = HttpResponse(
            render_to_string("search/_suggestions.html", context), status=status
        )
    else:
        response = render(request, "search/suggest.html", {**context, "page": True}, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _owned(request: HttpRequest, saved_search_id: int) -> SavedSearch:
    saved_search = get_object_or_404(SavedSearch, pk=saved_search_id)
    if saved_search.member_id != request.user.pk:
        raise PermissionDenied
    return saved_search


@login_required
@require_GET
def saved_list(request: HttpRequest) -> HttpResponse:
    member = acting_member(request)
    saved_searches = list(saved.saved_searches_of(member))
    if saved_searches:
        labels = Vocabulary.load().labels()
        for s in saved_searches:
            s.filter_labels = [  # type: ignore[attr-defined]
                labels.get((facet, slug), slug)
                for facet, slugs in sorted(s.filters.items())
                for slug in slugs
            ]
    return render(request, "search/saved_list.html", {"saved_searches": saved_searches})


@login_required
@require_POST
def saved_create(request: HttpRequest) -> HttpResponse:
    member = acting_member(request)
    form = SaveSearchForm(request.POST)
    if form.is_valid():
        try:
            saved_search = saved.saved_search_create(
                member=member,
                name=form.cleaned_data["name"],
                params=QueryDict(form.cleaned_data["params"]),
                frequency=form.cleaned_data["frequency"],
            )
        except ValidationError as exc:
            service_error_onto_form(form, exc)
        else:
            messages.success(
                request,
                gettext("Your search “%(name)s” is saved.") % {"name": saved_search.name},
            )
            return redirect(saved_search.get_search_url())
    return render(request, "search/saved_form.html", {"form": form}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def saved_edit(request: HttpRequest, saved_search_id: int) -> HttpResponse:
    saved_search = _owned(request, saved_search_id)
    form = SavedSearchForm(request.POST or None, instance=saved_search)
    if request.method == "POST" and form.is_valid():
        try:
            saved.saved_search_update(
                saved_search=saved_search,
                by=acting_member(request),
                name=form.cleaned_data["name"],
                frequency=form.cleaned_data["frequency"],
            )
        except ValidationError as exc:
            service_error_onto_form(form, exc)
        else:
            messages.success(request, gettext("Your saved search is changed."))
            return redirect("search:saved")
    return render(
        request,
        "search/saved_form.html",
        {"form": form, "saved_search": saved_search},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def saved_delete(request: HttpRequest, saved_search_id: int) -> HttpResponse:
    saved_search = _owned(request, saved_search_id)
    saved.saved_search_delete(saved_search=saved_search, by=acting_member(request))
    messages.success(
        request, gettext("The saved search “%(name)s” is deleted.") % {"name": saved_search}
    )
    return redirect("search:saved")


@login_required
@require_GET
def insight(request: HttpRequest) -> HttpResponse:
    if not is_staff(request.user):
        raise PermissionDenied
    return render(request, "search/insight.html", {"weeks": insight_weeks()})
