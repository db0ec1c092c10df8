"""The admin app config (kept out of `firm.apps`, which must declare one AppConfig)."""

from django.contrib.admin.apps import AdminConfig


class MapleAdminConfig(AdminConfig):
    """The Django admin on `firm.admin_site.MapleAdminSite`: password and two-factor code, always."""

    default_site = "firm.admin_site.MapleAdminSite"
