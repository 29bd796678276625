"""Answers of a scaffolding: validated, completed from the catalog and the template.

Every answer is checked here, before copier runs, so a bad one is reported as one
sentence that says what was expected and what to do, with a suggestion when one is close.
"""

from __future__ import annotations

import hashlib
import keyword
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

from cli._scaffolding.atomkb_source import PROJECT_WHEELS, resolve_source
from cli._scaffolding.recipes import TEMPLATES, pick_components, suggest
from cli.errors import KbError

__all__ = [
    "ASKED",
    "CHOICES",
    "QUESTIONS",
    "check_template",
    "default_python_version",
    "is_data_path",
    "resolve_answers",
]

QUESTIONS = (
    "project_name",
    "package_name",
    "author",
    "description",
    "python_version",
    "ci",
    "dataset",
    "data_path",
    "case_column",
    "time_column",
    "target_columns",
    "exog_columns",
    "label_column",
    "track_data",
    "atomkb_source",
    "tracking_uri",
    "components",
)
ASKED = (
    "project_name",
    "author",
    "description",
    "python_version",
    "ci",
    "dataset",
    "atomkb_source",
    "tracking_uri",
)
NOT_TEXT = ("components", "track_data")
# answers where an empty value means "none" (a null in answers.yml is read as empty)
EMPTY_MEANS_NONE = ("exog_columns", "label_column")
CHOICES = {"python_version": ["3.11", "3.12", "3.13"], "ci": ["gitlab", "github", "both"]}


def default_python_version() -> str:
    """The Python running kb (where atomkb is installed), so the project installs here too."""
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    return running if running in CHOICES["python_version"] else "3.12"


RESERVED = {"catalog", "cli", "indexer", "sphinx_ext", "mlflow", "tests", "test", "src"}
# a URI that is safe unquoted in a Makefile, a .env file and a shell command
TRACKING_URI = re.compile(r"^[a-z][a-z0-9+.-]*:[A-Za-z0-9._~:/?@&+,=%-]*$")
PROJECT_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,62}$")
PACKAGE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


def is_data_path(value: str) -> bool:
    """Whether a ``dataset`` answer is the path of the user's file rather than a catalog id."""
    return "/" in value or value.endswith((".csv", ".parquet"))


def check_template(name: str) -> str:
    if name not in TEMPLATES:
        raise KbError(
            f"unknown template '{name}': expected one of {', '.join(TEMPLATES)}."
            f"{suggest(name, TEMPLATES)} `kb templates list` shows them"
        )
    return name


def _project_name(value: str) -> str:
    if not PROJECT_NAME.match(value):
        fixed = re.sub(r"[^A-Za-z0-9_-]+", "-", value).strip("-_")
        fixed = fixed if fixed[:1].isalpha() else f"project-{fixed}".strip("-")
        raise KbError(
            f"project_name must start with a letter and hold only letters, digits, '-' or '_', "
            f"found '{value}'; try '{fixed[:63]}'"
        )
    return value


def _package_name(value: str) -> str:
    if not PACKAGE_NAME.match(value) or keyword.iskeyword(value):
        raise KbError(
            f"package_name must be lowercase letters, digits and '_' starting with a letter "
            f"(a Python package), found '{value}'; set package_name in --data answers.yml"
        )
    if value in RESERVED or value in sys.stdlib_module_names:
        raise KbError(
            f"package_name '{value}' would shadow the module of the same name; choose another "
            "project_name or set package_name in --data answers.yml"
        )
    return value


def resolve_answers(
    template: str, given: dict[str, Any], dest_name: str | None
) -> tuple[dict[str, Any], dict[str, Path]]:
    """Every answer for copier, validated; defaults filled from the catalog and the template.

    Also returns the files kb adds to the project (its path in the project -> the file):
    the atomkb wheel when the project installs atomkb from its own ``wheels/`` folder.
    """
    unknown = sorted(set(given) - set(QUESTIONS))
    if unknown:
        raise KbError(
            f"unknown answer '{unknown[0]}' in --data: expected one of {', '.join(QUESTIONS)}."
            f"{suggest(unknown[0], list(QUESTIONS))}"
        )
    answers = {k: _text(k, v) if k not in NOT_TEXT else v for k, v in given.items()}
    if "track_data" in answers:
        answers["track_data"] = _yes_or_no("track_data", answers["track_data"])
    answers["template"] = template
    name = _project_name(answers.get("project_name") or dest_name or f"my-{template}-project")
    answers["project_name"] = name
    answers["package_name"] = _package_name(
        answers.get("package_name") or name.lower().replace("-", "_")
    )
    answers.setdefault("python_version", default_python_version())
    for key, choices in CHOICES.items():
        if key in answers and answers[key] not in choices:
            raise KbError(
                f"{key} must be one of {', '.join(choices)}, found '{answers[key]}'."
                f"{suggest(answers[key], choices)}"
            )
    uri = answers.get("tracking_uri", "sqlite:///mlflow.db")
    if not TRACKING_URI.match(uri):
        raise KbError(
            "tracking_uri must be a URI such as sqlite:///mlflow.db or "
            f"https://mlflow.example.org (no spaces, quotes, $ or #), found {uri!r}"
        )
    files: dict[str, Path] = {}
    source = resolve_source(answers.get("atomkb_source"))
    answers["atomkb_source"] = source.answer
    answers["atomkb_version"] = source.version
    if source.wheel is not None:
        files[f"{PROJECT_WHEELS}/{source.wheel.name}"] = source.wheel
    records, _ = _catalog_records()
    known = {record.id for record in records}
    components = pick_components(template, known)
    if "components" in answers:
        components.update(_check_components(answers["components"], known))
    answers["components"] = components
    user_roles = set(given.get("components") or {})
    _resolve_dataset(template, answers, records, components, user_roles, files)
    return answers, files


