"""REST API of the cases app (one module per resource); routes in cases/api/urls.py."""
