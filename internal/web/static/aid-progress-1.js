// anguan paired assistance: the goals' trend charts (ECharts line charts,
// one per goal, one line per aided unit), drawn from the JSON the server
// writes into #chart-data. The page works without it: the tables carry
// every figure. SVG and no animation, so a printout has the lines.
(function () {
  "use strict";
  var colours = ["#8c1c13", "#2f5d8a", "#5b7f3a", "#a66a00"];

  function draw() {
    var data = document.getElementById("chart-data");
    if (!data || typeof echarts === "undefined") { return; }
    var charts = [];
    JSON.parse(data.textContent).forEach(function (c) {
      var el = document.getElementById("chart-" + c.id);
      if (!el) { return; }
      var chart = echarts.init(el, null, { renderer: "svg" });
      chart.setOption({
        animation: false,
        color: colours,
        title: { text: c.title, left: 0, top: 0, textStyle: { fontSize: 14, fontWeight: 600, color: "#1f2933" } },
        textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
        legend: { top: 22, left: 0, textStyle: { color: "#1f2933" } },
        grid: { left: 8, right: 24, top: 60, bottom: 8, containLabel: true },
        tooltip: { trigger: "axis" },
        xAxis: { type: "category", data: c.labels, axisLabel: { color: "#1f2933", fontSize: 12 } },
        yAxis: { type: "value", min: 0, max: Math.max(c.max, 1), minInterval: 1,
          axisLabel: { color: "#616e7c" }, splitLine: { lineStyle: { color: "#e5e8ec" } } },
        series: c.series.map(function (s, i) {
          return { type: "line", name: s.name, data: s.values, symbolSize: 8,
            // Patterned lines tell the units apart on a black-and-white printout.
            lineStyle: { width: 2, type: ["solid", "dashed", "dotted"][i % 3] },
            label: { show: true, position: "top", fontSize: 11, color: "#1f2933" } };
        })
      });
      charts.push(chart);
    });
    function resize() { charts.forEach(function (ch) { ch.resize(); }); }
    window.addEventListener("resize", resize);
    window.addEventListener("beforeprint", resize);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
