/* The villages compared: a bar chart of the composite score (ECharts, served locally). The data comes from
   the page: {{ chart|json_script:"compare-data" }}. No inline handlers. */
(function () {
  "use strict";

  function start() {
    var source = document.getElementById("compare-data");
    var element = document.getElementById("chart-compare");
    if (!source || !element || typeof window.echarts === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    if (!data.names.length) {
      return;
    }
    element.style.height = Math.max(240, data.names.length * 22 + 40) + "px";
    var chart = window.echarts.init(element);
    chart.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, renderMode: "richText" },
      grid: { left: 110, right: 30, top: 10, bottom: 24 },
      xAxis: { type: "value", max: 100 },
      yAxis: { type: "category", inverse: true, data: data.names, axisTick: { show: false } },
      series: [{ name: "综合得分", type: "bar", data: data.values, itemStyle: { color: "#b5262b" }, label: { show: true, position: "right" } }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
