"""Server-rendered pages: the staff dashboard (staff.py), firm admin (admin_pages.py), the client
portal (portal.py) and accounts (accounts.py: login, two-factor, email links, password reset)."""
