"""The bearing catalogue: designations, dimensions, load ratings and internal geometry, as data.

The built-in catalogue is the CSV file ``openphm/knowledge/data/bearings.csv`` (its header
comments list the columns and the sources). Users add their own bearings in files with the same
columns, passed as ``extra_files`` or listed in the environment variable ``OPENPHM_BEARINGS``
(paths separated by ``os.pathsep``). Files are read in the order built-in, ``OPENPHM_BEARINGS``,
``extra_files``; a later row with the same designation replaces an earlier one.
"""

from __future__ import annotations

import csv
import difflib
import functools
import io
import math
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from openphm.core.bearing import BearingGeometry
from openphm.core.errors import ConfigError

__all__ = [
    "BEARING_TYPES",
    "ENV_VAR",
    "CatalogueBearing",
    "get_bearing",
    "load_catalogue",
    "parse_catalogue",
]

#: Environment variable holding extra catalogue files, separated by ``os.pathsep``.
ENV_VAR = "OPENPHM_BEARINGS"

#: Bearing types a catalogue row may declare, with the ISO 281 life-equation family of each.
BEARING_TYPES: dict[str, str] = {
    "deep_groove_ball": "ball",
    "angular_contact_ball": "ball",
    "self_aligning_ball": "ball",
    "cylindrical_roller": "roller",
    "tapered_roller": "roller",
    "spherical_roller": "roller",
    "needle_roller": "roller",
    "toroidal_roller": "roller",
    "thrust_ball": "thrust_ball",
    "thrust_roller": "thrust_roller",
}

_NUMERIC = (
    "bore_mm",
    "outer_diameter_mm",
    "width_mm",
    "C_kN",
    "C0_kN",
    "Pu_kN",
    "f0",
    "n_rolling",
    "rolling_diameter_mm",
    "pitch_diameter_mm",
    "contact_angle_deg",
)
_COLUMNS = ("designation", "aliases", "type", *_NUMERIC, "source")
_GLUED_SUFFIX = re.compile(r"^(\d{3,})([A-Z].*)$")


@dataclass(frozen=True)
class CatalogueBearing:
    """One catalogue entry: dimensions (mm), load ratings (kN) and internal geometry.

    Attributes
    ----------
    designation : str
        Catalogue designation (``"6205"``).
    type : str
        One of :data:`BEARING_TYPES` (``"deep_groove_ball"``...).
    bore_mm, outer_diameter_mm, width_mm : float or None
        Boundary dimensions d, D and B in mm.
    dynamic_load_rating_kn : float or None
        Basic dynamic load rating C in kN (ISO 281).
    static_load_rating_kn : float or None
        Basic static load rating C0 in kN (ISO 76).
    fatigue_load_limit_kn : float or None
        Fatigue load limit Pu (Cu of ISO 281) in kN.
    calculation_factor_f0 : float or None
        The ISO 76 factor f0 as listed in the file (see :attr:`f0` for the derived value).
    geometry : BearingGeometry or None
        Internal geometry, when known.
    source : str
        Where the numbers come from.
    aliases : tuple of str
        Other names that find this entry.
    origin : str
        The catalogue file the entry was read from.
    """

    designation: str
    type: str
    bore_mm: float | None = None
    outer_diameter_mm: float | None = None
    width_mm: float | None = None
    dynamic_load_rating_kn: float | None = None
    static_load_rating_kn: float | None = None
    fatigue_load_limit_kn: float | None = None
    calculation_factor_f0: float | None = None
    geometry: BearingGeometry | None = None
    source: str = ""
    aliases: tuple[str, ...] = field(default_factory=tuple)
    origin: str = ""

    @property
    def life_kind(self) -> str:
        """ISO 281 family: ``ball``, ``roller``, ``thrust_ball`` or ``thrust_roller``."""
        return BEARING_TYPES[self.type]

    @property
    def mean_diameter_mm(self) -> float | None:
        """Mean diameter ``dm = (d + D)/2`` in mm (the ISO 281 stand-in for the pitch diameter)."""
        if self.bore_mm is None or self.outer_diameter_mm is None:
            return None
        return 0.5 * (self.bore_mm + self.outer_diameter_mm)

    @property
    def f0(self) -> float | None:
        """ISO 76 calculation factor f0: as listed, else ``C0 / (Z Dw^2 cos a)`` for ball bearings.

        ISO 76:2006 defines the static rating of a single-row radial ball bearing as
        ``C0 = f0 Z Dw^2 cos(a)`` (N, mm), so f0 follows from C0 and the internal geometry.
        """
        if self.calculation_factor_f0 is not None:
            return self.calculation_factor_f0
        g = self.geometry
        if g is None or self.static_load_rating_kn is None or self.life_kind != "ball":
            return None
        cos_a = math.cos(math.radians(g.contact_angle_deg))
        return (
            1000.0 * self.static_load_rating_kn / (g.n_rolling * g.rolling_diameter_mm**2 * cos_a)
        )

    def to_dict(self) -> dict[str, object]:
        """Plain-dictionary view (for JSON output); units in the key names."""
        g = self.geometry
        return {
            "designation": self.designation,
            "aliases": list(self.aliases),
            "type": self.type,
            "bore_mm": self.bore_mm,
            "outer_diameter_mm": self.outer_diameter_mm,
            "width_mm": self.width_mm,
            "C_kN": self.dynamic_load_rating_kn,
            "C0_kN": self.static_load_rating_kn,
            "Pu_kN": self.fatigue_load_limit_kn,
            "f0": self.f0,
            "n_rolling": None if g is None else g.n_rolling,
            "rolling_diameter_mm": None if g is None else g.rolling_diameter_mm,
            "pitch_diameter_mm": None if g is None else g.pitch_diameter_mm,
            "contact_angle_deg": None if g is None else g.contact_angle_deg,
            "source": self.source,
            "origin": self.origin,
        }


