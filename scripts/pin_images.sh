#!/usr/bin/env bash
# Pin every image in docker-compose*.yml and the Dockerfile to its digest (`name:tag@sha256:...`), on a host
# with Docker and registry access. Run after changing a tag; commit the result.
#   bash scripts/pin_images.sh
set -euo pipefail
cd "$(dirname "$0")/.."
images=$(grep -hoE '(image: |PYTHON_IMAGE=)[a-z0-9./-]+:[A-Za-z0-9._-]+' docker-compose.yml docker-compose.dev.yml Dockerfile \
  | sed -E 's/^(image: |PYTHON_IMAGE=)//' | grep -v '^maplecase' | sort -u)
for ref in $images; do
  digest=$(docker buildx imagetools inspect "$ref" --format '{{json .Manifest.Digest}}' | tr -d '"')
  echo "$ref -> $digest"
  sed -i -E "s#(image: |PYTHON_IMAGE=)${ref//./\\.}(@sha256:[0-9a-f]+)?\$#\1${ref}@${digest}#" \
    docker-compose.yml docker-compose.dev.yml Dockerfile
done
