// Audit report: renders the entity index, entity pages and article views from the data
// written by pipeline/tools/audit (data.py, paging.py), building only what is on screen.
// index.html embeds the head (counts, filter choices, where each piece of data starts);
// the rows are in pieces beside it, data-HASH/NAME.js, each a script calling auditChunk(NAME, 'JSON').
// A page opened from file:// may run such scripts but may not fetch() files, hence scripts.
// A piece is loaded the first time a view needs one of its rows, and kept.
// All text goes through DOM text nodes (never innerHTML), so article text is never markup.
// Offsets count code points, as in the Parquet tables: slice with Array.from, not String#slice.
(() => {
  "use strict";
  const D = JSON.parse(document.getElementById("audit-data").textContent);
  const PAGE = 100;          // index rows per page
  const MENTION_PAGE = 100;  // mentions shown at once on an entity page
  const collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
      else el.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined && child !== false) el.append(child);
    }
    return el;
  }
  const fold = (s) => s.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/\s+/g, " ");
  const fmt = (n) => n.toLocaleString("en");
  const badge = (type) => h("span", { class: `badge t-${type}` }, type);
  const compare = (a, b) => (typeof a === "number" ? a - b : collator.compare(a, b));
  const warning = (text) => h("p", { class: "warn" }, text);
  // A file path that may break after each slash, so a long one wraps instead of widening its column.
  const pathCode = (path) => h("code", { class: "path" }, path.split("/").flatMap((part, j) => (j ? ["/", h("wbr"), part] : [part])));

  // ---- pieces of data: one script element each, loaded once, on first need ----
  const arriving = new Map();   // piece name → resolve, until its script has run
  const requested = new Map();  // piece name → promise of its data
  window.auditChunk = (name, json) => {  // a piece's JSON text (faster to parse than a script literal)
    const resolve = arriving.get(name);
    arriving.delete(name);
    if (resolve) resolve(JSON.parse(json));
  };
  function piece(name) {
    if (!requested.has(name)) {
      requested.set(name, new Promise((resolve, reject) => {
        arriving.set(name, resolve);
        const src = `${D.dir}/${name}.js`;
        const fail = () => {
          requested.delete(name);
          arriving.delete(name);
          reject(new Error(`The report's data file ${src} did not load: keep index.html and its ${D.dir} folder together.`));
        };
        const script = h("script", { src });
        script.addEventListener("load", () => { script.remove(); if (arriving.has(name)) fail(); });
        script.addEventListener("error", () => { script.remove(); fail(); });
        document.head.append(script);
      }));
    }
    return requested.get(name);
  }

  // A table whose rows arrive by pieces: full-length column arrays, filled as pieces load.
  function pieceTable(kind, n, columns, prepare) {
    const starts = D.starts[kind];
    const cols = Object.fromEntries(columns.map((c) => [c, new Array(n)]));
    const loading = new Map(), done = new Set();
    const pieceOf = (row) => lastAtOrBefore(starts, row);
    function load(k) {
      if (!loading.has(k)) {
        loading.set(k, piece(`${kind}-${k}`).then((data) => {
          const first = starts[k];
          if (prepare) prepare(data, first);
          for (const c of columns) data[c].forEach((value, j) => { cols[c][first + j] = value; });
          done.add(k);
        }, (err) => { loading.delete(k); throw err; }));
      }
      return loading.get(k);
    }
    function piecesOf(from, to) {
      const ks = [];
      for (let k = from < to ? pieceOf(from) : starts.length; k < starts.length && starts[k] < to; k++) ks.push(k);
      return ks;
    }
    return {
      cols, n,
      has: (from, to) => piecesOf(from, to).every((k) => done.has(k)),
      rows: (from, to) => Promise.all(piecesOf(from, to).map(load)),
      at: (rows) => Promise.all([...new Set(rows.map(pieceOf))].map(load)),  // scattered rows
      complete: () => done.size === starts.length,
      all(progress) {
        let finished = done.size;
        return Promise.all(starts.map((_, k) => (done.has(k) ? null : load(k).then(() => progress(++finished, starts.length)))));
      },
    };
  }
  function lastAtOrBefore(sorted, value) {  // index of the last item <= value (0 when none)
    let lo = 0, hi = sorted.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (sorted[mid] <= value) lo = mid; else hi = mid - 1;
    }
    return lo;
  }
  // Row of an entity or article id: ids are sorted across the id pieces, whose first ids the head lists.
  async function rowOf(kind, id) {
    const firsts = D.starts[`${kind}-ids`];
    if (!firsts.length || id < firsts[0]) return undefined;
    const data = await piece(`${kind}-ids-${lastAtOrBefore(firsts, id)}`);
    const j = data.ids.indexOf(id);
    return j < 0 ? undefined : data.rows[j];
  }

  const overrides = new Map();  // mention position → the table's own text or sentence (see data.py)
  const entities = pieceTable("entities", D.entities.n, ["id", "type", "name", "key", "aliases", "alias_counts",
    "n_mentions", "n_articles", "langs", "resolution", "registry_source", "doubt", "doubt_reasons", "curated",
    "m_first", "m_count"], (data) => { data.doubt_reasons = data.doubt_reasons.map((codes) => codes.map((c) => D.reasons[c])); });
  const mentions = pieceTable("mentions", D.mentions.n, ["id", "article", "start", "end", "sentence_start",
    "sentence", "source", "label", "resolution", "curated"], (data) => {
    for (const [k, o] of Object.entries(data.overrides)) overrides.set(Number(k), o);
  });
  const articles = pieceTable("articles", D.articles.n, ["id", "label", "path", "hash", "seq", "lang", "status",
    "error", "start", "n_repairs", "n_mentions", "chars"]);
  // Marks come as flat (start, end, entity) triples, the entity an index into the piece's own list.
  const texts = pieceTable("texts", D.articles.n, ["text", "marks"], (data) => {
    data.marks = data.marks.map((flat) => {
      const marks = [];
      for (let j = 0; j < flat.length; j += 3) marks.push([flat[j], flat[j + 1], data.entities[flat[j + 2]]]);
      return marks;
    });
  });
  const E = entities.cols, M = mentions.cols, A = articles.cols, T = texts.cols;
  const entityLink = (e) => h("a", { href: `#/entity/${encodeURIComponent(E.id[e])}` }, E.name[e]);

  // ---- paginated, sortable, filterable tables (entity index, article index) ----
  // Rows come in one order (`natural`: the entities' review order, the articles' table order):
  // paging through that order, either way, loads only the page's piece; any filter, search
  // or other order loads every piece first.
  function makeIndex(cfg) {
    const section = document.getElementById(cfg.id);
    const controls = {};
    let state = {};
    let drawing = 0;
    const haystacks = [];
    const form = h("form", { class: "filters", role: "search", onsubmit: (ev) => ev.preventDefault() });
    for (const f of cfg.filters) {
      controls[f.param] = h("select", { name: f.param, "aria-label": f.label, onchange: changed },
        h("option", { value: "" }, f.all), f.options.map(([value, label]) => h("option", { value }, label)));
      form.append(controls[f.param]);
    }
    controls.q = h("input", { type: "search", name: "q", placeholder: cfg.placeholder, "aria-label": "Search", oninput: changed });
    form.append(controls.q);
    const heads = cfg.columns.map((c) => h("th", { scope: "col", "data-key": c.key, class: c.num ? "num" : null },
      h("button", {
        type: "button", class: "sort", title: `sort by ${c.label.toLowerCase()}`,
        onclick: () => {
          state.dir = state.sort === c.key ? -state.dir : (c.num ? -1 : 1);
          state.sort = c.key;
          state.page = 0;
          update();
        },
      }, c.label)));
    const tbody = h("tbody");
    const count = h("p", { class: "count", "aria-live": "polite" });
    const prev = h("button", { type: "button", onclick: () => { state.page--; update(); } }, "‹ previous");
    const next = h("button", { type: "button", onclick: () => { state.page++; update(); } }, "next ›");
    const where = h("span");
    section.append(form, count, h("table", { class: "grid" }, h("thead", {}, h("tr", {}, heads)), tbody),
      h("div", { class: "pager" }, prev, where, next));

    function changed() {
      for (const [param, control] of Object.entries(controls)) state[param] = control.value;
      state.page = 0;
      update();
    }
    function update() {  // state → URL (so Back and links keep it) → rows
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(state)) if (v !== "" && !(k === "page" && v === 0)) params.set(k, v);
      history.replaceState(null, "", `#/${cfg.id}${params.size ? "?" : ""}${params}`);
      draw();
    }
    function pageOf(total) {
      const pages = Math.max(1, Math.ceil(total / PAGE));
      state.page = Math.min(Math.max(0, state.page), pages - 1);
      return pages;
    }
    // Draws at once when the rows it needs are loaded; else loads them, then draws
    // (unless a later change has drawn since). Returns a promise only when it loads.
    function draw() {
      const token = ++drawing;
      const needle = fold(state.q || "").trim();
      const tests = cfg.filters.filter((f) => state[f.param]).map((f) => [f.test, state[f.param]]);
      const column = cfg.columns.find((c) => c.key === state.sort) || cfg.columns[0];
      const table = cfg.table;
      let rows, total;
      if (!needle && !tests.length && column.key === cfg.natural) {
        total = table.n;
        const pages = pageOf(total);
        const from = state.page * PAGE, to = Math.min(total, from + PAGE);
        const forward = state.dir === cfg.dir;
        const [first, last] = forward ? [from, to] : [total - to, total - from];
        if (!table.has(first, last)) return loading(token, table.rows(first, last));
        rows = [];
        for (let j = from; j < to; j++) rows.push(forward ? j : total - 1 - j);
        return render(rows, total, pages, column);
      }
      if (!table.complete()) {
        return loading(token, table.all((finished, of) => {
          if (token === drawing) count.textContent = `loading the ${cfg.noun}: part ${fmt(finished)} of ${fmt(of)}…`;
        }));
      }
      const found = [];
      for (let i = 0; i < table.n; i++) {
        if (!tests.every(([test, value]) => test(i, value))) continue;
        if (needle && !(haystacks[i] ??= fold(cfg.haystack(i))).includes(needle)) continue;
        found.push(i);
      }
      found.sort((a, b) => state.dir * compare(column.value(a), column.value(b)) || a - b);
      total = found.length;
      const pages = pageOf(total);
      return render(found.slice(state.page * PAGE, (state.page + 1) * PAGE), total, pages, column);
    }
    function loading(token, promise) {
      count.textContent = `loading the ${cfg.noun}…`;
      return promise.then(() => (token === drawing ? draw() : null), (err) => {
        if (token === drawing) count.replaceChildren(warning(err.message));
      });
    }
    function render(shown, total, pages, column) {
      tbody.replaceChildren(...shown.map((i) => h("tr", { "data-row": i },
        cfg.columns.map((c) => h("td", { class: c.num ? "num" : null }, c.cell ? c.cell(i) : String(c.value(i)))))));
      for (const th of heads) {
        th.setAttribute("aria-sort", th.dataset.key === column.key ? (state.dir > 0 ? "ascending" : "descending") : "none");
      }
      count.textContent = `${fmt(total)} of ${fmt(cfg.table.n)} ${cfg.noun}`;
      where.textContent = `page ${state.page + 1} of ${pages}`;
      prev.disabled = state.page === 0;
      next.disabled = state.page >= pages - 1;
    }
    return {
      redraw: draw,  // same state, fresh rows (after a decision)
      show(params) {  // state ← URL
        state = { sort: cfg.natural, dir: cfg.dir, page: 0, q: "" };
        for (const f of cfg.filters) state[f.param] = "";
        for (const [k, v] of Object.entries(params)) {
          if (k === "page" || k === "dir") state[k] = Number(v) || 0;
          else if (k in state) state[k] = v;
        }
        if (state.dir !== 1 && state.dir !== -1) state.dir = cfg.dir;
        for (const [param, control] of Object.entries(controls)) control.value = state[param];
        return draw();
      },
    };
  }

  const entityIndex = makeIndex({
    // Opens as the review queue: the pieces hold the entities most doubtful first
    // (ties: fewer mentions first), so sorting by doubt is sorting by row.
    id: "entities", noun: "entities", table: entities, natural: "doubt", dir: -1,
    placeholder: "name, alias, key or id (accents optional)",
    haystack: (i) => [E.name[i], E.key[i], E.id[i], ...E.aliases[i]].join("\n"),
    filters: [
      { param: "type", label: "Type", all: "all types", options: D.types.map((t) => [t, `${t} (${fmt(D.entities.typeCounts[t] || 0)})`]), test: (i, v) => E.type[i] === v },
      { param: "lang", label: "Language", all: "all languages", options: D.langs.map((l) => [l, l]), test: (i, v) => E.langs[i].includes(v) },
      { param: "resolution", label: "Resolution", all: "all resolutions", options: D.entities.resolutions.map((r) => [r, r]), test: (i, v) => E.resolution[i] === v },
      { param: "curated", label: "Curated", all: "curated or not", options: [["1", "curated"], ["0", "not curated"]], test: (i, v) => String(E.curated[i]) === v },
    ],
    columns: [
      { key: "type", label: "Type", value: (i) => E.type[i], cell: (i) => badge(E.type[i]) },
      { key: "name", label: "Name", value: (i) => E.name[i], cell: (i) => h("span", {}, entityLink(i), pendingTag(i)) },
      { key: "doubt", label: "Doubt", num: true, value: (i) => -i,
        cell: (i) => h("span", { class: "doubt", title: E.doubt_reasons[i].join("; ") || "no reason for doubt" }, E.doubt[i].toFixed(2)) },
      { key: "decide", label: "Decide", value: (i) => i,
        cell: (i) => h("details", { class: "decide" }, h("summary", {}, "decide…"), entityActions(i)) },
      { key: "key", label: "Key", value: (i) => E.key[i], cell: (i) => h("code", {}, E.key[i]) },
      { key: "aliases", label: "Aliases (mentions)", value: (i) => E.aliases[i].length, cell: (i) => aliasText(i, 4) },
      { key: "n_mentions", label: "Mentions", num: true, value: (i) => E.n_mentions[i] },
      { key: "n_articles", label: "Articles", num: true, value: (i) => E.n_articles[i] },
      { key: "langs", label: "Languages", value: (i) => E.langs[i].join(" ") },
      { key: "resolution", label: "Resolution", value: (i) => E.resolution[i] },
      { key: "curated", label: "Curated", value: (i) => E.curated[i], cell: (i) => (E.curated[i] ? "✓ curated" : "") },
    ],
  });
  function aliasText(e, limit) {
    const parts = E.aliases[e].slice(0, limit).map((a, j) => `${a} ×${E.alias_counts[e][j]}`);
    const rest = E.aliases[e].length - parts.length;
    return h("span", { class: "aliases" }, parts.join(" · ") + (rest > 0 ? ` · +${rest} more` : ""));
  }

  const articleIndex = makeIndex({
    id: "articles", noun: "articles", table: articles, natural: "position", dir: 1,
    placeholder: "title, file, id or error",
    haystack: (i) => [A.label[i], A.id[i], A.path[i], A.error[i] || ""].join("\n"),
    filters: [
      { param: "lang", label: "Language", all: "all languages", options: D.articles.langs.map((l) => [l, l]), test: (i, v) => A.lang[i] === v },
      { param: "status", label: "Status", all: "all statuses", options: D.statuses.map((s) => [s, `${s} (${fmt(D.articles.statusCounts[s] || 0)})`]), test: (i, v) => A.status[i] === v },
    ],
    columns: [
      { key: "position", label: "#", num: true, value: (i) => i, cell: (i) => String(i + 1) },
      { key: "title", label: "Title", value: (i) => A.label[i], cell: (i) => h("a", { href: `#/article/${encodeURIComponent(A.id[i])}`, lang: A.lang[i] }, A.label[i]) },
      { key: "path", label: "Document", value: (i) => A.path[i], cell: (i) => pathCode(A.path[i]) },
      { key: "lang", label: "Language", value: (i) => A.lang[i] || "" },
      { key: "status", label: "Status", value: (i) => A.status[i] },
      { key: "error", label: "Why", value: (i) => A.error[i] || "" },
      { key: "n_mentions", label: "Mentions", num: true, value: (i) => A.n_mentions[i] },
      { key: "chars", label: "Characters", num: true, value: (i) => A.chars[i] },
    ],
  });

  // ---- entity page: card, then its mentions in context, a page at a time ----
  // A mention's sentence is the article text at its offsets (data.py); an override is
  // the table's own sentence when it is not, shown with the reason.
  function mentionContext(k, e) {
    const o = overrides.get(k) || {};
    const sentence = Array.from(o.sentence !== undefined ? o.sentence : M.sentence[k]);
    const s = M.start[k] - M.sentence_start[k], t = M.end[k] - M.sentence_start[k];
    const p = h("p", { class: "context", lang: A.lang[M.article[k]] });
    if (s < 0 || t > sentence.length) {
      p.append(sentence.join(""), h("span", { class: "warn" }, " [the mention is not inside this sentence]"));
    } else {
      p.append(sentence.slice(0, s).join(""),
        h("mark", { class: `entity t-${E.type[e]}` }, sentence.slice(s, t).join("")),
        sentence.slice(t).join(""));
    }
    if (o.text !== undefined) p.append(h("span", { class: "warn" }, ` [the table's text “${o.text}” is not the article text at these offsets]`));
    return p;
  }
  function mentionItem(k, e) {
    const a = M.article[k];
    const label = D.labels[M.label[k]];
    return h("li", { class: "mention", "data-mention": M.id[k] }, mentionContext(k, e),
      h("p", { class: "meta" },
        h("a", { href: `#/article/${encodeURIComponent(A.id[a])}/${M.start[k]}-${M.end[k]}`, lang: A.lang[a] }, A.label[a]),
        " · ", pathCode(A.path[a]),
        ` · ${A.lang[a] || "undetected"} · characters ${M.start[k]}–${M.end[k]} · `,
        h("code", {}, D.sources[M.source[k]]),
        label ? ` · label ${label}` : "",
        ` · ${D.resolutions[M.resolution[k]]}`,
        M.curated[k] ? h("b", {}, " · curated") : "",
        ` · ${M.id[k]} · `, mentionActions(k, e)));
  }
  async function entityView(id) {
    const e = await rowOf("entity", id);
    if (e === undefined) return [warning(`No entity ${id} in this report.`)];
    await entities.rows(e, e + 1);
    const count = E.m_count[e];
    const list = h("ol", { class: "mentions" });
    let shown = 0;
    const more = h("button", { type: "button", onclick: () => addMore().catch((err) => more.replaceWith(warning(err.message))) });
    async function addMore() {
      more.disabled = true;
      const stop = Math.min(count, shown + MENTION_PAGE);
      await mentions.rows(E.m_first[e] + shown, E.m_first[e] + stop);
      await articles.at(M.article.slice(E.m_first[e] + shown, E.m_first[e] + stop));
      const items = [];
      for (; shown < stop; shown++) items.push(mentionItem(E.m_first[e] + shown, e));
      list.append(...items);
      more.disabled = false;
      more.hidden = shown >= count;
      more.textContent = `show ${Math.min(MENTION_PAGE, count - shown)} more (${fmt(count - shown)} left)`;
    }
    await addMore();
    const registry = E.registry_source[e] ? ` (registry: ${E.registry_source[e]})` : "";
    return [
      h("h2", {}, `${E.name[e]} `, badge(E.type[e]), h("span", { class: "pending-slot", "data-entity-index": e }, pendingTag(e))),
      h("dl", { class: "card" },
        h("dt", {}, "entity id"), h("dd", {}, h("code", {}, E.id[e])),
        h("dt", {}, "key"), h("dd", {}, h("code", {}, E.key[e])),
        h("dt", {}, "resolution"), h("dd", {}, E.resolution[e] + registry),
        h("dt", {}, "curated"), h("dd", {}, E.curated[e] ? "yes" : "no"),
        h("dt", {}, "doubt"), h("dd", {}, `${E.doubt[e].toFixed(2)}`,
          E.doubt_reasons[e].length ? ` (${E.doubt_reasons[e].join("; ")})` : ""),
        h("dt", {}, "languages"), h("dd", {}, E.langs[e].join(", ")),
        h("dt", {}, "mentions"), h("dd", {}, `${fmt(E.n_mentions[e])} in ${fmt(E.n_articles[e])} article(s)`,
          E.n_mentions[e] !== count ? h("span", { class: "warn" }, ` [but ${fmt(count)} rows in mentions]`) : ""),
        h("dt", {}, "aliases"), h("dd", {}, aliasText(e, Infinity))),
      h("h3", {}, "Decide"), entityActions(e),
      h("h3", {}, `Mentions in context (${fmt(count)})`), list, more,
    ];
  }

  // ---- article view: the text with every mention highlighted, coloured by type ----
  // #/article/ID/START-END brings the mention at those offsets into view.
  async function articleView(id, focusOn) {
    const a = await rowOf("article", id);
    if (a === undefined) return { content: [warning(`No article ${id} in this report.`)] };
    await Promise.all([articles.rows(a, a + 1), texts.rows(a, a + 1)]);
    const cps = Array.from(T.text[a]);
    const doc = h("div", { class: "doc", lang: A.lang[a] });
    let cursor = 0, overlapping = 0, focus = null;
    for (const [start, end, [entityId, type, name]] of T.marks[a]) {
      if (start < cursor) { overlapping++; continue; }
      const mark = h("mark", { class: `entity t-${type}`, "data-type": type },
        h("a", { href: `#/entity/${encodeURIComponent(entityId)}`, title: `${name} (${type})` }, cps.slice(start, end).join("")));
      if (focusOn === `${start}-${end}`) focus = mark;
      doc.append(cps.slice(cursor, start).join(""), mark);
      cursor = end;
    }
    doc.append(cps.slice(cursor).join(""));
    const repairs = A.n_repairs[a] ? `, ${A.n_repairs[a]} scrape repair(s) before NER` : "";
    const content = [
      h("h2", { lang: A.lang[a] }, A.label[a]),
      h("dl", { class: "card" },
        h("dt", {}, "article id"), h("dd", {}, h("code", {}, A.id[a])),
        h("dt", {}, "document"), h("dd", {}, h("code", {}, A.path[a]),
          ` · article ${A.seq[a] + 1} · starts at character ${fmt(A.start[a])}`),
        h("dt", {}, "language"), h("dd", {}, A.lang[a] || "undetected"),
        h("dt", {}, "status"), h("dd", {}, A.status[a], A.error[a] ? h("span", { class: "warn" }, `: ${A.error[a]}`) : ""),
        h("dt", {}, "mentions"), h("dd", {}, `${fmt(A.n_mentions[a])}${repairs}`,
          overlapping ? h("span", { class: "warn" }, ` [${overlapping} overlapping mention(s) not highlighted; see their entities]`) : "")),
      h("p", { class: "legend" }, D.types.map(badge)), doc];
    if (focus) focus.classList.add("focus");
    return { content, focus };
  }

  // ---- curation: decisions made here, kept in this browser per run, exported as curation YAML ----
  // A decision is plain data; the export writes it in models/curation.yaml's format,
  // and `python -m pipeline curate apply FILE` merges it into the curation file.
  const STORE = `civic-entities.curation.${D.run}`;
  const today = () => new Date().toISOString().slice(0, 10);
  let pending = [];
  try { pending = JSON.parse(localStorage.getItem(STORE) || "[]"); } catch (err) { pending = []; }
  function save() {
    try { localStorage.setItem(STORE, JSON.stringify(pending)); } catch (err) { /* private mode: kept in this tab only */ }
    drawPanel();
    if (!document.getElementById("entities").hidden) entityIndex.redraw();
    for (const slot of document.querySelectorAll("#entity .pending-slot")) slot.replaceChildren(pendingTag(Number(slot.dataset.entityIndex)));
  }
  function pendingTag(e) {
    const ops = pending.filter((d) => d.type === E.type[e] && d.key === E.key[e]).map((d) => d.op);
    return ops.length ? h("span", { class: "pending", title: "pending decisions (see the panel)" }, ` ${[...new Set(ops)].join(", ")} pending`) : "";
  }
  function decide(decision) {
    pending.push({ id: (pending.reduce((m, d) => Math.max(m, d.id), 0) + 1), added: today(), ...decision });
    save();
  }
  function undo(id) { pending = pending.filter((d) => d.id !== id); save(); }
  const counts = (e) => `${E.type[e]} ${E.key[e]}, ${E.n_mentions[e]} mention(s) in ${E.n_articles[e]} article(s)`;
  const ref = (e) => ({ type: E.type[e], key: E.key[e], name: E.name[e], about: counts(e) });

  function describe(d) {
    const what = {
      reject: () => `reject “${d.name}” (${d.about})`,
      rename: () => `rename “${d.name}” (${d.about}) to “${d.newName}”`,
      retype: () => `retype “${d.name}” (${d.about}) to ${d.to}`,
      merge: () => `merge “${d.name}” (${d.about}) into “${d.intoName}” (${d.intoAbout})`,
      detach: () => `detach “${d.text}” at ${d.start}–${d.end} of “${d.title}” from “${d.name}” (${d.about})` +
        (d.to ? `, onto “${d.toName}” (${d.toAbout})` : ", as not an entity"),
    }[d.op];
    return what ? what() : d.op;
  }

  // YAML scalars: JSON strings are valid YAML double-quoted scalars; the line and paragraph
  // separators are escaped too, and comments lose their control characters.
  const q = (s) => JSON.stringify(String(s)).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
  const comment = (s) => "  # " + String(s).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ");
  function entries(d) {
    const added = `added: ${q(d.added)}`;
    switch (d.op) {
      case "reject": return [["reject", `{type: ${q(d.type)}, key: ${q(d.key)}, ${added}}`]];
      case "rename": return [["rename", `{type: ${q(d.type)}, key: ${q(d.key)}, name: ${q(d.newName)}, ${added}}`]];
      case "retype": return d.aliases.map((a) => ["retype", `{text: ${q(a)}, from: ${q(d.type)}, to: ${q(d.to)}, ${added}}`]);
      case "merge": return [["merge", `{type: ${q(d.type)}, into: ${q(d.into)}, keys: [${q(d.key)}], ${added}}`]];
      case "detach": return [["detach", `{type: ${q(d.type)}, key: ${q(d.key)}, article: ${q(d.article)}, ` +
        `start: ${d.start}, end: ${d.end}, text: ${q(d.text)}${d.to ? `, into: ${q(d.to)}` : ""}, ${added}}`]];
      default: return [];
    }
  }
  function exportYaml() {
    const byOp = new Map();
    for (const d of pending) {
      for (const [op, line] of entries(d)) {
        if (!byOp.has(op)) byOp.set(op, []);
        byOp.get(op).push(comment(describe(d)), `  - ${line}`);
      }
    }
    const head = [`# Curation decisions from the audit report of the run finished ${D.finished_at || "?"}.`,
      "# Merge into the curation file with: .venv/bin/python -m pipeline curate apply THIS_FILE"];
    const body = ["reject", "retype", "detach", "merge", "rename"].filter((op) => byOp.has(op))
      .flatMap((op) => [`${op}:`, ...byOp.get(op)]);
    return [...head, ...body].join("\n") + "\n";
  }
  function download() {
    const blob = new Blob([exportYaml()], { type: "application/x-yaml" });
    const link = h("a", { href: URL.createObjectURL(blob), download: `curation-${D.run}.yaml` });
    document.body.append(link);
    link.click();
    link.remove();
  }

  // The panel sits beside the page on wide screens and below it on narrow ones (report.css);
  // the header's button says how many decisions are pending and brings the panel into view.
  const panel = document.getElementById("review");
  const panelButton = document.getElementById("review-button");
  panelButton.addEventListener("click", () => { panel.scrollIntoView({ block: "start" }); panel.focus(); });
  function drawPanel() {
    const items = pending.map((d) => h("li", { "data-decision": d.op }, describe(d), " ",
      h("button", { type: "button", class: "undo", "data-action": "undo", onclick: () => undo(d.id) }, "undo")));
    panel.replaceChildren(
      h("h2", {}, `Pending decisions (${pending.length})`),
      pending.length ? h("ol", {}, items) : h("p", { class: "muted" }, "None yet: use the actions on an entity's page or in the index."),
      h("p", {},
        h("button", { type: "button", "data-action": "export", disabled: !pending.length, onclick: download }, "Export YAML"), " ",
        h("button", { type: "button", "data-action": "clear", disabled: !pending.length,
          onclick: () => { if (confirm("Forget every pending decision?")) { pending = []; save(); } } }, "Clear")),
      h("pre", { class: "yaml", hidden: !pending.length }, pending.length ? exportYaml() : ""));
    panel.hidden = false;
    panelButton.textContent = `Pending decisions (${pending.length})`;
  }

  // A search picker over the index: entities of one type, by name, alias or key.
  // Its first use loads every piece of the index.
  function picker(type, exclude, label, onPick) {
    const placeholder = `search ${type} entities`;
    const input = h("input", { type: "search", class: "picker", placeholder, size: placeholder.length + 4, "aria-label": `${label}: ${placeholder}` });
    const list = h("ul", { class: "picks" });
    function search() {
      const needle = fold(input.value).trim();
      if (needle && !entities.complete()) {
        list.replaceChildren(h("li", { class: "muted" }, "loading the index…"));
        entities.all(() => {}).then(search, (err) => list.replaceChildren(h("li", {}, warning(err.message))));
        return;
      }
      const found = [];
      for (let i = 0; i < E.id.length && found.length < 8 && needle; i++) {
        if (i === exclude || E.type[i] !== type) continue;
        if ([E.name[i], E.key[i], ...E.aliases[i]].some((s) => fold(s).includes(needle))) found.push(i);
      }
      list.replaceChildren(...found.map((i) => h("li", {}, h("button", { type: "button", "data-pick": E.key[i],
        onclick: () => { input.value = ""; list.replaceChildren(); onPick(i); } }, `${E.name[i]} `, h("code", {}, E.key[i]),
        ` · ${fmt(E.n_mentions[i])} mention(s)`))));
    }
    input.addEventListener("input", search);
    return h("span", { class: "picker-box" }, h("label", {}, `${label} `, input), list);
  }

  function entityActions(e) {
    const retype = h("select", { "aria-label": "new type" }, D.allTypes.filter((t) => t !== E.type[e]).map((t) => h("option", { value: t }, t)));
    const rename = h("input", { type: "text", value: E.name[e], "aria-label": "new name" });
    return h("div", { class: "actions", "data-entity": E.id[e] },
      h("button", { type: "button", "data-action": "reject", onclick: () => decide({ op: "reject", ...ref(e) }) }, "Reject (not an entity)"),
      h("span", { class: "group" }, retype, h("button", { type: "button", "data-action": "retype",
        onclick: () => decide({ op: "retype", ...ref(e), to: retype.value, aliases: E.aliases[e] }) }, "Retype")),
      h("span", { class: "group" }, rename, h("button", { type: "button", "data-action": "rename",
        onclick: () => rename.value.trim() && rename.value !== E.name[e] && decide({ op: "rename", ...ref(e), newName: rename.value.trim() }) }, "Rename")),
      h("span", { class: "group", "data-action": "merge" }, picker(E.type[e], e, "Merge into",
        (t) => decide({ op: "merge", ...ref(e), into: E.key[t], intoName: E.name[t], intoAbout: counts(t) }))));
  }

  function mentionActions(k, e) {
    const a = M.article[k];
    const o = overrides.get(k) || {};
    const s = M.start[k] - M.sentence_start[k], t = M.end[k] - M.sentence_start[k];
    const text = o.surface !== undefined ? o.surface : Array.from(M.sentence[k]).slice(s, t).join("");
    const base = { op: "detach", ...ref(e), article: A.hash[a], title: A.label[a], start: M.start[k], end: M.end[k], text };
    const form = h("span", { class: "detach", hidden: true },
      h("button", { type: "button", "data-action": "detach-drop", onclick: () => decide({ ...base, to: null }) }, "not an entity"),
      " or ", picker(E.type[e], e, "move onto",
        (to) => decide({ ...base, to: E.key[to], toName: E.name[to], toAbout: counts(to) })));
    return h("span", { class: "mention-actions" },
      h("button", { type: "button", "data-action": "detach", onclick: () => { form.hidden = !form.hidden; } }, "not this entity…"), form);
  }

  // A decision's status: a near miss of one of the run's keys (a typo?) first, then a detach
  // whose article is gone, then a decision none of whose keys is in this run (a curation
  // file written for another corpus), else whether it changed anything.
  function decisionStatus(d) {
    const misses = d.near_misses || [];
    if (misses.length) {
      return h("span", { class: "warn" }, "not applied: " + misses.map((m) =>
        `${m.type} ${m.key} is not in this run, ${m.near} is (a typo?)`).join("; "));
    }
    if (d.stale) return h("span", { class: "warn" }, "stale: its article is not in this run");
    if (d.applies === false) {
      return h("span", { class: "muted", title: `not in this run: ${(d.absent_keys || []).join(", ")}` },
        "not applicable in this run: none of its keys is an entity here");
    }
    return d.mentions || d.entities ? "in force" : h("span", { class: "muted" }, "changed nothing in this run");
  }

  function curationView() {
    const c = D.curation;
    const intro = c.path ? `Decisions in force from ${c.path}: ${c.decisions.length}` : "No curation file was applied in this run.";
    const curated = h("p", {}, `Curated entities in this run: ${fmt(D.entities.curated)} (`,
      h("a", { href: "#/entities?curated=1" }, "list them"), ").");
    if (!c.decisions.length) {
      return [h("h2", {}, "Curation"), h("p", {}, intro),
        h("p", { class: "empty" }, "Nothing has been decided yet. Open an entity (or “decide…” in the Entities tab) to ",
          "reject, retype, rename or merge it, or detach one of its mentions; export the pending decisions from the panel, ",
          "then merge the file with ", h("code", {}, ".venv/bin/python -m pipeline curate apply FILE"),
          " and run the pipeline again. The decisions in force are listed here."),
        curated];
    }
    const rows = c.decisions.map((d) => h("tr", { class: d.stale || (d.near_misses || []).length ? "stale" : null },
      h("td", {}, d.operation),
      h("td", {}, Object.entries(d.entry).filter(([k]) => k !== "added").map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(", ") : v}`).join(" · ")),
      h("td", { class: "date" }, d.entry.added || "—"),
      h("td", { class: "num" }, String(d.mentions)), h("td", { class: "num" }, String(d.entities)),
      h("td", {}, decisionStatus(d)),
      h("td", { class: "nowrap" }, `line ${d.line}`)));
    // Counts of runs before these fields existed are undefined: nothing is said of them.
    const notApplicable = c.not_applicable ? h("span", { class: "muted" }, ` · ${c.not_applicable} not applicable in this run`) : "";
    const nearMisses = c.near_misses ? h("span", { class: "warn" }, ` · ${c.near_misses} naming a key close to one of this run's (a typo?)`) : "";
    return [h("h2", {}, "Curation"),
      h("p", {}, intro, c.stale ? h("span", { class: "warn" }, ` · ${c.stale} stale`) : "", notApplicable, nearMisses),
      h("table", { class: "grid" }, h("thead", {}, h("tr", {}, ["operation", "decision", "added", "mentions changed",
        "entities changed", "status", "where"].map((t) => h("th", { scope: "col" }, t)))), h("tbody", {}, rows)),
      curated];
  }

  // ---- routing: #/summary, #/entities?…, #/articles?…, #/charts, #/entity/ID, #/article/ID[/MENTION] ----
  // A view is shown once its content is ready, so what is on screen is always whole;
  // a route superseded while its data loads draws nothing.
  const views = ["summary", "entities", "articles", "charts", "entity", "article", "curation"];
  let routing = 0;
  async function route() {
    const token = ++routing;
    const [path, query] = location.hash.replace(/^#\/?/, "").split("?");
    const parts = path.split("/").map(decodeURIComponent);
    const view = views.includes(parts[0]) ? parts[0] : "summary";
    const navView = { entity: "entities", article: "articles" }[view] || view;
    for (const link of document.querySelectorAll("nav a")) {
      if (link.dataset.view === navView) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
    const section = document.getElementById(view);
    let focus = null;
    try {
      if (view === "entities") await entityIndex.show(Object.fromEntries(new URLSearchParams(query)));
      else if (view === "articles") await articleIndex.show(Object.fromEntries(new URLSearchParams(query)));
      else if (view === "entity") {
        const content = await entityView(parts[1]);
        if (token === routing) section.replaceChildren(...content);
      } else if (view === "article") {
        const shown = await articleView(parts[1], parts[2]);
        if (token === routing) section.replaceChildren(...shown.content);
        focus = shown.focus;
      } else if (view === "curation") section.replaceChildren(...curationView());
    } catch (err) {
      if (token === routing) section.replaceChildren(warning(err.message));
    }
    if (token !== routing) return;
    for (const id of views) document.getElementById(id).hidden = id !== view;
    if (focus) focus.scrollIntoView({ block: "center" });
    else window.scrollTo(0, 0);
  }
  window.addEventListener("hashchange", route);
  drawPanel();
  route().finally(() => performance.mark("audit-ready"));
})();
