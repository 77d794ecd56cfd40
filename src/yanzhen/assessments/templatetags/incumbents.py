"""`{% incumbent_record person as record %}`: a person's monthly scores, 双述双评 and adjustment proposals for
the archive page, read through the requesting user's jurisdiction."""

from django import template

from yanzhen.assessments.incumbents import selectors as incumbent_selectors
from yanzhen.core.person_tags import person_panel_tag

register = template.Library()


@person_panel_tag(register)
def incumbent_record(user, person):
    return incumbent_selectors.person_record(user, person)
