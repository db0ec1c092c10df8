"""Where client documents live: the `private` entry of settings.STORAGES.

- Embedded and single-host mode: `PrivateFileSystemStorage`, a directory outside any public URL.
- Object storage: django-storages' S3 backend (AWS ca-central-1 or a Canadian-hosted S3-compatible
  service), private ACL, server-side encryption, signed URLs only (see config/settings/operations.py).

The model field uses `PrivateStorage`, a proxy that looks the backend up on every use, so migrations
never freeze a backend or a path and tests can switch backends with `override_settings(STORAGES=...)`.
Downloads stream through the permission-checked, audited views in every mode.
"""

from __future__ import annotations

import os
from typing import IO, Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils.deconstruct import deconstructible

PRIVATE_ALIAS = "private"


class PrivateFileSystemStorage(FileSystemStorage):
    """Client documents on local disk: settings.PRIVATE_MEDIA_ROOT (read on use), no base_url."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("base_url", None)
        super().__init__(**kwargs)

    @property
    def base_location(self) -> str:  # type: ignore[override]
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:  # type: ignore[override]
        return os.path.abspath(self.base_location)


def private_backend() -> Storage:
    return storages[PRIVATE_ALIAS]


@deconstructible(path="cases.models.PrivateStorage")
class PrivateStorage(Storage):
    """The document field's storage: every call goes to the configured `private` backend."""

    def open(self, name: str, mode: str = "rb") -> Any:
        return private_backend().open(name, mode)

    def save(self, name: str | None, content: IO[Any], max_length: int | None = None) -> str:
        return private_backend().save(name, content, max_length=max_length)

    def delete(self, name: str) -> None:
        private_backend().delete(name)

    def exists(self, name: str) -> bool:
        return private_backend().exists(name)

    def size(self, name: str) -> int:
        return private_backend().size(name)

    def path(self, name: str) -> str:
        return private_backend().path(name)

    def url(self, name: str | None) -> str:
        return private_backend().url(name)

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        return private_backend().listdir(path)

    def generate_filename(self, filename: str) -> str:
        return private_backend().generate_filename(filename)

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        return private_backend().get_available_name(name, max_length=max_length)

    def get_valid_name(self, name: str) -> str:
        return private_backend().get_valid_name(name)

    def get_modified_time(self, name: str) -> Any:
        return private_backend().get_modified_time(name)


def probe_private_storage() -> str:
    """Readiness: the bucket answers (object storage) or the directory is writable (disk)."""
    backend = private_backend()
    bucket = getattr(backend, "bucket_name", None)
    if bucket:
        backend.connection.meta.client.head_bucket(Bucket=bucket)
        return f"ok (bucket {bucket})"
    location = getattr(backend, "location", "")
    os.makedirs(location, exist_ok=True)
    if not os.access(location, os.W_OK):
        raise PermissionError(f"{location} is not writable")
    return "ok (disk)"
