"""Careless or hostile input to ``kb scaffold`` and ``kb update``, and ``--force`` or Ctrl+C.

Each bad input ends in one sentence on stderr that names the file, field or value, with
exit code 1, and nothing written; hostile answers render into a project that imports,
lints and passes its own configuration tests.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

pytest.importorskip("copier", reason="kb scaffold needs the scaffold extra: atomkb[scaffold]")

HOSTILE = {
    "author": 'O\'Brien "the" \\ coder é😀 {{ 7*7 }}',
    "description": "Line one \"\"\" triple\nline two ''' {% if %} {{ 7*7 }} \\ back ☃ 😀",
}


def one_sentence(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stderr.count("\n") == 1, done.stderr  # one line, no traceback
    return done.stderr


def scaffold(tools, folder: Path, template: str, *args: str, **answers: object):
    (folder / "answers.yml").write_text(yaml.safe_dump(answers, allow_unicode=True))
    return tools.kb("scaffold", template, "p", "--data", "answers.yml", *args, cwd=folder)


def test_a_non_utf8_answers_file_is_one_sentence(tools, tmp_path):
    (tmp_path / "answers.yml").write_bytes("author: Jos\xe9\n".encode("latin-1"))
    done = tools.kb("scaffold", "forecasting", "p", "--data", "answers.yml", cwd=tmp_path)
    assert "answers.yml is not UTF-8 text (byte 0xe9" in one_sentence(done)
    assert not (tmp_path / "p").exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("target_columns: null\ndataset: data.csv\n", "target_columns is empty (null)"),
        ("author: [a, {b: c}]\n", "author must be text"),
        ('description: "bell \\a"\n', "description holds the control character"),
        ("tracking_uri: 'sqlite:///x\"; import os #'\n", "tracking_uri must be a URI"),
        ("atomkb_source: 'https://x/simple $(rm -rf ~)'\n", "is not a plain URL"),
        ("atomkb_source: git+https://host/atomkb.git\n", "names no tag"),
        ("atomkb_source: ./nowhere\n", "is neither an atomkb wheel"),
        ("track_data: perhaps\n", "track_data must be yes or no"),
        ("author: [unclosed\n", "is not valid YAML at line"),
    ],
)
def test_bad_answers_are_one_sentence(tools, tmp_path, text, expected):
    (tmp_path / "data.csv").write_text("time,value\n1,2\n")
    (tmp_path / "answers.yml").write_text(text)
    done = tools.kb("scaffold", "forecasting", "p", "--data", "answers.yml", cwd=tmp_path)
    assert expected in one_sentence(done)
    assert not (tmp_path / "p").exists()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.csv", b"", "empty.csv is empty"),
        ("header.csv", b"time,value\n", "header.csv has no data rows"),
        ("latin.csv", "time,valué\n1,2\n".encode("latin-1"), "latin.csv is not UTF-8 text"),
        ("fake.parquet", b"time,value\n1,2\n", "fake.parquet is not a Parquet file"),
    ],
)
def test_unreadable_data_files_are_one_sentence(tools, tmp_path, name, content, expected):
    (tmp_path / name).write_bytes(content)
    done = scaffold(tools, tmp_path, "anomaly-detection", dataset=name)
    assert expected in one_sentence(done)
    assert not (tmp_path / "p").exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("_commit: [v1\n", "is not valid YAML at line"),
        ("- a list\n", "must hold the answers kb scaffold recorded, found list"),
        ("template: forecasting\n", "_commit should name the template version"),
    ],
)
def test_update_with_a_malformed_answers_file_is_one_sentence(tools, tmp_path, text, expected):
    done = tools.kb("scaffold", "forecasting", "p", "--defaults", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    project = tmp_path / "p"
    (project / ".copier-answers.yml").write_text(text)
    subprocess.run(["git", "commit", "-qam", "break it"], cwd=project, check=True)
    done = tools.kb("update", "p", cwd=tmp_path)
    assert expected in one_sentence(done) and ".copier-answers.yml" in done.stderr


def test_hostile_answers_are_quoted_and_the_project_imports_lints_and_tests(tools, tmp_path):
    done = scaffold(tools, tmp_path, "classification", "--defaults", **HOSTILE)
    assert done.returncode == 0, done.stderr  # `{{ 7*7 }}` is the user's text, not a bug
    project = tmp_path / "p"
    import tomllib

    meta = tomllib.loads((project / "pyproject.toml").read_text())["project"]
    assert meta["authors"] == [{"name": HOSTILE["author"]}]
    assert meta["description"] == " ".join(HOSTILE["description"].split())
    assert HOSTILE["description"] in (project / "README.md").read_text()
    recorded = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert recorded["description"] == HOSTILE["description"]
    for command in (["check", "--no-cache", "."], ["format", "--check", "--no-cache", "."]):
        ruff = subprocess.run(
            [str(tools.bin / "ruff"), *command], cwd=project, capture_output=True, text=True
        )
        assert ruff.returncode == 0, ruff.stdout + ruff.stderr
    tests = subprocess.run(
        tools.project_pytest(project, "tests/test_config.py"),
        cwd=project,
        env=tools.project_env("sqlite:///unused.db"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert tests.returncode == 0, tests.stdout[-3000:]


def test_force_keeps_the_users_files_and_puts_the_templates_beside_them(tools, tmp_path):
    dest = tmp_path / "p"
    dest.mkdir()
    (dest / "README.md").write_text("# my notes\n")
    (dest / "Makefile").write_text("all:\n\techo mine\n")
    done = tools.kb("scaffold", "forecasting", "p", "--defaults", "--force", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (dest / "README.md").read_text() == "# my notes\n"
    assert (dest / "Makefile").read_text() == "all:\n\techo mine\n"
    assert "make train" in (dest / "README.md.kb-new").read_text()
    assert "train:" in (dest / "Makefile.kb-new").read_text()
    assert "Kept your Makefile, README.md" in done.stderr
    assert (dest / "configs" / "pipeline.yaml").is_file()


def test_ctrl_c_during_scaffold_leaves_nothing_behind(tmp_path):
    kb = Path(sys.executable).with_name("kb")
    child = subprocess.Popen(
        [str(kb), "scaffold", "forecasting", "p", "--defaults"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not any(p.name.startswith(".p.kb-") for p in tmp_path.iterdir()):
        assert child.poll() is None, "kb finished before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=60)
    assert child.returncode != 0
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def sensor_csv(path: Path, *, label: str = "0", value: str = "1.0") -> Path:
    """A user's sensor file: 300 points of a sine, one labelled anomaly, one cell replaceable."""
    import math

    rows = ["time,value,label"]
    for t in range(300):
        rows.append(f"{t},{math.sin(t / 5):.4f},{1 if 200 <= t < 205 else 0}")
    rows[150] = f"149,{value},{label}"
    path.write_text("\n".join(rows) + "\n")
    return path


