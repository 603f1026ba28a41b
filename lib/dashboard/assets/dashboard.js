// fast-intercom-mcp monitor page: reads the state stream (Server-Sent Events over fetch, so a
// bearer key can be sent) and renders it. No framework; uPlot (bundled) draws the charts.
"use strict";
(() => {
  const KEY = "fast-intercom-monitor-key";
  const HISTORY_SECONDS = 3600;
  const $ = (id) => document.getElementById(id);
  const fmt = new Intl.NumberFormat("en-US");
  const num = (n) => (n === null || n === undefined ? "—" : fmt.format(Math.round(n)));
  const rate = (n) => (n === null || n === undefined ? "—" : n < 10 ? n.toFixed(2) : n.toFixed(1));
  const utc = (s) => (s ? new Date(s * 1000).toISOString().replace("T", " ").slice(0, 19) : "—");
  const duration = (s) => {
    if (s === null || s === undefined) return "—";
    s = Math.round(s);
    if (s < 60) return `${s}s`;
    if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
    return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
  };
  const bytes = (n) => {
    const units = ["B", "KB", "MB", "GB", "TB"];
    let v = n, u = 0;
    while (v >= 1000 && u < units.length - 1) {
      v /= 1000;
      u++;
    }
    return u === 0 ? `${n} B` : `${v.toFixed(1)} ${units[u]}`;
  };
  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children) if (c !== null && c !== undefined) node.append(c);
    return node;
  };

  // ---- charts -------------------------------------------------------------------------
  const series = { t: [], conv: [], api: [], limited: [], retries: [] };
  const charts = [];
  function makeChart(id, lines) {
    const box = $(id);
    const opts = {
      width: Math.max(280, box.clientWidth),
      height: 220,
      scales: { x: { time: true } },
      axes: [{ stroke: getComputedStyle(document.body).color }, {
        stroke: getComputedStyle(document.body).color,
      }],
      series: [
        { label: "time (UTC)" },
        ...lines.map((l) => ({
          label: l.label,
          stroke: l.color,
          width: 2,
          points: { show: false },
        })),
      ],
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), "Etc/UTC"),
    };
    const chart = new uPlot(opts, [series.t, ...lines.map((l) => series[l.key])], box);
    charts.push({ chart, box, keys: lines.map((l) => l.key) });
  }
  function redraw() {
    for (const c of charts) c.chart.setData([series.t, ...c.keys.map((k) => series[k])]);
  }
  function addPoint(p) {
    if (!p) return;
    series.t.push(p.t);
    series.conv.push(p.conversations_per_second);
    series.api.push(p.api_calls_per_second);
    series.limited.push(p.rate_limited_per_second);
    series.retries.push(p.retries_per_second);
    while (series.t.length && series.t[0] < p.t - HISTORY_SECONDS) {
      for (const k of Object.keys(series)) series[k].shift();
    }
  }
  if (typeof uPlot === "function") {
    makeChart("chart-throughput", [{ key: "conv", label: "conversations/s", color: "#0969da" }]);
    makeChart("chart-api", [
      { key: "api", label: "API calls/s", color: "#1a7f37" },
      { key: "limited", label: "429s/s", color: "#cf222e" },
      { key: "retries", label: "retries/s", color: "#9a6700" },
    ]);
    new ResizeObserver(() => {
      for (const c of charts) {
        c.chart.setSize({ width: Math.max(280, c.box.clientWidth), height: 220 });
      }
    }).observe($("main"));
  }

  // ---- sections -----------------------------------------------------------------------
  const STATE_LABEL = { crashed: "CRASHED", stalled: "STALLED", no_progress: "NO PROGRESS" };
  // A running sync beats every second; a phase ("resets in 6s") older than this is a picture
  // of the past and is not shown as if it were still true (as `monitor status` does).
  const SILENT_AFTER_SECONDS = 20;
  function processState(p) {
    return p.alert ?? (p.no_progress ? "no_progress" : "running");
  }
  function renderProcesses(list) {
    const box = $("processes");
    box.replaceChildren();
    if (!list.length) {
      box.append(el("p", { class: "muted", text: "Nothing is running." }));
      return;
    }
    for (const p of list) {
      const state = processState(p);
      const label = STATE_LABEL[state];
      const title = el(
        "h3",
        {},
        label
          ? el("span", { class: `badge ${state === "crashed" ? "bad" : "warn"}`, text: label })
          : null,
        `${p.process_type} ${p.process_id} (pid ${p.pid}): ${p.description}`,
      );
      const bar = el("progress", {
        max: 100,
        value: p.percentage ?? undefined,
        "aria-label": `${p.process_id} progress`,
        "data-current": p.current ?? "",
      });
      const fields = el("p", { class: "fields" });
      const add = (text, cls) => fields.append(el("span", { class: cls, text }));
      if (p.percentage !== null) add(`${p.percentage.toFixed(1)}%`);
      if (p.current !== null) {
        add(p.total === null ? num(p.current) : `${num(p.current)} / ${num(p.total)}`);
      }
      if (p.rate !== null && !p.alert) add(`${rate(p.rate)}/s`);
      if (p.eta_seconds !== null && !p.alert) add(`ETA ${duration(p.eta_seconds)}`);
      // what it does besides counting: "waiting for rate limit, resets in 7s", "storing a batch"
      if (p.phase && !p.alert && p.heartbeat_age_seconds < SILENT_AFTER_SECONDS) {
        add(p.phase, "phase");
      }
      if (p.message) add(p.message, "muted");
      if (state === "crashed") {
        add(
          `pid gone; last heartbeat ${
            duration(p.heartbeat_age_seconds)
          } ago — a new sync resumes its work`,
          "bad",
        );
      }
      if (state === "stalled") {
        add(`no heartbeat for ${duration(p.heartbeat_age_seconds)}: is it stuck?`, "warn");
      }
      if (state === "no_progress") {
        add(
          `no progress for ${duration(p.progress_age_seconds)} (alive) — retrying or waiting?`,
          "warn",
        );
      }
      box.append(
        el(
          "article",
          { class: "proc", "data-process-id": p.process_id, "data-state": state },
          title,
          bar,
          fields,
        ),
      );
    }
  }
  function renderRuns(runs) {
    const body = $("runs").tBodies[0];
    body.replaceChildren();
    if (!runs.length) {
      body.append(
        el("tr", {}, el("td", { colspan: 10, class: "muted", text: "No sync has run yet." })),
      );
      return;
    }
    for (const r of runs) {
      const cls = r.status === "failed"
        ? "bad"
        : r.status === "interrupted"
        ? "warn"
        : r.status === "completed"
        ? "ok"
        : "";
      body.append(
        el(
          "tr",
          { "data-run-id": r.id },
          el("th", { scope: "row", text: String(r.id) }),
          el("td", { class: cls, text: r.status, title: r.error ?? undefined }),
          el("td", { text: r.mode }),
          el("td", { text: utc(r.started_at) }),
          el("td", { class: "num", text: duration(r.duration_seconds) }),
          el("td", { class: "num", text: num(r.conversations_fetched) }),
          el("td", { class: "num", text: rate(r.conversations_per_second) }),
          el("td", { class: "num", text: num(r.api_calls) }),
          el("td", { class: "num", text: num(r.rate_limited) }),
          el("td", { class: "num", text: num(r.retries) }),
        ),
      );
    }
  }
  function renderStore(s) {
    const dl = $("store");
    dl.replaceChildren();
    const row = (k, v) => dl.append(el("dt", { text: k }), el("dd", { text: v }));
    if (!s) {
      row("Store", "not available yet");
      return;
    }
    row("Conversations", num(s.conversations));
    row("Messages (parts)", num(s.parts));
    row("Contacts", num(s.contacts));
    row("Size", bytes(s.size_bytes));
  }
  function renderLogs(l) {
    const box = $("logs");
    box.replaceChildren();
    if (!l) {
      box.append(el("p", { class: "muted", text: "Not read yet." }));
      return;
    }
    box.append(
      el(
        "p",
        {},
        el("span", { class: l.errors ? "bad" : "ok", text: `${num(l.errors)} errors` }),
        ", ",
        el("span", { class: l.warnings ? "warn" : "ok", text: `${num(l.warnings)} warnings` }),
      ),
    );
    const cats = Object.entries(l.by_category);
    if (cats.length) {
      const table = el(
        "table",
        {},
        el("caption", { class: "sr-only", text: "By category" }),
        el(
          "thead",
          {},
          el(
            "tr",
            {},
            el("th", { scope: "col", text: "Category" }),
            el("th", { scope: "col", class: "num", text: "Errors" }),
            el("th", { scope: "col", class: "num", text: "Warnings" }),
          ),
        ),
      );
      const tb = el("tbody");
      for (const [cat, c] of cats) {
        tb.append(
          el(
            "tr",
            { "data-category": cat },
            el("th", { scope: "row", text: cat }),
            el("td", { class: "num", text: num(c.errors) }),
            el("td", { class: "num", text: num(c.warnings) }),
          ),
        );
      }
      table.append(tb);
      box.append(table);
    }
    for (const n of l.newest) {
      box.append(
        el(
          "p",
          { class: n.level === "warning" ? "warn" : "bad" },
          `${n.timestamp.replace("T", " ").slice(0, 19)} [${n.category}] ${n.message}`,
        ),
      );
    }
  }
  function renderHealth(h) {
    const ul = $("health");
    ul.replaceChildren();
    if (!h) {
      ul.append(el("li", { class: "muted", text: "Not checked yet." }));
      return;
    }
    const mark = { ok: "✓", warn: "!", fail: "✗" };
    const cls = { ok: "ok", warn: "warn", fail: "bad" };
    ul.append(
      el("li", {
        class: h.status === "healthy" ? "ok" : "bad",
        text: `${h.status} (checked ${h.checked_at.replace("T", " ").slice(0, 19)} UTC)`,
      }),
    );
    for (const c of h.checks) {
      ul.append(
        el(
          "li",
          { "data-check": c.name },
          el("span", { class: cls[c.status], text: `${mark[c.status]} ${c.name}` }),
          `: ${c.detail}`,
        ),
      );
    }
  }
  function renderAnomalies(list) {
    const box = $("anomalies");
    box.replaceChildren();
    if (!Array.isArray(list)) {
      box.append(el("p", { class: "muted", text: "Not computed yet." }));
      return;
    }
    if (!list.length) {
      box.append(el("p", { class: "ok", text: "None: recent runs look like the usual ones." }));
      return;
    }
    for (const a of list) {
      box.append(
        el(
          "p",
          { class: "warn", "data-anomaly": a.kind },
          el("strong", { text: a.kind.replace(/_/g, " ") }),
          `: ${a.detail}`,
        ),
      );
    }
  }
  function render(state) {
    if (state.history) {
      for (const k of Object.keys(series)) series[k].length = 0;
      for (const p of state.history) addPoint(p);
    } else addPoint(state.point);
    redraw();
    renderProcesses(state.processes);
    renderRuns(state.runs);
    renderStore(state.store);
    renderLogs(state.logs);
    renderHealth(state.health);
    renderAnomalies(state.extra?.anomalies);
    const last = series.t.length - 1;
    $("throughput-now").textContent = last >= 0
      ? `now ${rate(series.conv[last])} conversations/s`
      : "";
    $("api-now").textContent = last >= 0
      ? `now ${rate(series.api[last])} calls/s, ${rate(series.limited[last])} 429s/s, ${
        rate(series.retries[last])
      } retries/s`
      : "";
    $("footer").textContent = `fast-intercom-mcp ${state.version} · updated ${
      state.generated_at.replace("T", " ").slice(0, 19)
    } UTC`;
    document.body.dataset.updated = state.generated_at;
  }

  // ---- the stream ---------------------------------------------------------------------
  const conn = $("connection");
  function headers() {
    const key = sessionStorage.getItem(KEY);
    return key ? { authorization: `Bearer ${key}` } : {};
  }
  function askKey(message) {
    $("key-form").hidden = false;
    $("key-error").textContent = message ?? "";
    $("key-input").focus();
    conn.textContent = "Waiting for the API key";
  }
  $("key-form").addEventListener("submit", (e) => {
    e.preventDefault();
    sessionStorage.setItem(KEY, $("key-input").value);
    $("key-form").hidden = true;
    connect();
  });
  let retryMs = 1000;
  async function connect() {
    try {
      const res = await fetch("events", {
        headers: { accept: "text/event-stream", ...headers() },
        cache: "no-store",
      });
      if (res.status === 401) {
        askKey(sessionStorage.getItem(KEY) ? "That key was refused." : "");
        sessionStorage.removeItem(KEY);
        return;
      }
      if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
      conn.textContent = "Live";
      conn.className = "conn ok";
      retryMs = 1000;
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let cut;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const data = block.split("\n").filter((l) => l.startsWith("data:")).map((l) =>
            l.slice(5).trim()
          ).join("\n");
          if (data) render(JSON.parse(data));
        }
      }
      throw new Error("stream ended");
    } catch (error) {
      conn.textContent = `Disconnected (${error.message}); retrying in ${
        Math.round(retryMs / 1000)
      }s`;
      conn.className = "conn bad";
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 30000);
    }
  }
  connect();
})();
