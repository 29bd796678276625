"""Entry point of ``kb``: the top-level group, with subcommands loaded on demand.

Only the module of the command that runs is imported, so ``kb --help`` and
``kb catalog list`` stay fast: no scikit-learn, statsmodels, Sphinx or MLflow.
"""

from __future__ import annotations

import importlib
import sys

import click

__all__ = ["cli", "main"]

# name -> (module, attribute, one-line help shown by `kb --help` without importing it)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "automl": ("cli.automl", "automl", "Search catalog pipelines for a dataset (Optuna, MLflow)."),
    "catalog": ("cli.catalog", "catalog", "List, show and check catalog components."),
    "scaffold": ("cli.scaffold", "scaffold", "Start a project from a template."),
    "templates": ("cli.scaffold", "templates", "List the project templates."),
    "update": ("cli.scaffold", "update", "Update a scaffolded project to the newest template."),
    "index": ("cli.search", "index", "Build or refresh the search index (embedded/Meilisearch)."),
    "search": ("cli.search", "search", "Search components, datasets, examples, guides and APIs."),
    "serve": ("cli.serve", "serve", "Serve the site with as-you-type search on loopback."),
    "build": ("cli.build", "build", "Build the knowledge-base site and its search records."),
    "examples": ("cli.examples", "examples", "List the gallery examples and copy one."),
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported only when they are invoked."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module_name, attribute, _ = COMMANDS[cmd_name]
        return getattr(importlib.import_module(module_name), attribute)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in COMMANDS:
            from difflib import get_close_matches

            close = get_close_matches(name, COMMANDS, n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            ctx.fail(f"No such command '{name}'.{hint} `kb --help` lists the commands.")
        return super().resolve_command(ctx, args)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="atomkb", prog_name="kb")
def cli() -> None:
    """atomkb: the knowledge base and component catalog for time-series ML.

    Exit codes: 0 ok, 1 a problem was found, 2 usage error.
    """


def main() -> None:
    """Run ``kb``; turn expected errors into one sentence on stderr and exit code 1."""
    from cli.errors import KbError

    try:
        code = cli.main(standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except KbError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    except OSError as error:
        # The file system refused (a path under a file, no permission, disk full): that is
        # about the user's paths, not a bug, so one sentence instead of a traceback.
        where = f" ({error.filename})" if error.filename else ""
        click.echo(
            f"error: {error.strerror or error}{where}; check the path and its permissions",
            err=True,
        )
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
