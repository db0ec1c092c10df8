"""REST API of the pathways app; routes in pathways/api/urls.py."""
