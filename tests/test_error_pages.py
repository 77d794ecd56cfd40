"""The app's own error pages (issue 13 §1): Chinese, with the navigation and a way back, with DEBUG off as
`make run` serves; the API answers JSON; the 500 page answers even when rendering the page itself fails."""

import pytest
from django.test import Client, override_settings

from yanzhen.core import errors

from .conftest import DASHUIKENG_VILLAGE

pytestmark = pytest.mark.django_db

NO_DEBUG = override_settings(DEBUG=False, ROOT_URLCONF="tests.error_urls")


def assert_app_page(html: str, status: int, heading: str) -> None:
    assert f'data-status="{status}"' in html
    assert heading in html
    assert 'class="yz-sidebar' in html  # the navigation
    assert "返回上一页" in html and '<a class="btn btn-danger" href="/">返回首页</a>' in html
    assert 'lang="zh-hans"' in html
    assert "Traceback" not in html and "Page not found at" not in html  # not Django's debug pages


@NO_DEBUG
def test_404_is_the_apps_page_in_chinese_with_navigation(client_for):
    response = client_for("huamachi").get("/no-such-page/")
    assert response.status_code == 404
    assert_app_page(response.content.decode(), 404, "不存在或不在您的辖区内。")
    assert "<title>页面不存在 · 雁阵</title>" in response.content.decode()


@NO_DEBUG
def test_a_record_outside_the_jurisdiction_is_the_same_404(client_for):
    response = client_for("huamachi").get(f"/divisions/{DASHUIKENG_VILLAGE}/")
    assert response.status_code == 404
    assert_app_page(response.content.decode(), 404, "不存在或不在您的辖区内。")


@NO_DEBUG
def test_403_is_the_apps_page_in_chinese_with_navigation(client_for):
    response = client_for("huamachi").get("/audit/")
    assert response.status_code == 403
    assert_app_page(response.content.decode(), 403, "您没有执行此操作的权限。")


@NO_DEBUG
def test_400_is_the_apps_page(client_for):
    response = client_for("county").get("/suspicious/")
    assert response.status_code == 400
    assert_app_page(response.content.decode(), 400, "请求有误")


@NO_DEBUG
def test_500_is_the_apps_page_with_navigation(client_for):
    client = client_for("county")
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assert_app_page(response.content.decode(), 500, "服务器内部错误")


@NO_DEBUG
def test_500_answers_a_plain_chinese_page_when_the_page_itself_fails(client_for, monkeypatch):
    def broken_render(*args, **kwargs):
        raise RuntimeError("the database is gone too")

    monkeypatch.setattr(errors, "render", broken_render)
    client = client_for("county")
    client.raise_request_exception = False
    response = client.get("/boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "服务器内部错误" in html and '<a href="/">返回首页</a>' in html and "返回上一页" in html


@NO_DEBUG
def test_an_anonymous_404_under_static_is_the_apps_page_without_navigation():
    response = Client().get("/static/no-such-file.css")
    html = response.content.decode()
    assert response.status_code == 404
    assert "不存在或不在您的辖区内。" in html and "返回首页" in html
    assert "yz-sidebar" not in html


@NO_DEBUG
def test_the_api_keeps_answering_json(client_for):
    client = client_for("county")
    client.raise_request_exception = False
    response = client.get("/api/v1/no-such-route")
    assert (response.status_code, response["Content-Type"]) == (404, "application/json")
    assert response.json() == {"detail": "不存在或不在您的辖区内"}
    response = client.get("/api/v1/boom")
    assert (response.status_code, response["Content-Type"]) == (500, "application/json")
    assert response.json() == {"detail": "服务器内部错误，已记录"}
    # A record outside the jurisdiction: the API's own JSON 404, untouched.
    response = client_for("huamachi").get(f"/api/v1/divisions/{DASHUIKENG_VILLAGE}")
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")


@NO_DEBUG
def test_a_stale_form_gets_the_chinese_403_page(persona):
    client = Client(enforce_csrf_checks=True)
    client.force_login(persona("county"))
    response = client.post("/people/new/", {"name": "x"})
    assert response.status_code == 403
    assert_app_page(response.content.decode(), 403, "页面已过期。")


def test_the_favicon_is_served_to_anyone():
    response = Client().get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_pages_link_the_svg_favicon(client_for):
    html = client_for("huamachi").get("/").content.decode()
    assert '<link rel="icon" href="/static/yanzhen/favicon.svg" type="image/svg+xml">' in html
