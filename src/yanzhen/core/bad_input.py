"""Bad input that reaches no form: a malformed query parameter or an oversized request body.

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
