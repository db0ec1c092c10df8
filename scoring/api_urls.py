"""REST routes of the scoring app: the CRS calculator and scores (scoring/api/crs.py) and the
Express Entry draws, matches and notifications (scoring/api/draws.py).

The modules' patterns are listed directly (not through `include`) so that `firm.api_urls` can see that
scoring serves `me/score` itself (`firm.api.scoring_serves_me_score`).
"""

from importlib import import_module
from importlib.util import find_spec

urlpatterns = [
    pattern
    for module in ("scoring.api.crs", "scoring.api.draws")
    if find_spec(module) is not None
    for pattern in import_module(module).urlpatterns
]
