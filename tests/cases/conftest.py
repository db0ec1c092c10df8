"""The services' fixtures (two firms, each with staff, a client with a portal login and a case)."""

from tests.fixtures.foundation import *  # noqa: F403
