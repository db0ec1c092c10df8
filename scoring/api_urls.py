"""REST routes of the scoring app: the CRS calculator and scores (scoring/api/crs.py) and the
Express Entry draws, matches and notifications (scoring/api/draws.py)."""

from importlib.util import find_spec

from django.urls import include, path

urlpatterns = [
    path("", include(module))
    for module in ("scoring.api.crs", "scoring.api.draws")
    if find_spec(module) is not None
]
