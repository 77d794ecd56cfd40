"""The dashboard's charts at 1366×768 and 390×844: the half-year trend draws the flows (入库/使用/出库) on an axis of
their own next to the pool, and the 学历 donut names its levels in a legend (no outside label cut to "中…")."""

from datetime import date

import pytest
from django.utils import timezone

from tests.conftest import PASSWORD
from tests.factories import make_person
from tests.matching_support import put_in_pool

pytestmark = pytest.mark.browser

OPTIONS = """() => {
  const option = (id) => window.echarts.getInstanceByDom(document.getElementById(id)).getOption();
  const trends = option("chart-trends"), education = option("chart-education");
  const canvas = document.querySelector("#chart-education canvas").getBoundingClientRect();
  return {
    axes: trends.yAxis.map((axis) => axis.name),
    series: trends.series.map((series) => [series.name, series.type, series.yAxisIndex]),
    entered: trends.series[1].data,
    label: education.series[0].label,
    legend: education.legend.length,
    levels: education.series[0].data.map((item) => item.name),
    canvasWidth: canvas.width,
  };
}"""


@pytest.mark.parametrize("size", [(1366, 768), (390, 844)])
def test_the_trend_and_education_charts(browser, live_server, world, size):
    for index in range(3):
        put_in_pool(make_person(f"储备{index}", born=date(1988, 3, index + 1)), entered=timezone.localdate())
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "county")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.wait_for_load_state("networkidle")  # the home page's warning cards (HTMX) have arrived
    page.wait_for_function("() => window.echarts && document.querySelector('#chart-education canvas')")
    found = page.evaluate(OPTIONS)
    # The warning cards arrive after the figures, in place of their placeholder.
    page.locator('#stats-warnings [data-warning="uncovered-villages"]').wait_for()
    cards = page.locator("#stats-warnings [data-warning]").count()
    context.close()
    assert cards >= 5
    assert found["axes"] == ["在库（人）", "流动（人）"]
    assert found["series"] == [
        ["在库", "line", 0],
        ["入库", "bar", 1],
        ["使用", "bar", 1],
        ["出库", "bar", 1],
    ]
    assert found["entered"][-1] == 3  # this half-year's entries, on the flows' axis
    assert found["label"]["formatter"] == "{d}%" and found["label"]["overflow"] == "none"
    assert found["legend"] == 1
    assert found["levels"][:3] == ["研究生", "大学本科", "大学专科"]
    assert found["canvasWidth"] > 200
