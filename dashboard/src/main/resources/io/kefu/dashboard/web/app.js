// kefu live dashboard: the operations view over /api/*. No network access besides this server.
"use strict";
(function () {
  var zone = "Asia/Shanghai";
  var charts = {};
  var timer = null;
  var $ = function (id) { return document.getElementById(id); };

  function pct(v) { return v == null ? "–" : (100 * v).toFixed(1) + " %"; }
  function num(v, d) { return v == null ? "–" : Number(v).toLocaleString("en-US", { maximumFractionDigits: d || 0 }); }
  function fmtTime(iso) {
    return new Intl.DateTimeFormat("en-GB", { timeZone: zone, month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hour12: false }).format(new Date(iso));
  }
  // yyyy-MM-ddTHH:mm of an instant on the wall clock of the zone (for datetime-local inputs).
  function wallClock(iso) {
    var p = {};
    new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hour12: false }).formatToParts(new Date(iso))
      .forEach(function (x) { p[x.type] = x.value; });
    return p.year + "-" + p.month + "-" + p.day + "T" + (p.hour === "24" ? "00" : p.hour) + ":" + p.minute;
  }

  function params(withChannel) {
    var q = new URLSearchParams();
    q.set("window", $("window").value);
    if ($("from").value) { q.set("from", $("from").value); }
    if ($("to").value) { q.set("to", $("to").value); }
    if (withChannel && $("channel").value !== "all") { q.set("channel", $("channel").value); }
    return q.toString();
  }

  // fetch JSON; a non-2xx answer becomes an Error carrying the server's message
  function get(path) {
    return fetch(path, { cache: "no-store" }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        if (!r.ok) {
          var e = new Error(body.error || ("HTTP " + r.status));
          e.status = r.status;
          throw e;
        }
        return body;
      });
    }, function () { throw new Error("cannot reach the dashboard server (is kefu dashboard running?)"); });
  }

  function banner(text, kind, action) {
    var b = $("banner");
    b.textContent = text || "";
    b.className = "banner" + (kind === "info" ? " info" : "") + (text ? "" : " hidden");
    if (action) {
      var a = document.createElement("button");
      a.type = "button";
      a.textContent = action.label;
      a.style.marginLeft = "12px";
      a.onclick = action.run;
      b.appendChild(a);
    }
  }

  function chart(id) {
    if (!charts[id]) { charts[id] = echarts.init($(id)); }
    return charts[id];
  }

  // show the chart, or hide it and say why in its panel
  function emptyState(id, message) {
    var el = $(id);
    var p = el.parentNode.querySelector(".empty");
    if (message) {
      el.classList.add("hidden");
      p.textContent = message;
      p.classList.remove("hidden");
    } else {
      el.classList.remove("hidden");
      p.classList.add("hidden");
      if (charts[id]) { charts[id].resize(); }
    }
  }

  function points(rows, key) {
    return rows.map(function (r) {
      return { value: [r.window_start, r[key]], symbol: r.is_final ? "circle" : "emptyCircle",
        symbolSize: r.is_final ? 4 : 9 };
    });
  }

  function line(name, rows, key, axis) {
    return { name: name, type: "line", yAxisIndex: axis || 0, showSymbol: true, connectNulls: false,
      data: points(rows, key) };
  }

  // the range asked for, so "today so far" shows how far into the day it is
  function timeAxis(from, to) {
    var oneDay = new Date(to) - new Date(from) <= 86400000;
    return { type: "time", min: from, max: to, axisLabel: { hideOverlap: true, formatter: function (v) {
      var s = fmtTime(new Date(v).toISOString());
      return oneDay ? s.substring(s.length - 5) : s;
    } } };
  }

  function tiles(t) {
    var items = [
      ["Offered legs", num(t.offered)], ["Connect rate", pct(t.connect_rate)],
      ["Service level (20 s)", pct(t.service_level)], ["ASA", t.asa_seconds == null ? "–" : num(t.asa_seconds, 1) + " s"],
      ["Abandon rate", pct(t.abandon_rate)], ["Bot containment", pct(t.bot_containment_rate)],
      ["Closed", num(t.closed)], ["CSAT", num(t.csat_mean, 2)], ["Open (provisional) windows", num(t.provisional_rows)]];
    $("tiles").innerHTML = "";
    items.forEach(function (it) {
      var d = document.createElement("div");
      d.className = "tile";
      d.innerHTML = '<div class="v"></div><div class="k"></div>';
      d.querySelector(".v").textContent = it[1];
      d.querySelector(".k").textContent = it[0];
      $("tiles").appendChild(d);
    });
  }

  function drawKpis(k, health) {
    tiles(k.totals);
    var range = fmtTime(k.from) + " – " + fmtTime(k.to) + (k.channel ? " on " + k.channel : "");
    if (k.rows.length === 0) {
      var msg = "No KPI rows for " + range + ".";
      ["chart-rates", "chart-asa", "chart-funnel"].forEach(function (id) { emptyState(id, msg); });
      if (health && health.newest_window_start) {
        banner("No KPI rows in this range. The newest window in the database starts " +
          fmtTime(health.newest_window_start) + ".", "info", { label: "Show that day", run: function () {
            var day = wallClock(health.newest_window_start).substring(0, 10);
            $("from").value = day + "T00:00";
            $("to").value = "";
            refresh();
          } });
      } else if (health) {
        banner("The KPI tables are empty: run the KPI job into this database (bin/kefu kpis … --out jdbc:… or kefu stream).", "info");
      }
      return;
    }
    ["chart-rates", "chart-asa", "chart-funnel"].forEach(function (id) { emptyState(id, null); });
    chart("chart-rates").setOption({
      tooltip: { trigger: "axis", valueFormatter: pct }, legend: {}, xAxis: timeAxis(k.from, k.to),
      yAxis: { type: "value", min: 0, max: 1, axisLabel: { formatter: function (v) { return (100 * v) + "%"; } } },
      series: [line("Connect rate", k.rows, "connect_rate"), line("Service level", k.rows, "service_level")]
    }, true);
    chart("chart-asa").setOption({
      tooltip: { trigger: "axis" }, legend: {}, xAxis: timeAxis(k.from, k.to),
      yAxis: [{ type: "value", name: "ASA (s)" }, { type: "value", name: "abandon", min: 0,
        axisLabel: { formatter: function (v) { return (100 * v).toFixed(0) + "%"; } } }],
      series: [line("ASA (s)", k.rows, "asa_seconds", 0), line("Abandon rate", k.rows, "abandon_rate", 1)]
    }, true);
    var t = k.totals;
    chart("chart-funnel").setOption({
      tooltip: { trigger: "item" },
      series: [{ type: "funnel", sort: "none", left: "10%", width: "80%", label: { formatter: "{b}: {c}" },
        data: [{ name: "Closed", value: t.closed || 0 }, { name: "Handed off to a human", value: t.handed_off || 0 },
          { name: "Reached an expert", value: t.reached_expert || 0 }] }],
      title: { text: "Bot containment " + pct(t.bot_containment_rate) + " · transfer " + pct(t.transfer_rate),
        left: "center", bottom: 0, textStyle: { fontSize: 12, fontWeight: "normal" } }
    }, true);
  }

  function drawVolume(v) {
    var wanted = $("channel").value;
    var byChannel = {};
    v.rows.forEach(function (r) {
      if (wanted !== "all" && r.channel !== wanted) { return; }
      (byChannel[r.channel] = byChannel[r.channel] || []).push([r.window_start, r.offered]);
    });
    var names = Object.keys(byChannel).sort();
    if (names.length === 0) { emptyState("chart-volume", "No queue volume for this range."); return; }
    emptyState("chart-volume", null);
    chart("chart-volume").setOption({
      tooltip: { trigger: "axis" }, legend: { type: "scroll" }, xAxis: timeAxis(v.from, v.to), yAxis: { type: "value", name: "legs" },
      series: names.map(function (n) { return { name: n, type: "bar", stack: "volume", barMaxWidth: 24, data: byChannel[n] }; })
    }, true);
  }

  function drawAlerts(a) {
    var list = $("alerts");
    var empty = list.parentNode.querySelector(".empty");
    list.innerHTML = "";
    if (a.alerts.length === 0) {
      empty.textContent = "No anger alerts since " + fmtTime(a.since) + (a.channel ? " on " + a.channel : "") + ".";
      empty.classList.remove("hidden");
      return;
    }
    empty.classList.add("hidden");
    a.alerts.forEach(function (x) {
      var li = document.createElement("li");
      li.innerHTML = '<span class="anger"></span> <span class="when"></span> · <span class="where"></span> · ' +
        '<code class="conv"></code><div class="text"></div>';
      li.querySelector(".anger").textContent = "anger " + (x.anger == null ? "?" : x.anger.toFixed(2));
      li.querySelector(".when").textContent = fmtTime(x.event_time);
      li.querySelector(".where").textContent = (x.channel || "?") + " / " + (x.queue || "bot");
      li.querySelector(".conv").textContent = x.conversation_id;
      li.querySelector(".text").textContent = x.text || "";
      list.appendChild(li);
    });
  }

  function failAll(e) {
    banner(e.message + (e.status === 503 ? " — retrying every 10 s while auto-refresh is on." : ""));
    ["chart-rates", "chart-asa", "chart-volume", "chart-funnel"].forEach(function (id) {
      emptyState(id, "No data: " + e.message);
    });
  }

  function refresh() {
    return get("api/health").then(function (health) {
      zone = health.zone || zone;
      $("zone").textContent = zone;
      $("freshness").textContent = health.freshness_seconds == null ? "" :
        "· newest row emitted " + fmtTime(health.newest_emission) + " (" + num(health.freshness_seconds) + " s ago)";
      banner("");
      var channel = $("channel").value !== "all" ? "&channel=" + $("channel").value : "";
      return Promise.all([get("api/kpis?" + params(true)), get("api/channels?" + params(false))])
        .then(function (r) {
          // the alerts of the same range as the charts
          return get("api/alerts?since=" + encodeURIComponent(r[0].from) + "&until=" +
            encodeURIComponent(r[0].to) + "&limit=50" + channel).then(function (a) {
            drawKpis(r[0], health);
            drawVolume(r[1]);
            drawAlerts(a);
            document.body.setAttribute("data-loaded", "true");
          });
        });
    }).catch(failAll);
  }

  function schedule() {
    if (timer) { clearInterval(timer); timer = null; }
    if ($("auto").checked) { timer = setInterval(refresh, 10000); }
  }

  $("filters").addEventListener("change", function (e) {
    if (e.target.id === "auto") { schedule(); } else { refresh(); }
  });
  $("today").addEventListener("click", function () { $("from").value = ""; $("to").value = ""; refresh(); });
  window.addEventListener("resize", function () { Object.keys(charts).forEach(function (k) { charts[k].resize(); }); });
  // filters may come in the address: ?window=1h&from=2026-11-23&to=…&channel=WEB
  (function initialFilters() {
    var q = new URLSearchParams(window.location.search);
    if (q.get("window")) { $("window").value = q.get("window"); }
    ["from", "to"].forEach(function (k) {
      var v = q.get(k);
      if (v) { $(k).value = v.length === 10 ? v + (k === "to" ? "T23:59" : "T00:00") : v.substring(0, 16); }
    });
    if (q.get("channel")) { $("channel").value = q.get("channel").toUpperCase(); }
  })();
  if (typeof echarts === "undefined") {
    banner("The chart library did not load (assets/echarts.min.js).");
  } else {
    refresh();
    schedule();
  }
})();
