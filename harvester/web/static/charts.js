// Draws each [data-chart] element of the agency page with the vendored ECharts (SVG renderer,
// so the drawn points are elements a test and a screen reader can find). The data comes from
// the element's data-chart attribute, written by the server; no inline script is needed.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var chart = JSON.parse(element.getAttribute("data-chart"));
    var instance = echarts.init(element, null, { renderer: "svg" });
    instance.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 28 },
      xAxis: { type: "category", data: chart.years.map(String) },
      yAxis: { type: "value", minInterval: 1 },
      series: chart.series.map(function (line) {
        return { name: line.name, type: "line", data: line.values, symbol: "circle", symbolSize: 8,
                 showAllSymbol: true, connectNulls: false };
      })
    });
    element.setAttribute("data-drawn", "true");
  });
});
