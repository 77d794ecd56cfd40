"""The app's own error pages (400, 403, 404, 500 and a refused CSRF token), in Chinese, with the navigation
and a way back; the API keeps answering JSON.

Django's own handlers would do for 403 and 404, but they render the same template for the API (HTML where a
client expects JSON), and its 500 handler renders without the request, so the page would lose the
navigation. The 500 page is rendered with the request inside a guard: whatever broke the view (the database,
a template) may break the page too, and then a plain page that needs nothing is the answer.
"""

from __future__ import annotations

import logging

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

from yanzhen.core.bad_input import BadInput, too_big_message

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"

# The API's own wording (django-ninja answers {"detail": ...} for its errors), in Chinese like its messages.
API_DETAIL = {
    400: "请求有误",
    413: "请求内容过大",
    403: "无权执行此操作",
    404: "不存在或不在您的辖区内",
    500: "服务器内部错误，已记录",
}

# When even the error page cannot be rendered: nothing here touches the database, templates or translations.
# Plain HTML without style or script (the Content-Security-Policy allows neither inline): the browser's own
# back button takes the user back.
PLAIN_500 = """<!DOCTYPE html>
<html lang="zh-hans"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>服务器内部错误 · 雁阵</title></head>
<body>
<h1>服务器内部错误</h1>
<p>出错的情况已记录。请稍后重试；如果反复出现，请联系系统管理员。</p>
<p>用浏览器的“后退”返回上一页，或 <a href="/">返回首页</a>。</p>
</body></html>
"""


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def _answer(request, status: int, template: str, context: dict | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": API_DETAIL[status]}, status=status)
    return render(request, template, {"status": status, **(context or {})}, status=status)


def bad_request(request, exception=None):
    """A malformed request: the Chinese reason when the app gave one (BadInput), 413 for a body over the limit."""
    if isinstance(exception, RequestDataTooBig):
        status, message = 413, too_big_message()
    elif isinstance(exception, BadInput):
        status, message = 400, str(exception)
    else:
        status, message = 400, ""
    if _is_api(request):
        return JsonResponse({"detail": message or API_DETAIL[status]}, status=status)
    return render(request, "400.html", {"status": status, "message": message}, status=status)


def permission_denied(request, exception=None):
    return _answer(request, 403, "403.html")


def page_not_found(request, exception=None):
    return _answer(request, 404, "404.html")


def server_error(request):
    if _is_api(request):
        return JsonResponse({"detail": API_DETAIL[500]}, status=500)
    try:
        return render(request, "500.html", {"status": 500}, status=500)
    except Exception:  # the page must answer whatever broke: log it and fall back to the plain page
        logger.exception("the 500 page itself failed; answering the plain page")
        return HttpResponse(PLAIN_500, status=500)


def csrf_failure(request, reason: str = ""):
    """A form sent after its page went stale (the session ended, another tab logged out): say so in Chinese
    instead of Django's English "CSRF verification failed"."""
    if _is_api(request):
        return JsonResponse({"detail": API_DETAIL[403]}, status=403)
    return render(request, "403.html", {"status": 403, "stale_form": True}, status=403)
