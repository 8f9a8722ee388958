"""Turnout signals: every DPT voter voting at a large TPS, and TPS far from their kecamatan's peers.

* TURNOUT100 — ``pengguna_dpt == dpt`` with ``dpt > min_dpt`` (50 by default): possible in a small
  community, rare at a large TPS; KawalPemilu and the reference notes treat it as a signal to inspect.
* TURNOUT_OUTLIER — turnout ``pengguna_total / dpt`` compared with the other TPS of the same kecamatan
  through a robust z-score, ``0.6745 · (t − median) / MAD`` (Iglewicz & Hoaglin), flagged when
  ``|z| > z_limit`` *and* the gap to the median is at least ``min_gap`` (15 points) — the second condition
  keeps a kecamatan of near-identical TPS (MAD close to 0) from flagging ordinary differences.
  Kecamatan with fewer than ``min_tps`` usable TPS are not judged ("too few data").
"""

from __future__ import annotations

import polars as pl

from waspada.elections.integrity.findings import Finding, finding


def full_turnout(frame: pl.DataFrame, *, min_dpt: int = 50) -> pl.DataFrame:
    """TPS where every DPT voter voted and the DPT is larger than ``min_dpt``."""
    return frame.filter(
        ((pl.col("pengguna_dpt") == pl.col("dpt")) & (pl.col("dpt") > min_dpt)).fill_null(False)
    )


def full_turnout_findings(frame: pl.DataFrame, *, min_dpt: int = 50) -> list[Finding]:
    out = []
    for code, dpt, used, total in (
        full_turnout(frame, min_dpt=min_dpt)
        .select("tps_code", "dpt", "pengguna_dpt", "pengguna_total")
        .iter_rows()
    ):
        out.append(
            finding(
                "TURNOUT100",
                f"Seluruh pemilih DPT menggunakan hak pilih ({used} dari {dpt}, 100%) di TPS dengan DPT lebih "
                f"dari {min_dpt}.",
                {"dpt": dpt, "pengguna_dpt": used, "pengguna_total": total, "batas_dpt": min_dpt},
                tps_code=code,
            )
        )
    return out


def turnout_outliers(
    frame: pl.DataFrame,
    *,
    z_limit: float = 3.5,
    min_gap: float = 0.15,
    min_tps: int = 8,
    min_dpt: int = 20,
) -> pl.DataFrame:
    """TPS whose turnout is far from the median of their kecamatan: ``tps_code``, ``kec_code``,
    ``turnout``, ``median``, ``mad``, ``z``, ``n_tps``."""
    usable = frame.filter(
        (pl.col("dpt") >= min_dpt) & pl.col("pengguna_total").is_not_null() & pl.col("kec_code").is_not_null()
    ).select("tps_code", "kec_code", "dpt", "pengguna_total")
    usable = usable.with_columns((pl.col("pengguna_total") / pl.col("dpt")).alias("turnout"))
    usable = usable.with_columns(
        pl.col("turnout").median().over("kec_code").alias("median"),
        pl.len().over("kec_code").alias("n_tps"),
    )
    usable = usable.with_columns(
        (pl.col("turnout") - pl.col("median")).abs().median().over("kec_code").alias("mad")
    )
    # MAD = 0 (half the TPS share the median exactly): fall back to the mean absolute deviation.
    mean_ad = (pl.col("turnout") - pl.col("median")).abs().mean().over("kec_code") * 0.7979
    spread = pl.when(pl.col("mad") > 0).then(pl.col("mad")).otherwise(mean_ad)
    usable = usable.with_columns((0.6745 * (pl.col("turnout") - pl.col("median")) / spread).alias("z"))
    return usable.filter(
        (pl.col("n_tps") >= min_tps)
        & (pl.col("z").abs() > z_limit)
        & ((pl.col("turnout") - pl.col("median")).abs() >= min_gap)
    ).sort("tps_code")


def turnout_outlier_findings(
    frame: pl.DataFrame,
    *,
    z_limit: float = 3.5,
    min_gap: float = 0.15,
    min_tps: int = 8,
    min_dpt: int = 20,
) -> list[Finding]:
    out = []
    for row in turnout_outliers(
        frame, z_limit=z_limit, min_gap=min_gap, min_tps=min_tps, min_dpt=min_dpt
    ).iter_rows(named=True):
        side = "di atas" if row["z"] > 0 else "di bawah"
        out.append(
            finding(
                "TURNOUT_OUTLIER",
                f"Partisipasi {row['turnout']:.0%} ({row['pengguna_total']} dari DPT {row['dpt']}) jauh {side} "
                f"median kecamatan {row['kec_code']} ({row['median']:.0%}, {row['n_tps']} TPS); "
                f"skor-z robust {row['z']:.1f}.",
                {
                    "dpt": row["dpt"],
                    "pengguna_total": row["pengguna_total"],
                    "partisipasi": round(row["turnout"], 4),
                    "median_kecamatan": round(row["median"], 4),
                    "mad_kecamatan": round(row["mad"], 4),
                    "z": round(row["z"], 2),
                    "jumlah_tps_kecamatan": row["n_tps"],
                    "kec_code": row["kec_code"],
                },
                tps_code=row["tps_code"],
            )
        )
    return out
