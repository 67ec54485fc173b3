"""A page's ruling edges snapped and joined, as pdfplumber's ``merge_edges`` does it.

pdfplumber copies an edge's dictionary each time it moves or stretches one, several times
for every edge of a page; Chromium's prints draw thousands. Here each edge is worked on as
its four numbers and made a dictionary once, with the same arithmetic in the same order,
so the edges are pdfplumber's to the last bit (a test holds them against its own).
"""

from __future__ import annotations

from itertools import groupby
from operator import itemgetter
from typing import Any

Edge = dict[str, Any]
_Line = list[float]  # [position across, start, end, doctop, height] of one edge along its line


def merge_edges(edges: list[Edge], tolerance: float) -> list[Edge]:
    """pdfplumber's ``merge_edges(edges, tolerance, tolerance, tolerance, tolerance)``."""
    horizontal = [[e["top"], e["x0"], e["x1"], e["doctop"], e["height"]] for e in edges if e["orientation"] == "h"]
    vertical = [[e["x0"], e["top"], e["bottom"], e["doctop"], e["height"]] for e in edges if e["orientation"] == "v"]
    # pdfplumber snaps the vertical edges first, but sorts horizontal before vertical to join them
    return [_horizontal(line) for line in _joined(_snapped(horizontal, tolerance, moves_doctop=True), tolerance)] + [
        _vertical(line) for line in _joined(_snapped(vertical, tolerance, moves_doctop=False), tolerance)]


def _snapped(lines: list[_Line], tolerance: float, moves_doctop: bool) -> list[_Line]:
    """The lines moved across to the mean position of their cluster (positions each within
    ``tolerance`` of the next), cluster by cluster, as pdfplumber's ``snap_objects``."""
    clusters: dict[float, int] = {}
    last = None
    for value in sorted({line[0] for line in lines}):
        clusters[value] = len(clusters) if last is None or value > last + tolerance else clusters[last]
        last = value
    snapped = []
    for _, cluster in groupby(sorted(lines, key=lambda line: clusters[line[0]]), key=lambda line: clusters[line[0]]):
        members = list(cluster)
        mean = sum(line[0] for line in members) / len(members)
        for position, start, end, doctop, height in members:
            shift = mean - position
            # moved as pdfplumber moves an edge: by the difference, so not always onto the mean itself
            snapped.append([position + shift, start, end, doctop + shift if moves_doctop else doctop, height])
    return snapped


def _joined(lines: list[_Line], tolerance: float) -> list[_Line]:
    """The lines on one position joined where each starts within ``tolerance`` of where the one before ends."""
    joined: list[_Line] = []
    for _, group in groupby(sorted(lines, key=itemgetter(0)), key=itemgetter(0)):
        run = sorted(group, key=itemgetter(1))
        current = run[0]
        joined.append(current)
        for line in run[1:]:
            if line[1] <= current[2] + tolerance:
                if line[2] > current[2]:  # stretched as pdfplumber does: a vertical edge's height by the difference
                    current = [current[0], current[1], line[2], current[3], current[4] + (line[2] - current[2])]
                    joined[-1] = current
            else:
                current = line
                joined.append(current)
    return joined


def _horizontal(line: _Line) -> Edge:
    top, x0, x1, doctop, _ = line
    return {"x0": x0, "x1": x1, "top": top, "bottom": top, "doctop": doctop, "width": x1 - x0, "height": 0.0, "orientation": "h"}


def _vertical(line: _Line) -> Edge:
    x0, top, bottom, doctop, height = line
    return {"x0": x0, "x1": x0, "top": top, "bottom": bottom, "doctop": doctop, "width": 0.0, "height": height, "orientation": "v"}