def _yes_or_no(question: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"yes", "y", "true", "1"}:
        return True
    if text in {"no", "n", "false", "0"}:
        return False
    raise KbError(f"{question} must be yes or no (true or false), found {value!r}")


def _text(question: str, value: Any) -> str:
    """An answer as text: a list of names is joined with commas; control characters and
    a null (except where empty means none) are refused."""
    if value is None:
        if question in EMPTY_MEANS_NONE:
            return ""
        raise KbError(
            f"{question} is empty (null) in the answers; give it a value, or remove the line "
            "to use the default"
        )
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        value = ",".join(str(v) for v in value)
    elif isinstance(value, dict | list):
        raise KbError(
            f"{question} must be text, found a {type(value).__name__} ({value!r:.60}); "
            "write it as one line of text"
        )
    text = str(value)
    bad = next((c for c in text if _unprintable(c)), None)
    if bad is not None:
        raise KbError(
            f"{question} holds the control character {bad!r} (U+{ord(bad):04X}); "
            "remove it (newlines and tabs are fine)"
        )
    return text


def _unprintable(char: str) -> bool:
    # JSON quoting makes every other character safe in Python, TOML and YAML strings
    return char not in "\n\t" and unicodedata.category(char) in {"Cc", "Cs", "Zl", "Zp"}


def _catalog_records() -> tuple[list[Any], list[Any]]:
    from catalog import load_records

    return load_records()


