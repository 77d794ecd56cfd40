"""The election's pages: the county's elections, the plan, the slates, the joint review, results, handovers."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from yanzhen.elections.models import Election


@login_required
def election_list(request):
    elections = Election.objects.restrict(request.user).select_related("county")
    return render(request, "elections/list.html", {"elections": elections})
