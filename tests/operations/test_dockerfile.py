"""The image must hold every package the project ships (a package left out of the Dockerfile only shows
up when the container starts)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_dockerfile_copies_every_shipped_package_and_the_translations() -> None:
    include = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"][
        "include"
    ]
    packages = {name.rstrip("*") for name in include}
    copied = set(re.findall(r"^COPY (\S+) \1\s*$", (ROOT / "Dockerfile").read_text(), flags=re.MULTILINE))
    assert packages <= copied, f"not copied into the image: {sorted(packages - copied)}"
    assert {"templates", "static", "locale"} <= copied
    for name in packages:  # and every shipped package is listed in pyproject (a new app is not forgotten)
        assert (ROOT / name / "__init__.py").exists(), name
    apps = {p.parent.name for p in ROOT.glob("*/apps.py")}
    assert apps <= packages, f"apps missing from pyproject's package list: {sorted(apps - packages)}"
