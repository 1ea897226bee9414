"""Checks shared by the figure tests: render with Agg and find crowded or clipped text.

>>> from matplotlib.figure import Figure
>>> figure = Figure(figsize=(2, 1))
>>> _ = figure.text(0.1, 0.5, "one"), figure.text(0.12, 0.5, "two")
>>> crowding(figure)
["overlap: 'one' and 'two'"]
"""

from __future__ import annotations

from unittest import mock

import matplotlib.text
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox


def drawn_texts(figure: Figure) -> list[tuple[str, Bbox]]:
    """Render with Agg and record every non-empty text actually drawn, with its extent."""
    seen: list[tuple[str, Bbox]] = []
    original = matplotlib.text.Text.draw

    def draw(self: matplotlib.text.Text, renderer: object) -> None:
        original(self, renderer)
        if self.get_visible() and self.get_text().strip():
            seen.append((self.get_text(), self.get_window_extent(renderer)))

    with mock.patch.object(matplotlib.text.Text, "draw", draw):
        FigureCanvasAgg(figure).draw()
    return seen


def crowding(figure: Figure, *, curves: str | None = None) -> list[str]:
    """Texts that overlap another text or leave the figure (by more than a pixel); with
    ``curves``, also each line of that gid that crosses a text."""
    texts = drawn_texts(figure)
    frame = figure.bbox
    problems = [
        f"outside: {text!r}"
        for text, box in texts
        if box.x0 < frame.x0 - 1 or box.x1 > frame.x1 + 1 or box.y0 < -1 or box.y1 > frame.y1 + 1
    ]
    for k, (text, box) in enumerate(texts):
        for other, other_box in texts[k + 1 :]:
            meet = Bbox.intersection(box, other_box)
            if meet is not None and meet.width > 1 and meet.height > 1:
                problems.append(f"overlap: {text!r} and {other!r}")
    if curves is not None:
        for ax in figure.axes:
            for line in ax.lines:
                if line.get_gid() != curves:
                    continue
                path = line.get_transform().transform_path(line.get_path())
                for text, box in texts:
                    inner = Bbox.from_extents(box.x0 + 1, box.y0 + 1, box.x1 - 1, box.y1 - 1)
                    if path.intersects_bbox(inner, filled=False):
                        problems.append(f"curve crosses {text!r}")
    return problems
