"""The gazetteer: Kemendagri administrative units, with optional boundaries."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    PROVINSI = 1, _("Province")
    KABUPATEN_KOTA = 2, _("Regency / city")
    KECAMATAN = 3, _("District")
    DESA = 4, _("Village")


class Kind(models.TextChoices):
    PROVINSI = "provinsi", _("Province")
    KABUPATEN = "kabupaten", _("Regency")
    KOTA = "kota", _("City")
    KECAMATAN = "kecamatan", _("District")
    DESA = "desa", _("Village (desa)")
    KELURAHAN = "kelurahan", _("Urban village (kelurahan)")


class Region(models.Model):
    """One unit of the Kemendagri hierarchy. The dotted code is the primary key, so region scope is a
    plain prefix test on any foreign key to this table (``region_id = S or region_id LIKE 'S.%'``)."""

    code = models.CharField(_("code"), max_length=13, primary_key=True)
    name = models.CharField(_("name"), max_length=120)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, db_index=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        verbose_name=_("parent"),
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    # Full-resolution boundary as GeoJSON geometry text (portable across SQLite and PostgreSQL).
    geometry = models.TextField(_("boundary"), null=True, blank=True)  # noqa: DJ001 - NULL = no boundary
    # The same boundary simplified for drawing among its siblings at the parent's scale.
    display_geometry = models.TextField(null=True, blank=True)  # noqa: DJ001
    centroid_lon = models.FloatField(null=True, blank=True)
    centroid_lat = models.FloatField(null=True, blank=True)
    bbox_min_lon = models.FloatField(null=True, blank=True)
    bbox_min_lat = models.FloatField(null=True, blank=True)
    bbox_max_lon = models.FloatField(null=True, blank=True)
    bbox_max_lat = models.FloatField(null=True, blank=True)
    boundary_source = models.CharField(max_length=200, blank=True, default="", db_default="")
    boundary_updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        indexes = [models.Index(fields=["parent", "code"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def has_geometry(self) -> bool:
        return bool(self.geometry)

    @property
    def bbox(self) -> tuple[float, float, float, float] | None:
        if self.bbox_min_lon is None:
            return None
        return (
            self.bbox_min_lon,
            self.bbox_min_lat or 0.0,
            self.bbox_max_lon or 0.0,
            self.bbox_max_lat or 0.0,
        )

    def ancestors(self) -> list[Region]:
        """Parents from the province down, not including this region (one query)."""
        parts = self.code.split(".")
        codes = [".".join(parts[:i]) for i in range(1, len(parts))]
        found = {
            r.code: r for r in Region.objects.filter(code__in=codes).only("code", "name", "level", "kind")
        }
        return [found[c] for c in codes if c in found]


class GeometryVersion(models.Model):
    """A counter bumped on every boundary import, so processes know to rebuild their spatial index."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"geometry version {self.version}"
