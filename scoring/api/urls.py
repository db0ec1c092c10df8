"""REST routes of the scoring app: the CRS calculator and scores (scoring/api/crs.py) and the Express
Entry draws, matches and notifications (scoring/api/draws.py), and a client's outlook: past rounds
cleared as of their dates and the 2026 proposed-rules comparison (scoring/api/outlook.py)."""

from scoring.api import crs, draws, outlook

urlpatterns = [*crs.urlpatterns, *draws.urlpatterns, *outlook.urlpatterns]