@pytest.fixture(scope="module")
def sensor_project(tmp_path_factory, tools):
    """An anomaly-detection project made from the user's labelled file."""
    root = tmp_path_factory.mktemp("sensor")
    sensor_csv(root / "sensor.csv")
    done = scaffold(
        tools, root, "anomaly-detection", "--defaults", dataset="sensor.csv", label_column="label"
    )
    assert done.returncode == 0, done.stderr
    return root / "p"


def variant(project: Path, name: str, edit) -> str:
    """A configuration beside the project's own, changed by ``edit`` (a dict in, out)."""
    config = yaml.safe_load((project / "configs" / "pipeline.yaml").read_text())
    path = project / "configs" / name
    changed = edit(config)
    path.write_text(changed if isinstance(changed, str) else yaml.safe_dump(changed))
    return str(path)


def with_data(project: Path, text_args: dict) -> callable:
    """An edit that points the configuration at another copy of the user's file."""
    sensor_csv(project / "data" / "other.csv", **text_args)

    def edit(config):
        config["data"]["path"] = "data/other.csv"
        config["data"].pop("sha256")
        return config

    return edit


@pytest.mark.slow
@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("missing-label", "label_column 'label' is empty at 1 time points (the first at 149)"),
        ("label-2", "label_column 'label' holds 2; labels must be 0 (normal) or 1"),
        ("inf", "column value holds infinite values"),
        ("limit-0", "--limit must be a positive number of data points, found 0"),
        ("limit-negative", "--limit must be a positive number of data points, found -5"),
        ("not-yaml", "is not valid YAML at line"),
        ("no-detector", "pipeline.detector is missing"),
        ("params-list", "pipeline.detector.params must map parameter names to values"),
        ("wrong-task", "dataset.airline is a dataset for forecasting, not for anomaly-detection"),
    ],
)
def test_generated_train_refuses_bad_data_and_config_in_one_sentence(
    sensor_project, tools, case, expected
):
    project = sensor_project
    args: list[str] = []
    edits = {
        "missing-label": lambda: with_data(project, {"label": ""}),
        "label-2": lambda: with_data(project, {"label": "2"}),
        "inf": lambda: with_data(project, {"value": "inf"}),
        "not-yaml": lambda: lambda config: "data: [unclosed\n",
        "no-detector": lambda: (
            lambda config: {**config, "pipeline": {"threshold": config["pipeline"]["threshold"]}}
        ),
        "params-list": lambda: (
            lambda config: {
                **config,
                "pipeline": {
                    **config["pipeline"],
                    "detector": {"id": "anomaly.pipeline", "params": [1, 2]},
                },
            }
        ),
        "wrong-task": lambda: lambda config: {**config, "data": {"id": "dataset.airline"}},
    }
    if case.startswith("limit"):
        args = ["--limit", "0" if case == "limit-0" else "-5"]
    else:
        args = ["--config", variant(project, f"{case}.yaml", edits[case]())]
    done = subprocess.run(
        [sys.executable, "-m", "p.train", *args],
        cwd=project,
        env=tools.project_env(f"sqlite:///{project.parent / 'mlflow.db'}"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert expected in one_sentence(done)
    assert not (project / "mlflow.db").exists()  # refused before any MLflow run
