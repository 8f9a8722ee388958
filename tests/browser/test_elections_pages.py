"""The election result pages in Chromium, as an analyst uses them: importing a small TPS file (and seeing a
broken one refused with its row and column), filtering and reviewing the recapitulation findings (audited,
and out of reach for an analyst of another region), the contest page's honest "too few data" fingerprint at
phone width, and the review form with the keyboard alone. Screenshots of each step are kept in
test-artifacts/.

The UI text is being translated while these tests are written, so they find things by ids and attributes;
the only words they read are the Bahasa Indonesia messages the checks themselves write (row errors, the
"data terlalu sedikit" verdict)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from elections.conftest import CLEAN  # one consistent TPS form of Bulungan: every rule holds
from waspada.accounts.models import AuditLog
from waspada.elections.import_files import import_results
from waspada.elections.integrity.tps_csv import REQUIRED_COLUMNS
from waspada.elections.models import Contest, Election, RecapFinding, ResultRecord

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(
        transaction=True, available_apps=[app for app in settings.INSTALLED_APPS if app != "waspada.regions"]
    ),
]

PHONE = {"width": 375, "height": 740}
BULUNGAN_TPS = "6501011001001"
NUNUKAN_TPS = "6503011001001"


def tps(n: int = 1, desa: str = "6501011001", **changes: Any) -> dict[str, Any]:
    """The clean TPS numbered ``n`` in ``desa`` (10 digits), with ``changes`` applied."""
    row = dict(
        CLEAN, tps_code=f"{desa}{n:03d}", tps_no=n, desa_code=desa, kec_code=desa[:6], kab_code=desa[:4]
    )
    row.update(changes)
    return row


def tps_csv(rows: Sequence[Mapping[str, Any]], *, leave_out: str = "") -> str:
    """A TPS-format CSV of ``rows`` (3 paslon), optionally without the column ``leave_out``."""
    at = REQUIRED_COLUMNS.index("suara_sah")
    columns = [*REQUIRED_COLUMNS[:at], "paslon1", "paslon2", "paslon3", *REQUIRED_COLUMNS[at:]]
    columns = [c for c in columns if c != leave_out]
    lines = [",".join(columns)] + [",".join(str(row.get(c, "")) for c in columns) for row in rows]
    return "\n".join(lines) + "\n"


@pytest.fixture
def pilpres(db: Any) -> Election:
    return Election.objects.create(
        code="pilpres-2024", name="Pilpres 2024", kind="pemilu", voting_date=date(2024, 2, 14)
    )


@pytest.fixture
def findings(pilpres: Election) -> dict[str, RecapFinding]:
    """Imported through the same entry as the page: an R1 finding (Σ paslon ≠ suara sah) at a TPS of
    Bulungan (65.01) and at one of Nunukan (65.03), an unreadable cell (R10) in Bulungan, and a clean TPS."""
    rows = [
        tps(1, paslon1=70),
        tps(2),
        tps(3, suara_tidak_sah="x"),
        tps(1, desa="6503011001", paslon1=70),
    ]
    import_results("sirekap.csv", tps_csv(rows).encode(), pilpres, source="sirekap")
    return {
        "bulungan": RecapFinding.objects.get(rule="R1", area_code=BULUNGAN_TPS),
        "nunukan": RecapFinding.objects.get(rule="R1", area_code=NUNUKAN_TPS),
    }


def upload(page: Any, path: Path) -> Any:
    """Choose the election and the file on the import page and send it; returns the page's response."""
    page.select_option("#id_election", "pilpres-2024")
    page.set_input_files("#id_file", str(path))
    with page.expect_navigation() as navigation:
        page.locator("#main form[enctype] button[type=submit]").click()
    return navigation.value


def numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", text)]


