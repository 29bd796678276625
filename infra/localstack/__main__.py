"""``python -m infra.localstack`` (``make platform``): the team platform on loopback.

Prints the URL, the generated login and how long the services took to be healthy, then
serves until Ctrl+C (or SIGTERM), when every service is stopped and its state removed.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from infra.localstack.stack import Stack, StackError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make platform", description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8080, help="The proxy's port (8080).")
    parser.add_argument("--site", type=Path, default=Path("_build/html"), help="kb build's site.")
    parser.add_argument(
        "--index-file", type=Path, default=Path("_build/search/index.sqlite"),
        help="The embedded index standing in for Meilisearch's search routes.",
    )  # fmt: skip
    args = parser.parse_args(argv)
    for path, make in ((args.site / "index.html", "kb build"), (args.index_file, "kb index")):
        if not path.exists():
            print(
                f"error: {path} is missing; run `{make}` first (or `make serve`)", file=sys.stderr
            )
            return 2
    stop = threading.Event()
    for name in (signal.SIGTERM, signal.SIGINT):  # SIGINT too: a background job ignores it
        signal.signal(name, lambda *_: stop.set())
    stack = Stack(site=args.site, index_file=args.index_file, port=args.port)
    try:
        stack.start()
    except StackError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    try:
        info = stack.describe()
        print(
            f"atomkb platform at {info['url']}/ (healthy in {stack.seconds_to_healthy:.1f} s)\n"
            f"  login:     {info['user']} / {info['password']}\n"
            f"  MLflow:    {info['mlflow']}  (MLFLOW_TRACKING_URI={info['url']}/mlflow, "
            "MLFLOW_TRACKING_USERNAME, MLFLOW_TRACKING_PASSWORD)\n"
            f"  AutoML:    {info['dashboard']}  (studies: {stack.database_url('automl')})\n"
            "  search:    kb serve stands in for Meilisearch's search routes (/search/...)\n"
            f"  state:     {info['root']} (artifacts in mlartifacts/, logs in logs/; removed "
            "on stop)\n"
            "Ctrl+C stops every service.",
            flush=True,
        )
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        stack.stop()
        print("Stopped.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
