"""The team platform's compose file: valid, pinned, healthy, one published port, no secret."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
INFRA = ROOT / "infra"
COMPOSE_FILE = INFRA / "compose.yaml"
ENV_EXAMPLE = INFRA / ".env.example"
TEMPLATES = INFRA / "nginx" / "templates"
INIT_SCRIPT = INFRA / "postgres" / "init-databases.sh"
CHECKER = Path(sys.executable).with_name("check-jsonschema")
COMPOSE = ("docker", "compose", "-f", str(COMPOSE_FILE))

# An exact release: 1.29.8, v1.53.0, with an optional variant (-alpine) and digest; never
# latest, a bare major, a major.minor that floats over patches, or no tag at all.
PINNED_IMAGE = re.compile(r"^[^:@\s]+:v?\d+\.\d+\.\d+(-[a-z0-9.]+)?(@sha256:[0-9a-f]{64})?$")
# Images whose releases have two numbers: postgres:18.6 is one exact release.
TWO_NUMBER_RELEASES = re.compile(r"^postgres:\d+\.\d+(-[a-z0-9.]+)?(@sha256:[0-9a-f]{64})?$")
# KEY, PASSWORD, SECRET or TOKEN as a word of the name: KB_MEILI_SEARCH_KEY,
# POSTGRES_PASSWORD_FILE; not KB_SECRETS_DIR.
SECRET_WORD = r"(?:KEY|PASSWORD|SECRET|TOKEN)"
SECRET_NAME = re.compile(rf"(?:^|_){SECRET_WORD}(?:_|$)")
# A value taken from infra/.env: ${NAME} or ${NAME:?message}, never ${NAME:-a default}.
ENV_REFERENCE = re.compile(r"^\$\{[A-Z][A-Z0-9_]*(:\?[^}]*)?\}$")
# ${NAME...} read by Compose; $${...} is an escaped dollar for the container's shell.
COMPOSE_VARIABLE = re.compile(r"(?<!\$)\$\{([A-Z][A-Z0-9_]*)")
TEMPLATE_VARIABLE = re.compile(r"\$\{(KB_[A-Z0-9_]+)\}")
RUN_SECRET = re.compile(r"/run/secrets/([A-Za-z0-9_.-]+)")
KEY_SHAPES = {
    "a private key": re.compile(r"-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----"),
    "a bcrypt hash (an htpasswd line)": re.compile(r"\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}"),
    "a GitLab token": re.compile(r"\bgl(?:pat|dt|rt|ptt|ft|soat|cbt|imt|oas)-[0-9A-Za-z_-]{20,}"),
    "a GitHub token": re.compile(r"\b(?:gh[pousr]_[0-9A-Za-z]{36}|github_pat_[0-9A-Za-z_]{60,})"),
    "an AWS access key": re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
}
# In configuration files: NAME_KEY: value, NAME_PASSWORD=value... whose value is neither
# empty, a ${reference}, a $(command) nor a path (/…, ./…).
SECRET_ASSIGNMENT = re.compile(
    rf"\b(?:[A-Z0-9]+_)*{SECRET_WORD}(?:_[A-Z0-9]+)*[ \t]*[:=][ \t]*"
    r"[\"']?(?![\"'$/.~\s])(\S{8,})"
)
CONFIG_SUFFIXES = (".yml", ".yaml", ".template", ".conf", ".example", ".cfg", ".toml", ".env")


def pinned(image: str) -> bool:
    return bool(PINNED_IMAGE.match(image) or TWO_NUMBER_RELEASES.match(image))


def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


def services() -> dict[str, dict]:
    return compose()["services"]


def environment(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {name: str(value) for name, value in env.items()}


def mount_targets(service: dict) -> list[str]:
    """Where the service's volumes and tmpfs mounts appear inside its container."""
    targets = list(service.get("tmpfs") or [])
    for volume in service.get("volumes") or []:
        if isinstance(volume, dict):
            targets.append(volume["target"])
        else:
            # ${KB_DEPLOY_ROOT:-/srv/atomkb} holds a colon of its own: name it first.
            parts = re.sub(r"\$\{[^}]*\}", "VAR", volume).split(":")
            targets.append(parts[1] if len(parts) > 1 else parts[0])
    return targets


