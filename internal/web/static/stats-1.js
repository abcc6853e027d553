// anguan analysis pages: the period picker and the ECharts bar charts.
// The pages work without it (the picker shows every field, the tables
// carry every figure); the charts are drawn from the JSON the server
// writes into #chart-data, with animation off so a printout has them.
(function () {
  "use strict";

  function periodPicker() {
    document.querySelectorAll("select.period-kind").forEach(function (sel) {
      var form = sel.form;
      var value = form.querySelector("input[name=value]");
      function sync() {
        var custom = sel.value === "custom";
        form.querySelectorAll(".period-value").forEach(function (el) { el.hidden = custom; });
        form.querySelectorAll(".period-custom").forEach(function (el) { el.hidden = !custom; });
        var hint = value && value.getAttribute("data-hint-" + sel.value);
        if (hint) { value.placeholder = hint; }
      }
      sel.addEventListener("change", function () {
        if (value) { value.value = ""; }
        sync();
      });
      sync();
    });
  }

  function axisLabel(kind) {
    return function (v) {
      if (kind === "ratio") { return "1:" + v; }
      if (kind === "rate") { return v + "%"; }
      return String(v);
    };
  }

  function drawCharts() {
    var data = document.getElementById("chart-data");
    if (!data || typeof echarts === "undefined") { return; }
    var charts = [];
    JSON.parse(data.textContent).forEach(function (c) {
      var el = document.getElementById("chart-" + c.id);
      if (!el) { return; }
      // SVG renders crisply on paper; no animation so printing right
      // after loading shows the bars.
      var chart = echarts.init(el, null, { renderer: "svg" });
      var horizontal = c.units.length > 6 && c.kind !== "count";
      var cat = { type: "category", data: c.units,
        axisLabel: { interval: 0, color: "#1f2933", fontSize: 12, width: 96, overflow: "break" },
        axisTick: { alignWithLabel: true } };
      var val = { type: "value", axisLabel: { formatter: axisLabel(c.kind), color: "#616e7c" },
        splitLine: { lineStyle: { color: "#e5e8ec" } } };
      if (c.kind === "ratio") { val.min = 1; val.scale = true; }
      if (!horizontal && c.units.length > 4) { cat.axisLabel.rotate = 20; }
      chart.setOption({
        animation: false,
        title: c.kind === "count" ? undefined : { text: c.title, left: 0, top: 0,
          textStyle: { fontSize: 14, fontWeight: 600, color: "#1f2933" } },
        textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
        grid: { left: 8, right: 24, top: c.kind === "count" ? 16 : 40, bottom: 8, containLabel: true },
        tooltip: { trigger: "item", formatter: function (p) { return p.name + "：" + c.labels[p.dataIndex]; } },
        xAxis: horizontal ? val : cat,
        yAxis: horizontal ? Object.assign({}, cat, { inverse: true }) : val,
        series: [{
          type: "bar",
          barMaxWidth: 36,
          data: c.values.map(function (v, i) {
            return { value: v, itemStyle: { color: c.own[i] ? "#8c1c13" : "#7b93ad" } };
          }),
          label: { show: true, position: horizontal ? "right" : "top", fontSize: 11, color: "#1f2933",
            formatter: function (p) { return c.labels[p.dataIndex]; } }
        }]
      });
      charts.push(chart);
    });
    function resize() { charts.forEach(function (ch) { ch.resize(); }); }
    window.addEventListener("resize", resize);
    window.addEventListener("beforeprint", resize);
    window.addEventListener("afterprint", resize);
  }

  function start() {
    periodPicker();
    drawCharts();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
