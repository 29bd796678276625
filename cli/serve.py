"""``kb serve``: the built knowledge base, its as-you-type search and a search API, on loopback."""

from __future__ import annotations

from pathlib import Path

import click

from cli.errors import KbError
from cli.output import warn

__all__ = ["serve"]


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
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
    """Serve the site and Meilisearch's search API (the embedded index) until Ctrl+C."""
    from indexer.server import run

    if url:
        config = {"url": url, "api_key": search_key, "index_uid": index_uid}
        browser = {"host": url.rstrip("/"), "apiKey": search_key or ""} if search_key else {}
    else:
        if not index_file.exists():
            raise KbError(f"no search index at {index_file}; build it with `kb index`")
        config = {"index_file": str(index_file.resolve()), "index_uid": index_uid}
        browser = {}
    if not (site / "index.html").exists():
        warn(f"no built site in {site}: only the search API is served; `kb build` builds it")
    if host not in ("127.0.0.1", "localhost", "::1"):
        warn(f"listening on {host}: anyone who can reach this machine can read the site")
    config.update(site=str(site.resolve()) if site.exists() else None, browser=browser)
    if not _can_listen(host, port):
        raise KbError(f"cannot listen on {host}:{port} (address in use?); pick another --port")
    click.echo(f"Serving {site} and search at http://{host}:{port}/ (Ctrl+C stops)", err=True)
    run(config, host, port, workers)
    click.echo("Stopped.", err=True)


def _can_listen(host: str, port: int) -> bool:
    """Whether ``host:port`` is free (uvicorn would only log the failure and exit)."""
    import socket

    if port == 0:
        return True
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True
