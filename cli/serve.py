"""``kb serve``: the built knowledge base, its as-you-type search and a search API, on loopback."""

from __future__ import annotations

from pathlib import Path

import click

from cli.errors import KbError
from cli.output import warn
from cli.search import make_backend

__all__ = ["serve"]


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--site",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("_build/html"),
    show_default=True,
    help="The built site (`kb build`).",
)
@click.option(
    "--index-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("_build/search/index.sqlite"),
    show_default=True,
    help="Embedded index (`kb index`).",
)
@click.option(
    "--url", envvar="KB_MEILI_URL", help="Use Meilisearch at this URL [env KB_MEILI_URL]."
)
@click.option(
    "--search-key",
    envvar="KB_MEILI_SEARCH_KEY",
    help="Meilisearch search-only key the browser may use [env KB_MEILI_SEARCH_KEY].",
)
@click.option("--index-uid", default="atomkb", show_default=True, help="Index uid.")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Processes answering requests. For heavy use take 2 x cores + 1 (gunicorn's "
    "rule): a worker's threads share one GIL, so more processes than cores keep them busy.",
)
def serve(
    host: str,
    port: int,
    site: Path,
    index_file: Path,
    url: str | None,
    search_key: str | None,
    index_uid: str,
    workers: int,
) -> None:
    """Serve the site and POST /indexes/<uid>/search (Meilisearch's shape) until Ctrl+C."""
    from indexer.server import make_server, serve_with_workers

    if url:
        backend = make_backend("meilisearch", index_file, url, search_key, index_uid)
        browser = {"host": url.rstrip("/"), "apiKey": search_key or ""} if search_key else {}
    else:
        if not index_file.exists():
            raise KbError(f"no search index at {index_file}; build it with `kb index`")
        backend = make_backend("embedded", index_file, None, None, index_uid)
        browser = {}
    if not (site / "index.html").exists():
        warn(f"no built site in {site}: only the search API is served; `kb build` builds it")
    if host not in ("127.0.0.1", "localhost", "::1"):
        warn(f"listening on {host}: anyone who can reach this machine can read the site")
    try:
        server = make_server(
            host, port, site if site.exists() else None, backend, index_uid, browser
        )
    except OSError as error:
        raise KbError(
            f"cannot listen on {host}:{port} ({error.strerror}); pick another --port"
        ) from None
    address = f"http://{host}:{server.server_address[1]}/"
    click.echo(f"Serving {site} and search at {address} (Ctrl+C stops)", err=True)
    try:
        serve_with_workers(server, workers)
    except KeyboardInterrupt:
        click.echo("Stopped.", err=True)
    finally:
        server.server_close()
