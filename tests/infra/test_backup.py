"""infra/backup.sh and infra/restore.sh on the real local platform.

A run (param, metric, artifact) logged through stack 1's proxy and an Optuna study in its
studies database are backed up, stack 1 is stopped, and the backup is restored into a
fresh stack 2, where the run, its artifact and the study are found again through the
proxy. No Meilisearch server installs here: a stand-in answering Meilisearch's dump API
(POST /dumps, GET /tasks/UID) checks the dump's path through both scripts.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from infra.localstack import Stack, postgres, unavailable_reason
from tests.conftest import _run_kb

pytestmark = pytest.mark.slow

INFRA = Path(__file__).resolve().parents[2] / "infra"
BACKUP = INFRA / "backup.sh"
RESTORE = INFRA / "restore.sh"
VENV_BIN = Path(sys.executable).parent
MEILI_KEY = "test-master-key-of-the-stand-in"
NOTE = "what the run learned, kept as an artifact"
STUDY = "backup-check"

# Logs a run through the proxy (mode "log") or reads it back (mode "read"), printing JSON.
MLFLOW_CLIENT = """
import json, pathlib, sys
from mlflow import MlflowClient

mode, folder = sys.argv[1], pathlib.Path(sys.argv[2])
client = MlflowClient()
if mode == "log":
    (folder / "notes.txt").write_text(sys.argv[3])
    run = client.create_run(client.create_experiment("backup-check"))
    client.log_param(run.info.run_id, "window", "24")
    client.log_metric(run.info.run_id, "mase", 0.8125)
    client.log_artifact(run.info.run_id, str(folder / "notes.txt"))
    client.set_terminated(run.info.run_id)
    print(json.dumps({"run_id": run.info.run_id}))
else:
    run = client.get_run(sys.argv[3])
    experiment = client.get_experiment_by_name("backup-check")
    path = client.download_artifacts(run.info.run_id, "notes.txt", str(folder))
    print(json.dumps({
        "experiment": experiment.experiment_id == run.info.experiment_id,
        "param": run.data.params, "metric": run.data.metrics,
        "artifact": pathlib.Path(path).read_text(),
    }))
