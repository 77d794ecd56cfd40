"""Template helpers for the user's jurisdiction."""

from django import template

from yanzhen.core.jurisdiction import code_in_jurisdiction

register = template.Library()


@register.filter
def within_jurisdiction(division, user) -> bool:
    """Whether the user may open the division's page: breadcrumbs show the levels above his jurisdiction
    (宁夏回族自治区, 吴忠市, the county for a township clerk) as plain text, since their pages answer 404."""
    code = getattr(division, "code", division)
    return bool(code) and code_in_jurisdiction(user, str(code))