def _check_components(value: Any, known: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise KbError(f"components must map a role to {{id, params}}, found {type(value).__name__}")
    for role, spec in value.items():
        for entry in spec if isinstance(spec, list) else [spec]:
            component_id = entry.get("id") if isinstance(entry, dict) else None
            if component_id not in known:
                raise KbError(
                    f"components.{role}: '{component_id}' is not a catalog id."
                    f"{suggest(str(component_id), known)} `kb catalog list` shows the ids"
                )
    return value


def _resolve_dataset(
    template: str,
    answers: dict,
    records: list,
    components: dict,
    user_roles: set[str],
    files: dict[str, Path],
) -> None:
    task = TEMPLATES[template][0]
    datasets = sorted(r.id for r in records if r.meta.kind == "dataset" and task in r.meta.tasks)
    value = answers.get("dataset") or components["dataset"]["id"]
    if is_data_path(value):
        answers["data_path"], value = value, "file"
    answers["dataset"] = value
    if value != "file":
        if value not in datasets:
            raise KbError(
                f"dataset '{value}' is not a {task} dataset of the catalog: expected one of "
                f"{', '.join(datasets) or '(none yet)'}, or a path to your CSV/Parquet file."
                f"{suggest(value, datasets)}"
            )
        if value != components["dataset"]["id"]:
            components["dataset"] = {"id": value, "params": {}}
        return
    del components["dataset"]
    path = _check_data_file(template, answers)
    if template != "classification":
        _fit_series(template, answers, components, user_roles, path)
    # the project carries its data: a copy in data/, named relative to the project
    answers["data_path"] = f"data/{path.name}"
    answers["data_sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    answers.setdefault("track_data", True)
    files[answers["data_path"]] = path
    if template == "anomaly-detection" and not answers.get("label_column"):
        components["metrics"] = []  # nothing to score against without labels


def _fit_series(
    template: str, answers: dict[str, Any], components: dict, user_roles: set[str], path: Path
) -> None:
    """Read the user's series as the project will; fit the forecasting set-up to it."""
    from catalog.datasets.user_file import load_table

    targets = [c.strip() for c in answers["target_columns"].split(",")]
    if template == "forecasting" and len(targets) != 1:
        raise KbError(
            f"the forecasting template forecasts one series; target_columns names "
            f"{len(targets)} ({', '.join(targets)}): keep one, or scaffold one project each"
        )
    drivers = _exog_columns(answers) if template == "forecasting" else []
    try:
        series = load_table(path, answers["time_column"], [*targets, *drivers])
    except (ValueError, ImportError) as error:
        raise KbError(str(error)) from None
    if drivers:
        holes = series[drivers].isna().any(axis=1)
        if holes.any():
            raise KbError(
                f"{path.name}: exog_columns have missing values at {int(holes.sum())} time "
                f"points (the first at {series.index[holes.to_numpy()][0]}); fill them in the file"
            )
    if template != "forecasting":
        holes = series.isna().any(axis=1)
        if holes.any():
            raise KbError(
                f"{path.name}: the series has missing values at {int(holes.sum())} of its "
                f"time points (the first at {series.index[holes.to_numpy()][0]}); the anomaly "
                "detector needs complete data: fill them in the file"
            )
        return
    from cli._scaffolding.series_settings import forecasting_settings

    settings = forecasting_settings(series.iloc[:, 0], path.name)
    # the ETS fallback needs its season from the file; the organism decides its own at fit
    roles = (
        ("model", "splitter") if components["model"]["id"] == "forecasting.ets" else ("splitter",)
    )
    for role in roles:
        if role not in user_roles:
            components[role]["params"] = {**components[role]["params"], **settings[role]}
            if role == "model" and "seasonal" in settings[role]:
                components[role]["params"].pop("sp", None)
    if drivers and "model" not in user_roles:
        # ETS ignores X: with drivers, a regression on lags plus the drivers' values
        season = settings["model"].get("sp", 12)
        window = max(1, min(season, settings["splitter"]["initial_window"] - 2))
        components["model"] = {"id": "forecasting.reduction", "params": {"window_length": window}}


def _exog_columns(answers: dict[str, Any]) -> list[str]:
    """The known drivers named in ``exog_columns`` (none when it is empty)."""
    names = [c.strip() for c in str(answers.get("exog_columns") or "").split(",") if c.strip()]
    clash = set(names) & {answers["time_column"], answers["target_columns"].strip()}
    if clash:
        raise KbError(
            f"exog_columns names {', '.join(sorted(clash))}, which is the time or target "
            "column; list only the other columns that drive the target"
        )
    return names


def _columns(path: Path) -> list[str]:
    """The column names of the user's CSV or Parquet file; a file pandas cannot read as one
    is a sentence naming it."""
    import pandas as pd

    try:
        if path.suffix == ".parquet":
            table = pd.read_parquet(path)
        else:
            table = pd.read_csv(path, nrows=5, encoding="utf-8")
    except UnicodeDecodeError as error:
        raise KbError(
            f"{path.name} is not UTF-8 text (byte 0x{error.object[error.start]:02x} at "
            f"position {error.start}); save it as UTF-8 CSV"
        ) from None
    except pd.errors.EmptyDataError:
        raise KbError(f"{path.name} is empty; pass a CSV with a header row and data") from None
    except ImportError as error:
        raise KbError(f"reading {path.name} needs {error.name}; install it") from None
    except (ValueError, OSError) as error:  # pyarrow's ArrowInvalid is a ValueError
        kind = "a Parquet" if path.suffix == ".parquet" else "a CSV"
        first = str(error).strip().splitlines()[0][:120] if str(error).strip() else "unreadable"
        raise KbError(f"{path.name} is not {kind} file pandas can read ({first})") from None
    if table.shape[1] == 0 or (path.suffix != ".parquet" and table.empty):
        raise KbError(f"{path.name} has no data rows; pass a file with a header row and data")
    return [str(c) for c in table.columns]


def _check_data_file(template: str, answers: dict[str, Any]) -> Path:
    """Check the user's file now, so a project is never generated around a file it can't read."""

    path = Path(answers.get("data_path") or "data/series.csv").expanduser().resolve()
    if not path.is_file():
        raise KbError(f"data file {path} does not exist; pass the path of your CSV or Parquet file")
    columns = _columns(path)
    answers.setdefault("time_column", "time")
    answers.setdefault("target_columns", "value")
    wanted = [answers["time_column"], *answers["target_columns"].split(",")]
    if template == "classification":
        answers.setdefault("case_column", "case")
        answers.setdefault("label_column", "label")
        wanted += [answers["case_column"], answers["label_column"]]
        settable = "case_column, time_column, target_columns (the channels) and label_column"
    else:
        settable = "time_column, target_columns, exog_columns and label_column"
        if answers.get("label_column"):
            wanted.append(answers["label_column"])
        if template == "forecasting":
            wanted += _exog_columns(answers)
    for column in (c.strip() for c in wanted):
        if column not in columns:
            raise KbError(
                f"column '{column}' is not in {path.name} (columns: {', '.join(columns)}); set "
                f"{settable} in --data.{suggest(column, columns)}"
            )
    if template == "classification":
        from catalog.datasets.user_file import load_panel

        try:
            load_panel(
                path,
                answers["case_column"],
                answers["time_column"],
                [c.strip() for c in answers["target_columns"].split(",")],
                answers["label_column"],
            )
        except (ValueError, ImportError) as error:
            raise KbError(str(error)) from None
    return path