def _number(text: str, column: str, where: str) -> float | None:
    text = text.strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ConfigError(f"{where}: column {column!r} must be a number, got {text!r}") from None
    if not math.isfinite(value) or value < 0.0:
        raise ConfigError(f"{where}: column {column!r} must be a finite number >= 0, got {text}")
    return value


def _geometry(
    values: dict[str, float | None], designation: str, where: str
) -> BearingGeometry | None:
    n, d, pitch = values["n_rolling"], values["rolling_diameter_mm"], values["pitch_diameter_mm"]
    given = [v is not None for v in (n, d, pitch)]
    if not any(given):
        if values["contact_angle_deg"] is not None:
            raise ConfigError(f"{where}: a contact angle without the rest of the internal geometry")
        return None
    if not all(given) or n is None or d is None or pitch is None:
        raise ConfigError(
            f"{where}: internal geometry needs n_rolling, rolling_diameter_mm and "
            "pitch_diameter_mm together (leave all three empty when unknown)"
        )
    if n != int(n):
        raise ConfigError(f"{where}: n_rolling must be a whole number, got {n}")
    bore, outer = values["bore_mm"], values["outer_diameter_mm"]
    if bore is not None and outer is not None and not bore < pitch < outer:
        raise ConfigError(
            f"{where}: pitch diameter {pitch} mm is not between the bore {bore} mm and the "
            f"outer diameter {outer} mm"
        )
    try:
        return BearingGeometry(int(n), d, pitch, values["contact_angle_deg"] or 0.0, designation)
    except ConfigError as exc:
        raise ConfigError(f"{where}: {exc}") from None


def _row(raw: dict[str, str], where: str, origin: str) -> CatalogueBearing:
    designation = " ".join((raw.get("designation") or "").split())
    if not designation:
        raise ConfigError(f"{where}: empty designation")
    kind = (raw.get("type") or "").strip()
    if kind not in BEARING_TYPES:
        raise ConfigError(
            f"{where}: unknown bearing type {kind!r}; use one of {', '.join(BEARING_TYPES)}"
        )
    values = {c: _number(raw.get(c) or "", c, where) for c in _NUMERIC}
    bore, outer = values["bore_mm"], values["outer_diameter_mm"]
    if bore is not None and outer is not None and not bore < outer:
        raise ConfigError(f"{where}: bore {bore} mm must be smaller than outer diameter {outer} mm")
    for column in ("C_kN", "C0_kN", "Pu_kN", "f0", "width_mm", "outer_diameter_mm"):
        if values[column] == 0.0:
            raise ConfigError(f"{where}: column {column!r} must be > 0 (leave it empty if unknown)")
    aliases = tuple(" ".join(a.split()) for a in (raw.get("aliases") or "").split(";") if a.strip())
    return CatalogueBearing(
        designation=designation,
        type=kind,
        bore_mm=bore,
        outer_diameter_mm=outer,
        width_mm=values["width_mm"],
        dynamic_load_rating_kn=values["C_kN"],
        static_load_rating_kn=values["C0_kN"],
        fatigue_load_limit_kn=values["Pu_kN"],
        calculation_factor_f0=values["f0"],
        geometry=_geometry(values, designation, where),
        source=(raw.get("source") or "").strip(),
        aliases=aliases,
        origin=origin,
    )


