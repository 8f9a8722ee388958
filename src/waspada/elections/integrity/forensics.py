"""Election forensics on TPS results — pure: a polars frame in, test results out (no Django).

Each test returns a :class:`TestResult` with its statistic, the value expected of a clean count, the
number of units or counts it rests on, a z-score where one is defined, and a verdict in Bahasa Indonesia.
Below a minimum number of data a test answers "data terlalu sedikit" instead of a number that would mean
nothing. The tests (reference notes, §7):

* **2BL** — second-digit Benford (Mebane): the mean of the second digits of the candidate counts ≥ 10
  against 4.187 (exactly Σ k·q_k = 4.18739), z = (x̄ − μ)/(σ/√n) with σ = 2.8729; the Pearson χ² against
  the Benford second-digit probabilities q_k (df = 9) is given alongside.
* **LAST_DIGIT** — last digits of the counts ≥ 10 against the uniform distribution (Beber & Scacco):
  Pearson χ² with df = 9 and its p-value; **LAST_DIGIT_05** — the share of last digits 0 or 5 against
  0.20 (EFToolkit C05s).
* **KOBAK_TURNOUT**, **KOBAK_SHARE** — integer-percentage peaks (Kobak, Shpilkin & Pshenichnikov 2016):
  the number of TPS whose turnout (``pengguna_total / dpt``) or the leader's share
  (``votes / suara_sah``) lies within 0.05 percentage points of an integer percent, with the AOAS
  inclusion rules (denominator ≥ 100, 0 < p ≤ 0.99). The expected number is exact, not simulated: each
  TPS's numerator is taken as Binomial(denominator, observed p) — Kobak's null — and the probability
  that it lands on an integer percent is summed over TPS (a Poisson-binomial count; its variance gives
  the z-score). Small TPS hit integer percentages often by arithmetic alone (1 of 200 is 0.5 %); the
  exact null accounts for it.
* **Fingerprint** (Klimek et al. 2012) — the 2-D histogram of TPS by turnout × the leader's share, with
  the correlation of the two (EFToolkit flags |r| > 0.4) and the share of TPS in the corner of
  turnout ≥ 95 % and share ≥ 95 %. :mod:`fingerprint_svg` draws it.

These are descriptive flags. The notes' guardrails hold: a digit test alone is no evidence of fraud or
of a clean count, Indonesian TPS (≤ 300/600 voters) give short numbers that bend the digit laws, and
running many tests inflates false alarms. The arithmetic rules R1–R10 are the stronger signal.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

import polars as pl

from waspada.elections.integrity.findings import JsonValue
from waspada.elections.integrity.tps_csv import candidate_columns

Status: TypeAlias = Literal["wajar", "menyimpang", "data_kurang"]

#: Benford's second-digit probabilities q_k = Σ_{d=1..9} log10(1 + 1/(10d + k)).
SECOND_DIGIT_P: tuple[float, ...] = tuple(
    sum(math.log10(1 + 1 / (10 * d + k)) for d in range(1, 10)) for k in range(10)
)
SECOND_DIGIT_MEAN: float = sum(k * q for k, q in enumerate(SECOND_DIGIT_P))  # 4.18739
SECOND_DIGIT_SD: float = math.sqrt(
    sum((k - SECOND_DIGIT_MEAN) ** 2 * q for k, q in enumerate(SECOND_DIGIT_P))
)
#: The rounded reference value of the Election Forensics Toolkit (Hicken & Mebane, Table 1).
EXPECTED_2BL = 4.187
EXPECTED_LAST_05 = 0.2

#: Minimum counts (digit tests) or TPS (percentage and fingerprint tests) before a verdict is given.
MIN_DIGITS = 50
MIN_UNITS = 50
#: |z| above this is "menyimpang" (two-sided 5 %); χ² tests use their p-value at the same level.
Z_LIMIT = 1.96
ALPHA = 0.05


@dataclass(frozen=True, slots=True)
class TestResult:
    """One forensic test: statistic vs expected value on ``n`` data, and an Indonesian verdict."""

    test: str
    title: str
    statistic: float | None
    expected: float
    n: int
    z: float | None
    status: Status
    verdict: str
    details: dict[str, JsonValue] = field(default_factory=dict)

    def to_dict(self) -> dict[str, JsonValue]:
        return {
            "test": self.test,
            "title": self.title,
            "statistic": _round(self.statistic),
            "expected": _round(self.expected),
            "n": self.n,
            "z": _round(self.z),
            "status": self.status,
            "verdict": self.verdict,
            "details": self.details,
        }


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def _too_few(test: str, title: str, expected: float, n: int, minimum: int, what: str) -> TestResult:
    return TestResult(
        test,
        title,
        None,
        expected,
        n,
        None,
        "data_kurang",
        f"Data terlalu sedikit: {n} {what}, perlu sedikitnya {minimum}. Uji ini tidak memberi kesimpulan.",
        {"minimum": minimum},
    )


def _z_verdict(z: float, clean: str, off: str) -> tuple[Status, str]:
    if abs(z) > Z_LIMIT:
        return "menyimpang", f"{off} (|z| = {abs(z):.2f} > {Z_LIMIT}). Sinyal untuk diperiksa, bukan bukti."
    return "wajar", f"{clean} (|z| = {abs(z):.2f} ≤ {Z_LIMIT})."


# --- chi-square p-values without scipy -----------------------------------------------------------------------


def chi2_sf(x: float, df: int) -> float:
    """P(χ²_df ≥ x) for a positive integer ``df``, by the closed forms of the regularised gamma function.

    >>> round(chi2_sf(16.919, 9), 3)
    0.05
    """
    if df < 1:
        raise ValueError("df must be a positive integer")
    if x <= 0:
        return 1.0
    half = x / 2
    if df % 2 == 0:  # e^{-x/2} Σ_{k<df/2} (x/2)^k / k!
        term = total = 1.0
        for k in range(1, df // 2):
            term *= half / k
            total += term
        return min(1.0, math.exp(-half) * total)
    # odd: erfc(√(x/2)) + e^{-x/2} Σ_{k=1}^{(df-1)/2} (x/2)^{k-1/2} / Γ(k + 1/2)
    total = math.erfc(math.sqrt(half))
    term = math.sqrt(half) / math.gamma(1.5)
    for k in range(1, (df - 1) // 2 + 1):
        if k > 1:
            term *= half / (k - 0.5)
        total += math.exp(-half) * term
    return min(1.0, total)


def pearson_chi2(observed: Sequence[int], probabilities: Sequence[float]) -> float:
    n = sum(observed)
    return sum((o - n * p) ** 2 / (n * p) for o, p in zip(observed, probabilities, strict=True))


# --- digits -------------------------------------------------------------------------------------------------


def vote_counts(frame: pl.DataFrame, candidates: Sequence[str] | None = None) -> pl.Series:
    """Every candidate count of every TPS as one Int64 series (empty cells dropped)."""
    cols = list(candidates) if candidates is not None else list(candidate_columns(frame.columns))
    if not cols or frame.height == 0:
        return pl.Series("votes", [], dtype=pl.Int64)
    return (
        frame.select([pl.col(c).cast(pl.Int64) for c in cols])
        .unpivot()
        .get_column("value")
        .drop_nulls()
        .alias("votes")
    )


def _digits(counts: pl.Series | Iterable[int], min_count: int) -> pl.DataFrame:
    series = counts if isinstance(counts, pl.Series) else pl.Series("votes", list(counts), dtype=pl.Int64)
    text = series.filter(series >= min_count).cast(pl.Utf8)
    return pl.DataFrame({"text": text}).select(
        pl.col("text").str.slice(1, 1).cast(pl.Int64).alias("second"),
        pl.col("text").str.slice(-1, 1).cast(pl.Int64).alias("last"),
    )


def _histogram(values: pl.Series) -> list[int]:
    counts = dict(values.value_counts().iter_rows())
    return [int(counts.get(k, 0)) for k in range(10)]


def second_digit_test(
    counts: pl.Series | Iterable[int], *, min_count: int = 10, min_n: int = MIN_DIGITS
) -> TestResult:
    """2BL: the mean second digit of the counts ≥ ``min_count`` against Benford's 4.187."""
    title = "Digit kedua (2BL, Benford)"
    digits = _digits(counts, min_count).get_column("second")
    n = digits.len()
    if n < min_n:
        return _too_few("2BL", title, EXPECTED_2BL, n, min_n, f"angka suara ≥ {min_count}")
    mean = float(digits.mean())  # type: ignore[arg-type]
    z = (mean - SECOND_DIGIT_MEAN) / (SECOND_DIGIT_SD / math.sqrt(n))
    observed = _histogram(digits)
    chi2 = pearson_chi2(observed, SECOND_DIGIT_P)
    status, verdict = _z_verdict(
        z,
        f"Rata-rata digit kedua {mean:.3f} sesuai harapan Benford {EXPECTED_2BL}",
        f"Rata-rata digit kedua {mean:.3f} menyimpang dari harapan Benford {EXPECTED_2BL}",
    )
    return TestResult(
        "2BL",
        title,
        mean,
        EXPECTED_2BL,
        n,
        z,
        status,
        verdict,
        {
            "standard_error": round(SECOND_DIGIT_SD / math.sqrt(n), 5),
            "chi2": round(chi2, 3),
            "chi2_df": 9,
            "chi2_p": round(chi2_sf(chi2, 9), 5),
            "digit_counts": list(observed),
            "min_count": min_count,
        },
    )


