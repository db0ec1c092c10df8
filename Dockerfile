# syntax=docker/dockerfile:1
# MapleCase image: dependencies installed from uv.lock (exact versions, hashes checked), code from the tree.
# Base images are pinned to exact versions; scripts/pin_images.sh adds their sha256 digests on a host with
# registry access (docs/operations.md, "Pinning images").
ARG PYTHON_IMAGE=python:3.11.10-slim-bookworm

FROM ${PYTHON_IMAGE} AS deps
ENV UV_VERSION=0.13.9 UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_PYTHON_DOWNLOADS=never
RUN pip install --no-cache-dir "uv==${UV_VERSION}"
WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
# --frozen: install exactly what uv.lock says (fails rather than re-resolving); no dev extras.
RUN uv sync --frozen --no-install-project --python /usr/local/bin/python

FROM ${PYTHON_IMAGE}
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_ENV=production \
    PATH=/opt/venv/bin:$PATH PYTHONPATH=/app
COPY --from=deps /opt/venv /opt/venv
WORKDIR /app
COPY manage.py ./
COPY config config
COPY firm firm
COPY notifications notifications
COPY cases cases
COPY pathways pathways
COPY scoring scoring
COPY operations operations
COPY integrations integrations
COPY questionnaire questionnaire
COPY templates templates
COPY static static
COPY locale locale
RUN useradd --create-home --uid 10001 app \
    && mkdir -p /app/var/private /app/var/static && chown -R app /app/var
USER app
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
