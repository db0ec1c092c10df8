"""REST API of the core app (one module per resource); routes in firm/api/urls.py."""
