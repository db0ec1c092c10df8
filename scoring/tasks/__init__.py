"""Celery tasks of the scoring app. Thin: they take ids and call a service; all are idempotent.

Task names are explicit (`scoring.tasks.<name>`) so the beat schedule in settings stays stable.
"""

from scoring.tasks.draws import draw_flag_task, draws_flag_pending_task, draws_sync_task
from scoring.tasks.outlook import outlooks_recompute_task
from scoring.tasks.scores import client_recompute_task, scores_recompute_batch_task, scores_recompute_due_task

__all__ = [
    "client_recompute_task",
    "draw_flag_task",
    "draws_flag_pending_task",
    "draws_sync_task",
    "outlooks_recompute_task",
    "scores_recompute_batch_task",
    "scores_recompute_due_task",
]
