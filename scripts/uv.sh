# Sourced by scripts/lock.sh and .ci/run: a pinned uv in .tools/ (from PyPI), exported as $UV.
UV_VERSION=0.13.9
if [ ! -x .tools/bin/uv ] || [ "$(.tools/bin/uv --version 2>/dev/null | cut -d' ' -f2)" != "$UV_VERSION" ]; then
  "${PYTHON:-python3}" -m venv .tools
  .tools/bin/python -m pip install --quiet "uv==$UV_VERSION"
fi
UV="$PWD/.tools/bin/uv"
export UV UV_VERSION
