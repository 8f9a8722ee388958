"""The forms of the situation report and export page. They only read and check input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waspada.accounts.access import Action
from waspada.regions.models import Region
from waspada.reporting import exports
from waspada.reporting.export_data import DATASETS
from waspada.reports.forms_review import clean_region_code


class SitrepForm(forms.Form):
    wilayah = forms.CharField(label=_("Region code"), max_length=20)
    tanggal = forms.DateField(
        label=_("Last day covered"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    periode = forms.ChoiceField(
        label=_("Period"), choices=[("daily", _("Daily")), ("weekly", _("Weekly (7 days)"))]
    )
    format = forms.ChoiceField(label=_("Format"), choices=[("pdf", "PDF"), ("html", "HTML")])

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_wilayah(self) -> Region:
        return clean_region_code(self.cleaned_data.get("wilayah", ""), self.user, Action.VIEW_AGGREGATES)


DATASET_LABELS = {"incidents": _("Incidents"), "reports": _("Verified reports")}
FORMAT_LABELS = {
    "csv": "CSV",
    "xlsx": "XLSX (Excel)",
    "geojson": "GeoJSON",
    "acled": _("ACLED-compatible CSV"),
    "hxl": _("HXL-tagged CSV"),
}


class ExportForm(forms.Form):
    data = forms.ChoiceField(label=_("Data"), choices=[(d, DATASET_LABELS[d]) for d in DATASETS])
    format = forms.ChoiceField(label=_("Format"), choices=[(f, FORMAT_LABELS[f]) for f in exports.FORMATS])
    wilayah = forms.CharField(label=_("Region code (optional)"), max_length=20, required=False)
    sejak = forms.DateField(
        label=_("Occurred on or after (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    tanpa_simulasi = forms.BooleanField(label=_("Leave out simulated (demo) data"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "ekspor_%s")  # the sitrep form on the same page has "id_…"
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_wilayah(self) -> Region | None:
        raw = self.cleaned_data.get("wilayah", "")
        return clean_region_code(raw, self.user, Action.EXPORT_DATA) if raw.strip() else None
