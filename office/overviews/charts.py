"""Charts drawn as inline SVG, for the pages and the printed report."""

from __future__ import annotations


def bar_chart(rows: list[tuple[str, int]], *, width: int = 320, bar: int = 22) -> dict:
    """Horizontal bars for an inline SVG; the page prints the same numbers as a table."""
    top = max((value for _label, value in rows), default=0) or 1
    return {
        "height": len(rows) * (bar + 8),
        "width": width,
        "bars": [
            {
                "label": label,
                "value": value,
                "y": index * (bar + 8),
                "length": round(value * (width - 150) / top),
                "height": bar,
            }
            for index, (label, value) in enumerate(rows)
        ],
    }