"""


def _one_sentence(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1 and lines[0].endswith("."), text
    return lines[0]


def _script(script: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run a script with a clean environment: PATH (this venv first, for mlflow) and ``env``."""
    return subprocess.run(
        [str(script), *args],
        env={"PATH": f"{VENV_BIN}:/usr/bin:/bin", "HOME": os.environ.get("HOME", "/"), **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def _mlflow_client(stack: Stack, *args: str) -> dict:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(args[1]),
        "MLFLOW_TRACKING_URI": f"{stack.url}/mlflow",
        "MLFLOW_TRACKING_USERNAME": stack.user,
        "MLFLOW_TRACKING_PASSWORD": stack.password,
    }
    done = subprocess.run(
        [sys.executable, "-c", MLFLOW_CLIENT, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _get_json(stack: Stack, path: str) -> dict:
    login = base64.b64encode(f"{stack.user}:{stack.password}".encode()).decode()
    request = urllib.request.Request(stack.url + path, headers={"Authorization": f"Basic {login}"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer)


def _trials(url: str) -> list[tuple[int, dict, list[float] | None]]:
    import optuna

    storage = optuna.storages.RDBStorage(url)
    try:
        study = optuna.load_study(study_name=STUDY, storage=storage)
        return [(trial.number, trial.params, trial.values) for trial in study.trials]
    finally:
        storage.engine.dispose()


class FakeMeilisearch:
    """Meilisearch's dump API as documented: POST /dumps enqueues a ``dumpCreation`` task;
    GET /tasks/UID answers ``processing`` once, then ``succeeded`` with
    ``details.dumpUid`` after writing DUMPS_DIR/UID.dump (or ``failed`` when ``fail``)."""

    def __init__(self, dumps_dir: Path, fail: bool = False) -> None:
        self.dumps_dir, self.fail = dumps_dir, fail
        self.content = os.urandom(4096)
        self.dump_uid = "20250101-120000000"
        self.polls = 0
        dumps_dir.mkdir(parents=True, exist_ok=True)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _answer(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _authorised(self) -> bool:
                if self.headers.get("Authorization") == f"Bearer {MEILI_KEY}":
                    return True
                self._answer(401, {"message": "The provided API key is invalid.",
                                   "code": "invalid_api_key", "type": "auth"})  # fmt: skip
                return False

            def do_POST(self) -> None:
                if self._authorised() and self.path == "/dumps":
                    self._answer(202, {"taskUid": 7, "indexUid": None, "status": "enqueued",
                                       "type": "dumpCreation"})  # fmt: skip

            def do_GET(self) -> None:
                if not self._authorised():
                    return
                if self.path == "/version":
                    self._answer(200, {"pkgVersion": "1.53.0"})
                elif self.path == "/tasks/7":
                    self._answer(200, fake.task())
                else:
                    self._answer(404, {"message": "not found", "code": "not_found"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def task(self) -> dict:
        self.polls += 1
        task = {"uid": 7, "indexUid": None, "type": "dumpCreation", "details": {}, "error": None}
        if self.polls == 1:
            return {**task, "status": "processing"}
        if self.fail:
            error = {"message": "No space left on device.", "code": "dump_process_failed"}
            return {**task, "status": "failed", "error": error}
        (self.dumps_dir / f"{self.dump_uid}.dump").write_bytes(self.content)
        return {**task, "status": "succeeded", "details": {"dumpUid": self.dump_uid}}

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass
class BackedUp:
    """What stack 1 held and the backups taken of it (stack 1 is stopped by then)."""

    with_dump: Path
    without_dump: subprocess.CompletedProcess[str]
    failed: subprocess.CompletedProcess[str]
    failed_dest: Path
    run_id: str
    trials: list
    meili: FakeMeilisearch


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    reason = unavailable_reason()
    if reason:
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("site")
    (folder / "html").mkdir()
    (folder / "html" / "index.html").write_text("<!doctype html><title>atomkb</title>")
    index = folder / "index.sqlite"
    done = _run_kb("index", "--index-file", str(index), "--records", str(folder / "none.json"))
    assert done.returncode == 0, done.stderr
    return folder / "html", index


@pytest.fixture(scope="module")
def backed_up(
    site: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BackedUp]:
    import optuna

    tmp = tmp_path_factory.mktemp("backed-up")
    meili = FakeMeilisearch(tmp / "meili-1" / "dumps")
    failing = FakeMeilisearch(tmp / "meili-failing" / "dumps", fail=True)
    with Stack(site=site[0], index_file=site[1]) as stack:
        run_id = _mlflow_client(stack, "log", str(tmp), NOTE)["run_id"]
        storage = optuna.storages.RDBStorage(stack.database_url("automl"))
        study = optuna.create_study(
            study_name=STUDY, storage=storage, sampler=optuna.samplers.RandomSampler(seed=0)
        )
        study.optimize(lambda trial: (trial.suggest_float("x", -1, 1) - 0.25) ** 2, n_trials=3)
        storage.engine.dispose()
        trials = _trials(stack.database_url("automl"))
        env = {
            "KB_PG_URL": postgres.libpq_url(stack.postgres_url),
            "KB_ARTIFACTS_DIR": str(stack.artifacts),
        }
        meili_env = {
            "KB_MEILI_URL": meili.url,
            "KB_MEILI_MASTER_KEY": MEILI_KEY,
            "KB_MEILI_DUMPS_DIR": str(meili.dumps_dir),
        }
        without_dump = _script(BACKUP, str(tmp / "plain"), **env)
        with_dump = _script(BACKUP, str(tmp / "backups"), **env, **meili_env)
        meili_env.update(KB_MEILI_URL=failing.url, KB_MEILI_DUMPS_DIR=str(failing.dumps_dir))
        failed = _script(BACKUP, str(tmp / "failed"), **env, **meili_env)
    failing.close()
    assert with_dump.returncode == 0, with_dump.stderr
    yield BackedUp(
        with_dump=Path(with_dump.stdout.strip()),
        without_dump=without_dump,
        failed=failed,
        failed_dest=tmp / "failed",
        run_id=run_id,
        trials=trials,
        meili=meili,
    )
    meili.close()


def test_a_backup_holds_each_database_the_artifacts_the_dump_and_a_manifest(backed_up):
    import mlflow
    import optuna

    folder = backed_up.with_dump
    assert folder.name.startswith("atomkb-backup-")
    manifest = json.loads((folder / "manifest.json").read_text())
    files = {entry["name"]: entry for entry in manifest["files"]}
    assert set(files) == {"mlflow.dump", "automl.dump", "mlartifacts.tar.gz", "meilisearch.dump"}
    assert {p.name for p in folder.iterdir()} == set(files) | {"manifest.json"}
    for name, entry in files.items():
        done = subprocess.run(["sha256sum", str(folder / name)], capture_output=True, text=True)
        assert done.stdout.split()[0] == entry["sha256"]
        assert (folder / name).stat().st_size == entry["bytes"]
    assert (folder / "mlflow.dump").read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    assert files["mlflow.dump"]["alembic_revision"]  # MLflow's schema, checked on restore
    assert (folder / "meilisearch.dump").read_bytes() == backed_up.meili.content
    assert not list(backed_up.meili.dumps_dir.iterdir())  # moved out of Meilisearch's folder
    versions = manifest["versions"]
    assert versions["pg_dump"].startswith("pg_dump (PostgreSQL) ")
    assert versions["mlflow"] == mlflow.__version__
    assert versions["optuna"] == optuna.__version__
    assert versions["meilisearch"] == "1.53.0"
    assert manifest["skipped"] == {}


def test_without_meilisearch_the_backup_says_why_it_has_no_dump(backed_up):
    done = backed_up.without_dump
    assert done.returncode == 0, done.stderr
    assert "KB_MEILI_URL is unset" in done.stderr and "kb index" in done.stderr
    folder = Path(done.stdout.strip())
    manifest = json.loads((folder / "manifest.json").read_text())
    assert "meilisearch.dump" not in {entry["name"] for entry in manifest["files"]}
    assert "kb serve stands in" in manifest["skipped"]["meilisearch"]


def test_a_failed_backup_leaves_nothing_that_looks_complete(backed_up):
    """The Meilisearch dump fails after both databases and the artifacts were saved."""
    assert backed_up.failed.returncode != 0
    assert "No space left on device" in backed_up.failed.stderr.splitlines()[-1]
    assert list(backed_up.failed_dest.iterdir()) == []


def test_a_restore_into_a_fresh_stack_brings_back_the_run_its_artifact_and_the_study(
    backed_up, site, tmp_path
):
    dumps = tmp_path / "meili-2" / "dumps"
    with Stack(site=site[0], index_file=site[1]) as stack:
        done = _script(
            RESTORE,
            str(backed_up.with_dump),
            KB_PG_URL=postgres.libpq_url(stack.postgres_url),
            KB_ARTIFACTS_DIR=str(stack.artifacts),
            KB_MEILI_DUMPS_DIR=str(dumps),
        )
        assert done.returncode == 0, done.stderr
        run = _mlflow_client(stack, "read", str(tmp_path), backed_up.run_id)
        assert run == {
            "experiment": True,
            "param": {"window": "24"},
            "metric": {"mase": 0.8125},
            "artifact": NOTE,
        }
        assert _trials(stack.database_url("automl")) == backed_up.trials
        studies = _get_json(stack, "/api/studies")["study_summaries"]
        (study_id,) = [s["study_id"] for s in studies if s["study_name"] == STUDY]
        shown = _get_json(stack, f"/api/studies/{study_id}")["trials"]
        assert [(t["number"], t["values"]) for t in shown] == [
            (number, values) for number, _, values in backed_up.trials
        ]
    staged = dumps / f"{backed_up.meili.dump_uid}.dump"
    assert staged.read_bytes() == backed_up.meili.content
    assert f"--import-dump {staged}" in done.stdout


def test_a_database_of_another_schema_revision_is_refused_untouched(backed_up, tmp_path):
    """A newer MLflow already wrote its tables: --clean would leave them beside old ones."""
    import psycopg

    with postgres.throwaway_cluster() as url:
        for name in ("mlflow", "automl"):
            postgres.create_database(url, name)
        mlflow_db = postgres.libpq_url(url.rsplit("/", 1)[0] + "/mlflow")
        with psycopg.connect(mlflow_db, autocommit=True) as connection:
            connection.execute("CREATE TABLE alembic_version (version_num text)")
            connection.execute("INSERT INTO alembic_version VALUES ('from-a-newer-mlflow')")
        done = _script(
            RESTORE,
            str(backed_up.with_dump),
            KB_PG_URL=postgres.libpq_url(url),
            KB_ARTIFACTS_DIR=str(tmp_path / "artifacts"),
        )
        with psycopg.connect(mlflow_db) as connection:
            public = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            tables = connection.execute(public).fetchall()
            assert [name for (name,) in tables] == ["alembic_version"]
    assert done.returncode != 0
    assert "holds schema revision from-a-newer-mlflow" in _one_sentence(done.stderr)
    assert not (tmp_path / "artifacts").exists()


@pytest.mark.parametrize(
    "name", ["mlflow.dump", "automl.dump", "mlartifacts.tar.gz", "meilisearch.dump"]
)
def test_a_backup_with_one_byte_changed_is_refused_in_one_sentence(backed_up, tmp_path, name):
    copy = tmp_path / backed_up.with_dump.name
    shutil.copytree(backed_up.with_dump, copy)
    data = bytearray((copy / name).read_bytes())
    data[len(data) // 2] ^= 0x01
    (copy / name).write_bytes(bytes(data))
    artifacts = tmp_path / "artifacts"
    done = _script(
        RESTORE,
        str(copy),
        KB_PG_URL="postgresql://postgres@127.0.0.1:1/postgres",  # never reached
        KB_ARTIFACTS_DIR=str(artifacts),
    )
    assert done.returncode != 0
    sentence = _one_sentence(done.stderr)
    assert f"{name}'s SHA-256 differs from the manifest" in sentence
    assert "nothing was restored" in sentence
    assert not artifacts.exists()


def test_backup_and_restore_without_an_argument_say_what_to_give(tmp_path):
    for script, wanted in ((BACKUP, "DEST_DIR"), (RESTORE, "BACKUP")):
        done = _script(script)
        assert done.returncode != 0
        assert wanted in _one_sentence(done.stderr)
