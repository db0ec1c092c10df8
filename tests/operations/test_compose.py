"""The production compose file and its development override.

- Both validate against the Compose specification's JSON schema (the copy shipped by Debian's
  `docker-compose` package, which .ci/run installs) and through `docker-compose config` (no engine needed).
- Every service the production settings need is in the file, with the host names the settings use.
- Start order: web, worker and beat wait for the one-shot migrate job; images are pinned; no secret is
  written in the file; Mailpit only in the override.
- The Caddyfile is valid (`caddy validate`, Debian's caddy) and proxies to the port gunicorn binds.
- The production settings load and pass `check --deploy` with exactly the environment compose gives web.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = Path("/usr/lib/python3/dist-packages/compose/config/compose_spec.json")
APP_SERVICES = ("migrate", "web", "worker", "beat")
IN_CI = os.environ.get("CI") == "true" or os.environ.get("REQUIRE_SERVICES") == "1"


def need(path_or_cmd: str) -> str:
    found = path_or_cmd if Path(path_or_cmd).exists() else shutil.which(path_or_cmd)
    if not found:
        message = f"{path_or_cmd} is not installed (apt-get install docker-compose caddy)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the deploy files with a filled-in .env, as an IT person would have it."""
    directory = tmp_path_factory.mktemp("deploy")
    for name in ("docker-compose.yml", "docker-compose.dev.yml", ".env.example", "Dockerfile"):
        shutil.copy(ROOT / name, directory / name)
    shutil.copytree(ROOT / "deploy", directory / "deploy")
    example = (ROOT / ".env.example").read_text()
    filled = example.replace("SECRET_KEY=\n", f"SECRET_KEY={secrets.token_urlsafe(50)}\n").replace(
        "POSTGRES_PASSWORD=\n", f"POSTGRES_PASSWORD={secrets.token_urlsafe(24)}\n"
    )
    filled = filled.replace("METRICS_TOKEN=\n", f"METRICS_TOKEN={secrets.token_urlsafe(24)}\n")
    (directory / ".env").write_text(filled)
    return directory


