"""Scoring models: stored CRS scores and eligibility (scores.py), Express Entry draws, matches and the
notification outbox (draws.py)."""
