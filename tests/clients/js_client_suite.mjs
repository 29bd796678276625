#!/usr/bin/env node
// Meilisearch's official JavaScript client (npm `meilisearch`), unchanged, against a
// server that claims Meilisearch's API: `kb serve`, or a real Meilisearch.
//
//   node js_client_suite.mjs URL API_KEY INDEX_UID
//   (or KB_MEILI_URL, KB_MEILI_API_KEY, KB_MEILI_INDEX_UID)
//
// Prints one JSON object: {client, host, indexUid, calls}, where each call is
// {method, args, result} or {method, args, error}. A failing call is data for the
// Python tests (tests/indexer/test_js_client.py) to assert on, not a failure of this
// script: it exits non-zero only when it cannot run at all.

import { createRequire } from "node:module";
import { Meilisearch } from "meilisearch";

const [host, apiKey, indexUid] = [
  process.argv[2] ?? process.env.KB_MEILI_URL,
  process.argv[3] ?? process.env.KB_MEILI_API_KEY ?? "",
  process.argv[4] ?? process.env.KB_MEILI_INDEX_UID ?? "atomkb",
];
if (!host) {
  console.error("usage: node js_client_suite.mjs URL [API_KEY] [INDEX_UID]");
  process.exit(2);
}

const clientVersion = createRequire(import.meta.url)("meilisearch/package.json").version;
const client = new Meilisearch({ host, apiKey: apiKey || undefined, timeout: 20000 });
const index = client.index(indexUid);
const calls = {};
const missingIndex = `${indexUid}_no_such_index`;

// An error as the client raised it: its class, message, HTTP status and the body the
// server answered (Meilisearch's {message, code, type, link}).
function describeError(error) {
  return {
    name: error?.name ?? typeof error,
    message: String(error?.message ?? error),
    status: error?.response?.status ?? null,
    body: error?.name === "MeilisearchApiError" ? (error.cause ?? null) : null,
    cause: error?.name === "MeilisearchApiError" ? null : String(error?.cause ?? ""),
  };
}

// The client's Index objects carry an HTTP client; keep the data fields only.
function describeIndex(value) {
  const date = (d) => (d instanceof Date && !Number.isNaN(d.getTime()) ? d.toISOString() : null);
  return {
    uid: value.uid,
    primaryKey: value.primaryKey ?? null,
    createdAt: date(value.createdAt),
    updatedAt: date(value.updatedAt),
  };
}

async function call(name, method, args, run, describe = (x) => x) {
  try {
    const result = describe(await run());
    calls[name] = { method, args, result };
    return result;
  } catch (error) {
    calls[name] = { method, args, error: describeError(error) };
    return undefined;
  }
}

function search(name, q, params) {
  return call(name, "index.search", [q, params], () => index.search(q, params));
}

function multiSearch(name, body) {
  return call(name, "client.multiSearch", [body], () => client.multiSearch(body));
}

const anomaly = 'tasks = "anomaly-detection"';

// The instance and its indexes.
await call("health", "client.health", [], () => client.health());
await call("version", "client.getVersion", [], () => client.getVersion());
await call("stats", "client.getStats", [], () => client.getStats());
await call("indexStats", "index.getStats", [], () => index.getStats());
await call(
  "indexes",
  "client.getIndexes",
  [],
  () => client.getIndexes(),
  (answer) => ({ ...answer, results: answer.results.map(describeIndex) }),
);
await call("rawIndexesPaged", "client.getRawIndexes", [{ limit: 1, offset: 0 }], () =>
  client.getRawIndexes({ limit: 1, offset: 0 }),
);
await call("getIndex", "client.getIndex", [indexUid], () => client.getIndex(indexUid), describeIndex);
await call("rawIndex", "client.getRawIndex", [indexUid], () => client.getRawIndex(indexUid));
await call("missingIndex", "client.getIndex", [missingIndex], () => client.getIndex(missingIndex));
await call("settings", "index.getSettings", [], () => index.getSettings());

// Search: relevance, typos, filters.
await search("basic", "isolation forest");
await search("typo", "isolaton forest", { limit: 5 });
await search("filtered", "", { filter: anomaly, hitsPerPage: 1000 });
await search("filterArray", "", {
  filter: [["tasks = forecasting", "tasks = classification"], "kind = component"],
  hitsPerPage: 1000,
  attributesToRetrieve: ["id", "kind", "tasks"],
});

// Facets, and for each value of `tasks` a search filtered on it: the counts must agree.
for (const q of ["", "forest"]) {
  const faceted = await search(`facets:${q}`, q, {
    facets: ["tasks", "kind", "level"],
    hitsPerPage: 1,
  });
  for (const value of Object.keys(faceted?.facetDistribution?.tasks ?? {})) {
    await search(`facetValue:${q}:${value}`, q, {
      filter: `tasks = "${value}"`,
      hitsPerPage: 1,
    });
  }
}

