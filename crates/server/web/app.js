// qalam web page: search as you type, facets, article view with entities. No dependencies.
"use strict";

const $ = (id) => document.getElementById(id);
const PAGE = 20;
const TYPES = {
  PERS: "أشخاص",
  LOC: "أماكن",
  ORG: "مؤسسات",
  MISC: "أخرى",
};
const TYPE_ONE = { PERS: "شخص", LOC: "مكان", ORG: "مؤسسة", MISC: "اسم آخر" };
const MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"];

const state = {
  q: "",
  source: "",
  from: "",
  to: "",
  doc: "",
  offset: 0,
  arabicDigits: localStorage.getItem("qalam.digits") === "arab",
};
let lastResults = null;
let inflight = null;
let timer = 0;
let cameFromResults = false;

// ---------- digits and formatting ----------

function digits(s) {
  s = String(s);
  if (!state.arabicDigits) return s;
  return s.replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d)));
}

/** Digits in an HTML string from the server (escaped text and <mark>); character references stay intact. */
function digitsHtml(html) {
  if (!state.arabicDigits) return html;
  return html.replace(/&#\d+;|[0-9]/g, (m) => (m.length > 1 ? m : digits(m)));
}

function num(n) {
  const s = Number(n).toLocaleString("en-US");
  return digits(state.arabicDigits ? s.replace(/,/g, "٬") : s);
}

/** "2017-07-10…" → "10 يوليو 2017"; anything else as given. */
function prettyDate(raw) {
  if (!raw) return "";
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?/.exec(raw);
  if (!m) return digits(raw);
  const month = MONTHS[Number(m[2]) - 1];
  if (!month) return digits(raw);
  return digits(m[3] ? `${Number(m[3])} ${month} ${m[1]}` : `${month} ${m[1]}`);
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

// ---------- URL state ----------

function readHash() {
  const p = new URLSearchParams(location.hash.slice(1));
  state.doc = p.get("doc") || "";
  if (state.doc) return; // keep the search behind the article
  state.q = p.get("q") || "";
  state.source = p.get("source") || "";
  state.from = p.get("from") || "";
  state.to = p.get("to") || "";
}

function writeHash() {
  const p = new URLSearchParams();
  if (state.doc) p.set("doc", state.doc);
  else {
    if (state.q) p.set("q", state.q);
    if (state.source) p.set("source", state.source);
    if (state.from) p.set("from", state.from);
    if (state.to) p.set("to", state.to);
  }
  const hash = p.toString();
  if (location.hash.slice(1) !== hash) history.replaceState(null, "", hash ? `#${hash}` : location.pathname);
}

// ---------- search ----------

async function api(path, signal) {
  const res = await fetch(path, { signal, headers: { Accept: "application/json" } });
  let body = null;
  try {
    body = await res.json();
  } catch (_) {
    body = { error: "bad_response", detail: `HTTP ${res.status}` };
  }
  if (!res.ok) {
    const err = new Error(body.detail || body.error || `HTTP ${res.status}`);
    err.code = body.error;
    err.status = res.status;
    throw err;
  }
  return body;
}

function searchUrl(mode, offset) {
  const p = new URLSearchParams();
  p.set("q", state.q);
  if (state.source) p.set("source", state.source);
  if (state.from) p.set("from", state.from);
  if (state.to) p.set("to", state.to);
  p.set("limit", String(PAGE));
  p.set("offset", String(offset));
  if (mode) p.set("mode", mode);
  return `/api/search?${p}`;
}

async function runSearch(append) {
  if (inflight) inflight.abort();
  const ctrl = new AbortController();
  inflight = ctrl;
  const offset = append ? state.offset + PAGE : 0;
  $("results-view").classList.add("loading");
  let results;
  try {
    try {
      results = await api(searchUrl(null, offset), ctrl.signal);
    } catch (e) {
      // While typing, a half-written query ("مجلس AND", an open quote) is read as plain words.
      if (e.code !== "bad_query" || !state.q.trim()) throw e;
      results = await api(searchUrl("words", offset), ctrl.signal);
    }
  } catch (e) {
    if (e.name === "AbortError") return;
    $("results-view").classList.remove("loading");
    showError(e);
    return;
  }
  if (inflight === ctrl) inflight = null;
  $("results-view").classList.remove("loading");
  state.offset = offset;
  if (append && lastResults) {
    lastResults.hits = lastResults.hits.concat(results.hits);
  } else {
    lastResults = results;
    renderFacets(results.facets || {});
    loadReadingAids(results.total, ctrl.signal);
  }
  renderHits(lastResults, append ? results.hits : null);
}

function schedule(delay) {
  clearTimeout(timer);
  timer = setTimeout(() => {
    writeHash();
    runSearch(false);
  }, delay);
}

function showError(e) {
  const status = $("status");
  status.textContent = "";
  status.append(el("span", { class: "error", text: `تعذّر البحث: ${e.message}` }));
  $("hits").textContent = "";
  $("more").hidden = true;
}

// ---------- results ----------

function hitNode(hit) {
  const title = hit.title || (hit.snippet && hit.snippet.text ? hit.snippet.text.slice(0, 80) + "…" : hit.id);
  const link = el("a", { href: `#doc=${encodeURIComponent(hit.id)}`, text: digits(title) });
  const meta = el("p", { class: "meta" });
  if (hit.source) meta.append(el("span", { class: "source", text: hit.source }));
  if (hit.date) meta.append(el("time", { datetime: hit.date, text: prettyDate(hit.date) }));
  if (hit.author) meta.append(el("span", { text: hit.author }));
  const snippet = el("p", { class: "snippet" });
  snippet.innerHTML = digitsHtml((hit.snippet && hit.snippet.html) || ""); // escaped by the server; only <mark> tags
  return el("li", { class: "hit", "data-id": hit.id }, el("h3", {}, link), meta, snippet);
}

function renderHits(results, appended) {
  const list = $("hits");
  if (!appended) list.textContent = "";
  for (const hit of appended || results.hits) list.append(hitNode(hit));
  const shown = results.hits.length;
  const status = $("status");
  status.textContent = "";
  if (results.total === 0) {
    $("empty").hidden = false;
  } else {
    $("empty").hidden = true;
    const what = state.q.trim() ? "نتيجة" : "مقالًا في الأرشيف";
    status.textContent = `${num(results.total)} ${what} · ${digits(results.took_ms)} ملّي ثانية`;
  }
  $("more").hidden = shown >= results.total;
  renderFilters();
}

function renderFilters() {
  const box = $("filters");
  box.textContent = "";
  const chip = (label, clear) =>
    el("button", {
      type: "button",
      class: "filter-chip",
      title: "إزالة المرشّح",
      text: label,
      onclick: () => {
        clear();
        schedule(0);
      },
    });
  if (state.source) box.append(chip(state.source, () => (state.source = "")));
  if (state.from || state.to) {
    const label = state.from === state.to || !state.to ? prettyDate(state.from) : `${prettyDate(state.from)} – ${prettyDate(state.to)}`;
    box.append(chip(label, () => ((state.from = ""), (state.to = ""))));
  }
}

// ---------- facets ----------

/** A facet entry as [label, count, type?] whatever shape the server uses. */
function facetEntry(e) {
  if (Array.isArray(e)) return [String(e[0]), Number(e[1]), e[2]];
  if (e && typeof e === "object") {
    const label = e.key ?? e.text ?? e.name ?? e.value ?? "";
    return [String(label), Number(e.count ?? e.hits ?? e.n ?? 0), e.type ?? e.kind];
  }
  return [String(e), 0];
}

function renderFacets(facets) {
  renderSources(facets.by_source || []);
  renderHistogram(facets.by_day || []);
  const entities = facets.by_entity || facets.entities || null;
  renderEntities(entities);
  // Facets this page does not know yet: plain lists that add their value to the query.
  const extra = $("facet-extra");
  extra.textContent = "";
  for (const [name, entries] of Object.entries(facets)) {
    if (["by_source", "by_day", "by_entity", "entities"].includes(name) || !Array.isArray(entries) || !entries.length) continue;
    const list = el("ul", { class: "chips" });
    for (const e of entries.slice(0, 20)) {
      const [label, count] = facetEntry(e);
      list.append(el("li", {}, el("button", { type: "button", class: "chip", onclick: () => addTerm(label) }, label, el("span", { class: "count", text: num(count) }))));
    }
    extra.append(el("section", { class: "facet" }, el("h2", { text: name.replace(/^by_/, "") }), list));
  }
}

function renderSources(entries) {
  const list = $("sources");
  list.textContent = "";
  $("facet-source").hidden = entries.length === 0;
  const max = Math.max(1, ...entries.map((e) => facetEntry(e)[1]));
  for (const e of entries.slice(0, 12)) {
    const [label, count] = facetEntry(e);
    const bar = el("span", { class: "bar" });
    bar.style.width = `${(100 * count) / max}%`;
    const active = state.source === label;
    list.append(
      el("li", {},
        el("button", {
          type: "button",
          class: active ? "facet-item active" : "facet-item",
          "aria-pressed": String(active),
          onclick: () => {
            state.source = active ? "" : label;
            schedule(0);
          },
        }, bar, el("span", { text: label }), el("span", { class: "count", text: num(count) }))));
  }
}

function monthEnd(ym) {
  const [y, m] = ym.split("-").map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${ym}-${String(last).padStart(2, "0")}`;
}

function renderHistogram(days) {
  const box = $("histogram");
  box.textContent = "";
  $("facet-date").hidden = days.length === 0;
  if (!days.length) return;
  const entries = days.map(facetEntry).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const first = new Date(entries[0][0]);
  const last = new Date(entries[entries.length - 1][0]);
  const spanDays = (last - first) / 86400000;
  const byMonth = spanDays > 62;
  // Bins: every day (or month) between the first and the last, empty ones included.
  const bins = [];
  const counts = new Map();
  for (const [day, n] of entries) {
    const key = byMonth ? day.slice(0, 7) : day.slice(0, 10);
    counts.set(key, (counts.get(key) || 0) + n);
  }
  const cursor = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), byMonth ? 1 : first.getUTCDate()));
  while (cursor <= last && bins.length < 400) {
    const key = cursor.toISOString().slice(0, byMonth ? 7 : 10);
    bins.push([key, counts.get(key) || 0]);
    if (byMonth) cursor.setUTCMonth(cursor.getUTCMonth() + 1);
    else cursor.setUTCDate(cursor.getUTCDate() + 1);
  }
  $("date-unit").textContent = byMonth ? "(بالشهر)" : "(باليوم)";
  const max = Math.max(1, ...bins.map((b) => b[1]));
  for (const [key, n] of bins) {
    const from = byMonth ? `${key}-01` : key;
    const to = byMonth ? monthEnd(key) : key;
    const active = state.from === from && state.to === to;
    const bar = el("button", {
      type: "button",
      class: active ? "active" : "",
      title: `${prettyDate(key)}: ${num(n)}`,
      "aria-label": `${prettyDate(key)}: ${num(n)}`,
      onclick: () => {
        if (active) state.from = state.to = "";
        else [state.from, state.to] = [from, to];
        schedule(0);
      },
    });
    bar.style.height = n ? `${Math.max(6, (100 * n) / max)}%` : "2px";
    if (!n) bar.disabled = true;
    box.append(bar);
  }
  $("axis-first").textContent = prettyDate(bins[0][0]);
  $("axis-last").textContent = prettyDate(bins[bins.length - 1][0]);
}

function renderEntities(entries) {
  const list = $("entities");
  list.textContent = "";
  $("facet-entities").hidden = !entries || entries.length === 0;
  if (!entries) return;
  for (const e of entries.slice(0, 24)) {
    const [label, count, type] = facetEntry(e);
    list.append(
      el("li", {},
        el("button", { type: "button", class: `chip t-${type || ""}`, title: TYPE_ONE[type] || "", onclick: () => addTerm(label) },
          label, el("span", { class: "count", text: num(count) }))));
  }
}

// ---------- entity trends and stories ----------

const TREND_COLORS = ["#0f766e", "#b45309", "#7c3aed", "#be123c", "#1d4ed8"];

/** Entity trends (an SVG line chart) and stories of the current results. */
async function loadReadingAids(total, signal) {
  const p = new URLSearchParams();
  for (const k of ["q", "source", "from", "to"]) if (state[k] && state[k] !== "*") p.set(k, state[k]);
  const filtered = [...p.keys()].length > 0;
  try {
    const trends = await api(`/api/entities?${p}&top=5`, signal);
    renderTrends(trends);
    // Stories cluster every matching article: only for a query or filter with few enough hits.
    const stories = filtered && total <= 5000 ? await api(`/api/stories?${p}&limit=8`, signal) : [];
    renderStories(stories);
  } catch (e) {
    if (e.name !== "AbortError") renderStories([]);
  }
}

function renderTrends(t) {
  const box = $("trend-chart");
  box.textContent = "";
  const days = t.days || [];
  $("facet-trends").hidden = !t.top || t.top.length === 0 || days.length < 2;
  if ($("facet-trends").hidden) return;
  const W = 260, H = 120, pad = 4;
  const max = Math.max(1, ...t.top.flatMap((e) => e.per_day));
  const x = (i) => W - pad - (i * (W - 2 * pad)) / (days.length - 1); // right to left
  const y = (n) => H - pad - (n * (H - 2 * pad)) / max;
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  svg.setAttribute("width", "100%");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", "عدد المقالات في اليوم لأبرز الأسماء");
  t.top.forEach((e, k) => {
    const line = document.createElementNS(ns, "polyline");
    line.setAttribute("points", e.per_day.map((n, i) => `${x(i).toFixed(1)},${y(n).toFixed(1)}`).join(" "));
    line.setAttribute("fill", "none");
    line.setAttribute("stroke", TREND_COLORS[k % TREND_COLORS.length]);
    line.setAttribute("stroke-width", "1.5");
    const title = document.createElementNS(ns, "title");
    title.textContent = `${e.label}: ${e.docs}`;
    line.append(title);
    svg.append(line);
  });
  box.append(svg);
  box.append(el("div", { class: "histogram-axis" }, el("span", { text: prettyDate(days[0]) }), el("span", { text: prettyDate(days[days.length - 1]) })));
  const legend = el("ul", { class: "chips" });
  t.top.forEach((e, k) => {
    legend.append(el("li", {}, el("button", { type: "button", class: "chip", style: `border-color:${TREND_COLORS[k % TREND_COLORS.length]}`, onclick: () => addTerm(e.label) },
      e.label, el("span", { class: "count", text: num(e.docs) }))));
  });
  box.append(legend);
}

function renderStories(stories) {
  const list = $("stories");
  list.textContent = "";
  $("facet-stories").hidden = !stories || stories.length === 0;
  for (const s of stories || []) {
    const central = s.docs.find((d) => d.title === s.title) || s.docs[0];
    const href = `#${new URLSearchParams({ q: state.q, doc: central.id })}`;
    list.append(el("li", {}, el("a", { class: "facet-item", href, title: s.docs.map((d) => d.title || "").join("\n") },
      el("span", { text: s.title || central.id }), el("span", { class: "count", text: num(s.articles) }))));
  }
}

/** Adds a name or phrase to the query (quoted when it has several words). */
function addTerm(text) {
  const term = /\s/.test(text) ? `"${text.replace(/"/g, "")}"` : text;
  const q = $("q");
  if (!q.value.includes(term)) q.value = `${q.value.trim()} ${term}`.trim();
  state.q = q.value;
  state.doc = "";
  showView("results");
  schedule(0);
}

// ---------- article ----------

/** Maps byte offsets of a UTF-8 encoding of `text` to UTF-16 indices (what JS strings use). */
function byteIndex(text) {
  const map = new Map();
  let byte = 0;
  let i = 0;
  for (const ch of text) {
    map.set(byte, i);
    const cp = ch.codePointAt(0);
    byte += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    i += ch.length;
  }
  map.set(byte, i);
  return (b) => map.get(b);
}

/** Text with entity marks, as paragraphs. */
function renderBody(text, entities) {
  const at = byteIndex(text);
  const spans = entities
    .map((e) => ({ ...e, s: at(e.start), t: at(e.end) }))
    .filter((e) => e.s !== undefined && e.t !== undefined && e.t > e.s)
    .sort((a, b) => a.s - b.s);
  const body = $("article-body");
  body.textContent = "";
  let p = el("p");
  const flushText = (s) => {
    const parts = s.split(/\n+/);
    parts.forEach((part, k) => {
      if (k > 0) {
        if (p.childNodes.length) body.append(p);
        p = el("p");
      }
      if (part) p.append(document.createTextNode(digits(part)));
    });
  };
  let pos = 0;
  for (const e of spans) {
    if (e.s < pos) continue; // overlapping spans: keep the first
    flushText(text.slice(pos, e.s));
    p.append(el("mark", {
      class: `ent ent-${e.type}`,
      "data-type": e.type,
      title: `${TYPE_ONE[e.type] || e.type} — ابحث عن «${e.text}»`,
      text: digits(text.slice(e.s, e.t)),
      onclick: () => addTerm(e.text),
    }));
    pos = e.t;
  }
  flushText(text.slice(pos));
  if (p.childNodes.length) body.append(p);
}

function renderLegend(entities) {
  const legend = $("legend");
  legend.textContent = "";
  const body = $("article-body");
  for (const type of Object.keys(TYPES)) {
    const n = entities.filter((e) => e.type === type).length;
    const button = el("button", {
      type: "button",
      "aria-pressed": "true",
      title: "إظهار أو إخفاء هذا النوع",
      onclick: () => {
        const on = button.getAttribute("aria-pressed") !== "true";
        button.setAttribute("aria-pressed", String(on));
        body.classList.toggle(`hide-${type}`, !on);
      },
    }, el("span", { class: `swatch sw-${type}` }), `${TYPES[type]} `, el("span", { class: "count", text: num(n) }));
    legend.append(button);
  }
}

function renderEntityIndex(entities) {
  const groups = $("entity-groups");
  groups.textContent = "";
  let any = false;
  for (const type of Object.keys(TYPES)) {
    const seen = new Map();
    for (const e of entities.filter((x) => x.type === type)) {
      const key = e.key || e.text;
      const entry = seen.get(key) || { text: e.text, n: 0 };
      entry.n += 1;
      seen.set(key, entry);
    }
    if (!seen.size) continue;
    any = true;
    const list = el("ul", { class: "chips" });
    for (const { text, n } of [...seen.values()].sort((a, b) => b.n - a.n)) {
      list.append(el("li", {}, el("button", { type: "button", class: `chip t-${type}`, onclick: () => addTerm(text) }, text, n > 1 ? el("span", { class: "count", text: num(n) }) : null)));
    }
    groups.append(el("div", { class: "entity-group" }, el("h3", { text: TYPES[type] }), list));
  }
  $("entity-index").hidden = !any;
}

/** Text of a summary or keyphrase item, whatever shape the analysis uses. */
function itemText(item, body, at) {
  if (typeof item === "string") return item;
  if (!item || typeof item !== "object") return String(item);
  if (item.text || item.phrase || item.key) return item.text || item.phrase || item.key;
  if (Number.isInteger(item.start) && Number.isInteger(item.end)) {
    const s = at(item.start);
    const t = at(item.end);
    if (s !== undefined && t !== undefined) return body.slice(s, t);
  }
  return "";
}

function renderReadingAids(doc) {
  const a = doc.analysis || {};
  const at = byteIndex(doc.body);
  const summary = a.summary;
  const summaryBox = $("summary-text");
  summaryBox.textContent = "";
  let summaryText = "";
  if (typeof summary === "string") summaryText = summary;
  else if (Array.isArray(summary)) summaryText = summary.map((s) => itemText(s, doc.body, at)).filter(Boolean).join(" ");
  else if (summary && typeof summary === "object") {
    const parts = summary.sentences || summary.text || [];
    summaryText = Array.isArray(parts) ? parts.map((s) => itemText(s, doc.body, at)).join(" ") : String(parts);
  }
  summaryBox.textContent = digits(summaryText.trim());
  $("article-summary").hidden = !summaryText.trim();

  const phrases = Array.isArray(a.keyphrases) ? a.keyphrases.map((k) => itemText(k, doc.body, at)).filter(Boolean) : [];
  const list = $("keyphrase-list");
  list.textContent = "";
  for (const k of phrases.slice(0, 12)) {
    list.append(el("li", {}, el("button", { type: "button", class: "chip", onclick: () => addTerm(k) }, digits(k))));
  }
  $("article-keyphrases").hidden = phrases.length === 0;
}

async function openDoc(id) {
  showView("article");
  $("article-title").textContent = "…";
  $("article-body").textContent = "";
  $("article-meta").textContent = "";
  $("article-author").textContent = "";
  let doc;
  try {
    doc = await api(`/api/documents/${encodeURIComponent(id)}`);
  } catch (e) {
    $("article-title").textContent = e.status === 404 ? "لا يوجد مقال بهذا المعرّف" : `تعذّر فتح المقال: ${e.message}`;
    return;
  }
  if (state.doc !== id) return;
  document.title = `${doc.title || "مقال"} — قلم`;
  $("article-title").textContent = digits(doc.title || "(بلا عنوان)");
  const meta = $("article-meta");
  if (doc.source) meta.append(el("span", { class: "source", text: doc.source }));
  if (doc.date) meta.append(el("time", { datetime: doc.date, text: prettyDate(doc.date) }));
  $("article-author").textContent = doc.author ? `بقلم ${doc.author}` : "";
  // Spans without a letter (a stray full stop) are not names worth marking.
  const entities = ((doc.analysis && doc.analysis.entities) || []).filter((e) => /\p{L}/u.test(e.text || ""));
  renderReadingAids(doc);
  renderLegend(entities);
  $("article-body").className = "article-body";
  renderBody(doc.body, entities);
  renderEntityIndex(entities);
  const link = $("article-link");
  link.textContent = "";
  if (doc.url && /^https?:\/\//i.test(doc.url)) {
    link.append("المصدر الأصلي: ", el("a", { href: doc.url, rel: "noopener noreferrer", target: "_blank", dir: "ltr", text: doc.url }));
  }
  window.scrollTo({ top: 0 });
}

function showView(view) {
  const reading = view === "article";
  $("article-view").hidden = !reading;
  $("results-view").hidden = reading;
  document.querySelector(".layout").classList.toggle("reading", reading);
  if (!reading) document.title = "قلم — البحث في الأخبار العربية";
}

// ---------- wiring ----------

function route() {
  const wasResults = !state.doc && lastResults !== null;
  readHash();
  cameFromResults = Boolean(state.doc) && wasResults;
  if (state.doc) {
    openDoc(state.doc);
  } else {
    showView("results");
    if ($("q").value !== state.q) $("q").value = state.q;
    runSearch(false);
  }
}

function applyDigits() {
  $("digits").setAttribute("aria-pressed", String(state.arabicDigits));
  document.documentElement.classList.toggle("arab-digits", state.arabicDigits);
}

async function loadHealth() {
  try {
    const h = await api("/api/health");
    $("doc-count").textContent = `${num(h.documents)} مقالًا`;
    $("doc-count").dataset.n = h.documents;
  } catch (_) {
    $("doc-count").textContent = "";
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const q = $("q");
  q.addEventListener("input", () => {
    state.q = q.value;
    state.doc = "";
    showView("results");
    schedule(180);
  });
  $("search-form").addEventListener("submit", (e) => {
    e.preventDefault();
    state.q = q.value;
    state.doc = "";
    showView("results");
    schedule(0);
  });
  $("more").addEventListener("click", () => runSearch(true));
  $("back").addEventListener("click", () => {
    if (lastResults && history.state === null && cameFromResults) history.back();
    else {
      state.doc = "";
      writeHash();
      route();
    }
  });
  $("home").addEventListener("click", (e) => {
    e.preventDefault();
    Object.assign(state, { q: "", source: "", from: "", to: "", doc: "" });
    q.value = "";
    writeHash();
    route();
  });
  $("digits").addEventListener("click", () => {
    state.arabicDigits = !state.arabicDigits;
    localStorage.setItem("qalam.digits", state.arabicDigits ? "arab" : "latn");
    applyDigits();
    loadHealth();
    if (state.doc) openDoc(state.doc);
    else if (lastResults) {
      renderFacets(lastResults.facets || {});
      renderHits(lastResults, null);
    }
  });
  document.addEventListener("keydown", (e) => {
    if (e.key === "/" && document.activeElement !== q) {
      e.preventDefault();
      q.focus();
    } else if (e.key === "Escape" && state.doc) {
      $("back").click();
    }
  });
  window.addEventListener("hashchange", route);
  applyDigits();
  loadHealth();
  route();
});