def last_digit_test(
    counts: pl.Series | Iterable[int], *, min_count: int = 10, min_n: int = MIN_DIGITS
) -> TestResult:
    """Last digits of the counts ≥ ``min_count`` against the uniform distribution: Pearson χ², df = 9."""
    title = "Digit terakhir seragam (χ²)"
    digits = _digits(counts, min_count).get_column("last")
    n = digits.len()
    expected = 9.0  # the mean of χ²_9
    if n < min_n:
        return _too_few("LAST_DIGIT", title, expected, n, min_n, f"angka suara ≥ {min_count}")
    observed = _histogram(digits)
    chi2 = pearson_chi2(observed, [0.1] * 10)
    p = chi2_sf(chi2, 9)
    if p < ALPHA:
        status: Status = "menyimpang"
        verdict = (
            f"Digit terakhir tidak seragam (χ² = {chi2:.2f}, p = {p:.4f} < {ALPHA}). Sinyal untuk diperiksa."
        )
    else:
        status, verdict = "wajar", f"Digit terakhir seragam (χ² = {chi2:.2f}, p = {p:.3f})."
    return TestResult(
        "LAST_DIGIT",
        title,
        chi2,
        expected,
        n,
        None,
        status,
        verdict,
        {"chi2_df": 9, "chi2_p": round(p, 5), "digit_counts": list(observed), "min_count": min_count},
    )


