#!/usr/bin/env bash
# Regenerate uv.lock from pyproject.toml: the one command to run after changing a dependency.
#   bash scripts/lock.sh            # re-resolve, keeping the locked versions that still fit
#   bash scripts/lock.sh --upgrade  # move every package to the newest version pyproject allows
# CI (.ci/run) fails when uv.lock no longer matches pyproject.toml (`uv lock --check`).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/uv.sh
"$UV" lock "$@"
