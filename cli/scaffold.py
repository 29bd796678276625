"""``kb scaffold``, ``kb templates`` and ``kb update``: projects from the catalog's templates.

A project is rendered with copier into a temporary folder next to its destination, made a
git repository with a first commit, and only then moved into place: an error never leaves
a half-written project. ``kb update`` runs copier's 3-way merge to the newest template
version. Copier is imported only by these commands.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import click

from cli._scaffolding.answers import (
    ASKED,
    CHOICES,
    check_template,
    default_python_version,
    is_data_path,
    resolve_answers,
)
from cli._scaffolding.atomkb_source import PROJECT_WHEELS, resolve_source
from cli._scaffolding.recipes import RECIPES, TEMPLATES, templates_source
from cli._scaffolding.repository import git, leftover_markers, publish
from cli.errors import KbError
from cli.output import echo_json, table

__all__ = ["render_project", "scaffold", "templates", "update"]


def render_project(
    template: str,
    answers: dict[str, Any],
    dest: Path,
    *,
    force: bool,
    files: dict[str, Path] | None = None,
) -> tuple[Path, list[str]]:
    """Render into a temporary folder, commit, then move into ``dest``; all or nothing.

    ``files`` are added to the project (its path in the project -> the file to copy). With
    ``force``, a file of ``dest`` that the project would change is kept, and the
    template's version written beside it as ``NAME.kb-new``; returns ``dest`` and the
    files kept that way.
    """
    copier = _copier()

    published = publish()
    dest = dest.resolve()
    if dest.exists() and (not dest.is_dir() or (any(dest.iterdir()) and not force)):
        raise KbError(
            f"destination {dest} exists and is not empty; choose a new folder or pass --force "
            "to write into it (your files are kept)"
        )
    blocker = next((p for p in dest.parents if p.exists() and not p.is_dir()), None)
    if blocker is not None:
        raise KbError(f"cannot create {dest}: {blocker} is a file, not a folder; choose another")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{dest.name}.kb-", dir=dest.parent))
    except OSError as error:
        raise KbError(
            f"cannot create the project folder {dest} ({error.strerror or error}); choose a "
            "destination in a folder you can write to"
        ) from None
    try:
        copier.run_copy(
            str(published.repo),
            work,
            data=answers,
            vcs_ref=published.tag,
            defaults=True,
            quiet=True,
            unsafe=False,
            overwrite=True,
        )
        left = leftover_markers(work, answers)
        if left:
            raise KbError(f"template bug: unrendered Jinja in {', '.join(left)}; report it")
        for relative, source in (files or {}).items():
            (work / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, work / relative)
        if not (dest / ".git").exists():
            _first_commit(work, answers, published.tag)
    except KbError:
        shutil.rmtree(work, ignore_errors=True)
        raise
    except Exception as error:
        shutil.rmtree(work, ignore_errors=True)
        raise KbError(
            f"rendering the {template} template failed ({type(error).__name__}: {error}); "
            f"nothing was written to {dest}"
        ) from error
    except BaseException:  # Ctrl+C: leave nothing behind either
        shutil.rmtree(work, ignore_errors=True)
        raise
    kept: list[str] = []
    try:
        if not dest.exists():
            work.chmod(0o777 & ~_umask())
            os.replace(work, dest)
        else:
            kept = _merge_keeping_theirs(work, dest)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return dest, kept


def _merge_keeping_theirs(work: Path, dest: Path) -> list[str]:
    """Copy the rendered project into ``dest``; a file there that differs is kept, and the
    template's version goes beside it as ``NAME.kb-new``. Returns the files kept."""
    kept = []
    for source in sorted(work.rglob("*")):
        relative = source.relative_to(work)
        target = dest / relative
        if source.is_dir():
            target.mkdir(exist_ok=True)
        elif not target.exists():
            shutil.copy2(source, target)
        elif target.read_bytes() != source.read_bytes():
            shutil.copy2(source, target.with_name(target.name + ".kb-new"))
            kept.append(str(relative))
    return kept


