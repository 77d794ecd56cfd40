"""`{% person_welfare person as welfare %}`: a person's insurance and health checks for the archive page, read
through the requesting user's jurisdiction (None for a role that does not see them)."""

from django import template

from yanzhen.core.person_tags import person_panel_tag
from yanzhen.welfare import selectors

register = template.Library()


@person_panel_tag(register)
def person_welfare(user, person):
    return selectors.person_welfare(user, person)
