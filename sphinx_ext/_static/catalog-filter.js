// Filter bar for catalog tables (tables with the class kb-filterable): one select per
// column among level, kind, tasks and tags, plus a free-text box. Filters rows in place.
(function () {
  "use strict";
  const FILTERED = ["level", "kind", "tasks", "tags"];

  function cellTerms(cell) {
    return cell.textContent.split(",").map((t) => t.trim()).filter((t) => t.length > 0);
  }

  function setup(table) {
    const headers = Array.from(table.querySelectorAll("thead th")).map((th) =>
      th.textContent.trim().toLowerCase()
    );
    const rows = Array.from(table.querySelectorAll("tbody tr"));
    const bar = document.createElement("div");
    bar.className = "kb-filter-bar";
    const text = document.createElement("input");
    text.type = "search";
    text.placeholder = "Filter components…";
    text.setAttribute("aria-label", "Filter components by text");
    bar.appendChild(text);
    const selects = {};
    FILTERED.forEach((name) => {
      const column = headers.indexOf(name);
      if (column < 0) return;
      const terms = new Set();
      rows.forEach((row) => cellTerms(row.cells[column]).forEach((t) => terms.add(t)));
      const select = document.createElement("select");
      select.setAttribute("aria-label", "Filter by " + name);
      select.appendChild(new Option("any " + name, ""));
      Array.from(terms).sort().forEach((t) => select.appendChild(new Option(t, t)));
      selects[name] = { select, column };
      bar.appendChild(select);
    });
    const count = document.createElement("span");
    count.className = "kb-filter-count";
    bar.appendChild(count);

    function apply() {
      const needle = text.value.trim().toLowerCase();
      let shown = 0;
      rows.forEach((row) => {
        let keep = !needle || row.textContent.toLowerCase().includes(needle);
        Object.values(selects).forEach(({ select, column }) => {
          if (keep && select.value) keep = cellTerms(row.cells[column]).includes(select.value);
        });
        row.hidden = !keep;
        if (keep) shown += 1;
      });
      count.textContent = shown + " of " + rows.length;
    }
    bar.addEventListener("input", apply);
    bar.addEventListener("change", apply);
    table.parentNode.insertBefore(bar, table);
    apply();
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("table.kb-filterable").forEach(setup);
  });
})();