def _copier() -> Any:
    try:
        import copier
    except ImportError:
        raise KbError(
            "project templates need copier, which is not installed; "
            "install it with `pip install 'atomkb[scaffold]'`"
        ) from None
    return copier


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _first_commit(root: Path, answers: dict[str, Any], tag: str) -> None:
    git("init", "-q", cwd=root)
    git("add", "-A", cwd=root)
    message = (
        f"Scaffold {answers['project_name']} from the atomkb {answers['template']} template {tag}"
    )
    git("commit", "-q", "-m", message, cwd=root, identity=_identity(root, answers.get("author")))


def _identity(root: Path, name: object = None) -> list[str]:
    """The user's git identity if configured, else a stand-in so the commit can be made."""
    probe = subprocess.run(["git", "config", "--get", "user.email"], cwd=root, capture_output=True)
    if probe.returncode == 0 and probe.stdout.strip():
        return []
    return ["-c", f"user.name={name or 'atomkb user'}", "-c", "user.email=atomkb-user@localhost"]


def _tree(root: Path) -> str:
    lines = [f"{root.name}/"]
    for path in sorted(p for p in root.rglob("*") if ".git" not in p.relative_to(root).parts):
        depth = len(path.relative_to(root).parts)
        lines.append("  " * depth + path.name + ("/" if path.is_dir() else ""))
    return "\n".join(lines)


@click.command("scaffold")
@click.argument("template")
@click.argument("dest", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--data",
    "answers_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="YAML file of answers (project_name, ci, dataset, ...).",
)
@click.option("--defaults", is_flag=True, help="Use the default for every unanswered question.")
@click.option(
    "--dry-run", is_flag=True, help="Print the files that would be written; write nothing."
)
@click.option("--force", is_flag=True, help="Write into a non-empty destination.")
def scaffold(
    template: str,
    dest: Path | None,
    answers_file: Path | None,
    defaults: bool,
    dry_run: bool,
    force: bool,
) -> None:
    """Start a project from a template: `kb scaffold classification my-project`."""
    check_template(template)
    given = _read_answers(answers_file)
    if not defaults and answers_file is None:  # --data answers: the rest take defaults
        given = _ask(template, given, dest)
    answers, files = resolve_answers(template, given, dest.name if dest else None)
    dest = dest or Path(answers["project_name"])
    if dry_run:
        with tempfile.TemporaryDirectory() as scratch:
            root, _ = render_project(
                template, answers, Path(scratch) / dest.name, force=False, files=files
            )
            click.echo(_tree(root))
        click.echo(f"\ndry run: nothing was written to {dest}", err=True)
        return
    root, kept = render_project(template, answers, dest, force=force, files=files)
    click.echo(f"Created {root} from the {template} template.")
    if kept:
        click.echo(
            f"Kept your {', '.join(kept)}: the template's versions are beside them as "
            f"{', '.join(k + '.kb-new' for k in kept)}; merge what you need, then delete them.",
            err=True,
        )
    click.echo(
        f"Next: cd {dest}, then follow README.md's Start (python3 -m venv .venv; "
        ". .venv/bin/activate; pip install ...; make test; make train)",
        err=True,
    )


def _read_answers(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}

    return _read_yaml_mapping(path, "a mapping of answers (question: answer)")


