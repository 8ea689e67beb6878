/* OpenCEM journey map: draws the emotion curve from #journey-map-data (ECharts, served
   locally), marks the peak, the lowest point and the end, and opens a touchpoint's feedback
   in the explorer on click. */
(function () {
  "use strict";
  var node = document.getElementById("journey-map-data");
  var el = document.getElementById("emotion-curve");
  if (!node || !el || !window.echarts) { return; }
  var data = JSON.parse(node.textContent), L = data.labels, points = data.points;
  var colors = { peak: "#1a9b5b", low: "#d64545", end: "#1f6feb" };
  var marks = [];
  points.forEach(function (p, i) {
    if (!p.moments.length) { return; }
    // NOTE: one pin per touchpoint, e.g. "至暗点 · 终点" when the low is also the end.
    marks.push({ name: p.name, coord: [i, p.sentiment],
                 value: p.moments.map(function (m) { return L[m]; }).join(" · "),
                 itemStyle: { color: colors[p.moments[0]] } });
  });
  var chart = echarts.init(el, null, { renderer: "canvas" });
  chart.setOption({
    animation: false,
    textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
    tooltip: { trigger: "axis", formatter: function (items) {
      var p = points[items[0].dataIndex];
      return p.name + "<br>" + L.sentiment + ": " + (p.sentiment === null ? "—" : p.sentiment) +
        "<br>NPS: " + (p.nps === null ? "—" : p.nps) + "<br>" + L.volume + ": " + p.volume;
    } },
    legend: { data: [L.sentiment, L.volume], bottom: 0 },
    grid: { left: 40, right: 40, top: 40, bottom: 40, containLabel: true },
    xAxis: { type: "category", data: points.map(function (p) { return p.name; }),
             axisLabel: { interval: 0, rotate: points.length > 8 ? 30 : 0 } },
    yAxis: [{ type: "value", name: L.sentiment, min: -1, max: 1 },
            { type: "value", name: L.volume, splitLine: { show: false } }],
    series: [
      { name: L.sentiment, type: "line", smooth: true, connectNulls: true, symbolSize: 10,
        data: points.map(function (p) { return p.sentiment; }), itemStyle: { color: "#1f6feb" },
        areaStyle: { opacity: 0.08 },
        markPoint: { symbol: "pin", symbolSize: 50, data: marks,
                     label: { fontSize: 10, position: "top", color: "#333" } },
        markLine: { silent: true, symbol: "none", data: [{ yAxis: 0 }],
                    lineStyle: { color: "#98a2ad", type: "dashed" } } },
      { name: L.volume, type: "bar", yAxisIndex: 1, barMaxWidth: 18,
        data: points.map(function (p) { return p.volume; }), itemStyle: { color: "#dde6f3" } }
    ]
  });
  chart.on("click", function (params) {
    var p = points[params.dataIndex];
    if (p && p.explorer) { window.location.href = p.explorer; }
  });
  chart.getZr().setCursorStyle("pointer");
  window.addEventListener("resize", function () { chart.resize(); });
  el.dataset.ready = "1";
})();
