"""`{% reserve_login_panel person as panel %}`: what the archive page's login panel shows, for a user who may
manage reserves' logins (administrator, township clerk); None for anyone else, who sees no panel."""

from django import template

from yanzhen.assessments.services import reserve_logins
from yanzhen.core.person_tags import person_panel_tag

register = template.Library()


@person_panel_tag(register)
def reserve_login_panel(user, person):
    if not reserve_logins.may_manage(user):
        return None
    return {"login": reserve_logins.login_of(person), "is_reserve": reserve_logins.is_reserve(person)}
