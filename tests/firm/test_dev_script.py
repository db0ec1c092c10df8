"""scripts/dev.sh: install (uv sync) only when pyproject.toml or uv.lock changed, the local-mode banner once, Django's log lines once.

The script is run for real, with `.venv/bin/python` replaced by a recorder that behaves like manage.py
on the two points under test (it prints the banner unless MAPLECASE_BANNER_SHOWN=1, like
firm/settings/local.py, and logs pip runs)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RECORDER = """#!/usr/bin/env bash
echo "$*" >> "$(dirname "$0")/../calls.log"
if [ "$1" = "manage.py" ] && [ "${MAPLECASE_BANNER_SHOWN:-}" != "1" ]; then
  echo "[maplecase] embedded local mode" >&2
fi
"""


def _project(tmp_path: Path) -> Path:
    (tmp_path / "scripts").mkdir()
    for name in ("dev.sh", "uv.sh"):
        shutil.copy(ROOT / "scripts" / name, tmp_path / "scripts" / name)
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "uv.lock").write_text("version = 1\n")
    venv_bin = tmp_path / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    (venv_bin / "python").write_text(RECORDER)
    (venv_bin / "python").chmod(0o755)
    # the pinned uv that scripts/uv.sh expects, recording its calls like the python above
    version = re.search(r"UV_VERSION=(\S+)", (ROOT / "scripts" / "uv.sh").read_text())[1]
    tools = tmp_path / ".tools" / "bin"
    tools.mkdir(parents=True)
    (tools / "uv").write_text(
        f'#!/usr/bin/env bash\nif [ "$1" = "--version" ]; then echo "uv {version}"; exit 0; fi\n'
        'echo "uv $*" >> "$(dirname "$0")/../../.venv/calls.log"\n'
    )
    (tools / "uv").chmod(0o755)
    return tmp_path


def _run(project: Path) -> tuple[list[str], str]:
    log = project / ".venv" / "calls.log"
    log.unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "MAPLECASE_BANNER_SHOWN"}
    done = subprocess.run(
        ["bash", str(project / "scripts" / "dev.sh")], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return log.read_text().splitlines(), done.stderr


def test_dev_script_installs_only_when_pyproject_changed_and_prints_the_banner_once(tmp_path):
    project = _project(tmp_path)
    calls, stderr = _run(project)
    assert any(c.startswith("uv sync") for c in calls)  # first start: install
    assert stderr.count("embedded local mode") == 1
    assert [c.split()[1] for c in calls if c.startswith("manage.py")] == ["migrate", "seed_demo", "runserver"]
    calls, stderr = _run(project)
    assert not any(c.startswith("uv") or "pip" in c for c in calls)  # nothing changed: no install
    assert stderr.count("embedded local mode") == 1
    time.sleep(1.1)
    (project / "pyproject.toml").write_text("[project]\nname = 'x'\nversion = '2'\n")
    calls, _stderr = _run(project)
    assert any(c.startswith("uv sync") for c in calls)  # pyproject.toml changed: install again


def test_django_log_lines_are_printed_once():
    """runserver's "Watching for file changes" went to two handlers (Django's and ours): printed twice."""
    code = "import logging; logging.getLogger('django.utils.autoreload').info('Watching for file changes')"
    env = {**os.environ, "DJANGO_ENV": "local", "MAPLECASE_BANNER_SHOWN": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # manage.py picks the local settings, as scripts/dev.sh does
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert (done.stdout + done.stderr).count("Watching for file changes") == 1
