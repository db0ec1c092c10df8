"""Reads of the scoring app, scoped to the requesting actor. One module per sub-domain:
`scoring.selectors.draws` (draws, matches, notifications)."""
