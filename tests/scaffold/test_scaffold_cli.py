"""``kb scaffold`` and ``kb templates``: listings, validation, refusals, all-or-nothing writes."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

pytest.importorskip("copier", reason="kb scaffold needs the scaffold extra: atomkb[scaffold]")

from cli._scaffolding.recipes import TEMPLATES

ROOT = Path(__file__).resolve().parents[2]


def answers_file(folder: Path, **answers: object) -> str:
    path = folder / "answers.yml"
    path.write_text(yaml.safe_dump(answers))
    return str(path)


def test_templates_list_json_names_every_template_with_its_components(tools, tmp_path):
    done = tools.kb("templates", "list", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    listed = {row["name"]: row for row in json.loads(done.stdout)}
    assert set(listed) == set(TEMPLATES)
    assert listed["forecasting"]["dataset"] == "dataset.airline"
    assert "splitter.expanding-window" in listed["forecasting"]["components"]["splitter"]
    assert listed["classification"]["task"] == "classification"


def test_templates_list_prints_a_table(tools, tmp_path):
    done = tools.kb("templates", "list", cwd=tmp_path)
    assert done.returncode == 0
    assert all(name in done.stdout for name in TEMPLATES)


def test_unknown_template_is_refused_with_a_suggestion(tools, tmp_path):
    done = tools.kb("scaffold", "forcasting", "x", "--defaults", cwd=tmp_path)
    assert done.returncode == 1
    assert "Did you mean 'forecasting'?" in done.stderr
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"project_name": "9lives"}, "project_name must start with a letter"),
        ({"project_name": "for"}, "package_name must be lowercase"),
        ({"project_name": "json"}, "would shadow the module"),
        ({"ci": "gitlab-ci"}, "Did you mean 'gitlab'?"),
        ({"python_version": "2.7"}, "python_version must be one of"),
        ({"tracking_uri": "mlflow.db"}, "tracking_uri must be a URI"),
        ({"dataset": "dataset.airlines"}, "Did you mean 'dataset.airline'?"),
        ({"dataset": "data/missing.csv"}, "does not exist"),
        ({"datset": "dataset.airline"}, "Did you mean 'dataset'?"),
        ({"components": {"model": {"id": "forecasting.etz"}}}, "Did you mean 'forecasting.ets'?"),
    ],
)
def test_invalid_answers_are_refused_before_anything_is_written(tools, tmp_path, answers, expected):
    data = answers_file(tmp_path, **answers)
    done = tools.kb("scaffold", "forecasting", "proj", "--defaults", "--data", data, cwd=tmp_path)
    assert done.returncode == 1
    assert expected in done.stderr
    assert done.stderr.count("\n") == 1  # one sentence, no traceback
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.yml"]


def run_train(tools, project: Path, uri: str, *args: str) -> subprocess.CompletedProcess:
    """Run the generated project's ``train`` entry point, as ``make train`` does."""
    return subprocess.run(
        [sys.executable, "-m", f"{project.name}.train", "--tracking-uri", uri, *args],
        cwd=project,
        env=tools.project_env(uri),
        capture_output=True,
        text=True,
        timeout=300,
    )


def train_project(tools, project: Path, uri: str) -> None:
    trained = run_train(tools, project, uri)
    assert trained.returncode == 0, trained.stderr[-3000:]


def gunpoint_long_csv(path: Path, n_cases: int = 30) -> Path:
    """Real GunPoint cases written the way a team keeps them: one row per case and time point."""
    import pandas as pd

    from catalog import get_component

    X, y = get_component("dataset.gunpoint")().load()
    rows = [
        {"trial": f"t{i:03d}", "step": t, "hand_x": float(X[i, 0, t]), "gesture": y[i]}
        for i in range(n_cases)
        for t in range(X.shape[2])
    ]
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


