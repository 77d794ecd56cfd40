"""`{% person_growth person as growth %}`: a person's growth plan and hours for the archive page, read
through the requesting user's jurisdiction."""

from django import template

from yanzhen.core.person_tags import person_panel_tag
from yanzhen.cultivation import selectors

register = template.Library()


@person_panel_tag(register)
def person_growth(user, person):
    return selectors.growth(user, person)
