// The InstantSearch.js page of instantsearch.html (an ES module: the meilisearch client
// and its InstantSearch adapter ship as modules only; InstantSearch.js itself is the UMD
// global `instantsearch`).
import { instantMeiliSearch } from "@meilisearch/instant-meilisearch";

const query = new URLSearchParams(window.location.search);
const indexUid = query.get("indexUid") ?? "atomkb";
const status = document.getElementById("status");

// finitePagination=true pages with hitsPerPage/page and shows every page number; the
// default pages with limit/offset and shows the pages up to the next one.
const { searchClient } = instantMeiliSearch(
  query.get("host") ?? "http://127.0.0.1:7700",
  query.get("apiKey") ?? "",
  { finitePagination: query.get("finitePagination") === "true" },
);
const search = instantsearch({ indexName: indexUid, searchClient });
const { configure, searchBox, stats, refinementList, hits, pagination } = instantsearch.widgets;

search.addWidgets([
  configure({ hitsPerPage: 6 }),
  searchBox({ container: "#searchbox", placeholder: "Search the catalog" }),
  stats({ container: "#stats" }),
  refinementList({ container: "#tasks", attribute: "tasks", sortBy: ["name:asc"] }),
  hits({
    container: "#hits",
    templates: {
      item: (hit, { html, components }) => html`
        <article class="hit" data-id=${hit.id} data-tasks=${(hit.tasks ?? []).join(" ")}>
          <h2>${components.Highlight({ hit, attribute: "title" })}</h2>
          <p>${hit.summary}</p>
        </article>
      `,
    },
  }),
  pagination({ container: "#pagination" }),
]);

// The test reads failures here rather than in the console alone.
search.on("error", ({ error }) => {
  status.textContent = `error: ${error?.message ?? error}`;
});
search.on("render", () => {
  if (search.status === "idle" && !status.textContent.startsWith("error")) {
    status.textContent = "idle";
  }
});
search.start();
