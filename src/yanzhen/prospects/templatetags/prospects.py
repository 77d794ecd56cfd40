"""`{% prospect_origin person as origin %}`: the prospect of 雏雁计划 an archive came from (inside the user's
jurisdiction), for the archive and the candidacy pages; the people and candidacies apps import nothing of it."""

from __future__ import annotations

from django import template

from yanzhen.prospects import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def prospect_origin(context, person):
    request = context.get("request")
    if person is None or request is None:
        return None
    return selectors.prospect_of_person(request.user, person.pk)
