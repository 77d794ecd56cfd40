"""Bad input that reaches no form: a malformed query parameter, a NUL character, or an oversized request body.

`BadInput` carries a Chinese message for the person who sent it; the pages answer it with the 400 page
(`core.errors.bad_request`, the project's handler400) and the API with JSON `{"detail": ...}` (yanzhen/api.py).
A body over DATA_UPLOAD_MAX_MEMORY_SIZE is answered 413 on both sides.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import BadRequest


class BadInput(BadRequest):
    """A request the app refuses, with the reason in Chinese (shown as is)."""


def too_big_message() -> str:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
    return f"请求内容过大，上限为 {limit:.1f} MB，未保存任何内容"


NUL = "\x00"


def nul_message(request) -> str | None:
    """Why a request's address is refused, or None: a NUL character (%00) in its path or in a query
    parameter's name or value. PostgreSQL cannot hold one in a text value and refuses the whole query (a 500),
    and no code list, name or search term of the app has one; so it is answered 400 here, once for every page
    and operation, before any view reads it. Form fields and the API's text fields drop it themselves
    (`core.text`); the body is not read here, so an upload's handlers stay the view's to choose."""
    if NUL in request.path:
        return "请求的地址中含有空字符（NUL），已拒绝"
    for name, values in request.GET.lists():
        if NUL in name or any(NUL in value for value in values):
            label = name.replace(NUL, "")
            return f"查询参数“{label}”中含有空字符（NUL），已拒绝"
    return None


class NulGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        message = nul_message(request)
        if message is not None:
            raise BadInput(message)  # the 400 page, or the API's 400 JSON (core.errors.bad_request)
        return self.get_response(request)
