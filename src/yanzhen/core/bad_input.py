"""Bad input that reaches no form: a malformed query parameter or an oversized request body.

`BadInput` carries a Chinese message for the person who sent it; the pages answer it with the 400 page
(`bad_request`, the project's handler400) and the API with JSON `{"detail": ...}` (yanzhen/api.py).
A body over DATA_UPLOAD_MAX_MEMORY_SIZE is answered 413 on both sides.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig
from django.shortcuts import render


class BadInput(BadRequest):
    """A request the app refuses, with the reason in Chinese (shown as is)."""


def too_big_message() -> str:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
    return f"请求内容过大，上限为 {limit:.1f} MB，未保存任何内容"


def bad_request(request, exception=None):
    """handler400: our own Chinese reason when there is one, 413 for an oversized body."""
    if isinstance(exception, RequestDataTooBig):
        status, message = 413, too_big_message()
    elif isinstance(exception, BadInput):
        status, message = 400, str(exception)
    else:
        status, message = 400, "请求有误，无法处理"
    return render(request, "400.html", {"message": message, "status": status}, status=status)
