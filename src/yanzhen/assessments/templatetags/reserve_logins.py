"""`{% reserve_login_panel person as panel %}`: what the archive page's login panel shows, for a user who may
manage reserves' logins (administrator, township clerk); None for anyone else, who sees no panel."""

from django import template

from yanzhen.assessments.services import reserve_logins

register = template.Library()


@register.simple_tag(takes_context=True)
def reserve_login_panel(context, person):
    request = context.get("request")
    if request is None or person is None or not getattr(request.user, "is_authenticated", False):
        return None
    if not reserve_logins.may_manage(request.user):
        return None
    return {"login": reserve_logins.login_of(person), "is_reserve": reserve_logins.is_reserve(person)}
