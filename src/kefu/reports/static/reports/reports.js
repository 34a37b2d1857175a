// Draws each report chart from the JSON in its data-chart attribute with the vendored ECharts.
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }
  document.querySelectorAll(".report-chart[data-chart]").forEach(function (node) {
    var data = JSON.parse(node.getAttribute("data-chart"));
    var chart = echarts.init(node, null, { renderer: "svg" });
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 36, bottom: 48, containLabel: true },
      xAxis: { type: "category", data: data.categories, axisLabel: { rotate: data.categories.length > 12 ? 45 : 0 } },
      yAxis: { type: "value" },
      series: data.series.map(function (s) {
        return { name: s.name, type: data.type, data: s.data, smooth: data.type === "line" };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
