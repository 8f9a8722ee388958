"""The result-integrity indicator reads the stored recap findings: the share of a desa's TPS with a
finding that is not dismissed, in the latest election with TPS results there."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from waspada.elections.models import Election
from waspada.elections.results import RecapFinding, ResultRecord
from waspada.risk.config import load_config
from waspada.risk.sources import gather, recap_finding_shares

pytestmark = pytest.mark.django_db

DESA = "65.03.01.2001"
TPS = [f"6503012001{n:03d}" for n in range(1, 5)]


def election(code: str, day: dt.date) -> Election:
    return Election.objects.create(code=code, name=code, kind="pemilu", voting_date=day)


def tps_results(e: Election, codes: list[str], desa: str = DESA) -> None:
    for code in codes:
        ResultRecord.objects.create(
            election=e, tier="tps", area_code=code, region_code=desa, source="sirekap"
        )


def finding(e: Election, area: str, status: str = "open", desa: str = DESA) -> None:
    RecapFinding.objects.create(
        election=e, source="sirekap", rule="R1", severity="error", area_code=area, region_code=desa,
        message="x", status=status,
    )  # fmt: skip


def test_it_counts_each_flagged_tps_once_and_ignores_dismissed_findings() -> None:
    e = election("pilpres-2024", dt.date(2024, 2, 14))
    tps_results(e, TPS)
    finding(e, TPS[0])
    finding(e, TPS[0])  # a second rule on the same TPS
    finding(e, TPS[1], status="dismissed")
    finding(e, "65.03.01")  # an area finding, not a TPS
    at = dt.date(2024, 3, 1)
    assert recap_finding_shares(at, 4) == {DESA: 25.0}
    assert recap_finding_shares(at, 3) == {"65.03.01": 25.0}
    assert recap_finding_shares(dt.date(2024, 2, 1), 4) == {}  # before voting day


def test_the_latest_election_with_tps_results_counts() -> None:
    old = election("pilpres-2019", dt.date(2019, 4, 17))
    new = election("pilkada-2024", dt.date(2024, 11, 27))
    tps_results(old, TPS)
    finding(old, TPS[0])
    tps_results(new, TPS[:2])
    assert recap_finding_shares(dt.date(2024, 12, 1), 4) == {DESA: 0.0}
    finding(new, TPS[1])
    assert recap_finding_shares(dt.date(2024, 12, 1), 4) == {DESA: 50.0}


def test_gather_feeds_the_share_to_the_temuan_rekap_indicator() -> None:
    e = election("pilpres-2024", dt.date(2024, 2, 14))
    tps_results(e, TPS)
    finding(e, TPS[3])
    config = load_config()
    table, _names = gather(config, dt.date(2024, 3, 1))
    j = config.indicator_ids.index("temuan_rekap")
    values = np.asarray(table.values)
    row = list(table.codes).index(DESA)
    assert values[row, j] == 25.0
    assert np.isnan(values[list(table.codes).index("65.03.01.2002"), j])