def service_text(service: dict) -> str:
    """Everything a service runs with: command, environment and health check, as text."""
    return yaml.safe_dump(
        {key: service.get(key) for key in ("command", "entrypoint", "environment", "healthcheck")}
    )


def env_example() -> dict[str, str]:
    pairs = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            pairs[name.strip()] = value.strip()
    return pairs


def tracked_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return [ROOT / name for name in listed.split("\0") if name and (ROOT / name).is_file()]


def read_text(path: Path) -> str | None:
    try:
        return path.read_text()
    except (UnicodeDecodeError, OSError):
        return None


def upstreams() -> dict[str, tuple[str, str]]:
    """The proxy's KB_*_UPSTREAM variables as (service, port)."""
    found = {}
    for name, value in environment(services()["proxy"]).items():
        if name.endswith("_UPSTREAM"):
            host, _, port = value.rpartition(":")
            found[name] = (host, port)
    return found


def test_compose_file_passes_the_compose_specification_schema():
    done = subprocess.run(
        [str(CHECKER), "--builtin-schema", "vendor.compose-spec", str(COMPOSE_FILE)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_image_is_pinned_to_an_exact_version():
    unpinned = {
        name: service.get("image")
        for name, service in services().items()
        if not pinned(service.get("image") or "")
    }
    assert not unpinned, f"images without an exact version tag: {unpinned}"


def test_built_images_pin_their_base_and_every_package_and_are_never_pulled():
    built = {name: service for name, service in services().items() if "build" in service}
    assert {"mlflow", "optuna-dashboard"} <= set(built)
    for name, service in built.items():
        build = service["build"]
        context = INFRA / (build if isinstance(build, str) else build["context"])
        # One line per instruction: continuation lines joined.
        dockerfile = (context / "Dockerfile").read_text().replace("\\\n", " ")
        bases = re.findall(r"^FROM\s+(\S+)", dockerfile, flags=re.MULTILINE)
        assert bases and all(pinned(base) for base in bases), (name, bases)
        installs = re.findall(r"pip install([^\n]*?)(?:&&|$)", dockerfile, flags=re.MULTILINE)
        requirements = re.findall(r"\"([^\"]+)\"", " ".join(installs))
        assert requirements, f"{name}: no quoted requirement in its Dockerfile"
        loose = [req for req in requirements if not re.fullmatch(r"[\w.\[\]-]+==[\w.]+", req)]
        assert not loose, f"{name}: requirements without an exact version: {loose}"
        # The tag names what the image serves: atomkb/mlflow:3.17.2 installs mlflow==3.17.2.
        tag = service["image"].rsplit(":", 1)[1]
        assert f"{name}=={tag}" in requirements, (service["image"], requirements)
        # Built from this folder, never looked up in a registry under a borrowed name.
        assert service.get("pull_policy") == "build", name


def test_every_service_has_a_healthcheck_and_a_restart_policy():
    for name, service in services().items():
        check = service.get("healthcheck") or {}
        assert check.get("test") and not check.get("disable"), f"{name}: no health check"
        assert check["test"][0] in ("CMD", "CMD-SHELL"), name
        assert service.get("restart") == "unless-stopped", f"{name}: restart policy"


def test_only_the_proxy_publishes_ports():
    publishing = {name for name, service in services().items() if service.get("ports")}
    assert publishing == {"proxy"}
    assert not [name for name, s in services().items() if s.get("network_mode") == "host"]
    published = {str(port).rsplit(":", 1)[1] for port in services()["proxy"]["ports"]}
    assert published == {"80", "443"}


def test_secret_looking_environment_values_are_references_or_mounted_files():
    """A secret's value is never written here: it is read from infra/.env or a file."""
    offending = {}
    for name, service in services().items():
        declared = set(service.get("secrets") or [])
        targets = mount_targets(service)
        for variable, value in environment(service).items():
            if not SECRET_NAME.search(variable) or ENV_REFERENCE.match(value):
                continue
            secret = RUN_SECRET.fullmatch(value)
            in_secret = secret is not None and secret.group(1) in declared
            in_mount = any(value.startswith(target.rstrip("/") + "/") for target in targets)
            if not (in_secret or in_mount):
                offending[f"{name}.{variable}"] = value
    assert not offending, f"secret values written into the compose file: {offending}"


def test_every_secret_a_service_reads_is_declared_from_the_secrets_folder():
    spec = compose()
    secrets = spec["secrets"]
    for name, service in spec["services"].items():
        read = set(RUN_SECRET.findall(service_text(service)))
        assert read <= set(service.get("secrets") or []), f"{name} reads undeclared {read}"
        assert set(service.get("secrets") or []) <= set(secrets), name
    for name, secret in secrets.items():
        assert secret["file"] == f"${{KB_SECRETS_DIR:-./secrets}}/{name}", name
    private = ["infra/.env", "infra/secrets/htpasswd", "infra/certs/privkey.pem"]
    ignored = subprocess.run(
        ["git", "check-ignore", *private], cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    assert ignored == private, "infra/.env, infra/secrets/ and infra/certs/ must be gitignored"


def test_env_example_documents_every_variable_with_a_comment():
    compose_text = COMPOSE_FILE.read_text()
    read_by_compose = set(COMPOSE_VARIABLE.findall(compose_text))
    documented = env_example()
    assert read_by_compose <= set(documented), read_by_compose - set(documented)
    infra_text = "\n".join(
        text for path in INFRA.rglob("*") if path.is_file() and (text := read_text(path))
    )
    stale = [name for name in documented if len(re.findall(rf"\b{name}\b", infra_text)) < 2]
    assert not stale, f"documented in infra/.env.example but read nowhere in infra/: {stale}"
    lines = ENV_EXAMPLE.read_text().splitlines()
    for index, line in enumerate(lines):
        if line and not line.startswith("#"):
            above = lines[:index]
            while above and not above[-1].startswith("#") and "=" in above[-1]:
                above.pop()
            assert above and above[-1].startswith("#"), f"{line}: no comment above it"


def test_compose_interpolations_use_forms_compose_understands():
    """${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error} or ${NAME?error}; a
    shell's own $( ) and ${ } are escaped as $$."""
    text = COMPOSE_FILE.read_text()
    references = re.findall(r"(?<!\$)\$\{[^}]*\}", text)
    assert references
    malformed = [
        ref for ref in references if not re.fullmatch(r"\$\{[A-Z][A-Z0-9_]*(:?[-?][^}$]*)?\}", ref)
    ]
    assert not malformed, malformed
    assert not re.findall(r"(?<!\$)\$\((?!\$)", text), "escape the container shell's $( as $$("


def test_env_example_holds_no_secret_value():
    filled = {
        name: value for name, value in env_example().items() if SECRET_NAME.search(name) and value
    }
    assert not filled, f"infra/.env.example must leave secrets empty: {sorted(filled)}"


def test_no_secret_value_is_in_any_tracked_file():
    """Key-shaped strings anywhere, secret assignments in configuration files, and (on a
    machine that has them) the values of infra/.env and of the secret files."""
    local_values = {
        value
        for name, value in _local_env().items()
        if SECRET_NAME.search(name) and len(value) >= 8
    }
    secrets_dir = INFRA / "secrets"
    if secrets_dir.is_dir():
        for path in secrets_dir.iterdir():
            for line in (read_text(path) or "").splitlines():
                value = line.split(":", 1)[-1].strip()
                if len(value) >= 8:
                    local_values.add(value)
    found = []
    for path in tracked_files():
        text = read_text(path)
        if text is None:
            continue
        where = path.relative_to(ROOT)
        found += [f"{where}: {label}" for label, shape in KEY_SHAPES.items() if shape.search(text)]
        if path.name.endswith(CONFIG_SUFFIXES) or path.name in ("Dockerfile", ".gitlab-ci.yml"):
            found += [f"{where}: {m.group(0)[:40]}" for m in SECRET_ASSIGNMENT.finditer(text)]
        found += [
            f"{where}: a value of infra/.env or infra/secrets" for v in local_values if v in text
        ]
    assert not found, found


def _local_env() -> dict[str, str]:
    path = INFRA / ".env"
    if not path.is_file():
        return {}
    pairs = {}
    for line in path.read_text().splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            pairs[name.strip()] = value.strip().strip("'\"")
    return pairs


def test_proxy_environment_defines_exactly_the_variables_the_nginx_templates_read():
    templates = sorted(TEMPLATES.rglob("*.template"))
    if not templates:
        pytest.skip("no nginx template under infra/nginx/templates yet")
    used = {name for path in templates for name in TEMPLATE_VARIABLE.findall(path.read_text())}
    proxy = services()["proxy"]
    defined = {name for name in environment(proxy) if name.startswith("KB_")}
    assert used - defined == set(), f"the templates read undefined {sorted(used - defined)}"
    assert defined - used == set(), f"the proxy defines unused {sorted(defined - used)}"
    assert environment(proxy)["NGINX_ENVSUBST_FILTER"] == "^KB_"
    assert "./nginx/templates:/etc/nginx/templates:ro" in proxy["volumes"]
    # The rendered configuration lands where the templates include it from.
    assert environment(proxy)["KB_CONF_DIR"] in proxy.get("tmpfs", [])


def test_proxy_upstreams_are_services_listening_on_that_port():
    listed = upstreams()
    assert set(listed) >= {"KB_SEARCH_UPSTREAM", "KB_MLFLOW_UPSTREAM", "KB_DASHBOARD_UPSTREAM"}
    for variable, (host, port) in listed.items():
        assert host in services(), f"{variable} names no service: {host}"
        text = service_text(services()[host])
        assert re.search(rf"(--port |:){port}\b", text), f"{host} does not listen on {port}"


def test_proxy_mounts_the_site_and_search_ui_read_only_and_its_login_as_a_secret():
    proxy = services()["proxy"]
    env = environment(proxy)
    read_only = [v for v in proxy["volumes"] if isinstance(v, str) and v.endswith(":ro")]
    assert "../indexer/web:/srv/atomkb-web:ro" in read_only
    assert env["KB_WEB_ROOT"] == "/srv/atomkb-web"
    assert env["KB_SITE_ROOT"].endswith("/current")
    site_mount = "${KB_DEPLOY_ROOT:-/srv/atomkb}:${KB_DEPLOY_ROOT:-/srv/atomkb}:ro"
    assert site_mount in read_only
    assert env["KB_HTPASSWD_FILE"] == "/run/secrets/htpasswd" and "htpasswd" in proxy["secrets"]


def test_sso_services_run_under_the_sso_profile_only():
    oauth2_host, _ = upstreams()["KB_OAUTH2_UPSTREAM"]
    assert services()[oauth2_host]["profiles"] == ["sso"]
    profiled = {name for name, service in services().items() if service.get("profiles")}
    assert profiled == {oauth2_host}, "the core services must run without a profile"
    dependency = services()["proxy"]["depends_on"][oauth2_host]
    assert dependency["required"] is False, "without the sso profile the proxy must still start"
    assert environment(services()[oauth2_host])["OAUTH2_PROXY_REVERSE_PROXY"] == "true"


def test_mlflow_keeps_runs_in_postgres_and_artifacts_on_a_volume_behind_its_prefix():
    mlflow = services()["mlflow"]
    command = " ".join(mlflow["command"])
    assert "--backend-store-uri postgresql+psycopg://mlflow@postgres:5432/mlflow" in command
    assert "--serve-artifacts" in command and "--static-prefix /mlflow" in command
    assert "--allowed-hosts ${KB_SERVER_NAME}" in command
    destination = re.search(r"--artifacts-destination (\S+)", command).group(1)
    volumes = compose()["volumes"]
    assert any(
        v.split(":")[1] == destination and v.split(":")[0] in volumes for v in mlflow["volumes"]
    )


def test_each_database_has_its_role_and_password_secret():
    postgres = services()["postgres"]
    names = environment(postgres)["KB_DATABASES"].split()
    assert names == ["mlflow", "automl"]
    assert {f"{name}_db_password" for name in names} <= set(postgres["secrets"])
    dashboard = " ".join(services()["optuna-dashboard"]["command"])
    assert "postgresql+psycopg://automl@postgres:5432/automl" in dashboard
    assert "/run/secrets/automl_db_password" in dashboard
    # Executable, so the image runs it rather than sourcing it into its own shell.
    assert os.access(INIT_SCRIPT, os.X_OK)
    mode = subprocess.run(
        ["git", "ls-files", "-s", str(INIT_SCRIPT)], cwd=ROOT, capture_output=True, text=True
    ).stdout
    assert mode.startswith("100755"), "commit infra/postgres/init-databases.sh as executable"


def test_init_script_refuses_a_missing_password_file(tmp_path):
    done = subprocess.run(
        ["bash", str(INIT_SCRIPT)],
        env={**os.environ, "KB_DATABASES": "studies", "KB_DB_SECRETS_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert f"{tmp_path}/studies_db_password is missing" in done.stderr


@pytest.mark.slow
def test_init_script_creates_one_owned_database_per_role(postgres_url, tmp_path):
    if not shutil.which("psql"):
        pytest.skip("psql is not installed (Debian's postgresql-client)")
    suffix = uuid.uuid4().hex[:8]
    names = [f"kb_init_{suffix}_mlflow", f"kb_init_{suffix}_automl"]
    for name in names:
        # A quote in the password must reach PostgreSQL intact, not end the SQL string.
        (tmp_path / f"{name}_db_password").write_text(f"pa'ss {name}\n")
    where = urlsplit(postgres_url)
    env = {
        **os.environ,
        "PGHOST": where.hostname,
        "PGPORT": str(where.port),
        "POSTGRES_USER": where.username,
        "KB_DATABASES": " ".join(names),
        "KB_DB_SECRETS_DIR": str(tmp_path),
    }

    def sql(query: str) -> str:
        return subprocess.run(
            ["psql", "-X", "-tA", "-U", where.username, "-d", "postgres", "-c", query],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    try:
        done = subprocess.run(["bash", str(INIT_SCRIPT)], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        for name in names:
            owner = sql(f"SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '{name}'")
            assert owner == name
            assert sql(f"SELECT rolcanlogin FROM pg_roles WHERE rolname = '{name}'") == "t"
            has_password = f"SELECT rolpassword IS NOT NULL FROM pg_authid WHERE rolname = '{name}'"
            assert sql(has_password) == "t"
        # Each role reaches its own database only: a studies worker never sees the runs.
        mlflow, automl = names
        assert sql(f"SELECT has_database_privilege('{automl}', '{mlflow}', 'CONNECT')") == "f"
        assert sql(f"SELECT has_database_privilege('{mlflow}', '{automl}', 'CONNECT')") == "f"
        assert sql(f"SELECT has_database_privilege('{mlflow}', '{mlflow}', 'CONNECT')") == "t"
    finally:
        for name in names:
            sql(f'DROP DATABASE IF EXISTS "{name}"')
            sql(f'DROP ROLE IF EXISTS "{name}"')


def test_docker_compose_accepts_the_file_with_every_setting_filled(tmp_path):
    if not shutil.which("docker"):
        pytest.skip("Docker's CLI is not installed here; the schema test still runs")
    probe = subprocess.run(["docker", "compose", "version"], capture_output=True, text=True)
    if probe.returncode != 0:
        said = (probe.stderr or probe.stdout).strip().splitlines()[:1]
        pytest.skip(
            f"Docker's compose plugin is not installed here ({' '.join(said)});"
            " the schema test still runs"
        )
    secrets_dir = tmp_path / "secrets"
    secrets_dir.mkdir()
    for name in compose()["secrets"]:
        (secrets_dir / name).write_text("test-only-value\n")
    values = {name: value or "test" for name, value in env_example().items()}
    values.update(KB_SERVER_NAME="kb.test", KB_SECRETS_DIR=str(secrets_dir))
    env_file = tmp_path / ".env"
    env_file.write_text("".join(f"{name}={value}\n" for name, value in values.items()))
    done = subprocess.run(
        [*COMPOSE, "--env-file", str(env_file), "--profile", "sso", "config", "-q"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