def _read_yaml_mapping(path: Path, what: str) -> dict[str, Any]:
    """A YAML file that must hold a mapping; anything else is one sentence naming the file."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise KbError(
            f"{path} is not UTF-8 text (byte 0x{error.object[error.start]:02x} at position "
            f"{error.start}); save it as UTF-8"
        ) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or error.__class__.__name__
        raise KbError(f"{path} is not valid YAML{where} ({problem}); fix it") from None
    if not isinstance(data, dict):
        raise KbError(f"{path} must hold {what}, found {type(data).__name__}")
    return data


def _ask(template: str, given: dict[str, Any], dest: Path | None) -> dict[str, Any]:
    if not sys.stdin.isatty():
        missing = [q for q in ASKED if q not in given]
        if missing:
            raise KbError(
                f"no terminal to ask {', '.join(missing)}; pass --defaults, or answer them in "
                "--data answers.yml"
            )
        return given
    default_dataset = RECIPES[template]["dataset"][0][0]
    defaults = {
        "project_name": dest.name if dest else f"my-{template}-project",
        "author": "atomkb user",
        "description": f"A {template} project built from the atomkb catalog",
        "python_version": default_python_version(),
        "ci": "github",
        "dataset": default_dataset,
        "atomkb_source": "local",
        "tracking_uri": "sqlite:///mlflow.db",
    }
    helps = _question_help(template)
    answers = dict(given)
    for question in ASKED:
        if question not in answers:
            answers[question] = _prompt(question, helps, defaults[question])
            if question == "dataset" and is_data_path(answers["dataset"]):
                for column, default in _file_questions(template):
                    if column not in answers:
                        answers[column] = _prompt(column, helps, default)
    return answers


def _prompt(question: str, helps: dict[str, str], default: str) -> str:
    """Ask one question, its help (from copier.yml) on the line above."""
    click.echo(click.style(helps.get(question, ""), dim=True), err=True)
    kind = click.Choice(CHOICES[question]) if question in CHOICES else str
    return click.prompt(question, default=default, type=kind, show_default=True)


def _question_help(template: str) -> dict[str, str]:
    """The help of every question of copier.yml, as the template's page shows it."""
    import jinja2
    import yaml

    questions = yaml.safe_load((templates_source() / "copier.yml").read_text(encoding="utf-8"))
    environment = jinja2.Environment(autoescape=False)
    return {
        name: " ".join(environment.from_string(str(spec["help"])).render(template=template).split())
        for name, spec in questions.items()
        if isinstance(spec, dict) and "help" in spec
    }


def _file_questions(template: str) -> list[tuple[str, str]]:
    """The column questions asked when the dataset is the user's own file."""
    if template == "classification":
        return [
            ("case_column", "case"),
            ("time_column", "time"),
            ("target_columns", "value"),
            ("label_column", "label"),
        ]
    questions = [("time_column", "time"), ("target_columns", "value")]
    if template == "forecasting":
        return [*questions, ("exog_columns", "")]
    return questions + ([("label_column", "")] if template == "anomaly-detection" else [])


@click.group("templates")
def templates() -> None:
    """List the project templates."""


@templates.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the templates as JSON.")
def list_templates(as_json: bool) -> None:
    """List the templates with their task, default dataset and components."""
    version = (templates_source() / "VERSION").read_text(encoding="utf-8").strip()
    rows = []
    for name, (task, summary) in TEMPLATES.items():
        recipe = RECIPES[name]
        rows.append(
            {
                "name": name,
                "task": task,
                "version": version,
                "summary": summary,
                "dataset": recipe["dataset"][0][0],
                "components": {
                    role: [c[0] for c in options]
                    if role != "metrics"
                    else [m[0][0] for m in options]
                    for role, options in recipe.items()
                    if role != "dataset"
                },
                "url": f"templates/{name}.html",
            }
        )
    if as_json:
        echo_json(rows)
        return
    body = [[r["name"], r["task"], r["version"], r["dataset"], r["summary"]] for r in rows]
    click.echo(table(["name", "task", "version", "dataset", "summary"], body))
    click.echo("\n`kb scaffold NAME DEST` starts a project.", err=True)


