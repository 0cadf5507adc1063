"""The search page: for everybody; without an account it finds public content only."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render
from django.views.decorators.http import require_GET

from lib.pagination import other_parameters, page_number
from workspaces.access import workspaces_visible_to

from .backends import Filters
from .forms import SearchForm
from .service import scope_for, search


@require_GET
def search_page(request):
    workspaces = list(workspaces_visible_to(request.user).order_by("name").only("pk", "slug", "name"))
    scope = scope_for(request.user, workspace_ids=[w.pk for w in workspaces])
    form = SearchForm(request.GET or None, workspaces=workspaces)
    results = None
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        data = form.cleaned_data
        filters = Filters(
            kinds=[data["typ"]] if data["typ"] else None,
            workspace_id=form.workspace_ids.get(data["arbeitsbereich"]),
            municipality_id=data["stadt"].pk if data["stadt"] else None,
            date_from=SearchForm.day_start(data["von"]) if data["von"] else None,
            date_to=SearchForm.day_start(data["bis"] + dt.timedelta(days=1)) if data["bis"] else None,
        )
        results = search(request.user, data["q"], filters=filters, page=page_number(request), scope=scope)
    template = "search/_results.html" if request.htmx else "search/search.html"
    return render(request, template, {"form": form, "results": results, "query_string": other_parameters(request)})
