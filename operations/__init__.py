"""Running MapleCase in production: request ids and JSON logs, health and readiness, metrics, Sentry.

Project layer: it may import every app; no app imports it (docs/operations.md, CONTRIBUTING.md).
"""
