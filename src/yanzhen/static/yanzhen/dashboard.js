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

    chart("chart-education", {
      tooltip: { trigger: "item" },
      series: [{
        type: "pie",
        radius: ["35%", "65%"],
        data: data.education.labels.map(function (label, index) {
          return { name: label, value: data.education.values[index] };
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

    var trends = data.trends;
    chart("chart-trends", {
      tooltip: { trigger: "axis" },
      legend: { data: ["在库", "入库", "使用", "出库"], top: 0 },
      grid: { left: 50, right: 20, top: 36, bottom: 30 },
      xAxis: { type: "category", data: trends.labels },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: "在库", type: "line", data: trends.pool, itemStyle: { color: "#9b1c1c" } },
        { name: "入库", type: "bar", data: trends.entered },
        { name: "使用", type: "bar", data: trends.promoted },
        { name: "出库", type: "bar", data: trends.removed }
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
