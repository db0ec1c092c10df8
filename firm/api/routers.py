"""The router every app's API uses."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter


class Router(SimpleRouter):
    """Routes without a trailing slash requirement: `/clients` and `/clients/` both work."""

    def __init__(self) -> None:
        super().__init__()
        self.trailing_slash = "/?"
