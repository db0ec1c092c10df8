"""Server-rendered pages of this app (views, forms, urls.py)."""
