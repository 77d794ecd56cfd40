/* The dashboard's charts (ECharts, served locally). The data comes from the page itself:
   {{ chart_data|json_script:"stats-data" }}; a click on a bar or slice opens the list behind it where the data
   carries its link. No inline handlers: everything is attached here. */
(function () {
  "use strict";

  function start() {
    var source = document.getElementById("stats-data");
    if (!source || typeof window.echarts === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var charts = [];

    function chart(id, option, links) {
      var element = document.getElementById(id);
      if (!element) {
        return;
      }
      element.style.height = "300px";
      // The tooltip is drawn on the canvas (richText): ECharts' HTML tooltip writes style="…" attributes, which
      // the Content-Security-Policy refuses (docs/security.md, "Security headers").
      if (option.tooltip) {
        option.tooltip.renderMode = "richText";
      }
      var instance = window.echarts.init(element);
      instance.setOption(option);
      if (links) {
        instance.on("click", function (params) {
          var link = links[params.dataIndex];
          if (link) {
            window.location.href = link;
          }
        });
      }
      charts.push(instance);
    }

    var pyramid = data.pyramid;
    chart("chart-pyramid", {
      tooltip: {
        trigger: "axis",
        axisPointer: { type: "shadow" },
        valueFormatter: function (value) { return Math.abs(value); }
      },
      legend: { data: ["男", "女"], top: 0 },
      grid: { left: 80, right: 20, top: 36, bottom: 30 },
      xAxis: { type: "value", axisLabel: { formatter: function (value) { return Math.abs(value); } } },
      yAxis: { type: "category", data: pyramid.labels, axisTick: { show: false } },
      series: [
        { name: "男", type: "bar", stack: "age", data: pyramid.male.map(function (n) { return -n; }), itemStyle: { color: "#3b6fb6" } },
        { name: "女", type: "bar", stack: "age", data: pyramid.female, itemStyle: { color: "#c0504d" } }
      ]
    });

    // The level names go in the legend under the donut and the slices carry only their share: an outside
    // label with the name does not fit a quarter-width card at 1366 px (ECharts cut it to "中…").
    chart("chart-education", {
      tooltip: { trigger: "item", formatter: "{b}：{c} 人（{d}%）" },
      legend: { bottom: 0, left: "center", itemWidth: 10, itemHeight: 10, itemGap: 8, textStyle: { fontSize: 12 } },
      series: [{
        type: "pie",
        radius: ["28%", "52%"],
        center: ["50%", "40%"],
        label: { formatter: "{d}%", overflow: "none", fontSize: 11 },
        labelLine: { length: 6, length2: 6 },
        data: data.education.labels.map(function (label, index) {
          var value = data.education.values[index];
          // An empty level stays in the legend but gets no "0%" crowding its neighbours' labels.
          return value ? { name: label, value: value } : { name: label, value: 0, label: { show: false }, labelLine: { show: false } };
        })
      }]
    });

    chart("chart-sources", {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 130, right: 20, top: 10, bottom: 30 },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: data.sources.labels, inverse: true },
      series: [{ type: "bar", data: data.sources.values, itemStyle: { color: "#9b1c1c" } }]
    }, data.sources.links);

    chart("chart-coverage", {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { data: ["覆盖率 %", "后备力量"], top: 0 },
      grid: { left: 50, right: 50, top: 48, bottom: 80 },
      xAxis: { type: "category", data: data.coverage.labels, axisLabel: { rotate: 40, interval: 0 } },
      yAxis: [
        { type: "value", max: 100, name: "%" },
        { type: "value", minInterval: 1 }
      ],
      series: [
        { name: "覆盖率 %", type: "bar", data: data.coverage.pct, itemStyle: { color: "#2e7d32" } },
        { name: "后备力量", type: "line", yAxisIndex: 1, data: data.coverage.reserves }
      ]
    }, data.coverage.links);

    // The pool (a few hundred) and the half-year's flows (a handful) on their own axes: on one axis the
    // flows were drawn flat at 0.
    var trends = data.trends;
    chart("chart-trends", {
      tooltip: { trigger: "axis" },
      legend: { data: ["在库", "入库", "使用", "出库"], top: 0 },
      grid: { left: 50, right: 50, top: 48, bottom: 30 },
      xAxis: { type: "category", data: trends.labels },
      yAxis: [
        { type: "value", name: "在库（人）", minInterval: 1, scale: true },
        { type: "value", name: "流动（人）", minInterval: 1, position: "right", splitLine: { show: false } }
      ],
      series: [
        { name: "在库", type: "line", yAxisIndex: 0, data: trends.pool, itemStyle: { color: "#9b1c1c" } },
        { name: "入库", type: "bar", yAxisIndex: 1, data: trends.entered, itemStyle: { color: "#2e7d32" } },
        { name: "使用", type: "bar", yAxisIndex: 1, data: trends.promoted, itemStyle: { color: "#3b6fb6" } },
        { name: "出库", type: "bar", yAxisIndex: 1, data: trends.removed, itemStyle: { color: "#a0a0a0" } }
      ]
    });

    window.addEventListener("resize", function () {
      charts.forEach(function (instance) { instance.resize(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