def last_digit_05_test(
    counts: pl.Series | Iterable[int], *, min_count: int = 10, min_n: int = MIN_DIGITS
) -> TestResult:
    """The share of counts ending in 0 or 5 against 0.20 (a binomial z-score)."""
    title = "Digit terakhir 0 atau 5"
    digits = _digits(counts, min_count).get_column("last")
    n = digits.len()
    if n < min_n:
        return _too_few("LAST_DIGIT_05", title, EXPECTED_LAST_05, n, min_n, f"angka suara ≥ {min_count}")
    hits = int(digits.is_in([0, 5]).sum())
    share = hits / n
    z = (share - EXPECTED_LAST_05) / math.sqrt(EXPECTED_LAST_05 * (1 - EXPECTED_LAST_05) / n)
    status, verdict = _z_verdict(
        z,
        f"Bagian angka berakhiran 0/5 {share:.1%} sesuai harapan 20%",
        f"Bagian angka berakhiran 0/5 {share:.1%} menyimpang dari harapan 20%",
    )
    return TestResult("LAST_DIGIT_05", title, share, EXPECTED_LAST_05, n, z, status, verdict, {"hits": hits})


# --- integer percentages (Kobak) ----------------------------------------------------------------------------


def _is_integer_percent(k: int, d: int, tol: float) -> bool:
    x = 100 * k / d
    return abs(x - round(x)) <= tol + 1e-12


def integer_percent_probability(d: int, p: float, tol: float = 0.05) -> float:
    """P(100·K/d is within ``tol`` points of an integer) for K ~ Binomial(d, p)."""
    if d <= 0:
        return 0.0
    if p <= 0 or p >= 1:
        return 1.0 if _is_integer_percent(round(p * d), d, tol) else 0.0
    sd = math.sqrt(d * p * (1 - p))
    low, high = max(0, math.floor(d * p - 8 * sd - 1)), min(d, math.ceil(d * p + 8 * sd + 1))
    log_p, log_q, log_fd = math.log(p), math.log1p(-p), math.lgamma(d + 1)
    total = 0.0
    for k in range(low, high + 1):
        if _is_integer_percent(k, d, tol):
            total += math.exp(
                log_fd - math.lgamma(k + 1) - math.lgamma(d - k + 1) + k * log_p + (d - k) * log_q
            )
    return min(total, 1.0)


