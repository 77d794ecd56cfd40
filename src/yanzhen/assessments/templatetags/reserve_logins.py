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
    login = reserve_logins.login_of(person)
    if login is not None:
        return {"login": login}
    # Who may get a login: a reserve in the pool, or a sitting cadre (his duty days, the duty app).
    is_cadre = reserve_logins.sitting_village(person) is not None
    return {"login": None, "is_reserve": is_cadre or reserve_logins.is_reserve(person), "is_cadre": is_cadre}