def test_an_analyst_imports_a_tps_file_and_sees_what_was_stored(
    page: Any,
    login: Any,
    make_user: Any,
    artifact: Any,
    js_errors: list[str],
    pilpres: Election,
    tmp_path: Path,
) -> None:
    from playwright.sync_api import expect

    analyst = make_user("analis", "analis", "65")
    login(analyst)
    page.goto("/pemilihan/impor/")
    expect(page.locator("#id_file")).to_be_visible()

    good = tmp_path / "saksi-bulungan.csv"
    good.write_text(tps_csv([tps(1), tps(2)]), encoding="utf-8")
    page.select_option("#id_source", "saksi")
    assert upload(page, good).status == 200
    result = page.locator("#import-result")
    expect(result).to_have_attribute("data-format", "tps")  # the CSV header told the TPS format
    assert numbers(result.locator("p").first.inner_text()) == [2, 2, 0, 0]  # read, new, versions, same
    assert numbers(result.locator("p").nth(1).inner_text())[0] == 0  # row errors
    expect(result.locator(".row-errors")).to_have_count(0)
    expect(result.locator('a[href="/pemilihan/temuan/?election=pilpres-2024"]')).to_be_visible()
    page.screenshot(path=str(artifact("elections-import-1-result.png")), full_page=True)
    stored = ResultRecord.objects.filter(election=pilpres)
    assert sorted(stored.values_list("area_code", "source", "file_name")) == [
        (BULUNGAN_TPS, "saksi", "saksi-bulungan.csv"),
        ("6501011001002", "saksi", "saksi-bulungan.csv"),
    ]
    assert AuditLog.objects.filter(action="elections.results_imported", actor=analyst).count() == 1

    # A file without a required column cannot be used at all: 400, the column named, nothing stored.
    headless = tmp_path / "tanpa-suara-sah.csv"
    headless.write_text(tps_csv([tps(4)], leave_out="suara_sah"), encoding="utf-8")
    page.goto("/pemilihan/impor/")
    assert upload(page, headless).status == 400
    expect(page.locator("#file-error")).to_contain_text(
        "tanpa-suara-sah.csv: kolom wajib tidak ada: suara_sah"
    )
    expect(page.locator("#import-result")).to_have_count(0)
    page.screenshot(path=str(artifact("elections-import-2-file-error.png")), full_page=True)
    assert stored.count() == 2 and not stored.filter(file_name="tanpa-suara-sah.csv").exists()
    assert not RecapFinding.objects.filter(kind="import").exists()  # no row error kept either
    assert AuditLog.objects.filter(action="elections.results_imported").count() == 1
    assert js_errors == []


