"""The busy state of a download (static/yanzhen/forms.js): a page cannot see when a file download starts,
so the button that asked for it sends a random `download_token`, and the answer that carries the file
(Content-Disposition: attachment) sets a short-lived cookie of that name and value. The page, polling its
cookies, then unlocks the button. Nothing is kept on the server, so any number of app servers will do."""

from __future__ import annotations

import re

COOKIE = "yz_download"
TOKEN = re.compile(r"^[0-9a-z]{8,40}$")


class DownloadTokenMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        token = request.GET.get("download_token", "")
        if TOKEN.match(token) and "attachment" in response.get("Content-Disposition", ""):
            # Readable by the page's script (not HttpOnly); it says nothing but "your file has started".
            response.set_cookie(COOKIE, token, max_age=60, samesite="Lax", httponly=False)
        return response
