"""A chart's image: a small palette PNG that notes the size of its smallest text.

Every view of every filter panel carries its chart's image (two: the page's layout and a phone's), so these files
are most of what a page and the views catalogue weigh.
"""

from __future__ import annotations

import io

from matplotlib.figure import Figure
from matplotlib.text import Text
from PIL import Image
from PIL.PngImagePlugin import PngInfo

PALETTE_COLOURS = 64
TEXT_SIZE_KEY = "Smallest text px"
"""The PNG text chunk giving the image's smallest text in the image's own pixels (what a browser test scales by the
image's shown width to tell the size a reader sees)."""


def smallest_text_pt(fig: Figure) -> float:
    """The size in points of the smallest text drawn on the figure (tick labels, direct labels, title...).

    Examples
    --------
    >>> fig = Figure()
    >>> _ = fig.text(0, 0, "small", fontsize=9), fig.text(0, 1, "big", fontsize=20), fig.text(0, 2, "", fontsize=2)
    >>> smallest_text_pt(fig)
    9.0
    """
    sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    return float(min(sizes, default=0.0))


def figure_png(fig: Figure, dpi: int) -> bytes:
    """A figure as a palette PNG (no timestamp or software metadata, so repeatable), noting its smallest text.

    A chart is flat colour, text and a few grey lines: 64 colours keep the anti-aliased text readable and make
    the file about a third of full colour. The text chunk :data:`TEXT_SIZE_KEY` gives the smallest text's
    size in the image's pixels (a tight bounding box crops the figure, it never scales it).

    Examples
    --------
    >>> fig = Figure(figsize=(2, 1))
    >>> _ = fig.text(0.1, 0.5, "12 pt", fontsize=12)
    >>> Image.open(io.BytesIO(figure_png(fig, dpi=90))).text[TEXT_SIZE_KEY]
    '15.0'
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None})
    return palette_png(buffer.getvalue(), note=f"{smallest_text_pt(fig) * dpi / 72:.1f}")


def palette_png(png: bytes, colours: int = PALETTE_COLOURS, note: str | None = None) -> bytes:
    """The PNG reduced to at most ``colours`` colours on white (no dithering, so text edges stay clean), with
    ``note`` as its :data:`TEXT_SIZE_KEY` text chunk when given.

    Examples
    --------
    >>> from PIL import Image
    >>> buffer = io.BytesIO()
    >>> Image.linear_gradient("L").convert("RGBA").save(buffer, "PNG")
    >>> small = Image.open(io.BytesIO(palette_png(buffer.getvalue())))
    >>> small.mode, len(small.getcolors()) <= PALETTE_COLOURS
    ('P', True)
    """
    image = Image.open(io.BytesIO(png)).convert("RGBA")
    flat = Image.new("RGB", image.size, "white")
    flat.paste(image, mask=image.getchannel("A"))
    reduced = flat.quantize(colors=colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    info = PngInfo()
    if note is not None:
        info.add_text(TEXT_SIZE_KEY, note)
    out = io.BytesIO()
    reduced.save(out, format="PNG", optimize=True, pnginfo=info)
    return out.getvalue()
