"""The tags other apps give the person archive page (`{% incumbent_record person as record %}`, ...): each
reads through the requesting user's jurisdiction, and gives None to a page without a request, a person or
a logged-in user."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import template


def person_panel_tag(register: template.Library) -> Callable[[Callable[[Any, Any], Any]], Callable[..., Any]]:
    """Registers `read(user, person)` in `register` as the simple tag `{% <its name> person as ... %}`."""

    def decorator(read: Callable[[Any, Any], Any]) -> Callable[..., Any]:
        def tag(context, person):
            request = context.get("request")
            if request is None or person is None or not getattr(request.user, "is_authenticated", False):
                return None
            return read(request.user, person)

        register.simple_tag(tag, takes_context=True, name=read.__name__)
        return read

    return decorator