def compose_config(project: Path, *files: str) -> dict:
    binary = need("docker-compose")
    args = [binary]
    for name in files:
        args += ["-f", name]
    result = subprocess.run([*args, "config"], cwd=project, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


@pytest.fixture(scope="module")
def production(project: Path) -> dict:
    return compose_config(project, "docker-compose.yml")


@pytest.fixture(scope="module")
def development(project: Path) -> dict:
    return compose_config(project, "docker-compose.yml", "docker-compose.dev.yml")


@pytest.mark.parametrize("name", ["docker-compose.yml", "docker-compose.dev.yml"])
def test_files_validate_against_the_compose_schema(name: str):
    import jsonschema

    schema = json.loads(Path(need(str(SCHEMA))).read_text())
    document = yaml.safe_load((ROOT / name).read_text())
    validator = jsonschema.Draft201909Validator(schema)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def test_schema_rejects_a_broken_file():
    """The validation above can fail: an unknown key and a bad depends_on condition are reported."""
    import jsonschema

    schema = json.loads(Path(need(str(SCHEMA))).read_text())
    broken = {
        "services": {"web": {"image": "x:1", "depends_on": {"db": {"condition": "whenever"}}, "nope": 1}}
    }
    assert len(list(jsonschema.Draft201909Validator(schema).iter_errors(broken))) >= 1


def test_app_services_wait_for_the_one_shot_migrate_job(production: dict):
    services = production["services"]
    migrate = services["migrate"]
    command = " ".join(migrate["command"])
    assert "migrate --noinput" in command and "collectstatic --noinput" in command
    assert migrate.get("restart", "no") == "no"
    for name in ("web", "worker", "beat"):
        depends = services[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully", name
        assert depends["postgres"]["condition"] == "service_healthy", name
        assert "migrate" not in " ".join(services[name]["command"]), f"{name} must not migrate on start"
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["caddy"]["depends_on"]["web"]["condition"] == "service_healthy"


def test_every_service_the_settings_need_is_there(production: dict):
    services = production["services"]
    for name in APP_SERVICES:
        env = services[name]["environment"]
        assert env["DJANGO_ENV"] == "production"
        for var, scheme in (
            ("DATABASE_URL", "postgres"),
            ("CELERY_BROKER_URL", "redis"),
            ("CACHE_URL", "redis"),
            ("CLAMAV_URL", "tcp"),
        ):
            url = urlparse(env[var])
            assert url.scheme == scheme, (name, var)
            assert url.hostname in services, f"{name}: {var} points at {url.hostname}, which is not a service"
    assert services["redis"]["command"][1:3] == ["--appendonly", "yes"]
    assert {"postgres_data", "redis_data", "private_media", "caddy_data"} <= set(production["volumes"])
    for name in ("web", "worker"):
        mounts = [
            v if isinstance(v, str) else f"{v['source']}:{v['target']}" for v in services[name]["volumes"]
        ]
        assert any(m.startswith("private_media:/app/var/private") for m in mounts), mounts
    for name in ("web", "worker", "beat", "postgres", "redis", "caddy", "clamav"):
        assert "healthcheck" in services[name], f"{name} has no health check"


def test_exactly_one_beat(production: dict):
    beat = production["services"]["beat"]
    assert beat["deploy"]["replicas"] == 1
    assert "redbeat" in beat["healthcheck"]["test"][-1]  # healthy only while it holds the redbeat lock
    settings_text = (ROOT / "config" / "settings" / "production.py").read_text()
    assert 'CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"' in settings_text


def test_images_are_pinned_and_mailpit_is_development_only(production: dict, development: dict):
    for name, service in production["services"].items():
        image = service["image"]
        if name in APP_SERVICES:
            continue  # the image compose builds from this tree
        tag = image.split("@")[0].rsplit(":", 1)[-1]
        assert re.search(r"\d+\.\d+", tag) and tag != "latest", f"{name}: {image} is not pinned to a version"
    assert "mailpit" not in production["services"]
    assert re.search(r":v\d+\.\d+\.\d+", development["services"]["mailpit"]["image"])
    assert development["services"]["web"]["environment"]["EMAIL_URL"] == "smtp://mailpit:1025"
    assert production["services"]["web"]["environment"].get("EMAIL_URL", "").startswith("smtp+tls://")


def test_no_secret_is_written_in_the_compose_files():
    for name in ("docker-compose.yml", "docker-compose.dev.yml"):
        text = (ROOT / name).read_text()
        assert "POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?" in text or name.endswith("dev.yml")
        assert not re.search(r"(SECRET_KEY|PASSWORD|TOKEN|API_KEY)\s*[:=]\s*[A-Za-z0-9]", text), name
        assert not re.search(r"postgres://\w+:\w+@", text), f"{name} has a literal database password"


def test_caddyfile_is_valid_and_proxies_to_gunicorn(production: dict, tmp_path: Path):
    caddy = need("caddy")
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    bind = next(a for a in production["services"]["web"]["command"] if a.startswith("--bind="))
    assert f"reverse_proxy web:{bind.rsplit(':', 1)[1]}" in caddyfile
    assert "respond @internal 404" in caddyfile  # /metrics is not public
    result = subprocess.run(
        [caddy, "validate", "--config", str(ROOT / "deploy" / "Caddyfile"), "--adapter", "caddyfile"],
        env={
            **os.environ,
            "SITE_DOMAIN": "cases.example-law.ca",
            "ACME_EMAIL": "it@example-law.ca",
            "HOME": str(tmp_path),
            "XDG_DATA_HOME": str(tmp_path),
            "XDG_CONFIG_HOME": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Valid configuration" in result.stdout + result.stderr


def test_production_settings_accept_the_compose_environment(production: dict, project: Path, tmp_path: Path):
    """`check --deploy` with web's environment: the .env values plus compose's own (host names unchanged;
    no connection is made)."""
    env_file = {}
    for line in (project / ".env").read_text().splitlines():
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            env_file[key] = value
    web_env = {**env_file, **{k: str(v) for k, v in production["services"]["web"]["environment"].items()}}
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "PYTHONPATH")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**keep, **web_env, "VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:] + result.stdout[-2000:]
