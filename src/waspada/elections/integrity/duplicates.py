"""Identical results in different TPS of one desa: one C.Hasil form read (or typed) twice.

Two TPS of a desa rarely share every paslon count by chance when there are three or more paslon; with
two paslon (most Pilkada races) small desa-level coincidences are common, so there the invalid-vote count
must match as well. Rows with fewer than ``min_votes`` valid votes (empty or tiny TPS) are left out.

Each finding carries ``perkiraan_kebetulan``: the expected number of TPS pairs of that desa that would
share these counts by chance, ``C(m, 2) · Π_i 1 / (2 √π σ_i)`` with ``m`` the TPS of the desa with votes
and ``σ_i = √(n s_i (1 − s_i))`` the binomial spread of paslon ``i`` (and ``√tidak_sah`` for the invalid
count when it is part of the key). Real TPS vary more than binomially, so this is an upper bound: a value
far below 1 means a coincidence is unlikely *in that desa* — across 80,000 desa some still happen.
"""

from __future__ import annotations

import math

import polars as pl

from waspada.elections.integrity.findings import Finding, JsonValue, finding
from waspada.elections.integrity.tps_csv import candidate_columns

#: Fields of the form compared to say how complete the copy is.
ALSO_COMPARED = ("suara_sah", "suara_tidak_sah", "suara_total", "pengguna_total", "dpt")


def duplicate_groups(frame: pl.DataFrame, *, min_votes: int = 10) -> pl.DataFrame:
    """One row per TPS that shares its paslon counts with another TPS of the same desa: ``tps_code``,
    ``_group`` (the desa and counts), ``_others`` (the other TPS codes) and ``_same`` (other fields that
    match across the whole group)."""
    candidates = list(candidate_columns(frame.columns))
    votes = pl.sum_horizontal(candidates)
    n_filled = pl.sum_horizontal([pl.col(c).is_not_null().cast(pl.Int32) for c in candidates])
    base = frame.select(
        "tps_code", "desa_code", *candidates, *[c for c in ALSO_COMPARED if c in frame.columns]
    ).filter(pl.any_horizontal([pl.col(c).is_not_null() for c in candidates]) & (votes >= min_votes))
    base = base.with_columns(n_filled.alias("_n_paslon"))
    key = ["desa_code", *candidates]
    # With two paslon the invalid count joins the key (a null never matches another row's null).
    invalid = (
        pl.when(pl.col("_n_paslon") >= 3).then(pl.lit(-1)).otherwise(pl.col("suara_tidak_sah"))
        if "suara_tidak_sah" in frame.columns
        else pl.lit(-1)
    )
    base = base.with_columns(invalid.alias("_invalid_key")).filter(pl.col("_invalid_key").is_not_null())
    key.append("_invalid_key")
    size = pl.len().over(key)
    base = base.with_columns(pl.len().over("desa_code").alias("_m"))
    groups = base.filter(size > 1)
    if groups.height == 0:
        return groups.with_columns(
            pl.lit(None, pl.List(pl.Utf8)).alias("_others"),
            pl.lit(None, pl.List(pl.Utf8)).alias("_same"),
            pl.lit(None, pl.Float64).alias("_chance"),
        )
    members = groups.group_by(key, maintain_order=True).agg(
        pl.col("tps_code").alias("_members"),
        *[
            (pl.col(c).n_unique() == 1).and_(pl.col(c).null_count() == 0).alias(f"_same_{c}")
            for c in ALSO_COMPARED
            if c in frame.columns
        ],
    )
    same = [c for c in ALSO_COMPARED if c in frame.columns]
    out = groups.join(members, on=key, how="left", nulls_equal=True)
    total = pl.sum_horizontal(candidates).cast(pl.Float64)
    factor = 1 / (2 * math.sqrt(math.pi))
    chance = [
        pl.when(pl.col(c).is_null())
        .then(1.0)
        .otherwise(
            (factor / ((pl.col(c) * (1 - pl.col(c) / total)).clip(lower_bound=0.25)).sqrt()).clip(
                upper_bound=1.0
            )
        )
        for c in candidates
    ]
    if "suara_tidak_sah" in frame.columns:
        chance.append(
            pl.when(pl.col("_invalid_key") < 0)
            .then(1.0)
            .otherwise(
                (factor / pl.col("suara_tidak_sah").cast(pl.Float64).clip(lower_bound=0.25).sqrt()).clip(
                    upper_bound=1.0
                )
            )
        )
    pairs = (pl.col("_m") * (pl.col("_m") - 1) / 2).cast(pl.Float64)
    out = out.with_columns((pairs * pl.reduce(lambda a, b: a * b, chance)).alias("_chance"))
    return out.with_columns(
        pl.col("_members")
        .list.set_difference(pl.concat_list(pl.col("tps_code")))
        .list.sort()
        .alias("_others"),
        pl.concat_list([pl.when(pl.col(f"_same_{c}")).then(pl.lit(c)).otherwise(None) for c in same])
        .list.drop_nulls()
        .alias("_same"),
    ).sort("tps_code")


def duplicate_findings(frame: pl.DataFrame, *, min_votes: int = 10) -> list[Finding]:
    """A DUP finding for every TPS whose paslon counts repeat in another TPS of its desa."""
    candidates = list(candidate_columns(frame.columns))
    rows = duplicate_groups(frame, min_votes=min_votes)
    out: list[Finding] = []
    for row in rows.iter_rows(named=True):
        counts = [row[c] for c in candidates if row[c] is not None]
        others: list[str] = list(row["_others"])
        same: list[str] = list(row["_same"])
        values: dict[str, JsonValue] = {c: row[c] for c in candidates if row[c] is not None}
        values["desa_code"] = row["desa_code"]
        values["tps_identik"] = list(others)
        values["kolom_lain_sama"] = list(same)
        values["perkiraan_kebetulan"] = float(f"{row['_chance']:.2g}")
        also = f" Kolom lain yang juga sama: {', '.join(same)}." if same else ""
        message = (
            f"Perolehan suara paslon identik ({'/'.join(str(c) for c in counts)}) dengan TPS "
            f"{', '.join(others)} di desa yang sama; kemungkinan satu formulir C.Hasil terbaca dua kali.{also}"
        )
        out.append(finding("DUP", message, values, tps_code=row["tps_code"]))
    return out
