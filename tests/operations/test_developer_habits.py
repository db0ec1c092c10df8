"""The pre-commit configuration is valid and runs the CI gates; CONTRIBUTING.md names the two commands."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_pre_commit_config_is_valid_and_has_the_gates():
    pre_commit = Path(sys.executable).parent / "pre-commit"
    result = subprocess.run(
        [str(pre_commit), "validate-config", ".pre-commit-config.yaml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert {"ruff-check", "ruff-format", "migrations", "import-contracts", "uv-lock"} <= set(hooks)
    assert "makemigrations --check" in hooks["migrations"]["entry"]
    assert "lint-imports" in hooks["import-contracts"]["entry"]


def test_contributing_names_the_two_commands_and_the_layers():
    text = (ROOT / "CONTRIBUTING.md").read_text()
    for needle in (
        "bash scripts/dev.sh",
        "bash scripts/test.sh",
        "bash scripts/lock.sh",
        "effective_from",
        "Layers",
    ):
        assert needle in text, needle
