/* atomkb as-you-type search: replaces the docs' search box behaviour when served by `kb serve`.
 * Sends Meilisearch search requests (POST /indexes/<uid>/search) to `kb serve`, or straight to
 * Meilisearch with a search-only key when /_kb/config.json names one. Results are grouped by
 * kind, with task facet chips, highlighted snippets and keyboard navigation. */
(() => {
  "use strict";
  const KINDS = ["component", "dataset", "example", "guide", "template", "api"];
  const LABELS = { component: "Components", dataset: "Datasets", example: "Examples",
                   guide: "Guides", template: "Templates", api: "API" };
  const PRE = "\u0001", POST = "\u0002";  // highlight marks that cannot come from the text
  let config = { indexUid: "atomkb", host: "", apiKey: "" };
  const ready = fetch("/_kb/config.json").then((r) => r.json()).then((c) => { config = c; })
    .catch(() => {});

  const escape = (text) => String(text ?? "").replace(/[&<>"']/g, (c) =>
    ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  const marked = (text) => escape(text).replaceAll(PRE, "<mark>").replaceAll(POST, "</mark>");

  async function search(q, tasks) {
    await ready;
    const filter = tasks.size ? [[...tasks].map((t) => `tasks = "${t.replace(/"/g, '\\"')}"`)] : undefined;
    const body = { q, limit: 30, facets: ["tasks", "kind"], filter,
                   attributesToRetrieve: ["id", "kind", "title", "url", "anchor", "tasks", "level"],
                   attributesToHighlight: ["title", "summary", "content"],
                   attributesToCrop: ["content"], cropLength: 20,
                   highlightPreTag: PRE, highlightPostTag: POST };
    const headers = { "Content-Type": "application/json" };
    if (config.host && config.apiKey) headers.Authorization = `Bearer ${config.apiKey}`;
    const response = await fetch(`${config.host || ""}/indexes/${config.indexUid}/search`,
                                 { method: "POST", headers, body: JSON.stringify(body) });
    const answer = await response.json();
    if (!response.ok) throw new Error(answer.message || response.statusText);
    return answer;
  }

  function attach(input) {
    const form = input.form || input.parentElement;
    const panel = document.createElement("div");
    panel.className = "kb-search-panel";
    panel.setAttribute("role", "listbox");
    panel.hidden = true;
    form.insertAdjacentElement("afterend", panel);
    const tasks = new Set();
    let active = -1, timer = null, sequence = 0;

    const links = () => [...panel.querySelectorAll("a.kb-hit")];
    const select = (index) => {
      const all = links();
      if (!all.length) return;
      active = (index + all.length) % all.length;
      all.forEach((a, i) => a.classList.toggle("kb-active", i === active));
      all[active].scrollIntoView({ block: "nearest" });
    };

    function render(answer) {
      const groups = {};
      for (const hit of answer.hits) (groups[hit.kind] ||= []).push(hit);
      const chips = Object.entries(answer.facetDistribution?.tasks || {}).map(([task, n]) =>
        `<button type="button" class="kb-chip${tasks.has(task) ? " kb-on" : ""}" data-task="${escape(task)}">${escape(task)} <span>${n}</span></button>`).join("");
      let html = `<div class="kb-chips">${chips}</div>`;
      if (!answer.hits.length) html += `<p class="kb-empty">No result for “${escape(input.value)}”.</p>`;
      for (const kind of KINDS) {
        if (!groups[kind]) continue;
        html += `<div class="kb-group" data-kind="${kind}"><h6>${LABELS[kind]}</h6>`;
        for (const hit of groups[kind]) {
          const f = hit._formatted || hit;
          const href = /^https?:/.test(hit.url) ? hit.url : "/" + hit.url;
          const snippet = f.summary && f.summary.includes(PRE) ? f.summary : (f.content || f.summary || "");
          html += `<a class="kb-hit" role="option" data-id="${escape(hit.id)}" href="${escape(href + (hit.anchor ? "#" + hit.anchor : ""))}">` +
                  `<span class="kb-title">${marked(f.title)}</span>` +
                  `<span class="kb-snippet">${marked(snippet)}</span></a>`;
        }
        html += "</div>";
      }
      html += `<p class="kb-status">${answer.estimatedTotalHits} results · ${answer.processingTimeMs} ms</p>`;
      panel.innerHTML = html;
      panel.hidden = false;
      active = -1;
    }

    async function run() {
      const mine = ++sequence;
      const q = input.value;
      if (!q.trim() && !tasks.size) { panel.hidden = true; return; }
      try {
        const answer = await search(q, tasks);
        if (mine === sequence) render(answer);
      } catch (error) {
        if (mine === sequence) { panel.innerHTML = `<p class="kb-empty">${escape(error.message)}</p>`; panel.hidden = false; }
      }
    }

    input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 60); });
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown") { event.preventDefault(); select(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); select(active - 1); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); links()[active].click(); }
      else if (event.key === "Escape") { panel.hidden = true; }
    });
    form.addEventListener("submit", (event) => {
      const first = links()[Math.max(active, 0)];
      if (first) { event.preventDefault(); first.click(); }
    });
    panel.addEventListener("click", (event) => {
      const chip = event.target.closest(".kb-chip");
      if (!chip) return;
      event.preventDefault();
      const task = chip.dataset.task;
      tasks.has(task) ? tasks.delete(task) : tasks.add(task);
      run();
    });
  }

  const start = () => document.querySelectorAll(
    'form.bd-search input[name="q"], form[action$="search.html"] input[name="q"], input.kb-search'
  ).forEach(attach);
  document.readyState === "loading" ? document.addEventListener("DOMContentLoaded", start) : start();
})();
