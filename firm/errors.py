"""Errors raised by services; one exception handler maps them to API responses (see firm.api.common)."""

from __future__ import annotations


class ApplicationError(Exception):
    """A business rule refused the operation. `fields` maps field paths to messages."""

    status_code = 400

    def __init__(self, message: str, *, fields: dict[str, str] | None = None, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        self.code = code


class PermissionDeniedError(ApplicationError):
    status_code = 403

    def __init__(self, message: str = "You do not have permission to do this.") -> None:
        super().__init__(message, code="permission_denied")


class NotFoundError(ApplicationError):
    status_code = 404

    def __init__(self, message: str = "Not found.") -> None:
        super().__init__(message, code="not_found")
