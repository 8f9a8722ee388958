"""Look up gazetteer units by name (for writing labelled test articles and checking codes).

    .venv/bin/python scripts/find_place.py "Sebatik Barat" ["Nunukan"]

Prints every unit whose name contains the first argument (case-insensitive), with its code, level and
the names of its parents; the optional second argument keeps only units under a parent with that name.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from waspada.regions.gazetteer import iter_units  # noqa: E402


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    needle = argv[0].lower()
    parent_filter = argv[1].lower() if len(argv) > 1 else None
    units = {u.code: u for u in iter_units()}
    shown = 0
    for unit in units.values():
        if needle not in unit.name.lower():
            continue
        chain = []
        code = unit.parent_code
        while code:
            chain.append(units[code].name)
            code = units[code].parent_code
        if parent_filter and not any(parent_filter in name.lower() for name in chain):
            continue
        print(f"{unit.code:<16} level {unit.level}  {unit.name}  <  {' < '.join(chain)}")
        shown += 1
    if not shown:
        print("tidak ada yang cocok / no match")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
