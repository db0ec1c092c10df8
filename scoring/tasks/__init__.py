"""Celery tasks of the scoring app. Thin: they take ids and call a service; all are idempotent.

Task names are explicit (`scoring.tasks.<name>`) so the beat schedule in settings stays stable.
"""

import contextlib

from scoring.tasks.scores import (  # noqa: F401
    client_recompute_task,
    scores_recompute_batch_task,
    scores_recompute_due_task,
)

with contextlib.suppress(ImportError):  # the draws tasks live beside the draws models
    from scoring.tasks.draws import *  # noqa: F403