// Pagination, both ways.
await search("pageAll", "", { hitsPerPage: 1000, attributesToRetrieve: ["id"] });
const first = await search("page:1", "", { hitsPerPage: 7, page: 1 });
await search("page:2", "", { hitsPerPage: 7, page: 2 });
const last = first?.totalPages ?? 1;
await search("page:last", "", { hitsPerPage: 7, page: last });
await search("page:beyond", "", { hitsPerPage: 7, page: last + 1 });
await search("offsetLimit", "", { offset: 7, limit: 7 });

// Sort on the sortable attributes.
await search("sort:title:asc", "", { sort: ["title:asc"], hitsPerPage: 1000 });
await search("sort:title:desc", "", { sort: ["title:desc"], hitsPerPage: 1000 });
await search("sort:page_rank", "", { sort: ["page_rank:desc", "title:asc"], hitsPerPage: 1000 });
await search("sort:query", "forecaster", { sort: ["title:asc"], limit: 50 });

// What the hits say about the match.
await search("rankingScore", "isolation forest", { showRankingScore: true, limit: 50 });
await search("matchesPosition", "isolation forest", { showMatchesPosition: true, limit: 10 });
await search("highlightCrop", "isolation forest", {
  attributesToHighlight: ["title", "summary", "content"],
  attributesToCrop: ["content:8"],
  cropMarker: "[…]",
  highlightPreTag: "<mark>",
  highlightPostTag: "</mark>",
  limit: 5,
});
await search("highlightAll", "isolation", { attributesToHighlight: ["*"], limit: 5 });
await search("cropLength", "isolation", {
  attributesToCrop: ["content"],
  cropLength: 6,
  limit: 5,
});
await search("retrieve", "isolation forest", { attributesToRetrieve: ["id", "title"], limit: 5 });
await search("searchOn", "forest", { attributesToSearchOn: ["title"], limit: 50 });
await search("distinct", "", { distinct: "kind", hitsPerPage: 1000 });

// matchingStrategy: which query words a hit may drop.
const nonsense = "isolation forest qwxzvj";
for (const strategy of ["last", "all"]) {
  await search(`strategy:${strategy}:nonsense`, nonsense, { matchingStrategy: strategy });
}
for (const strategy of ["last", "all", "frequency"]) {
  await search(`strategy:${strategy}`, "series isolation", {
    matchingStrategy: strategy,
    showMatchesPosition: true,
    hitsPerPage: 1000,
  });
}

// The same search by GET and by POST.
const getParams = {
  filter: anomaly,
  facets: ["tasks", "kind"],
  sort: ["title:asc"],
  hitsPerPage: 5,
  page: 1,
  attributesToHighlight: ["title"],
  showRankingScore: true,
};
await call("searchGet", "index.searchGet", ["isolation forest", getParams], () =>
  index.searchGet("isolation forest", getParams),
);
await search("searchPost", "isolation forest", getParams);

// Multi-search, plain and federated.
await multiSearch("multi", {
  queries: [
    { indexUid, q: "isolation forest", limit: 3 },
    { indexUid, q: "", filter: 'tasks = "forecasting"', hitsPerPage: 1 },
    { indexUid, q: "seasonality", facets: ["tasks"] },
  ],
});
await multiSearch("federated", {
  federation: {},
  queries: [
    { indexUid, q: "isolation forest" },
    { indexUid, q: "seasonality" },
  ],
});
await multiSearch("federatedWeighted", {
  federation: { limit: 5, offset: 0 },
  queries: [
    { indexUid, q: "isolation forest" },
    { indexUid, q: "seasonality", federationOptions: { weight: 5 } },
  ],
});

// Facet search.
const facetSearch = (name, body) =>
  call(name, "index.searchForFacetValues", [body], () => index.searchForFacetValues(body));
await facetSearch("facetSearch", { facetName: "tasks", facetQuery: "fore" });
await facetSearch("facetSearchAll", { facetName: "tasks" });
await facetSearch("facetSearchFiltered", {
  facetName: "kind",
  q: "isolation",
  filter: anomaly,
});
await search("facetSearchFilteredTwin", "isolation", {
  filter: anomaly,
  facets: ["kind"],
  hitsPerPage: 1,
});

// Errors the client must be able to read.
await search("error:filter", "", { filter: "title = forest" });
await search("error:sort", "", { sort: ["summary:asc"] });
await search("error:unknownParameter", "", { notAParameter: 1 });
await facetSearch("error:facetName", { facetName: "title", facetQuery: "iso" });
await call("error:missingIndexSearch", "index.search", ["forest"], () =>
  client.index(missingIndex).search("forest"),
);

process.stdout.write(
  `${JSON.stringify({ client: { name: "meilisearch", version: clientVersion }, host, indexUid, calls })}\n`,
);
