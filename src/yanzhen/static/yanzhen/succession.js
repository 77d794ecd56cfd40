/* The risk map of the succession pages: the villages at their coordinates (no map tiles: intranets have none),
   coloured by the highest risk of their secretary or chair and large where the impact is high. The data comes
   from the page's json_script "risk-data"; no inline script. */
(function () {
  "use strict";

  var COLOURS = { high: "#dc3545", medium: "#fd7e14", low: "#6c757d" };

  function start() {
    var source = document.getElementById("risk-data");
    var element = document.getElementById("risk-chart");
    if (!source || !element || typeof window.echarts === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    element.style.height = "360px";
    var series = ["high", "medium", "low"].map(function (level) {
      return {
        name: data.levels[level] + "风险",
        type: "scatter",
        itemStyle: { color: COLOURS[level] },
        symbolSize: function (value, params) {
          return params.data.impact === "high" ? 22 : 11;
        },
        data: data.points.filter(function (point) {
          return point.risk === level;
        })
      };
    });
    var chart = window.echarts.init(element);
    chart.setOption({
      tooltip: {
        renderMode: "richText",
        formatter: function (params) {
          return params.data.name + "\n" + params.data.people.join("\n");
        }
      },
      legend: { top: 0 },
      grid: { left: 50, right: 20, top: 36, bottom: 36 },
      xAxis: { type: "value", scale: true, name: "经度", nameLocation: "middle", nameGap: 24 },
      yAxis: { type: "value", scale: true, name: "纬度" },
      series: series
    });
    window.addEventListener("resize", function () {
      chart.resize();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
