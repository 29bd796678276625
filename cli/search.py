"""``kb index`` and ``kb search``: build the search index, and query it from a terminal."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import click

from catalog import LEVELS, TAGS, TASKS
from cli.errors import KbError
from cli.output import echo_json, warn
from indexer.records import RECORD_KINDS

__all__ = ["index", "make_backend", "search"]

_BOLD, _RESET = "\x1b[1;33m", "\x1b[0m"


def _backend_options(function: Any) -> Any:
    options = [
        click.option(
            "--backend",
            type=click.Choice(["embedded", "meilisearch"]),
            default="embedded",
            show_default=True,
            help="Where the index lives.",
        ),
        click.option(
            "--index-file",
            type=click.Path(dir_okay=False, path_type=Path),
            default=Path("_build/search/index.sqlite"),
            show_default=True,
            help="Embedded backend: the index file.",
        ),
        click.option("--url", envvar="KB_MEILI_URL", help="Meilisearch URL [env KB_MEILI_URL]."),
        click.option(
            "--api-key",
            envvar="KB_MEILI_API_KEY",
            help="Meilisearch key [env KB_MEILI_API_KEY]; never printed.",
        ),
        click.option(
            "--index-uid", default="atomkb", show_default=True, help="Meilisearch index uid."
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def make_backend(
    backend: str, index_file: Path, url: str | None, api_key: str | None, index_uid: str
) -> Any:
    """The backend the options name (Meilisearch's client is imported only when used)."""
    if backend == "embedded":
        from indexer.embedded import EmbeddedBackend

        return EmbeddedBackend(index_file)
    if not url:
        raise KbError("--backend meilisearch needs a server URL; pass --url or set KB_MEILI_URL")
    from indexer.meili import MeilisearchBackend

    return MeilisearchBackend(url, api_key, index_uid=index_uid)


@click.command()
@_backend_options
@click.option(
    "--records",
    "records_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("_build/search/records.json"),
    show_default=True,
    help="Records written by `kb build`; without it the catalog alone is indexed.",
)
@click.option(
    "--package",
    "packages",
    multiple=True,
    metavar="NAME",
    help="Also index the public API of this installed package (repeatable).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def index(
    backend: str,
    index_file: Path,
    url: str | None,
    api_key: str | None,
    index_uid: str,
    records_file: Path,
    packages: tuple[str, ...],
    as_json: bool,
) -> None:
    """Build or refresh the search index (atomically: searches never see half an index)."""
    from indexer.gather import gather_records

    try:
        records, notes = gather_records(records_file, packages)
    except ValueError as error:
        raise KbError(str(error)) from None
    target = make_backend(backend, index_file, url, api_key, index_uid)
    try:
        report = target.replace_all(records)
    except (ValueError, RuntimeError, OSError) as error:
        raise KbError(str(error)) from None
    except _client_errors(backend) as error:
        raise _server_error(error, url) from None
    for note in notes:
        warn(note)
    if as_json:
        echo_json(report.__dict__)
    else:
        click.echo(report.summary())


@click.command()
@click.argument("query", default="")
@click.option("--task", type=click.Choice(sorted(TASKS)), help="Only records of this task.")
@click.option("--level", type=click.Choice(sorted(LEVELS)), help="Only components of this level.")
@click.option("--kind", type=click.Choice(RECORD_KINDS), help="Only records of this kind.")
@click.option("--tag", type=click.Choice(sorted(TAGS)), multiple=True, help="Only with this tag.")
@click.option("--filter", "expression", metavar="EXPR", help="Meilisearch filter expression.")
@click.option(
    "--limit", type=click.IntRange(1, 1000), default=10, show_default=True, help="Hits shown."
)
@click.option("--offset", type=click.IntRange(0), default=0, help="Hits skipped.")
@_backend_options
@click.option("--json", "as_json", is_flag=True, help="Answer as Meilisearch's JSON.")
def search(
    query: str,
    task: str | None,
    level: str | None,
    kind: str | None,
    tag: tuple[str, ...],
    expression: str | None,
    limit: int,
    offset: int,
    as_json: bool,
    **backend_options: Any,
) -> None:
    """Search the knowledge base: components, datasets, examples, guides and APIs.

    Typos are forgiven, the last word matches as a prefix, and filters use
    Meilisearch's syntax, e.g. --filter 'tasks = forecasting AND NOT level = atom'.
    """
    from indexer.backend import SearchRequest
    from indexer.filters import FilterError, combine_filters, to_meilisearch

    try:
        tree = combine_filters(expression, tasks=task, level=level, kind=kind, tags=tag)
    except FilterError as error:
        raise click.BadParameter(str(error), param_hint="--filter") from None
    styled = not as_json
    request = SearchRequest(
        q=query[:512],
        filter=to_meilisearch(tree) if tree is not None else None,
        limit=limit,
        offset=offset,
        facets=["*"],
        attributesToHighlight=["title", "summary", "content"],
        attributesToCrop=["content"],
        cropLength=24,
        highlightPreTag=_BOLD if styled else "<em>",
        highlightPostTag=_RESET if styled else "</em>",
    )
    target = make_backend(**backend_options)
    from indexer.embedded import IndexNotFoundError

    try:
        answer = target.search(request)
    except IndexNotFoundError as error:
        raise KbError(str(error)) from None
    except (RuntimeError, OSError) as error:
        raise KbError(str(error)) from None
    except _client_errors(backend_options["backend"]) as error:
        raise _server_error(error, backend_options.get("url")) from None
    if as_json:
        echo_json(answer)
        return
    _print_hits(answer, query)


def _client_errors(backend: str) -> tuple[type[Exception], ...]:
    """The Meilisearch client's errors when that backend is used (imported only then)."""
    if backend != "meilisearch":
        return ()
    from meilisearch.errors import MeilisearchError

    return (MeilisearchError,)


def _server_error(error: Exception, url: str | None) -> KbError:
    """A Meilisearch client error as one sentence (never with the key)."""
    if "Communication" in type(error).__name__:
        return KbError(f"cannot reach Meilisearch at {url}; check --url and that it runs")
    return KbError(f"Meilisearch refused the request: {error}")


def _print_hits(answer: dict[str, Any], query: str) -> None:
    hits = answer["hits"]
    if not hits:
        click.echo(f"No result for {query!r}. Try fewer words or drop a filter.", err=True)
        return
    for number, hit in enumerate(hits, start=answer.get("offset", 0) + 1):
        formatted = hit.get("_formatted", hit)
        where = hit["url"] + (f"#{hit['anchor']}" if hit.get("anchor") else "")
        click.echo(f"{number:>3}. [{hit['kind']}] {formatted['title']}  {where}")
        snippet = formatted.get("summary") or ""
        content = formatted.get("content") or ""
        if _BOLD in content and _BOLD not in snippet:
            snippet = content
        snippet = re.sub(r"\s+", " ", snippet).strip()
        if snippet:
            click.echo(f"     {snippet}")
    total = answer["estimatedTotalHits"]
    click.echo(
        f"\n{total} results in {answer['processingTimeMs']} ms; showing {len(hits)}.", err=True
    )
