"""The pages' fixtures (a world of two firms with staff, clients, cases, scores and draws)."""

from tests.fixtures.web import *  # noqa: F403
from tests.fixtures.web import _private_media  # noqa: F401  (autouse; star imports skip it)