@pytest.mark.slow
def test_classification_project_trains_on_the_users_long_format_file(tools, tmp_path):
    data = gunpoint_long_csv(tmp_path / "gestures.csv")
    answers = answers_file(
        tmp_path,
        dataset=str(data),
        case_column="trial",
        time_column="step",
        target_columns="hand_x",
        label_column="gesture",
    )
    done = tools.kb(
        "scaffold", "classification", "p", "--defaults", "--data", answers, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    project = tmp_path / "p"
    config = yaml.safe_load((project / "configs" / "pipeline.yaml").read_text())
    assert config["data"] == {
        "path": "data/gestures.csv",
        "sha256": hashlib.sha256(data.read_bytes()).hexdigest(),
        "case_column": "trial",
        "time_column": "step",
        "value_columns": ["hand_x"],
        "label_column": "gesture",
    }
    store = tmp_path / "mlflow.db"
    train_project(tools, project, f"sqlite:///{store}")
    from mlflow import MlflowClient

    client = MlflowClient(f"sqlite:///{store}")
    [experiment] = [e for e in client.search_experiments() if e.name == "p"]
    [run] = client.search_runs([experiment.experiment_id])
    [dataset_input] = run.inputs.dataset_inputs
    assert dataset_input.dataset.name == "gestures.csv"
    assert str(project / "data" / "gestures.csv") in dataset_input.dataset.source
    assert 0.0 <= run.data.metrics["accuracy"] <= 1.0
    assert run.data.params["data.limit"] == "None"


def test_classification_file_that_is_not_a_panel_is_refused(tools, tmp_path):
    data = tmp_path / "series.csv"
    data.write_text("case,time,value,label\na,1,2,x\na,2,3,x\nb,1,5,y\n")
    answers = answers_file(tmp_path, dataset=str(data))
    done = tools.kb(
        "scaffold", "classification", "p", "--defaults", "--data", answers, cwd=tmp_path
    )
    assert done.returncode == 1
    assert "cases have different lengths" in done.stderr
    assert done.stderr.count("\n") == 1
    assert not (tmp_path / "p").exists()


def test_classification_file_columns_are_checked(tools, tmp_path):
    data = tmp_path / "series.csv"
    data.write_text("trial,time,value,label\na,1,2,x\n")
    answers = answers_file(tmp_path, dataset=str(data))
    done = tools.kb(
        "scaffold", "classification", "p", "--defaults", "--data", answers, cwd=tmp_path
    )
    assert done.returncode == 1
    assert "column 'case' is not in series.csv" in done.stderr and "case_column" in done.stderr


def test_user_file_columns_are_checked(tools, tmp_path):
    data = tmp_path / "series.csv"
    data.write_text("time,sales\n2020-01-01,2\n2020-02-01,3\n")
    answers = answers_file(tmp_path, dataset=str(data), time_column="time", target_columns="sale")
    done = tools.kb("scaffold", "forecasting", "p", "--defaults", "--data", answers, cwd=tmp_path)
    assert done.returncode == 1
    assert "column 'sale' is not in series.csv" in done.stderr
    assert "Did you mean 'sales'?" in done.stderr


def daily_csv(path: Path, days: int) -> Path:
    """A user's daily series with a weekly pattern, as a CSV of date and value."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(0)
    steps = np.arange(days)
    sales = 100 + 10 * np.sin(2 * np.pi * steps / 7) + np.cumsum(rng.normal(0, 1, days))
    dates = pd.date_range("2024-01-01", periods=days, freq="D").strftime("%Y-%m-%d")
    pd.DataFrame({"time": dates, "sales": sales.round(2)}).to_csv(path, index=False)
    return path


def test_user_file_is_copied_into_the_project_tracked_and_hashed(tools, tmp_path):
    data = daily_csv(tmp_path / "series.csv", 120)
    answers = answers_file(tmp_path, dataset=str(data), target_columns="sales")
    done = tools.kb("scaffold", "forecasting", "p", "--defaults", "--data", answers, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    project = tmp_path / "p"
    config = yaml.safe_load((project / "configs" / "pipeline.yaml").read_text())
    digest = hashlib.sha256(data.read_bytes()).hexdigest()
    assert config["data"] == {
        "path": "data/series.csv",
        "sha256": digest,
        "time_column": "time",
        "target_columns": ["sales"],
    }
    assert (project / "data" / "series.csv").read_bytes() == data.read_bytes()
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=project, capture_output=True, text=True, check=True
    ).stdout.split()
    assert "data/series.csv" in tracked


def test_untracked_data_is_copied_but_ignored_by_git(tools, tmp_path):
    data = daily_csv(tmp_path / "series.csv", 120)
    answers = answers_file(tmp_path, dataset=str(data), target_columns="sales", track_data=False)
    done = tools.kb("scaffold", "forecasting", "p", "--defaults", "--data", answers, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    project = tmp_path / "p"
    assert (project / "data" / "series.csv").is_file()
    assert "/data/series.csv" in (project / ".gitignore").read_text().split()
    listed = subprocess.run(["git", "ls-files"], cwd=project, capture_output=True, text=True)
    assert "data/series.csv" not in listed.stdout.split()


@pytest.mark.slow
def test_train_refuses_a_changed_data_file_in_one_sentence(tools, tmp_path):
    data = daily_csv(tmp_path / "series.csv", 120)
    answers = answers_file(tmp_path, dataset=str(data), target_columns="sales")
    done = tools.kb("scaffold", "forecasting", "p", "--defaults", "--data", answers, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    project = tmp_path / "p"
    copied = project / "data" / "series.csv"
    copied.write_text(copied.read_text().replace("\n2024-01-05,", "\n2024-01-05,1"))
    done = run_train(tools, project, f"sqlite:///{tmp_path / 'mlflow.db'}")
    assert done.returncode == 1
    assert "data/series.csv has changed since pipeline.yaml recorded it" in done.stderr
    assert done.stderr.strip().count("\n") == 0


@pytest.mark.slow
def test_forecasting_set_up_fits_the_users_daily_series_and_trains(tools, tmp_path):
    """Daily data: a weekly season, week-long folds that fit its length, a real training."""
    data = daily_csv(tmp_path / "visits.csv", 200)
    answers = answers_file(tmp_path, dataset=str(data), target_columns="sales")
    done = tools.kb("scaffold", "forecasting", "p", "--defaults", "--data", answers, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    config = yaml.safe_load((tmp_path / "p" / "configs" / "pipeline.yaml").read_text())
    # the organism decides the weekly season at fit; the folds are a week long
    assert config["pipeline"]["model"] == {"id": "forecasting.pipeline", "params": {}}
    splitter = config["evaluation"]["splitter"]["params"]
    assert splitter == {"initial_window": 200 - 3 * 7, "step": 7, "horizon": 7}
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    train_project(tools, tmp_path / "p", uri)
    from mlflow import MlflowClient

    client = MlflowClient(uri)
    [run] = client.search_runs([client.get_experiment_by_name("p").experiment_id])
    assert len(client.get_metric_history(run.info.run_id, "fold.mase")) == 3
    assert 0 < run.data.metrics["mase"] < 5
    assert run.data.params["decided.sp"] == "7"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("time,sales\n2020-01-01,2\n2020-02-01,3\n", "2 time points are too few"),
        (
            "time,sales\n" + "".join(f"2024-01-{d:02d},{d}\n" for d in range(1, 31) if d != 9),
            "not evenly spaced",
        ),
        (
            "time,sales\n"
            + "".join(f"2024-01-{d:02d},{'' if d == 9 else d}\n" for d in range(1, 31)),
            "missing values at 1 of its time points (the first at 2024-01-09",
        ),
        ("time,sales,price\n2020-01-01,2,1\n", "forecasts one series"),
    ],
)
def test_a_user_series_the_forecasting_template_cannot_use_is_refused(
    tools, tmp_path, text, expected
):
    data = tmp_path / "series.csv"
    data.write_text(text)
    targets = "sales,price" if "price" in text else "sales"
    answers = answers_file(tmp_path, dataset=str(data), target_columns=targets)
    done = tools.kb("scaffold", "forecasting", "p", "--defaults", "--data", answers, cwd=tmp_path)
    assert done.returncode == 1
    assert expected in done.stderr and done.stderr.count("\n") == 1
    assert not (tmp_path / "p").exists()


def test_non_empty_destination_is_refused_and_left_alone(tools, tmp_path):
    dest = tmp_path / "busy"
    dest.mkdir()
    (dest / "notes.txt").write_text("mine")
    done = tools.kb("scaffold", "forecasting", "busy", "--defaults", cwd=tmp_path)
    assert done.returncode == 1
    assert "exists and is not empty" in done.stderr and "--force" in done.stderr
    assert [p.name for p in dest.iterdir()] == ["notes.txt"]


def test_force_writes_into_a_non_empty_destination_and_keeps_other_files(tools, tmp_path):
    dest = tmp_path / "busy"
    dest.mkdir()
    (dest / "notes.txt").write_text("mine")
    done = tools.kb("scaffold", "forecasting", "busy", "--defaults", "--force", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (dest / "notes.txt").read_text() == "mine"
    assert (dest / "configs" / "pipeline.yaml").is_file()


def test_dry_run_prints_the_tree_and_writes_nothing(tools, tmp_path):
    done = tools.kb("scaffold", "anomaly-detection", "det", "--defaults", "--dry-run", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    for name in ("pipeline.yaml", "train.py", "test_smoke_train.py", ".gitlab-ci.yml", "Makefile"):
        if name == ".gitlab-ci.yml":
            assert name not in done.stdout  # default CI is GitHub
        else:
            assert name in done.stdout
    assert list(tmp_path.iterdir()) == []


def test_project_name_defaults_to_the_destination_folder(tools, tmp_path):
    done = tools.kb("scaffold", "forecasting", "sales-forecast", "--defaults", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    answers = yaml.safe_load((tmp_path / "sales-forecast" / ".copier-answers.yml").read_text())
    assert answers["project_name"] == "sales-forecast"
    assert answers["package_name"] == "sales_forecast"
    assert answers["_commit"].startswith("v")
    assert (tmp_path / "sales-forecast" / "src" / "sales_forecast" / "train.py").is_file()


def test_answers_file_without_defaults_needs_no_terminal(tools, tmp_path):
    """The README's `kb scaffold forecasting sales --data answers.yml`, in a script."""
    data = answers_file(tmp_path, author="Ada")
    done = tools.kb("scaffold", "forecasting", "sales", "--data", data, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    recorded = yaml.safe_load((tmp_path / "sales" / ".copier-answers.yml").read_text())
    assert recorded["author"] == "Ada" and recorded["ci"] == "github"


def test_no_terminal_and_no_defaults_asks_for_the_answers(tools, tmp_path):
    done = tools.kb("scaffold", "forecasting", "p", cwd=tmp_path)
    assert done.returncode == 1
    assert "pass --defaults" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_template_that_fails_to_render_leaves_no_half_written_project(tools, tmp_path):
    broken = tmp_path / "templates"
    shutil.copytree(ROOT / "catalog" / "templates", broken)
    (broken / "forecasting" / "Makefile.jinja").write_text("{% if %}\n")
    env = {"KB_TEMPLATES_SOURCE": str(broken), "KB_CACHE_DIR": str(tmp_path / "cache")}
    work = tmp_path / "work"
    work.mkdir()
    done = tools.kb("scaffold", "forecasting", "p", "--defaults", cwd=work, env=env)
    assert done.returncode == 1
    assert "rendering the forecasting template failed" in done.stderr
    assert list(work.iterdir()) == []


def test_interactive_scaffold_asks_the_questions_and_the_columns_of_a_file(tmp_path):
    """A person at a terminal: kb prompts, they answer, the project uses their answers."""
    pexpect = pytest.importorskip("pexpect", reason="drives kb in a pseudo-terminal")
    try:
        for fd in os.openpty():
            os.close(fd)
    except OSError as error:
        pytest.skip(f"this machine cannot open a pseudo-terminal ({error})")
    data = gunpoint_long_csv(tmp_path / "gestures.csv", n_cases=10)
    kb = Path(sys.executable).with_name("kb")
    child = pexpect.spawn(
        str(kb), ["scaffold", "classification", "gestures"], cwd=str(tmp_path), encoding="utf-8"
    )
    child.timeout = 120
    answers = [
        ("Project name \\(letters, digits", None),  # each question's help, then the question
        (r"project_name \[gestures\]", ""),  # default shown: the destination's name
        ("author", "Grace Hopper"),
        ("description", ""),
        ("python_version", "3.13"),
        ("ci", "gitlb"),  # a typo is asked again
        ("ci", "gitlab"),
        ("A catalog dataset id", None),
        ("dataset", str(data)),
        ("case_column", "trial"),
        ("time_column", "step"),
        ("target_columns", "hand_x"),
        ("label_column", "gesture"),
        ("atomkb_source", ""),  # default: the atomkb kb runs from, as a wheel in the project
        ("tracking_uri", ""),
    ]
    for question, reply in answers:
        child.expect(question)
        if reply is not None:
            child.sendline(reply)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    project = tmp_path / "gestures"
    recorded = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert recorded["project_name"] == "gestures"
    assert recorded["author"] == "Grace Hopper" and recorded["ci"] == "gitlab"
    assert recorded["python_version"] == "3.13"
    config = yaml.safe_load((project / "configs" / "pipeline.yaml").read_text())
    assert config["data"]["case_column"] == "trial"
    assert config["data"]["value_columns"] == ["hand_x"]
    assert (project / ".gitlab-ci.yml").is_file() and not (project / ".github").exists()


def test_default_python_version_is_the_one_kb_runs_on(tools, tmp_path):
    """A project scaffolded with defaults must install on the machine that made it."""
    done = tools.kb("scaffold", "anomaly-detection", "p", "--defaults", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    recorded = yaml.safe_load((tmp_path / "p" / ".copier-answers.yml").read_text())
    assert recorded["python_version"] == running
    assert f'requires-python = ">={running}"' in (tmp_path / "p" / "pyproject.toml").read_text()


def test_a_destination_under_a_file_is_one_sentence(tools, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    done = tools.kb("scaffold", "forecasting", "notes.txt/proj", "--defaults", cwd=tmp_path)
    assert done.returncode == 1
    assert "notes.txt is a file, not a folder" in done.stderr
    assert done.stderr.count("\n") == 1
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_an_anomaly_series_with_missing_values_is_refused(tools, tmp_path):
    data = tmp_path / "sensor.csv"
    data.write_text("time,value\n" + "".join(f"{t},{'' if t == 7 else t}\n" for t in range(50)))
    answers = answers_file(tmp_path, dataset=str(data))
    done = tools.kb(
        "scaffold", "anomaly-detection", "p", "--defaults", "--data", answers, cwd=tmp_path
    )
    assert done.returncode == 1
    assert "missing values at 1 of its time points (the first at 7)" in done.stderr
    assert not (tmp_path / "p").exists()


def drivers_csv(path: Path, days: int = 200) -> Path:
    """Daily sales driven by a price and a promotion flag: a user's file with drivers."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(3)
    price = 10 + rng.normal(0, 2, days).round(2)
    promo = (rng.random(days) < 0.2).astype(int)
    weekly = 10 * np.sin(2 * np.pi * np.arange(days) / 7)
    sales = 200 - 8 * price + 30 * promo + weekly + rng.normal(0, 2, days)
    dates = pd.date_range("2024-01-01", periods=days, freq="D").strftime("%Y-%m-%d")
    table = {"time": dates, "sales": sales.round(2), "price": price, "promo": promo}
    pd.DataFrame(table).to_csv(path, index=False)
    return path


@pytest.mark.slow
def test_forecasting_with_known_drivers_trains_and_serves_with_them(tools, tmp_path):
    data = drivers_csv(tmp_path / "sales.csv")
    answers = answers_file(
        tmp_path, dataset=str(data), target_columns="sales", exog_columns="price, promo"
    )
    done = tools.kb("scaffold", "forecasting", "p", "--defaults", "--data", answers, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    config = yaml.safe_load((tmp_path / "p" / "configs" / "pipeline.yaml").read_text())
    assert config["data"]["exog_columns"] == ["price", "promo"]
    assert config["pipeline"]["model"]["id"] == "forecasting.reduction"  # ETS ignores X
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    train_project(tools, tmp_path / "p", uri)
    import mlflow
    import pandas as pd
    from mlflow import MlflowClient

    client = MlflowClient(uri)
    experiment = client.get_experiment_by_name("p")
    [run] = client.search_runs([experiment.experiment_id])
    assert run.data.params["data.exog_columns.0"] == "price"
    # sales move by 8 per unit of price: knowing the drivers keeps the error near the noise
    assert run.data.metrics["mae"] < 6
    [logged] = client.search_logged_models(experiment_ids=[experiment.experiment_id])
    mlflow.set_tracking_uri(uri)
    served = mlflow.pyfunc.load_model(f"models:/{logged.model_id}")
    assert {"step", "price", "promo"} <= set(served.metadata.get_input_schema().input_names())
    future = pd.DataFrame({"step": [1, 2], "price": [8.0, 14.0], "promo": [1, 0]})
    forecast = served.predict(future)["forecast"]
    assert forecast.iloc[0] - forecast.iloc[1] > 40  # cheaper, and on promotion: more sales


@pytest.mark.parametrize(
    ("exog", "expected"),
    [
        ("prise", "column 'prise' is not in sales.csv"),
        ("sales", "exog_columns names sales, which is the time or target column"),
    ],
)
def test_bad_driver_columns_are_refused(tools, tmp_path, exog, expected):
    data = drivers_csv(tmp_path / "sales.csv", days=40)
    answers = answers_file(tmp_path, dataset=str(data), target_columns="sales", exog_columns=exog)
    done = tools.kb("scaffold", "forecasting", "p", "--defaults", "--data", answers, cwd=tmp_path)
    assert done.returncode == 1
    assert expected in done.stderr and done.stderr.count("\n") == 1
    assert not (tmp_path / "p").exists()
