"""The Klimek fingerprint as a standalone SVG, written by hand (no plotting library, works offline).

Turnout on the x axis, the leader's share on the y axis, both 0–100 %; each cell is shaded by the number
of TPS in it on a square-root scale (so a lone TPS is still visible next to a dense cluster). A clean count
shows one compact cluster; ballot stuffing smears it toward the upper right or adds a second peak in the
corner of 100 % turnout and 100 % share.
"""

from __future__ import annotations

import math
from html import escape

from waspada.elections.integrity.forensics import Fingerprint

#: Light to dark (white → deep blue), interpolated.
_LOW = (255, 255, 255)
_HIGH = (8, 48, 107)


def _colour(fraction: float) -> str:
    r, g, b = (round(lo + (hi - lo) * fraction) for lo, hi in zip(_LOW, _HIGH, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def render_svg(print_: Fingerprint, *, title: str = "", size: int = 400) -> str:
    """An SVG document (text) of ``print_``; ``size`` is the side of the plot area in pixels."""
    left, top, right, bottom = 56, 40, 90, 48
    width, height = left + size + right, top + size + bottom
    cell = size / print_.bins
    peak = max((max(row) for row in print_.counts), default=0)
    heading = title or f"Sidik jari partisipasi × perolehan {print_.candidate} ({print_.n} TPS)"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11" role="img">',
        f"<title>{escape(heading)}</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{left}" y="22" font-size="13" font-weight="bold">{escape(heading)}</text>',
        f'<rect x="{left}" y="{top}" width="{size}" height="{size}" fill="none" stroke="#444"/>',
    ]
    for row, counts in enumerate(print_.counts):  # row = turnout bin (x)
        for col, count in enumerate(counts):  # col = share bin (y, upwards)
            if count == 0:
                continue
            shade = _colour(math.sqrt(count / peak)) if peak else _colour(0)
            x = left + row * cell
            y = top + size - (col + 1) * cell
            parts.append(
                f'<rect x="{x:.2f}" y="{y:.2f}" width="{cell:.2f}" height="{cell:.2f}" fill="{shade}">'
                f"<title>{count} TPS</title></rect>"
            )
    for tick in range(0, 101, 20):
        x = left + size * tick / 100
        y = top + size - size * tick / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="{top + size}" x2="{x:.1f}" y2="{top + size + 4}" stroke="#444"/>'
        )
        parts.append(f'<text x="{x:.1f}" y="{top + size + 16}" text-anchor="middle">{tick}</text>')
        parts.append(f'<line x1="{left - 4}" y1="{y:.1f}" x2="{left}" y2="{y:.1f}" stroke="#444"/>')
        parts.append(f'<text x="{left - 7}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>')
    parts.append(f'<text x="{left + size / 2}" y="{height - 10}" text-anchor="middle">Partisipasi (%)</text>')
    parts.append(
        f'<text x="16" y="{top + size / 2}" text-anchor="middle" '
        f'transform="rotate(-90 16 {top + size / 2})">Perolehan {escape(print_.candidate)} (%)</text>'
    )
    # legend: a vertical scale from 0 to the peak count
    lx, steps = left + size + 24, 10
    for i in range(steps):
        fraction = (i + 1) / steps
        y = top + size - (i + 1) * size / (2 * steps)
        parts.append(
            f'<rect x="{lx}" y="{y:.1f}" width="14" height="{size / (2 * steps):.1f}" '
            f'fill="{_colour(math.sqrt(fraction))}" stroke="none"/>'
        )
    parts.append(
        f'<rect x="{lx}" y="{top + size / 2}" width="14" height="{size / 2}" fill="none" stroke="#444"/>'
    )
    parts.append(f'<text x="{lx + 18}" y="{top + size / 2 + 8}">{peak}</text>')
    parts.append(f'<text x="{lx + 18}" y="{top + size}">0</text>')
    parts.append(f'<text x="{lx}" y="{top + size / 2 - 6}">TPS</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
