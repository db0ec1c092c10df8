"""The outbox tests use the draws world (flagging writes the alert rows they send)."""

from tests.scoring.django_draws.conftest import world  # noqa: F401  (fixture)
