from __future__ import annotations

from django.contrib import admin

from waspada.regions.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "kind", "population")
    list_filter = ("level", "kind")
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)
    exclude = ("geometry", "display_geometry")
    readonly_fields = ("centroid_lon", "centroid_lat", "boundary_source", "boundary_updated_at")