def test_a_file_of_broken_rows_is_answered_with_its_row_and_column_and_nothing_is_stored(
    page: Any, login: Any, make_user: Any, artifact: Any, pilpres: Election, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    login(make_user("analis", "analis", "65"))
    broken = tmp_path / "rusak.csv"
    broken.write_text(tps_csv([tps(3, tps_code="65010110010")]), encoding="utf-8")
    page.goto("/pemilihan/impor/")
    response = upload(page, broken)
    page.screenshot(path=str(artifact("elections-import-3-row-error.png")), full_page=True)
    assert not ResultRecord.objects.exists()
    assert page.locator("#file-error").count() == 0, page.locator("#file-error").inner_text()
    assert response.status == 200
    errors = page.locator("#import-result .row-errors li")
    expect(errors).to_have_count(1)
    expect(errors).to_contain_text("rusak.csv baris 2, kolom tps_code: kode TPS '65010110010' harus 13 angka")
    assert numbers(page.locator("#import-result p").first.inner_text()) == [0, 0, 0, 0]


def test_an_analyst_filters_the_findings_and_dismisses_one_with_a_note_which_is_audited(
    page: Any,
    login: Any,
    make_user: Any,
    artifact: Any,
    js_errors: list[str],
    findings: dict[str, RecapFinding],
) -> None:
    from playwright.sync_api import expect

    analyst = make_user("analis", "analis", "65")
    target = findings["bulungan"]
    login(analyst)
    page.goto("/")
    page.locator('nav a[href="/pemilihan/temuan/"]').click()
    rows = page.locator("#finding-table tbody tr[data-rule]")
    expect(rows.first).to_be_visible()
    expect(page.locator(f'#finding-table tr[data-rule="R1"][data-area="{NUNUKAN_TPS}"]')).to_have_count(1)
    expect(page.locator('#finding-table tr[data-rule="R10"]')).to_have_count(1)
    assert rows.count() >= 3

    page.select_option("#f-rule", "R1")
    page.fill("#f-region", "65.01")
    page.locator("form.filter-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"rule=R1.*region=65\.01"))
    expect(rows).to_have_count(1)
    row = page.locator(f'#finding-table tr[data-rule="R1"][data-area="{BULUNGAN_TPS}"]')
    expect(row).to_have_attribute("data-status", "open")
    assert numbers(page.locator("#finding-count").inner_text())[0] == 1
    page.screenshot(path=str(artifact("elections-findings-1-filtered.png")), full_page=True)

    row.locator("td").first.locator("a").click()
    page.wait_for_url(f"**/pemilihan/temuan/{target.pk}/")
    review = page.locator("#review")
    expect(review).to_have_attribute("data-status", "open")
    page.select_option("#r-status", "dismissed")
    note = "Salah baca C1 oleh operator; angka benar sudah dicek dengan salinan saksi."
    page.fill("#r-note", note)
    page.locator("#review button[type=submit]").click()
    expect(review).to_have_attribute("data-status", "dismissed")
    expect(review).to_contain_text(note)
    expect(review).to_contain_text("analis")  # who reviewed it
    page.screenshot(path=str(artifact("elections-findings-2-dismissed.png")), full_page=True)

    # Back in the list, filtered by the new status.
    page.locator('nav.crumbs a[href="/pemilihan/temuan/"]').click()
    page.select_option("#f-status", "dismissed")
    page.locator("form.filter-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"status=dismissed"))
    expect(rows).to_have_count(1)
    expect(row).to_have_attribute("data-status", "dismissed")
    expect(row).to_contain_text(note[:40])

    target.refresh_from_db()
    assert (target.status, target.status_note, target.reviewed_by) == ("dismissed", note, analyst)
    audit = AuditLog.objects.get(action="recap_finding.reviewed")
    assert (audit.actor, audit.object_id, audit.region_code) == (analyst, str(target.pk), "65.01.01.1001")
    assert audit.before == {"status": "open", "note": ""}
    assert audit.after == {"status": "dismissed", "note": note}
    assert RecapFinding.objects.exclude(pk=target.pk).filter(status="dismissed").count() == 0
    assert js_errors == []


def test_an_analyst_of_another_region_neither_sees_nor_reviews_the_finding(
    page: Any, login: Any, make_user: Any, artifact: Any, findings: dict[str, RecapFinding]
) -> None:
    from playwright.sync_api import expect

    outside = findings["bulungan"]
    own = findings["nunukan"]
    login(make_user("analis.nunukan", "analis", "65.03"))
    page.goto("/pemilihan/temuan/")
    expect(page.locator(f'#finding-table tr[data-area="{NUNUKAN_TPS}"]')).to_have_count(1)
    expect(page.locator('#finding-table tr[data-area^="6501"]')).to_have_count(0)
    page.goto("/pemilihan/temuan/?region=65.01")
    expect(page.locator("#finding-table tr[data-rule]")).to_have_count(0)
    page.screenshot(path=str(artifact("elections-scope-1-list.png")), full_page=True)

    assert page.goto(f"/pemilihan/temuan/{outside.pk}/").status == 404

    # A review form of their own finding, its target changed to the other region's finding: refused.
    assert page.goto(f"/pemilihan/temuan/{own.pk}/").status == 200
    form = page.locator("#review form")
    form.evaluate("(f, url) => { f.action = url; }", f"/pemilihan/temuan/{outside.pk}/")
    page.select_option("#r-status", "dismissed")
    page.fill("#r-note", "bukan wilayah saya")
    with page.expect_navigation() as navigation:
        form.locator("button[type=submit]").click()
    assert navigation.value.status == 404
    outside.refresh_from_db()
    assert (outside.status, outside.status_note, outside.reviewed_by) == ("open", "", None)
    assert not AuditLog.objects.filter(action="recap_finding.reviewed").exists()


def test_a_small_contest_says_too_few_data_for_the_fingerprint_and_fits_a_phone(
    page: Any, login: Any, make_user: Any, artifact: Any, js_errors: list[str]
) -> None:
    from playwright.sync_api import expect

    pilkada = Election.objects.create(
        code="pilkada-2024", name="Pilkada 2024", kind="pilkada", voting_date=date(2024, 11, 27)
    )
    contest = Contest.objects.create(election=pilkada, region_id="65.01", office="bupati")
    rows = [tps(n, paslon1=63 + n, paslon2=118 - n) for n in range(1, 4)]
    import_results("bulungan.csv", tps_csv(rows).encode(), pilkada, contest=contest, source="sirekap")
    login(make_user("analis", "analis", "65"))
    page.set_viewport_size(PHONE)
    page.goto(f"/pemilihan/kontestasi/{contest.pk}/")

    expect(page.locator('#tiers tr[data-tier="tps"][data-source="sirekap"]')).to_be_visible()
    too_few = page.locator("#fingerprint #fingerprint-too-few")
    expect(too_few).to_be_visible()
    expect(too_few).to_contain_text("Data terlalu sedikit: 3")
    expect(too_few).to_contain_text("50")
    expect(page.locator("#fingerprint svg")).to_have_count(0)
    page.screenshot(path=str(artifact("elections-contest-phone.png")), full_page=True)
    widths = page.evaluate(
        "() => ({page: document.documentElement.scrollWidth, body: document.body.scrollWidth,"
        " view: document.documentElement.clientWidth})"
    )
    assert widths["view"] == PHONE["width"]
    assert widths["page"] <= widths["view"] and widths["body"] <= widths["view"], widths

    # The per-region forensics page of the same contest gives the same honest answer.
    page.locator(f'#fingerprint a[href$="?contest={contest.pk}"]').click()
    page.wait_for_url(f"**/pemilihan/forensik/pilkada-2024/?contest={contest.pk}")
    expect(page.locator("#fingerprint-too-few")).to_contain_text("Data terlalu sedikit")
    expect(page.locator('#tests tr[data-test="FINGERPRINT"]')).to_have_attribute("data-status", "data_kurang")
    assert js_errors == []


def test_the_review_form_is_reached_and_sent_with_the_keyboard_alone(
    page: Any, login: Any, make_user: Any, artifact: Any, findings: dict[str, RecapFinding]
) -> None:
    from playwright.sync_api import expect

    target = findings["bulungan"]
    login(make_user("analis", "analis", "65"))
    page.goto(f"/pemilihan/temuan/{target.pk}/")

    def focused() -> str:
        return str(page.evaluate("() => document.activeElement ? document.activeElement.id : ''"))

    for _ in range(40):
        page.keyboard.press("Tab")
        if focused() == "r-status":
            break
    assert focused() == "r-status", "the status field is not reachable with Tab"
    page.keyboard.press("ArrowDown")  # open → acknowledged
    expect(page.locator("#r-status")).to_have_value("acknowledged")
    page.keyboard.press("Tab")
    assert focused() == "r-note"
    page.keyboard.type("Diteruskan ke KPU Bulungan untuk dicek.")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.matches('#review button[type=submit]')")
    page.screenshot(path=str(artifact("elections-review-keyboard.png")), full_page=True)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#review")).to_have_attribute("data-status", "acknowledged")
    target.refresh_from_db()
    assert (target.status, target.status_note) == ("acknowledged", "Diteruskan ke KPU Bulungan untuk dicek.")
