"""REST routes of the scoring app: the CRS calculator and scores (scoring/api/crs.py), the Express
Entry draws, matches and notifications (scoring/api/draws.py), the ITA outlook (scoring/api/outlook.py), and
a client's history: past rounds cleared as of their dates and the 2026 proposed-rules comparison
(scoring/api/history.py)."""

from scoring.api import crs, draws, history, outlook

urlpatterns = [*crs.urlpatterns, *draws.urlpatterns, *outlook.urlpatterns, *history.urlpatterns]
