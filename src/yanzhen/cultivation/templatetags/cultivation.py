"""`{% person_growth person as growth %}`: a person's growth plan and hours for the archive page, read
through the requesting user's jurisdiction."""

from django import template

from yanzhen.cultivation import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def person_growth(context, person):
    request = context.get("request")
    if request is None or person is None or not getattr(request.user, "is_authenticated", False):
        return None
    return selectors.growth(request.user, person)
