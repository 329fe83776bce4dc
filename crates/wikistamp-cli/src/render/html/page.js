"use strict";
// Draws the report from the data in #report-data (gzipped JSON in base64). Long lists are
// paged: only one page of rows is ever in the document.
async function reportData() {
  const text = atob(document.getElementById("report-data").textContent.trim());
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  const json = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return JSON.parse(await new Response(json).text());
}
reportData().then((D) => {
  const $ = (id) => document.getElementById(id);
  const el = (tag, attrs, ...kids) => {
    const e = document.createElement(tag);
    for (const k in attrs || {}) {
      if (k === "class") e.className = attrs[k];
      else if (k === "text") e.textContent = attrs[k];
      else e.setAttribute(k, attrs[k]);
    }
    for (const c of kids) e.append(c);
    return e;
  };
  const fmt = (n) => n.toLocaleString("en");
  const SVG = "http://www.w3.org/2000/svg";
  const svg = (tag, attrs) => {
    const e = document.createElementNS(SVG, tag);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    return e;
  };
  const shq = (s) => (/^[\w.\/@:,+-]+$/.test(s) ? s : "'" + s.replace(/'/g, "'\\''") + "'");
  const target = D.paths_arg.length ? " " + D.paths_arg.map(shq).join(" ") : "";
  const cmd = (extra) => "wikistamp check" + extra + target;
  const folderOf = (p) => { const i = p.indexOf("/"); return i < 0 ? "(top level)" : p.slice(0, i); };
  const vaultPath = (p) => (D.prefix ? D.prefix + "/" : "") + p;
  const obsidian = (rel) =>
    "obsidian://open?vault=" + encodeURIComponent(D.vault) + "&file=" + encodeURIComponent(rel.replace(/\.md$/, ""));
  const vscode = (rel, line) => "vscode://file" + encodeURI(D.root + "/" + rel) + (line ? ":" + line : "");
  const openLinks = (rel, line) => {
    const s = el("span");
    s.append(el("a", { href: obsidian(rel), text: "Obsidian" }), " · ", el("a", { href: vscode(rel, line), text: "VS Code" }));
    return s;
  };
  const total = D.rows.length;

  function pager(box, count, size, draw) {
    let page = 0;
    const pages = () => Math.max(1, Math.ceil(count() / size));
    const prev = el("button", { text: "‹ Previous" });
    const next = el("button", { text: "Next ›" });
    const info = el("span");
    box.replaceChildren(prev, info, next);
    const show = () => {
      page = Math.min(page, pages() - 1);
      draw(page * size, Math.min(count(), (page + 1) * size));
      info.textContent = "page " + (page + 1) + " of " + pages();
      prev.disabled = page === 0;
      next.disabled = page >= pages() - 1;
    };
    prev.onclick = () => { page--; show(); };
    next.onclick = () => { page++; show(); };
    return { show, reset() { page = 0; show(); } };
  }

  // Summary
  $("subtitle").textContent = "Vault " + D.vault + " · " + D.root;
  const card = (n, label, command) =>
    el("div", { class: "card" }, el("div", { class: "n", text: fmt(n) }), el("div", { class: "label", text: label }),
      el("div", { class: "cmd", text: command }));
  let safe = 0, unsafe = 0;
  for (const r of D.rules) { safe += r.safe; unsafe += r.unsafe; }
  $("totals").append(
    card(D.notes_checked, "notes checked", cmd("")),
    card(total, "findings in " + fmt(D.notes_with_findings) + " notes", cmd("")),
    card(D.errors, "errors", cmd("")),
    card(D.warnings, "warnings", cmd("")),
    card(D.infos, "infos", cmd("")),
    card(safe, "safely fixable", cmd(" --statistics")),
    card(unsafe, "fixable with an assumption", cmd(" --statistics")));
  // Severity bar (inline SVG)
  {
    const parts = [["error", D.errors], ["warning", D.warnings], ["info", D.infos]];
    const sum = D.errors + D.warnings + D.infos;
    const s = svg("svg", { viewBox: "0 0 1000 24", width: "100%", height: "24", role: "img" });
    let x = 0;
    for (const [name, n] of parts) {
      if (!sum || !n) continue;
      const w = (n / sum) * 1000;
      const r = svg("rect", { x, y: 2, width: w, height: 20, fill: "var(--" + name + ")" });
      r.append(svg("title", {})); r.firstChild.textContent = fmt(n) + " " + name + "s";
      s.append(r);
      x += w;
    }
    $("severity-chart").append(s);
  }
  const maxRule = Math.max(1, ...D.rules.map((r) => r.count));
  for (const r of [...D.rules].sort((a, b) => b.count - a.count)) {
    $("rules").tBodies[0].append(el("tr", { "data-rule": r.rule },
      el("td", {}, el("code", { text: r.rule })),
      el("td", { class: "sev-" + r.severity, text: r.severity }),
      el("td", { class: "num" }, el("span", { class: "bar", style: "width:" + Math.max(1, (60 * r.count) / maxRule) + "px" }), " " + fmt(r.count)),
      el("td", { class: "num", text: fmt(r.safe) }),
      el("td", { class: "num", text: fmt(r.unsafe) }),
      el("td", { class: "cmd", text: cmd(" --select " + r.rule + " --statistics") })));
  }

  // Where
  const folders = new Map();
  const perPath = new Array(D.paths.length).fill(0);
  for (const row of D.rows) perPath[row[0]]++;
  const folderIdx = D.paths.map(folderOf);
  D.paths.forEach((p, i) => {
    const f = folderIdx[i];
    if (!folders.has(f)) folders.set(f, { folder: f, notes: 0, count: 0, errors: 0, warnings: 0 });
    folders.get(f).notes++;
  });
  for (const row of D.rows) {
    const f = folders.get(folderIdx[row[0]]);
    f.count++;
    if (row[3] === 0) f.errors++; else if (row[3] === 1) f.warnings++;
  }
  const folderRows = [...folders.values()];
  let sortKey = "count", sortDesc = true;
  const drawFolders = () => {
    folderRows.sort((a, b) => {
      const x = a[sortKey], y = b[sortKey];
      const c = typeof x === "string" ? x.localeCompare(y) : x - y;
      return sortDesc ? -c : c;
    });
    const maxF = Math.max(1, ...folderRows.map((f) => f.count));
    $("folders").tBodies[0].replaceChildren(...folderRows.slice(0, 200).map((f) =>
      el("tr", {}, el("td", { text: f.folder }), el("td", { class: "num", text: fmt(f.notes) }),
        el("td", { class: "num", text: fmt(f.count) }), el("td", { class: "num", text: fmt(f.errors) }),
        el("td", { class: "num", text: fmt(f.warnings) }),
        el("td", {}, el("span", { class: "bar", style: "width:" + (120 * f.count) / maxF + "px" })))));
  };
  for (const th of $("folders").tHead.rows[0].cells) {
    if (!th.dataset.key) continue;
    th.onclick = () => {
      if (sortKey === th.dataset.key) sortDesc = !sortDesc;
      else { sortKey = th.dataset.key; sortDesc = sortKey !== "folder"; }
      drawFolders();
    };
  }
  drawFolders();
  const top = perPath.map((n, i) => [n, i]).sort((a, b) => b[0] - a[0]).slice(0, 20);
  $("top-notes").tBodies[0].append(...top.map(([n, i]) =>
    el("tr", {}, el("td", { text: D.paths[i] }), el("td", { class: "num", text: fmt(n) }))));

  // Wanted notes
  {
    const list = $("wanted-list");
    const wanted = D.wanted || [];
    list.append(el("p", { text: fmt(wanted.length) + " wanted notes" + (wanted.length > 200 ? "; the first 200:" : "") }));
    for (const [name, from] of wanted.slice(0, 200)) {
      const d = el("details", { class: "wanted" },
        el("summary", {}, el("strong", { text: name }), " — linked from " + fmt(from.length) + (from.length === 1 ? " note" : " notes")));
      d.addEventListener("toggle", () => {
        if (d.open && d.children.length === 1) {
          d.append(el("div", { class: "links", text: from.slice(0, 100).map((i) => D.notes[i]).join(" · ") + (from.length > 100 ? " …" : "") }));
        }
      });
      list.append(d);
    }
  }

  // Citation strips
  {
    const strips = D.strips || [];
    const KIND = ["ok", "shifted", "after", "unsupported", "other"];
    const clock = (s) => { s = Math.round(s); const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), x = s % 60;
      return (h ? h + ":" + String(m).padStart(2, "0") : m) + ":" + String(x).padStart(2, "0"); };
    let shown = strips.map((_, i) => i);
    const draw = (from, to) => {
      $("strips").replaceChildren(...shown.slice(from, to).map((i) => {
        const [note, length, known, ticks, covered] = strips[i];
        const end = Math.max(length, ...ticks.map((t) => t[0])) || 1;
        const s = svg("svg", { viewBox: "0 0 1000 18", preserveAspectRatio: "none", class: "strip" });
        s.append(svg("rect", { class: "track", x: 0, y: 1, width: (1000 * length) / end, height: 16 }));
        for (const [a, b] of covered) s.append(svg("rect", { class: "cover", x: (1000 * a) / end, y: 1, width: Math.max(1, (1000 * (b - a)) / end), height: 16 }));
        for (const [t, k] of ticks) {
          const x = (1000 * t) / end;
          const l = svg("line", { class: KIND[k], x1: x, x2: x, y1: k ? 0 : 4, y2: k ? 18 : 14, "stroke-width": k ? 3 : 1.5 });
          l.append(svg("title", {})); l.firstChild.textContent = clock(t) + " " + KIND[k];
          s.append(l);
        }
        const cover = covered.reduce((n, [a, b]) => n + (b - a), 0);
        return el("div", { class: "strip-row", "data-note": D.notes[note] },
          el("div", { class: "name", title: D.notes[note], text: D.notes[note] }), s,
          el("div", { class: "meta", text: clock(length) + (known ? "" : " (inferred)") + " · " + Math.round((100 * cover) / (length || 1)) + "%" }));
      }));
    };
    const p = pager($("strip-pager"), () => shown.length, 50, draw);
    $("strip-filter").addEventListener("input", (e) => {
      const q = e.target.value.toLowerCase();
      shown = strips.map((_, i) => i).filter((i) => !q || D.notes[strips[i][0]].toLowerCase().includes(q));
      p.reset();
    });
    p.show();
  }

  // Orphans
  {
    const orphans = D.orphans || [];
    let shown = orphans;
    const p = pager($("orphan-pager"), () => shown.length, 300, (from, to) => {
      $("orphan-list").replaceChildren(...shown.slice(from, to).map((i) =>
        el("li", {}, el("a", { href: obsidian(D.notes[i]), text: D.notes[i] }))));
    });
    $("orphan-filter").addEventListener("input", (e) => {
      const q = e.target.value.toLowerCase();
      shown = orphans.filter((i) => !q || D.notes[i].toLowerCase().includes(q));
      p.reset();
    });
    p.show();
  }

  // Every finding
  {
    for (const r of D.rules) $("f-rule").append(el("option", { value: r.rule, text: r.rule + " (" + fmt(r.count) + ")" }));
    for (const f of [...folders.keys()].sort()) $("f-folder").append(el("option", { value: f, text: f }));
    let shown = D.rows;
    const body = $("finding-rows").tBodies[0];
    const p = pager($("finding-pager"), () => shown.length, 100, (from, to) => {
      body.replaceChildren(...shown.slice(from, to).map((row) => {
        const [pi, line, ri, si, message] = row;
        const path = D.paths[pi];
        return el("tr", {},
          el("td", { class: "loc" }, el("code", { text: path + ":" + line })),
          el("td", { class: "sev-" + D.severities[si] }, el("code", { text: D.rules[ri].rule })),
          el("td", { text: message }),
          el("td", {}, openLinks(vaultPath(path), line)));
      }));
      $("f-count").textContent = fmt(shown.length) + " of " + fmt(total) + " findings";
    });
    const apply = () => {
      const rule = $("f-rule").value, folder = $("f-folder").value, q = $("f-text").value.toLowerCase();
      const ri = rule ? D.rules.findIndex((r) => r.rule === rule) : -1;
      shown = D.rows.filter((row) =>
        (ri < 0 || row[2] === ri) && (!folder || folderIdx[row[0]] === folder) &&
        (!q || row[4].toLowerCase().includes(q) || D.paths[row[0]].toLowerCase().includes(q)));
      p.reset();
    };
    $("f-rule").onchange = apply;
    $("f-folder").onchange = apply;
    $("f-text").addEventListener("input", apply);
    // `#rule=…&folder=…&q=…` opens the page filtered (a link to a filtered view).
    const preset = new URLSearchParams(location.hash.slice(1));
    if (preset.has("rule") || preset.has("folder") || preset.has("q")) {
      $("f-rule").value = preset.get("rule") || "";
      $("f-folder").value = preset.get("folder") || "";
      $("f-text").value = preset.get("q") || "";
      apply();
    } else {
      p.show();
    }
  }
  document.body.dataset.ready = "1";
}).catch((e) => {
  // A browser without DecompressionStream (before 2023) cannot read the data.
  const p = document.createElement("p");
  p.className = "error";
  p.textContent = "This browser cannot read the report's data: " + e;
  document.body.prepend(p);
});
