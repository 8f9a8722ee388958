"""Rules and channels from a TOML file: validated entry by entry with clear errors, idempotent, audited,
and the shipped default rules load."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from waspada.accounts.models import AuditLog
from waspada.alerts import rulefile
from waspada.alerts.models import AlertRule, Channel

pytestmark = pytest.mark.django_db

DEFAULT = Path(rulefile.__file__).with_name("default_rules.toml")

GOOD = """
[[rule]]
name = "Bentrok di Nunukan"
kind = "incident_count"
scope = "65.03"
level = 3
recipient_roles = ["koordinator"]
params = { count = 2, hours = 12, event_types = ["riot"] }

[[channel]]
name = "Posko Nunukan"
kind = "webhook"
scope = "65.03"
config = { url = "https://posko.example/hook", secret = "${POSKO_SECRET}" }
"""


def load(tmp_path: Path, text: str, *args: str) -> str:
    path = tmp_path / "aturan.toml"
    path.write_text(text, encoding="utf-8")
    out = StringIO()
    call_command("alerts", "import-rules", str(path), *args, stdout=out)
    return out.getvalue()


def test_it_imports_rules_and_channels_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POSKO_SECRET", "rahasia-posko-0123456789")
    assert "2 baru" in load(tmp_path, GOOD)
    rule = AlertRule.objects.get()
    assert (rule.kind, rule.scope_code, rule.level, rule.params["count"], rule.recipient_roles) == (
        "incident_count",
        "65.03",
        3,
        2,
        ["koordinator"],
    )
    channel = Channel.objects.get()
    assert channel.config["secret"] == "rahasia-posko-0123456789"
    assert "0 baru, 0 diubah, 2 tidak berubah" in load(tmp_path, GOOD)
    assert "1 diubah" in load(tmp_path, GOOD.replace("count = 2", "count = 4"))
    assert AlertRule.objects.get().params["count"] == 4
    audit = AuditLog.objects.filter(action__in=["channel.create", "rule.create", "rule.update"])
    assert audit.count() == 3
    assert all("rahasia" not in str(row.after) for row in audit)  # secrets never reach the audit log


def test_a_dry_run_stores_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POSKO_SECRET", "rahasia-posko-0123456789")
    assert "Uji saja" in load(tmp_path, GOOD, "--dry-run")
    assert not AlertRule.objects.exists() and not Channel.objects.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[[rule]]\nname = 'x'\nkind = 'tawuran'\n",
            "[[rule]] ke-1 (x): kind: Value error, jenis aturan tidak dikenal",
        ),
        ("[[rule]]\nname = 'x'\nkind = 'casualties'\nparams = { hours = 0 }\n", "[[rule]] ke-1 (x): hours"),
        ("[[rule]]\nname = 'x'\nkind = 'casualties'\nscope = '65.x'\n", "kode wilayah tidak sah"),
        ("[[rule]]\nname = 'x'\nkind = 'casualties'\nscope = '65.99'\n", "wilayah 65.99 tidak ada"),
        ("[[rule]]\nname = 'x'\nkind = 'casualties'\nrecipient_roles = ['camat']\n", "recipient_roles"),
        ("[[channel]]\nname = 'c'\nkind = 'email'\nconfig = {}\n", "[[channel]] ke-1 (c)"),
        (
            "[[channel]]\nname = 'c'\nkind = 'sms'\nconfig = { url = 'https://g.example', token = 't', to = ['123'] }\n",
            "to.0",
        ),
        (
            "[[channel]]\nname = 'c'\nkind = 'webhook'\nconfig = { url = 'https://h.example', secret = '${TIDAK_ADA_RAHASIA}' }\n",
            "TIDAK_ADA_RAHASIA belum diatur",
        ),
        (
            "[[rule]]\nname = 'x'\nkind = 'casualties'\n[[rule]]\nname = 'x'\nkind = 'casualties'\n",
            "dipakai dua kali",
        ),
        ("[rule]\nname = 'x'\n", "tulis [[rule]]"),
        ("[[aturan]]\nname = 'x'\n", "bagian tidak dikenal: aturan"),
        ("name = ", "bukan TOML yang sah"),
    ],
)
def test_it_names_the_file_entry_and_field_of_a_bad_entry(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(CommandError) as exc:
        load(tmp_path, text)
    assert message in str(exc.value) and "aturan.toml" in str(exc.value)
    assert not AlertRule.objects.exists() and not Channel.objects.exists()


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="berkas tidak ditemukan"):
        call_command("alerts", "import-rules", str(tmp_path / "tidak-ada.toml"))


def test_the_shipped_default_rules_load_and_are_listed(tmp_path: Path) -> None:
    out = StringIO()
    call_command("alerts", "import-rules", str(DEFAULT), stdout=out)
    kinds = set(AlertRule.objects.values_list("kind", flat=True))
    assert kinds == set(rulefile.RULE_PARAMS)
    listing = StringIO()
    call_command("alerts", "rules", stdout=listing)
    assert "Lonjakan pemberitaan" in listing.getvalue()


def test_a_channel_disabled_by_a_failure_stays_disabled_until_its_config_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POSKO_SECRET", "rahasia-posko-0123456789")
    load(tmp_path, GOOD)
    Channel.objects.update(enabled=False, disabled_reason="HTTP 404")
    assert "tetap nonaktif: HTTP 404" in load(tmp_path, GOOD)
    assert not Channel.objects.get().enabled
    load(tmp_path, GOOD.replace("posko.example/hook", "posko.example/hook2"))
    channel = Channel.objects.get()
    assert channel.enabled and channel.disabled_reason == ""
