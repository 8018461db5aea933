/* Statistics dashboards: draw the ECharts charts of the page from its JSON script element
   (#dashboard-data, written by the server), so no inline script is needed. Staff pages may draw a
   map from the vendored GeoJSON (same origin); clicking a map area, a ranking bar or a table row
   opens the child region's dashboard. The public page uses the "public_bar" chart only. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var rows = data.rows || [];
  var charts = [];
  var GREEN = "#198754";
  var PALETTE = ["#198754", "#20c997", "#ffc107", "#dc3545", "#0d6efd", "#6f42c1"];
  var FONT = "\"Noto Sans CJK SC\", \"Noto Sans SC\", \"Microsoft YaHei\", \"PingFang SC\", sans-serif";

  function number(value) {
    return value === null || value === undefined || value === "" ? null : Number(value);
  }

  function drill(name) {
    for (var i = 0; i < rows.length; i++) {
      if ((rows[i].name === name || rows[i].map_name === name) && rows[i].url) {
        window.location.href = rows[i].url;
        return;
      }
    }
  }

  function make(element, option, onClick) {
    var chart = echarts.init(element, null, { renderer: "canvas" });
    option.textStyle = { fontFamily: FONT };
    option.color = option.color || PALETTE;
    chart.setOption(option);
    if (onClick) { chart.on("click", onClick); }
    charts.push(chart);
    return chart;
  }

  function sorted(key) {
    return rows.slice().sort(function (a, b) {
      var x = number(a[key]), y = number(b[key]);
      if (x === null && y === null) { return a.code < b.code ? -1 : 1; }
      if (x === null) { return 1; }
      if (y === null) { return -1; }
      return y - x || (a.code < b.code ? -1 : 1);
    });
  }

  function empty(text) {
    return { text: text, left: "center", top: "middle", textStyle: { fontSize: 14, color: "#6c757d", fontWeight: "normal" } };
  }

  /* The ten best regions with a figure (the full list is in the table and its Excel export). */
  function ranking(element, key, title, suffix) {
    var list = sorted(key).filter(function (r) { return number(r[key]) !== null && (suffix === "%" || number(r[key]) > 0); })
      .slice(0, 10).reverse();
    make(element, {
      title: list.length ? null : empty("暂无数据"),
      grid: { left: 8, right: 40, top: 10, bottom: 10, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", name: suffix, max: suffix === "%" ? 100 : null },
      yAxis: { type: "category", data: list.map(function (r) { return r.name; }), axisLabel: { interval: 0 } },
      series: [{ name: title, type: "bar", data: list.map(function (r) { return number(r[key]); }),
                 itemStyle: { color: GREEN }, label: { show: true, position: "right" } }]
    }, function (params) { drill(params.name); });
  }

  var builders = {
    map: function (element) {
      var map = data.map;
      fetch(map.url, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error("map " + response.status); }
          return response.json();
        })
        .then(function (geoJson) {
          echarts.registerMap(map.name, geoJson);
          var values = rows.map(function (r) { return { name: r.map_name || r.name, value: r.valid }; });
          var max = Math.max.apply(null, values.map(function (v) { return v.value; }).concat([1]));
          make(element, {
            tooltip: { trigger: "item", formatter: function (p) {
              return p.name + "：" + (p.value === undefined || isNaN(p.value) ? 0 : p.value) + " 个有效产品";
            } },
            visualMap: { min: 0, max: max, left: 10, bottom: 10, text: ["多", "少"], calculable: true,
                         inRange: { color: ["#e9f5ee", "#7cc49a", "#146c43"] } },
            series: [{ name: "有效产品数", type: "map", map: map.name, roam: true, data: values,
                       label: { show: map.name !== "china", fontSize: 10 },
                       emphasis: { label: { show: true } } }]
          }, function (params) { drill(params.name); });
        })
        .catch(function () {
          element.textContent = "地图数据加载失败，请查看下方表格。";
          element.classList.add("text-secondary", "small");
          element.style.height = "auto";
        });
    },
    rank_valid_map: function (element) { ranking(element, "valid", "有效产品数", "个"); },
    rank_valid: function (element) { ranking(element, "valid", "有效产品数", "个"); },
    rank_pass: function (element) { ranking(element, "sampling_pass_rate", "抽检合格率", "%"); },
    trend: function (element) {
      var trend = data.trend || [];
      make(element, {
        grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        xAxis: { type: "category", data: trend.map(function (t) { return t.month + "月"; }) },
        yAxis: { type: "value", minInterval: 1 },
        series: [
          { name: "新获证", type: "line", data: trend.map(function (t) { return t.new; }) },
          { name: "续展", type: "line", data: trend.map(function (t) { return t.renewed; }) }
        ]
      });
    },
    grades: function (element) {
      var grades = (data.total && data.total.grades) || {};
      var labels = { A: "守信", B: "基本守信", C: "失信风险", D: "严重失信" };
      var items = ["A", "B", "C", "D"].map(function (g) { return { name: g + " 级", value: grades[g] || 0, hint: labels[g] }; });
      var none = items.every(function (i) { return !i.value; });
      make(element, {
        color: ["#198754", "#0dcaf0", "#ffc107", "#dc3545"],
        title: none ? empty("暂无信用等级数据") : null,
        tooltip: { trigger: "item", formatter: function (p) {
          return p.name + "（" + p.data.hint + "）：" + p.value + "（" + p.percent + "%）";
        } },
        legend: { bottom: 0, formatter: function (name) {
          var g = name.charAt(0);
          return name + "（" + labels[g] + "）";
        } },
        series: [{ name: "信用等级", type: "pie", radius: ["30%", "58%"], center: ["50%", "46%"], data: none ? [] : items,
                   label: { formatter: "{b}\n{c}" } }]
      });
    },
    targets: function (element) {
      var list = data.targets || [];
      make(element, {
        grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        xAxis: { type: "category", data: list.map(function (t) { return t.name; }), axisLabel: { interval: 0, rotate: 30 } },
        yAxis: { type: "value" },
        series: [
          { name: "目标", type: "bar", data: list.map(function (t) { return number(t.target); }), itemStyle: { color: "#adb5bd" } },
          { name: "有效产品", type: "bar", data: list.map(function (t) { return number(t.actual); }), itemStyle: { color: GREEN } }
        ]
      }, function (params) { drill(params.name); });
    },
    public_bar: function (element) {
      var list = data.schemes || [];
      make(element, {
        grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        xAxis: { type: "category", data: list.map(function (s) { return s.label; }), axisLabel: { interval: 0 } },
        yAxis: { type: "value", name: "个产品", minInterval: 1 },
        series: [{ name: "有效产品数", type: "bar", data: list.map(function (s) { return s.valid; }),
                   itemStyle: { color: GREEN }, label: { show: true, position: "top" } }]
      });
    }
  };

  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var build = builders[element.getAttribute("data-chart")];
    if (build) { build(element); }
  });

  document.querySelectorAll("tr[data-href]").forEach(function (row) {
    row.style.cursor = "pointer";
    row.addEventListener("click", function (event) {
      if (event.target.closest("a")) { return; }
      window.location.href = row.getAttribute("data-href");
    });
  });

  document.querySelectorAll("[data-submit-on-change]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
}());
