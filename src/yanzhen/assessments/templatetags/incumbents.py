"""`{% incumbent_record person as record %}`: a person's monthly scores, 双述双评 and adjustment proposals for
the archive page, read through the requesting user's jurisdiction."""

from django import template

from yanzhen.assessments.incumbents import selectors as incumbent_selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def incumbent_record(context, person):
    request = context.get("request")
    if request is None or person is None or not getattr(request.user, "is_authenticated", False):
        return None
    return incumbent_selectors.person_record(request.user, person)