@click.command("update")
@click.argument(
    "dest", required=False, default=".", type=click.Path(file_okay=False, path_type=Path)
)
@click.option("--dry-run", is_flag=True, help="Say which version would be applied; change nothing.")
def update(dest: Path, dry_run: bool) -> None:
    """Bring a scaffolded project to the newest template version (3-way merge)."""
    answers_path = dest / ".copier-answers.yml"
    if not answers_path.is_file():
        raise KbError(
            f"{dest.resolve()} has no .copier-answers.yml; "
            "run kb update in a project made by kb scaffold"
        )
    if not (dest / ".git").exists():
        raise KbError(
            f"{dest.resolve()} is not a git repository; kb update needs git to merge safely"
        )
    if git("status", "--porcelain", cwd=dest).strip():
        raise KbError(
            "the project has uncommitted changes; commit or stash them, then run kb update"
        )
    recorded = _read_yaml_mapping(answers_path, "the answers kb scaffold recorded")
    current = recorded.get("_commit")
    if not isinstance(current, str) or not current.startswith("v"):
        raise KbError(
            f"{answers_path}: _commit should name the template version the project was made "
            f"from (such as v1.1.0), found {current!r}; restore the file from git"
        )
    published = publish()
    if current == published.tag:
        click.echo(f"Already at the newest template version {current}.")
        return
    if dry_run:
        click.echo(f"Would update from {current} to {published.tag}; nothing changed.")
        return
    _point_at_local_templates(dest, answers_path, recorded, published)
    copier = _copier()
    data, wheel = _new_answers(recorded)
    copier.run_update(
        dest,
        data=data,
        vcs_ref=published.tag,
        overwrite=True,
        conflict="inline",
        defaults=True,
        skip_answered=True,
        quiet=True,
        unsafe=False,
    )
    if wheel is not None:  # after copier, which needs a clean git tree
        (dest / PROJECT_WHEELS).mkdir(exist_ok=True)
        shutil.copy2(wheel, dest / PROJECT_WHEELS / wheel.name)
    changed = [line[3:] for line in git("status", "--porcelain", cwd=dest).splitlines()]
    conflicts = [
        f
        for f in changed
        if (dest / f).is_file() and "<<<<<<< " in (dest / f).read_text(errors="replace")
    ]
    click.echo(f"Updated from {current} to {published.tag}: {len(changed)} files changed.")
    if conflicts:
        click.echo(
            f"Conflicts marked inline in: {', '.join(conflicts)}; resolve them, then commit.",
            err=True,
        )
        sys.exit(1)
    click.echo("Review with `git diff`, run `make test`, then commit.", err=True)


def _new_answers(recorded: dict[str, Any]) -> tuple[dict[str, Any], Path | None]:
    """Answers a project made before a question existed gets from kb, not the default,
    and the wheel to put in its ``wheels/`` folder.

    A project from before ``atomkb_source`` installs atomkb from a wheel of the atomkb
    this kb runs from, like a new project's.
    """
    if "atomkb_source" in recorded:
        return {}, None
    source = resolve_source(None)
    return {"atomkb_source": source.answer, "atomkb_version": source.version}, source.wheel


def _point_at_local_templates(
    dest: Path, answers_path: Path, recorded: dict[str, object], published: object
) -> None:
    """Make the answers name this machine's template repository (a project moves between
    machines: the path recorded where it was scaffolded means nothing here).

    The 3-way merge needs the project's old template version, so that tag must exist in
    this machine's repository; the change is committed on its own, so it can be reviewed.
    """
    repo = Path(published.repo)  # type: ignore[attr-defined]
    source = str(recorded.get("_src_path") or "")
    if source and Path(source).resolve() == repo.resolve():
        return
    current = str(recorded.get("_commit"))
    tags = git("tag", "--list", cwd=repo).split()
    if current not in tags:
        raise KbError(
            f"this project was made from template version {current} at {source}, which "
            f"this machine's kb does not have (it has {', '.join(tags)}); run kb update "
            f"where the project was made, or once with the atomkb release that shipped {current}"
        )
    text = answers_path.read_text(encoding="utf-8")
    lines = [
        f"_src_path: {repo}" if line.startswith("_src_path:") else line
        for line in text.splitlines()
    ]
    answers_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    git("add", answers_path.name, cwd=dest)
    message = "Point .copier-answers.yml at this machine's kb templates"
    git("commit", "-q", "-m", message, cwd=dest, identity=_identity(dest))
