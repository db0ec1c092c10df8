"""A record of each draws-feed sync, so pages can say how fresh the rounds are."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DrawFeedSync(models.Model):
    """One sync of the Express Entry rounds (IRCC feed, a file or the bundled snapshot), ok or failed."""

    source = models.CharField(_("source"), max_length=300)
    from_snapshot = models.BooleanField(_("bundled sample"), default=False)
    ok = models.BooleanField(_("succeeded"), default=True)
    error = models.TextField(_("error"), blank=True)
    created = models.PositiveIntegerField(_("rounds added"), default=0)
    updated = models.PositiveIntegerField(_("rounds changed"), default=0)
    not_modified = models.BooleanField(_("unchanged (304)"), default=False)
    etag = models.CharField(_("ETag"), max_length=300, blank=True)
    last_modified = models.CharField(_("Last-Modified"), max_length=100, blank=True)
    finished_at = models.DateTimeField(_("finished at"), db_index=True)

    class Meta:
        ordering = ["-finished_at", "-pk"]
        verbose_name = _("draws feed sync")

    def __str__(self) -> str:
        return f"{self.source} {self.finished_at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'failed'}"
