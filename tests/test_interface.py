import pytest

pytestmark = pytest.mark.django_db


def test_chinese_by_default_even_for_an_english_browser(client_for):
    page = client_for("county").get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()
    assert "村情" in page and "Villages" not in page


def test_language_switch_to_english_and_back(client_for):
    client = client_for("county")
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    assert "Villages" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "村情" in client.get("/").content.decode()


def test_static_assets_are_served_by_the_app(client):
    for path in [
        "/static/vendor/htmx.min.js",
        "/static/vendor/echarts.min.js",
        "/static/vendor/bootstrap.min.css",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path


def test_no_cdn_links_in_pages(client_for):
    page = client_for("county").get("/divisions/").content.decode()
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page
