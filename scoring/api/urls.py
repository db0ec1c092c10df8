"""REST routes of the scoring app: the CRS calculator and scores (scoring/api/crs.py) and the Express
Entry draws, matches and notifications (scoring/api/draws.py)."""

from scoring.api import crs, draws

urlpatterns = [*crs.urlpatterns, *draws.urlpatterns]
