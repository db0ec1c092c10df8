"""Upload checks: size cap, type by magic bytes against an allow-list, archive-bomb and name checks.

The client's file name and content type are never trusted: the type comes from the bytes
(`filetype`), the stored name is generated, and the original name is kept only as metadata.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath
from typing import IO

import filetype
from django.conf import settings

from firm.errors import ApplicationError

# detected MIME type -> (canonical extension, extensions a user may give it)
ALLOWED_TYPES: dict[str, tuple[str, frozenset[str]]] = {
    "application/pdf": ("pdf", frozenset({"pdf"})),
    "image/jpeg": ("jpg", frozenset({"jpg", "jpeg", "jpe"})),
    "image/png": ("png", frozenset({"png"})),
    "image/heic": ("heic", frozenset({"heic", "heif"})),
    "image/heif": ("heif", frozenset({"heic", "heif"})),
    "image/tiff": ("tif", frozenset({"tif", "tiff"})),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx", frozenset({"docx"})),
}
MAX_ARCHIVE_MEMBERS = 2000
MAX_ARCHIVE_UNCOMPRESSED = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
# Markup a browser would sniff and render: refused anywhere in the first KiB of a non-archive file
# (an HTML page behind a valid image signature passes a magic-bytes check alone).
_MARKUP_MARKERS = (b"<html", b"<script", b"<!doctype", b"<body", b"<iframe", b"<svg", b"<object", b"<embed")


@dataclass(frozen=True)
class CheckedUpload:
    original_filename: str
    content_type: str
    extension: str
    size: int
    sha256: str


def _fail(message: str) -> ApplicationError:
    return ApplicationError(message, fields={"file": message})


def clean_filename(name: str) -> str:
    """The original name as metadata: refuse names that try to traverse paths or hide control characters."""
    if not name or not name.strip():
        raise _fail("The file has no name.")
    if "\x00" in name or any(unicodedata.category(c) == "Cc" for c in name):
        raise _fail("The file name contains control characters.")
    if "/" in name or "\\" in name or name.strip() in (".", "..") or ".." in PurePosixPath(name).parts:
        raise _fail("The file name must not contain a path.")
    if PureWindowsPath(name).drive:
        raise _fail("The file name must not contain a drive or path.")
    if len(name) > 255:
        raise _fail("The file name is longer than 255 characters.")
    return name.strip()


def _check_archive(data: IO[bytes]) -> None:
    data.seek(0)
    try:
        with zipfile.ZipFile(data) as archive:
            members = archive.infolist()
            if len(members) > MAX_ARCHIVE_MEMBERS:
                raise _fail("The document contains too many parts.")
            total = 0
            for info in members:
                total += info.file_size
                ratio = info.file_size / max(info.compress_size, 1)
                if total > MAX_ARCHIVE_UNCOMPRESSED or ratio > MAX_COMPRESSION_RATIO:
                    raise _fail("The document expands to an unsafe size (compression bomb).")
    except zipfile.BadZipFile:
        raise _fail("The document is damaged.") from None
    finally:
        data.seek(0)


def _check_not_markup(head: bytes, mime: str) -> None:
    if mime == "image/png" and head[12:16] != b"IHDR":
        raise _fail("The file is not a valid PNG image.")
    if mime.endswith("wordprocessingml.document"):
        return  # the first KiB of a zip is compressed data; the archive check covers it
    lowered = head[:1024].lower()
    if any(marker in lowered for marker in _MARKUP_MARKERS):
        raise _fail("The file contains web markup (HTML or script) and is refused.")


def check_upload(file: IO[bytes], *, filename: str, size: int | None = None) -> CheckedUpload:
    """Validate an uploaded file object; raises ApplicationError naming the `file` field."""
    original = clean_filename(filename)
    limit = settings.DOCUMENT_MAX_UPLOAD_BYTES
    if size is not None and size > limit:
        raise _fail(f"The file is larger than the limit of {limit // (1024 * 1024)} MB.")
    file.seek(0)
    head = file.read(8192)
    if not head:
        raise _fail("The file is empty.")
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise _fail("This file type is not accepted. Upload a PDF, JPEG, PNG, HEIC, TIFF or DOCX file.")
    _check_not_markup(head, kind.mime)
    canonical, extensions = ALLOWED_TYPES[kind.mime]
    given_ext = original.rsplit(".", 1)[-1].lower() if "." in original else ""
    if given_ext and given_ext not in extensions:
        raise _fail(f"The file's content is {canonical.upper()} but its name ends in .{given_ext}.")
    digest = hashlib.sha256()
    total = 0
    file.seek(0)
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        total += len(chunk)
        if total > limit:
            raise _fail(f"The file is larger than the limit of {limit // (1024 * 1024)} MB.")
        digest.update(chunk)
    if kind.mime.endswith("wordprocessingml.document"):
        _check_archive(file)
    file.seek(0)
    return CheckedUpload(
        original_filename=original,
        content_type=kind.mime,
        extension=canonical,
        size=total,
        sha256=digest.hexdigest(),
    )


def checked_bytes(data: bytes, *, filename: str) -> CheckedUpload:
    return check_upload(io.BytesIO(data), filename=filename, size=len(data))