def integer_percent_test(
    numerators: Sequence[int],
    denominators: Sequence[int],
    *,
    test: str,
    title: str,
    min_denominator: int = 100,
    max_share: float = 0.99,
    tol: float = 0.05,
    min_n: int = MIN_UNITS,
) -> TestResult:
    """TPS at an integer percent, observed vs the exact binomial expectation (see the module doc)."""
    units = [
        (int(k), int(d))
        for k, d in zip(numerators, denominators, strict=True)
        if d >= min_denominator and k > 0 and k / d <= max_share
    ]
    n = len(units)
    if n < min_n:
        return _too_few(test, title, 0.0, n, min_n, f"TPS dengan penyebut ≥ {min_denominator}")
    observed = sum(_is_integer_percent(k, d, tol) for k, d in units)
    probs = [integer_percent_probability(d, k / d, tol) for k, d in units]
    expected = sum(probs)
    variance = sum(q * (1 - q) for q in probs)
    z = (observed - expected) / math.sqrt(variance) if variance > 0 else 0.0
    status, verdict = _z_verdict(
        z,
        f"{observed} TPS pada persentase bulat, diharapkan {expected:.1f}",
        f"{observed} TPS pada persentase bulat, diharapkan {expected:.1f}: puncak persentase bulat",
    )
    return TestResult(
        test,
        title,
        float(observed),
        expected,
        n,
        z,
        status,
        verdict,
        {
            "observed_share": round(observed / n, 5),
            "expected_share": round(expected / n, 5),
            "tolerance_points": tol,
            "min_denominator": min_denominator,
        },
    )


# --- fingerprint (Klimek) -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """TPS counted by turnout (rows, low to high) × the leader's share (columns, low to high)."""

    candidate: str
    bins: int
    counts: tuple[tuple[int, ...], ...]
    n: int
    excluded: int
    correlation: float | None
    corner_share: float | None

    def to_dict(self) -> dict[str, JsonValue]:
        return {
            "candidate": self.candidate,
            "bins": self.bins,
            "n": self.n,
            "excluded": self.excluded,
            "correlation": _round(self.correlation),
            "corner_share": _round(self.corner_share),
            "counts": [list(row) for row in self.counts],
        }


def leader(frame: pl.DataFrame, candidates: Sequence[str] | None = None) -> str | None:
    """The candidate column with the most votes over all TPS."""
    cols = list(candidates) if candidates is not None else list(candidate_columns(frame.columns))
    if not cols or frame.height == 0:
        return None
    sums = frame.select([pl.col(c).sum() for c in cols]).row(0)
    return max(zip(cols, sums, strict=True), key=lambda pair: pair[1] or 0)[0]


def turnout_share(frame: pl.DataFrame, candidate: str) -> pl.DataFrame:
    """``turnout`` (pengguna_total / dpt) and ``share`` (candidate / suara_sah) of the TPS where both exist
    and lie in [0, 1]; ``_excluded`` counts the rest."""
    both = frame.select(
        (pl.col("pengguna_total") / pl.col("dpt")).alias("turnout"),
        (pl.col(candidate) / pl.col("suara_sah")).alias("share"),
    )
    ok = (
        pl.col("turnout").is_finite()
        & pl.col("share").is_finite()
        & pl.col("turnout").is_between(0, 1)
        & pl.col("share").is_between(0, 1)
    ).fill_null(False)
    return both.filter(ok)


