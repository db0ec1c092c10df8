"""The web fixtures (two firms, staff, portal clients with facts and cases)."""

from tests.fixtures.web import *  # noqa: F403
