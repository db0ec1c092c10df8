"""Events the core publishes for the apps above it (they subscribe in their AppConfig.ready). The core
never imports an upper app: it says what happened, after commit, and the subscribers decide what follows.
"""

from __future__ import annotations

from django.dispatch import Signal

# A client's stored facts (identity, family, language results, education, work, job offer, nominations,
# funds) changed. Sent after commit with `client_id`.
client_facts_changed = Signal()
