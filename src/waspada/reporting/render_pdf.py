"""The situation report as PDF (A4), drawn with reportlab from the same :class:`~waspada.reporting.document.
Document` as the HTML version.

Fonts: Bitstream Vera Sans, the TrueType fonts that ship inside the reportlab wheel (``reportlab/fonts``),
embedded (subset) in every PDF — nothing is read from the system and nothing is downloaded. Characters
Vera lacks (emoji, arrows, non-Latin scripts in a free-text field) are printed as "?" rather than as empty
boxes. The map is drawn as vector paths from the projected region shapes.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import reportlab
from django.utils.translation import gettext as _
from reportlab.graphics.shapes import FILL_EVEN_ODD, Circle, Drawing, Rect
from reportlab.graphics.shapes import Path as RLPath
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from waspada.reporting import mapimage
from waspada.reporting.document import Document, Section
from waspada.reporting.document import Table as DocTable

FONT = "WaspadaSans"
FONT_BOLD = "WaspadaSans-Bold"
FONT_DIR = Path(reportlab.__file__).resolve().parent / "fonts"
PAGE = A4
MARGIN = 18 * mm
FRAME_WIDTH = PAGE[0] - 2 * MARGIN
INK = colors.HexColor("#1d2633")
MUTED = colors.HexColor("#5b6675")
LINE = colors.HexColor("#d7dde5")
HEAD = colors.HexColor("#eef2f6")


@cache
def _fonts() -> frozenset[int]:
    """Register the embedded fonts once; return the code points they can draw."""
    regular = TTFont(FONT, str(FONT_DIR / "Vera.ttf"))
    pdfmetrics.registerFont(regular)
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "VeraBd.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)
    return frozenset(regular.face.charToGlyph)


def printable(text: str) -> str:
    """``text`` with characters the font cannot draw replaced by "?" (line breaks and tabs become spaces)."""
    glyphs = _fonts()
    return "".join(" " if ch in "\r\n\t" else ch if ord(ch) in glyphs else "?" for ch in str(text))


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(printable(text)), style)


@cache
def _styles() -> dict[str, ParagraphStyle]:
    _fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, textColor=INK, alignment=TA_LEFT)
    return {
        "body": base,
        "kind": ParagraphStyle("kind", parent=base, fontSize=8.5, textColor=MUTED, spaceAfter=2),
        "title": ParagraphStyle(
            "title", parent=base, fontName=FONT_BOLD, fontSize=17, leading=21, spaceAfter=4
        ),
        "meta": ParagraphStyle("meta", parent=base, textColor=MUTED, spaceAfter=2),
        "notice": ParagraphStyle(
            "notice",
            parent=base,
            backColor=colors.HexColor("#fff8e1"),
            borderPadding=5,
            spaceBefore=6,
            spaceAfter=6,
        ),
        "h2": ParagraphStyle(
            "h2", parent=base, fontName=FONT_BOLD, fontSize=12.5, leading=16, spaceBefore=12, spaceAfter=5
        ),
        "caption": ParagraphStyle(
            "caption", parent=base, fontName=FONT_BOLD, fontSize=9.5, spaceBefore=4, spaceAfter=3
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10),
        "head": ParagraphStyle("head", parent=base, fontName=FONT_BOLD, fontSize=8, leading=10),
        "muted": ParagraphStyle("muted", parent=base, textColor=MUTED, fontSize=8.5, leading=11),
    }


def _table(t: DocTable) -> list[Any]:
    s = _styles()
    out: list[Any] = []
    if t.caption:
        out.append(_p(t.caption, s["caption"]))
    if not t.rows:
        out.append(_p(t.empty, s["muted"]))
        return out
    widths = t.widths or [1.0] * len(t.columns)
    total = sum(widths)
    col_widths = [FRAME_WIDTH * w / total for w in widths]
    data = [[_p(c, s["head"]) for c in t.columns]] + [[_p(cell, s["cell"]) for cell in row] for row in t.rows]
    table = Table(data, colWidths=col_widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 8),
                ("BACKGROUND", (0, 0), (-1, 0), HEAD),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, LINE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    out.append(table)
    if t.more:
        out.append(_p(t.more, s["muted"]))
    return out


def map_drawing(projected: mapimage.Projected) -> Drawing:
    """The projected map as reportlab vector shapes (PDF y runs upwards)."""
    h = projected.height
    drawing = Drawing(projected.width, h, initialFontName=FONT)
    drawing.add(
        Rect(
            0, 0, projected.width, h, fillColor=colors.HexColor("#eaf2f8"), strokeColor=LINE, strokeWidth=0.5
        )
    )
    for shape in projected.shapes:
        path = RLPath(
            fillColor=colors.HexColor(shape.fill),
            strokeColor=colors.HexColor(mapimage.STROKE),
            strokeWidth=0.5,
            strokeLineJoin=1,
            fillMode=FILL_EVEN_ODD,
        )
        for ring in shape.rings:
            (x0, y0), *rest = ring
            path.moveTo(x0, h - y0)
            for x, y in rest:
                path.lineTo(x, h - y)
            path.closePath()
        drawing.add(path)
    for rings in projected.outlines:
        line = RLPath(
            fillColor=None, strokeColor=colors.HexColor(mapimage.OUTLINE), strokeWidth=1.1, strokeLineJoin=1
        )
        for (x0, y0), *rest in rings:
            line.moveTo(x0, h - y0)
            for x, y in rest:
                line.lineTo(x, h - y)
            line.closePath()
        drawing.add(line)
    for x, y in projected.points:
        drawing.add(
            Circle(
                x,
                h - y,
                2.6,
                fillColor=colors.HexColor(mapimage.POINT),
                strokeColor=colors.white,
                strokeWidth=0.8,
            )
        )
    return drawing


def _legend(doc: Document) -> Table:
    s = _styles()
    cells: list[Any] = []
    for colour, label in doc.legend:
        swatch = Drawing(9, 9, initialFontName=FONT)
        swatch.add(
            Rect(
                0,
                0,
                9,
                9,
                fillColor=colors.HexColor(colour),
                strokeColor=colors.HexColor(mapimage.STROKE),
                strokeWidth=0.5,
            )
        )
        cells += [swatch, _p(label, s["cell"])]
    widths = [12, 70] * len(doc.legend)
    table = Table([cells], colWidths=widths, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 8),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return table


def _section(section: Section, doc: Document, projected: mapimage.Projected | None) -> list[Any]:
    s = _styles()
    head = _p(section.title, s["h2"])
    body: list[Any] = []
    if section.key == "map" and projected is not None and not projected.empty:
        body += [map_drawing(projected), Spacer(1, 4), _legend(doc), _p(doc.map_title, s["muted"])]
        if doc.map_missing:
            body.append(_p(doc.map_missing, s["muted"]))
    body += [_p(text, s["body"]) for text in section.paragraphs]
    if section.facts:
        facts = Table(
            [[_p(label, s["cell"]), _p(value, s["head"])] for label, value in section.facts],
            colWidths=[FRAME_WIDTH * 0.62, FRAME_WIDTH * 0.38],
            hAlign="LEFT",
        )
        facts.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), FONT, 8),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.3, LINE),
                    ("TOPPADDING", (0, 0), (-1, -1), 1),
                ]
            )
        )
        body.append(facts)
    for table in section.tables:
        body += _table(table)
    if section.items:
        body.append(
            ListFlowable(
                [ListItem(_p(item, s["body"]), leftIndent=14) for item in section.items],
                bulletType="1",
                bulletFontName=FONT,
                bulletFontSize=9.5,
                leftIndent=14,
            )
        )
    # Keep a heading with the start of its section: a small section stays whole, a long one starts on a page
    # with room for its first lines.
    if section.key == "map" or len(body) <= 3:
        return [KeepTogether([head, *body])]
    return [CondPageBreak(60 * mm), head, *body]


def _canvas_class(footer: str, page_label: str, pages: list[int]) -> Callable[..., canvas.Canvas]:
    """A canvas that numbers its pages "page n of N" (N is known only at the end, so pages are kept until save)."""

    class NumberedCanvas(canvas.Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            pages.append(total)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(FONT, 7.5)
                self.setFillColor(MUTED)
                self.setStrokeColor(LINE)
                self.line(MARGIN, 12 * mm, PAGE[0] - MARGIN, 12 * mm)
                self.drawString(MARGIN, 8 * mm, printable(footer)[:140])
                self.drawRightString(
                    PAGE[0] - MARGIN, 8 * mm, page_label % {"page": self._pageNumber, "total": total}
                )
                super().showPage()
            super().save()

    return NumberedCanvas


def render_pdf(doc: Document, projected: mapimage.Projected | None) -> tuple[bytes, int]:
    """The PDF bytes and its number of pages."""
    s = _styles()
    out = io.BytesIO()
    template = SimpleDocTemplate(
        out,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=18 * mm,
        title=printable(doc.title),
        author="Waspada",
        subject=printable(f"{doc.kind_title} {doc.region} {doc.period}"),
        creator="Waspada",
        initialFontName=FONT,  # so that no unembedded standard font is ever referenced
        initialFontSize=9.5,
    )
    story: list[Any] = [
        _p(doc.kind_title.upper(), s["kind"]),
        _p(doc.region, s["title"]),
        _p(
            f"{_('Period')}: {doc.period} ({doc.zone}) · {_('Generated')}: {doc.generated} {doc.zone}",
            s["meta"],
        ),
    ]
    if doc.notice:
        story.append(_p(doc.notice, s["notice"]))
    for section in doc.sections:
        story += _section(section, doc, projected)
    pages: list[int] = []
    template.build(story, canvasmaker=_canvas_class(doc.footer, _("Page %(page)s of %(total)s"), pages))
    return out.getvalue(), pages[-1] if pages else 0