def fingerprint(
    frame: pl.DataFrame, candidate: str | None = None, *, bins: int = 50, min_n: int = MIN_UNITS
) -> tuple[Fingerprint | None, TestResult]:
    """The Klimek fingerprint of ``candidate`` (the leader by default) and its summary as a test result
    (the statistic is the turnout × share correlation, expected near 0; flagged when |r| > 0.4)."""
    title = "Sidik jari partisipasi × perolehan (Klimek)"
    candidate = candidate or leader(frame)
    if candidate is None:
        return None, _too_few("FINGERPRINT", title, 0.0, 0, min_n, "TPS")
    data = turnout_share(frame, candidate)
    n = data.height
    if n < min_n:
        return None, _too_few("FINGERPRINT", title, 0.0, n, min_n, "TPS dengan partisipasi dan suara sah")
    cells = data.select(
        (pl.col("turnout") * bins).floor().clip(0, bins - 1).cast(pl.Int64).alias("row"),
        (pl.col("share") * bins).floor().clip(0, bins - 1).cast(pl.Int64).alias("col"),
    )
    grid = [[0] * bins for _ in range(bins)]
    for row, col, count in cells.group_by("row", "col").len().iter_rows():
        grid[row][col] = int(count)
    spread = data.select(pl.col("turnout").std(), pl.col("share").std()).row(0)
    corr_value = (
        data.select(pl.corr("turnout", "share")).item() if all((s or 0) > 1e-9 for s in spread) else None
    )
    correlation = None if corr_value is None or math.isnan(corr_value) else float(corr_value)
    corner = data.filter((pl.col("turnout") >= 0.95) & (pl.col("share") >= 0.95)).height / n
    print_ = Fingerprint(
        candidate,
        bins,
        tuple(tuple(row) for row in grid),
        n,
        frame.height - n,
        correlation,
        corner,
    )
    details: dict[str, JsonValue] = {
        "candidate": candidate,
        "corner_share": round(corner, 5),
        "excluded": frame.height - n,
    }
    if correlation is None:
        return print_, TestResult(
            "FINGERPRINT",
            title,
            None,
            0.0,
            n,
            None,
            "data_kurang",
            "Korelasi tidak terdefinisi: partisipasi atau perolehan sama di semua TPS.",
            details,
        )
    if abs(correlation) > 0.4 or corner > 0.01:
        status: Status = "menyimpang"
        verdict = (
            f"Korelasi partisipasi × perolehan {correlation:.2f} (batas ±0,4), {corner:.1%} TPS di sudut "
            "partisipasi dan perolehan ≥ 95%. Lihat gambarnya; sinyal untuk diperiksa, bukan bukti."
        )
    else:
        status = "wajar"
        verdict = (
            f"Korelasi partisipasi × perolehan {correlation:.2f} (dalam ±0,4), {corner:.1%} TPS di sudut "
            "partisipasi dan perolehan ≥ 95%: satu gugus, tanpa puncak kedua."
        )
    return print_, TestResult("FINGERPRINT", title, correlation, 0.0, n, None, status, verdict, details)


# --- everything at once -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ForensicsReport:
    tps: int
    candidate: str | None
    results: list[TestResult]
    fingerprint: Fingerprint | None

    def to_dict(self) -> dict[str, JsonValue]:
        return {
            "tps": self.tps,
            "candidate": self.candidate,
            "results": [r.to_dict() for r in self.results],
            "fingerprint": None if self.fingerprint is None else self.fingerprint.to_dict(),
        }


def run_forensics(
    frame: pl.DataFrame, *, candidate: str | None = None, bins: int = 50, min_n: int = MIN_DIGITS
) -> ForensicsReport:
    """Every test on the TPS of ``frame`` (the documented TPS columns); ``candidate`` defaults to the leader."""
    counts = vote_counts(frame)
    candidate = candidate or leader(frame)
    results = [
        second_digit_test(counts, min_n=min_n),
        last_digit_test(counts, min_n=min_n),
        last_digit_05_test(counts, min_n=min_n),
    ]
    usable = frame.filter(pl.col("dpt").is_not_null() & pl.col("pengguna_total").is_not_null())
    results.append(
        integer_percent_test(
            usable.get_column("pengguna_total").to_list(),
            usable.get_column("dpt").to_list(),
            test="KOBAK_TURNOUT",
            title="Puncak persentase bulat: partisipasi",
            min_n=min_n,
        )
    )
    print_: Fingerprint | None = None
    if candidate is not None:
        shares = frame.filter(pl.col(candidate).is_not_null() & pl.col("suara_sah").is_not_null())
        results.append(
            integer_percent_test(
                shares.get_column(candidate).to_list(),
                shares.get_column("suara_sah").to_list(),
                test="KOBAK_SHARE",
                title=f"Puncak persentase bulat: perolehan {candidate}",
                min_n=min_n,
            )
        )
        print_, summary = fingerprint(frame, candidate, bins=bins, min_n=min_n)
        results.append(summary)
    return ForensicsReport(frame.height, candidate, results, print_)
