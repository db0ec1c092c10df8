"""REST routes of the scoring app: the CRS calculator and scores (scoring/api/crs.py), the Express
Entry draws, matches and notifications (scoring/api/draws.py) and the ITA outlook (scoring/api/outlook.py)."""

from scoring.api import crs, draws, outlook

urlpatterns = [*crs.urlpatterns, *draws.urlpatterns, *outlook.urlpatterns]
