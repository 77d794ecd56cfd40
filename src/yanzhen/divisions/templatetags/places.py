"""`{% place_filter %}`: the 乡镇 → 村 filter (`divisions.place_filter`) in a list's GET form."""

from __future__ import annotations

from django import template

from yanzhen.divisions.place_filter import place_filter as build_place_filter

register = template.Library()


@register.inclusion_tag("divisions/_place_filter.html", takes_context=True)
def place_filter(context, division=None, col="col-auto"):
    """The township and village selects for the request's query; with `division` (a list filtered by one
    division code) they show that division: its township, and the village when it is one."""
    request = context["request"]
    params = request.GET
    if division is not None:
        code = division.code
        params = {"township": code[:9] if len(code) >= 9 else "", "village": code if len(code) == 12 else ""}
    return {"place": build_place_filter(request.user, params), "col": col}