def parse_catalogue(text: str, origin: str = "<text>") -> tuple[CatalogueBearing, ...]:
    """Parse catalogue CSV text (lines starting with ``#`` are comments).

    Parameters
    ----------
    text : str
        CSV text with a header row; ``designation`` and ``type`` are required columns, the other
        columns of the built-in catalogue are optional and unknown columns are an error.
    origin : str
        Name of the file, for error messages and :attr:`CatalogueBearing.origin`.

    Returns
    -------
    tuple of CatalogueBearing
        The entries in file order.

    Examples
    --------
    >>> text = "designation,type,bore_mm,outer_diameter_mm,C_kN\\nMY-1,deep_groove_ball,10,30,5\\n"
    >>> parse_catalogue(text)[0].dynamic_load_rating_kn
    5.0
    """
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    header = [h.strip() for h in (reader.fieldnames or [])]
    unknown = [h for h in header if h not in _COLUMNS]
    if unknown:
        raise ConfigError(
            f"{origin}: unknown column(s) {unknown}; allowed columns: {', '.join(_COLUMNS)}"
        )
    missing = [c for c in ("designation", "type") if c not in header]
    if missing:
        raise ConfigError(f"{origin}: missing required column(s) {missing}")
    reader.fieldnames = header
    entries: list[CatalogueBearing] = []
    seen: set[tuple[str, ...]] = set()
    for number, raw in enumerate(reader, start=2):
        if None in raw:
            raise ConfigError(f"{origin}, data row {number - 1}: more cells than header columns")
        entry = _row(raw, f"{origin}, data row {number - 1}", origin)
        key = _tokens(entry.designation)
        if key in seen:
            raise ConfigError(f"{origin}: designation {entry.designation!r} appears twice")
        seen.add(key)
        entries.append(entry)
    return tuple(entries)


@functools.cache
def _builtin() -> tuple[CatalogueBearing, ...]:
    resource = resources.files("openphm.knowledge").joinpath("data", "bearings.csv")
    return parse_catalogue(resource.read_text(encoding="utf-8"), origin="openphm:bearings.csv")


def _read_file(path: str | os.PathLike[str]) -> tuple[CatalogueBearing, ...]:
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"bearing catalogue {file}: cannot read it ({exc.strerror})") from None
    return parse_catalogue(text, origin=str(file))


def _env_files() -> list[str]:
    return [p for p in os.environ.get(ENV_VAR, "").split(os.pathsep) if p.strip()]


def load_catalogue(
    extra_files: Iterable[str | os.PathLike[str]] = (),
) -> tuple[CatalogueBearing, ...]:
    """Load the built-in catalogue plus the user's files.

    Parameters
    ----------
    extra_files : iterable of path-like
        Catalogue CSV files with the built-in columns. They are read after the files named in the
        environment variable ``OPENPHM_BEARINGS``; an entry replaces an earlier one with the same
        designation.

    Returns
    -------
    tuple of CatalogueBearing
        All entries, built-in first.

    Examples
    --------
    >>> any(b.designation == "6205" for b in load_catalogue())
    True
    """
    merged: dict[tuple[str, ...], CatalogueBearing] = {}
    sources: list[tuple[CatalogueBearing, ...]] = [_builtin()]
    sources += [_read_file(p) for p in [*_env_files(), *extra_files]]
    for entries in sources:
        for entry in entries:
            merged[_tokens(entry.designation)] = entry
    return tuple(merged.values())


