"""The outbox: emails written as rows in the transaction that causes them, sent at most once by a relay,
swept when a task was lost. Used by cases and scoring alike."""
