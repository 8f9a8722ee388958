"""UU 10/2016 Pasal 158: who may bring a result dispute to the Mahkamah Konstitusi — pure, no Django.

A loser may file when the difference between the winner's votes and their own is at most p % of the
**total valid votes** of the final KPU tally, p set by the region's population (reference notes §4):

=============================  ==================  ========================
population (jumlah penduduk)   gubernur (ayat 1)   bupati/wali kota (ayat 2)
=============================  ==================  ========================
class 1                        ≤ 2 million: 2 %    ≤ 250,000: 2 %
class 2                        ≤ 6 million: 1.5 %  ≤ 500,000: 1.5 %
class 3                        ≤ 12 million: 1 %   ≤ 1 million: 1 %
class 4                        above: 0.5 %        above: 0.5 %
=============================  ==================  ========================

The comparison is exact (fractions): eligible iff ``100 · (winner − loser) ≤ p · valid``. In a
single-candidate race the empty box (kotak kosong) is the loser; a registered election monitor files for
it. The MK in 2024 did not treat the threshold as an absolute bar in every case (40 of 310 cases went to
the evidence stage), so "not eligible" means "formally above the threshold", not "certain dismissal".
Which population figure the MK uses is not settled in the sources; callers pass the one they hold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal, TypeAlias

Level: TypeAlias = Literal["provinsi", "kabkota"]

#: (upper bound of the population class or None for "above", threshold in percent)
THRESHOLDS: dict[str, tuple[tuple[int | None, Fraction], ...]] = {
    "provinsi": (
        (2_000_000, Fraction(2)),
        (6_000_000, Fraction(3, 2)),
        (12_000_000, Fraction(1)),
        (None, Fraction(1, 2)),
    ),
    "kabkota": (
        (250_000, Fraction(2)),
        (500_000, Fraction(3, 2)),
        (1_000_000, Fraction(1)),
        (None, Fraction(1, 2)),
    ),
}

_OFFICE_LEVEL: dict[str, Level] = {"gubernur": "provinsi", "bupati": "kabkota", "walikota": "kabkota"}


def level_for_office(office: str) -> Level:
    """``provinsi`` for a governor's race, ``kabkota`` for a regent's or mayor's race."""
    try:
        return _OFFICE_LEVEL[office]
    except KeyError:
        raise ValueError(f"Pasal 158 tidak berlaku untuk jabatan {office!r}") from None


@dataclass(frozen=True, slots=True)
class Threshold:
    level: Level
    population: int
    percent: Fraction
    class_label: str  # e.g. "≤ 250.000 jiwa"

    @property
    def percent_text(self) -> str:
        return f"{float(self.percent):g}%".replace(".", ",")


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def threshold(level: Level, population: int) -> Threshold:
    """The Pasal 158 threshold of a region of ``population`` inhabitants."""
    if population < 0:
        raise ValueError("jumlah penduduk tidak boleh negatif")
    classes = THRESHOLDS[level]
    lower: int | None = None
    for upper, percent in classes:
        if upper is None or population <= upper:
            if upper is None:
                label = f"> {_number(lower or 0)} jiwa"
            elif lower is None:
                label = f"≤ {_number(upper)} jiwa"
            else:
                label = f"> {_number(lower)} – {_number(upper)} jiwa"
            return Threshold(level, population, percent, label)
        lower = upper
    raise AssertionError("unreachable: the last class has no upper bound")


@dataclass(frozen=True, slots=True)
class Standing:
    """One loser against the winner."""

    name: str
    votes: int
    margin_votes: int
    margin_percent: float  # of total valid votes
    eligible: bool  # the difference is within the threshold: the loser may file at the MK
    ratio: float  # margin / threshold votes; ≤ 1 eligible, just above 1 still contentious
    is_empty_box: bool = False


@dataclass(frozen=True, slots=True)
class ContestMargins:
    threshold: Threshold
    valid_votes: int
    winner: str
    winner_votes: int
    standings: tuple[Standing, ...]

    @property
    def threshold_votes(self) -> float:
        """p % of the total valid votes (may be fractional; the comparison itself is exact)."""
        return float(self.threshold.percent * self.valid_votes / 100)

    @property
    def runner_up(self) -> Standing | None:
        return self.standings[0] if self.standings else None

    @property
    def any_eligible(self) -> bool:
        return any(s.eligible for s in self.standings)

    def summary(self) -> str:
        """One line in Bahasa Indonesia about the closest loser."""
        closest = self.runner_up
        if closest is None:
            return "Tidak ada pesaing: Pasal 158 tidak dapat dinilai."
        verdict = (
            "dapat mengajukan ke MK" if closest.eligible else "di atas ambang, tidak memenuhi syarat formal"
        )
        return (
            f"Selisih {closest.name} dengan pemenang {_number(closest.margin_votes)} suara "
            f"({closest.margin_percent:.2f}% dari {_number(self.valid_votes)} suara sah); ambang "
            f"{self.threshold.percent_text} ({self.threshold.class_label}) = {_number(round(self.threshold_votes))} suara: "
            f"{verdict}."
        )


@dataclass(frozen=True, slots=True)
class Entrant:
    """A candidate pair (or the empty box) with its final vote count."""

    name: str
    votes: int
    is_empty_box: bool = False


class IncompleteContest(ValueError):
    """The votes needed for the margins are not known."""


def margins(
    level: Level, population: int, candidates: Sequence[Entrant], valid_votes: int | None = None
) -> ContestMargins:
    """Margins of every loser to the winner, in votes and in % of the total valid votes, with eligibility.

    ``valid_votes`` is the final tally's total; when not given, the sum of the candidates' votes."""
    if len(candidates) < 1:
        raise IncompleteContest("tidak ada calon")
    ranked = sorted(candidates, key=lambda c: -c.votes)
    total = valid_votes if valid_votes is not None else sum(c.votes for c in candidates)
    if total <= 0:
        raise IncompleteContest("jumlah suara sah tidak diketahui")
    rule = threshold(level, population)
    winner = ranked[0]
    limit = rule.percent * total / 100
    standings = []
    for loser in ranked[1:]:
        gap = winner.votes - loser.votes
        standings.append(
            Standing(
                loser.name,
                loser.votes,
                gap,
                100 * gap / total,
                Fraction(gap) <= limit,
                float(Fraction(gap) / limit) if limit else float("inf"),
                loser.is_empty_box,
            )
        )
    return ContestMargins(rule, total, winner.name, winner.votes, tuple(standings))