#: Makers whose name may open a designation ("SKF 6205-2RSH/C3"); dropped when nothing matches.
MAKERS = frozenset(
    {"SKF", "FAG", "INA", "SCHAEFFLER", "NSK", "NTN", "KOYO", "JTEKT", "NACHI", "TIMKEN", "ZWZ"}
    | {"HRB", "LYC", "NKE", "RHP", "ZKL", "SNR", "KML", "C&U", "MRC", "FYH", "ASAHI", "RBC"}
)


def _tokens(name: str) -> tuple[str, ...]:
    parts = [p for p in re.split(r"[\s\-/]+", name.strip().upper()) if p]
    if parts:
        glued = _GLUED_SUFFIX.match(parts[0])
        if glued:
            parts[:1] = [glued.group(1), glued.group(2)]
    return tuple(parts)


def _names(entry: CatalogueBearing) -> list[tuple[str, ...]]:
    return [_tokens(entry.designation), *(_tokens(a) for a in entry.aliases)]


def _unique(matches: Sequence[CatalogueBearing]) -> list[CatalogueBearing]:
    return list({id(m): m for m in matches}.values())


def get_bearing(
    designation: str, *, extra_files: Iterable[str | os.PathLike[str]] = ()
) -> CatalogueBearing:
    """Look a bearing up by designation or alias.

    Matching ignores case and treats spaces and hyphens alike. When no entry matches exactly,
    a query that starts an entry's name finds it if it is the only one (``"6205-2RS"`` finds
    ``"6205-2RS JEM SKF"``), and then trailing suffixes of the query are dropped one at a time
    (``"6205-2Z C3"`` and ``"6205-2RSH/C3"`` find ``"6205"``); a suffix glued to the number
    (``"6205ZZ"``) counts as separate, and a leading maker's name (:data:`MAKERS`:
    ``"SKF 6205"``) is dropped when nothing matches with it. Several candidates at any step are
    an error, never a guess.

    Parameters
    ----------
    designation : str
        Catalogue designation or alias.
    extra_files : iterable of path-like
        Additional catalogue files (see :func:`load_catalogue`).

    Returns
    -------
    CatalogueBearing
        The entry found.

    Raises
    ------
    ConfigError
        When nothing matches (the message lists close designations) or the query is ambiguous.

    Examples
    --------
    >>> b = get_bearing("6309")
    >>> b.dynamic_load_rating_kn, b.static_load_rating_kn, b.fatigue_load_limit_kn
    (55.3, 31.5, 1.34)
    >>> get_bearing("6205-2RS").designation
    '6205-2RS JEM SKF'
    """
    catalogue = load_catalogue(extra_files)
    query = _tokens(designation)
    if not query:
        raise ConfigError("empty bearing designation")
    found = _lookup(catalogue, query, designation)
    if found is None and len(query) > 1 and query[0] in MAKERS:
        found = _lookup(catalogue, query[1:], designation)
    if found is not None:
        return found
    known = {" ".join(n): e.designation for e in catalogue for n in _names(e)}
    close = difflib.get_close_matches(" ".join(query), list(known), n=5, cutoff=0.6)
    hint = f"; close matches: {', '.join(dict.fromkeys(known[c] for c in close))}" if close else ""
    raise ConfigError(
        f"bearing {designation!r} is not in the catalogue{hint}. Add it to a catalogue CSV file "
        f"(extra_files, the CLI's --catalogue, or ${ENV_VAR})"
    )


def _lookup(
    catalogue: Sequence[CatalogueBearing], query: tuple[str, ...], designation: str
) -> CatalogueBearing | None:
    """The one entry ``query`` names (exactly, as a prefix, or less trailing suffixes)."""
    exact = _unique([e for e in catalogue if query in _names(e)])
    if len(exact) == 1:
        return exact[0]
    prefixed = _unique([e for e in catalogue if any(n[: len(query)] == query for n in _names(e))])
    if len(prefixed) == 1:
        return prefixed[0]
    if len(prefixed) > 1:
        names = ", ".join(sorted(e.designation for e in prefixed))
        raise ConfigError(f"bearing {designation!r} is ambiguous: it could be {names}")
    for keep in range(len(query) - 1, 0, -1):
        base = _unique([e for e in catalogue if query[:keep] in _names(e)])
        if len(base) == 1:
            return base[0]
    return None
