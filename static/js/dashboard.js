/* OpenCEM dashboard: draws the charts from #dashboard-data (ECharts, served locally) and sends
   a click on a point, bar, topic or word to the feedback explorer with the matching filters. */
(function () {
  "use strict";
  var node = document.getElementById("dashboard-data");
  if (!node || !window.echarts) { return; }
  var data = JSON.parse(node.textContent), L = data.labels, charts = [];
  var font = getComputedStyle(document.body).fontFamily;
  var colors = { brand: "#1f6feb", good: "#1a9b5b", bad: "#d64545", muted: "#98a2ad" };

  function drill(query) {
    if (data.explorer && query) { window.location.href = data.explorer + "?" + query; }
  }

  function make(id, option, rows) {
    var el = document.getElementById("chart-" + id);
    if (!el) { return; }
    var chart = echarts.init(el, null, { renderer: "canvas" });
    option.textStyle = { fontFamily: font };
    option.animation = false;
    chart.setOption(option);
    chart.on("click", function (params) {
      var row = rows[params.dataIndex];
      if (row) { drill(row.drill); }
    });
    if (data.explorer) { chart.getZr().setCursorStyle("pointer"); }
    el.dataset.ready = "1";
    charts.push(chart);
  }

  var grid = { left: 48, right: 48, top: 36, bottom: 30, containLabel: true };
  var trend = data.trend.points;
  make("trend", {
    tooltip: { trigger: "axis" }, legend: { data: [L.nps, L.sentiment, L.volume], bottom: 0 },
    grid: { left: 48, right: 48, top: 30, bottom: 36, containLabel: true },
    xAxis: { type: "category", data: trend.map(function (p) { return p.period; }) },
    yAxis: [{ type: "value", name: "NPS", min: -100, max: 100 },
            { type: "value", name: L.sentiment, min: -1, max: 1, splitLine: { show: false } },
            { type: "value", show: false }],
    series: [
      { name: L.nps, type: "line", connectNulls: true, data: trend.map(function (p) { return p.nps; }),
        itemStyle: { color: colors.brand }, symbolSize: 7 },
      { name: L.sentiment, type: "line", yAxisIndex: 1, connectNulls: true, symbolSize: 7,
        data: trend.map(function (p) { return p.sentiment; }), itemStyle: { color: colors.good } },
      { name: L.volume, type: "bar", yAxisIndex: 2, barMaxWidth: 14,
        data: trend.map(function (p) { return p.volume; }), itemStyle: { color: "#dde6f3" } }
    ]
  }, trend);

  function bars(id, rows, horizontal) {
    var category = { type: "category", data: rows.map(function (r) { return r.label; }),
                     inverse: horizontal, axisLabel: { interval: 0, width: 96, overflow: "truncate" } };
    var value = { type: "value", min: -100, max: 100 };
    make(id, {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, formatter: function (items) {
        var row = rows[items[0].dataIndex];
        return row.label + "<br>" + L.nps + ": " + (row.nps === null ? "—" : row.nps) +
          "<br>" + L.responses + ": " + row.responses + "<br>" + L.volume + ": " + row.volume;
      } },
      grid: { left: 12, right: 28, top: 16, bottom: 8, containLabel: true },
      xAxis: horizontal ? value : category, yAxis: horizontal ? category : value,
      series: [{ name: L.nps, type: "bar", barMaxWidth: 28,
        label: { show: true, position: horizontal ? "right" : "top", fontSize: 11, color: "#6b7785",
                 formatter: function (p) { return "n=" + rows[p.dataIndex].volume; } },
        data: rows.map(function (r) {
          return { value: r.nps === null ? 0 : r.nps, itemStyle: { color: r.nps === null ? colors.muted
                   : r.nps < 0 ? colors.bad : colors.brand } };
        }) }]
    }, rows);
  }
  bars("channels", data.channels, false);
  bars("touchpoints", data.touchpoints, true);

  make("drivers", {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } }, grid: grid,
    xAxis: { type: "value" },
    yAxis: { type: "category", inverse: true, data: data.drivers.map(function (d) { return d.topic; }) },
    series: [{ name: L.impact, type: "bar", barMaxWidth: 22, data: data.drivers.map(function (d) {
      return { value: d.impact, itemStyle: { color: d.impact < 0 ? colors.bad : colors.good } };
    }) }]
  }, data.drivers);

  if (data.words.length) {
    var top = Math.max.apply(null, data.words.map(function (w) { return w.value; })) || 1;
    make("words", {
      tooltip: {},
      series: [{ type: "wordCloud", shape: "circle", gridSize: 6, sizeRange: [13, 42],
        rotationRange: [0, 0], layoutAnimation: false, width: "100%", height: "100%",
        textStyle: { fontFamily: font, color: function (p) {
          return p.value / top > 0.6 ? colors.brand : p.value / top > 0.3 ? "#3d7bd9" : "#6b7785";
        } },
        data: data.words.map(function (w) { return { name: w.name, value: w.value }; }) }]
    }, data.words);
  }

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  document.body.dataset.chartsReady = String(charts.length);

  var form = document.getElementById("dashboard-filters");
  if (form) {
    var period = form.elements.period, custom = form.querySelectorAll(".custom-dates");
    var show = function () {
      var on = period.value === "custom" || form.elements.from.value || form.elements.to.value;
      custom.forEach(function (el) { el.hidden = !on; });
    };
    period.addEventListener("change", function () {
      if (period.value !== "custom") { form.elements.from.value = ""; form.elements.to.value = ""; }
      show();
    });
    show();
  }
})();
