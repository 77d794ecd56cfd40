/* 并列比较's radar (ECharts, served locally): one polygon per person over the matching score's parts, the
   data from {{ chart_data|json_script:"compare-data" }}. The tooltip is drawn on the canvas (richText): the
   HTML tooltip writes style attributes the Content-Security-Policy refuses. */
(function () {
  "use strict";

  function start() {
    var source = document.getElementById("compare-data");
    var element = document.getElementById("compare-radar");
    if (!source || !element || typeof window.echarts === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    if (!data.categories.length) {
      element.textContent = "无评分项";
      return;
    }
    var highest = 1;
    data.people.forEach(function (person) {
      person.values.forEach(function (value) { highest = Math.max(highest, value); });
    });
    var lowest = 0;
    data.people.forEach(function (person) {
      person.values.forEach(function (value) { lowest = Math.min(lowest, value); });
    });
    // On a phone the axis names need the room: a smaller web, smaller names.
    var narrow = element.clientWidth < 500;
    element.style.height = narrow ? "320px" : "360px";
    var instance = window.echarts.init(element);
    instance.setOption({
      tooltip: { trigger: "item", renderMode: "richText" },
      legend: { data: data.people.map(function (person) { return person.name; }), bottom: 0 },
      radar: {
        radius: narrow ? "45%" : "60%",
        axisName: { fontSize: narrow ? 10 : 12 },
        indicator: data.categories.map(function (name) { return { name: name, max: highest, min: lowest }; })
      },
      series: [{
        type: "radar",
        data: data.people.map(function (person) { return { name: person.name, value: person.values }; })
      }]
    });
    window.addEventListener("resize", function () { instance.resize(); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
