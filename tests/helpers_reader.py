"""An attacker reading a publication run's files: what can be worked out about withheld counts.

This is deliberately independent of the engine's own audit (``equality_reports.audit``): it never
looks at unit codes, atoms or ``Table.units``. The reader's unknowns are whole numbers of people in
each combination of characteristics (every detailed ethnic category crossed with whatever else the
scenario records: grade, senior post, promotion outcome ...), all a reader could know about the
microdata. Every number read back from a publication's JSON is a constraint on them: a count is an
equation, a percentage shown to 1 decimal place is a pair of linear inequalities (the true share
lies within half a unit of the last decimal of what is shown). The range of a withheld count is
then found with scipy's mixed-integer solver (``scipy.optimize.milp``) written here, not with the
engine's HiGHS programs.

The reader's model must hold for the true data: :meth:`Reader.check` confirms that the true counts
satisfy every constraint, so a modelling slip cannot make a withheld count look safe or exposed.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp

from equality_reports.classification import BROAD_GROUPS, CATEGORIES

#: detailed category ids in publication order (the reader's codebook: the published labels)
DETAILED_IDS: tuple[str, ...] = tuple(c.id for c in CATEGORIES)
UNKNOWN = frozenset(c.id for c in CATEGORIES if c.group == "unknown")
WHITE = frozenset(c.id for c in CATEGORIES if c.group == "white")
MINORITY = frozenset(DETAILED_IDS) - WHITE - UNKNOWN
DECLARED = frozenset(DETAILED_IDS) - UNKNOWN
EVERYONE = frozenset(DETAILED_IDS)

#: the binary groups as rraa-employment labels them (row labels of its binary tables)
BINARY_LABELS: dict[str, frozenset[str]] = {
    "White": WHITE, "Ethnic minority": MINORITY, "Not stated or not known": UNKNOWN}
BINARY_IDS: dict[str, frozenset[str]] = {"white": WHITE, "minority_ethnic": MINORITY, "unknown": UNKNOWN}
BROAD_LABELS: dict[str, frozenset[str]] = {
    label: frozenset(c.id for c in CATEGORIES if c.group == gid) for gid, label in BROAD_GROUPS.items()}
DETAILED_LABELS: dict[str, frozenset[str]] = {c.label: frozenset({c.id}) for c in CATEGORIES}
#: rraa-employment's "any other" rows counting the groups the staff records cannot tell apart
DETAILED_LABELS.update({
    "White: any other White background (including Gypsy or Irish Traveller and Roma)":
        frozenset({"white_other", "white_gypsy_traveller", "white_roma"}),
    "White: any other White background (including Gypsy or Irish Traveller)":
        frozenset({"white_other", "white_gypsy_traveller"}),
    "White: any other White background (including Roma)": frozenset({"white_other", "white_roma"}),
    "Other ethnic group: any other ethnic group (including Arab)": frozenset({"other_any", "other_arab"})})
#: total rows of rraa-employment tables
TOTALS: dict[str, frozenset[str]] = {"All staff": EVERYONE, "All groups": EVERYONE,
                                     "All who declared": DECLARED}
ETHNIC_LABELS: dict[str, frozenset[str]] = {**BINARY_LABELS, **BROAD_LABELS, **DETAILED_LABELS, **TOTALS}

WITHHELD = "[c]"
#: no population in these scenarios comes near this: a range reaching it is open
CAP = 100_000


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


@dataclass
class Exposed:
    """A withheld count and how narrowly the reader can pin it."""

    what: str
    low: float
    high: float
    truth: int

    @property
    def width(self) -> float:
        return self.high - self.low

    def __str__(self) -> str:
        return f"{self.what}: true {self.truth}, reader's range {self.low:g}..{self.high:g}"


@dataclass
class Reader:
    """Unknown whole counts for every combination of ``dims`` and the constraints published."""

    dims: dict[str, tuple[Any, ...]]
    combos: list[tuple[Any, ...]] = field(init=False)
    rows: list[np.ndarray] = field(default_factory=list, init=False)
    lower: list[float] = field(default_factory=list, init=False)
    upper: list[float] = field(default_factory=list, init=False)
    notes: list[str] = field(default_factory=list, init=False)
    #: withheld count cells seen while reading: (description, population)
    withheld: list[tuple[str, np.ndarray]] = field(default_factory=list, init=False)
    #: published counts: (description, population, value)
    shown: list[tuple[str, np.ndarray, float]] = field(default_factory=list, init=False)
    #: whether :meth:`at_least_one` has added its rows
    ones_added: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        self.dims = {k: tuple(v) for k, v in self.dims.items()}
        self.combos = list(itertools.product(*self.dims.values()))

    # -- populations ---------------------------------------------------------------------------
    def pop(self, **where: Any) -> np.ndarray:
        """0/1 vector of the combinations meeting every condition (a value or a collection)."""
        names = list(self.dims)
        keep = np.ones(len(self.combos), dtype=bool)
        for name, allowed in where.items():
            i = names.index(name)
            ok = allowed if isinstance(allowed, Collection) and not isinstance(allowed, str) else {allowed}
            keep &= np.array([combo[i] in ok for combo in self.combos])
        return keep.astype(float)

    def truth(self, frame: pd.DataFrame) -> np.ndarray:
        """The true count of every combination, from one row per person with a column per dim."""
        index = {c: i for i, c in enumerate(self.combos)}
        x = np.zeros(len(self.combos))
        for combo in frame[list(self.dims)].itertuples(index=False, name=None):
            x[index[tuple(combo)]] += 1
        return x

    # -- what is published ---------------------------------------------------------------------
    def count(self, population: np.ndarray, value: float, what: str = "") -> None:
        self._add(population, value, value, what)
        self.shown.append((what, np.asarray(population, dtype=float), value))

    def share(self, numerator: np.ndarray, denominator: np.ndarray, shown: float, decimals: int = 1,
              what: str = "", scale: float = 100.0) -> None:
        """``scale * numerator / denominator`` rounds to ``shown``: two linear inequalities, and the
        denominator is at least 1 (a share is shown only for a non-empty base)."""
        half = 0.5 * 10.0 ** -decimals + 1e-7
        lo, hi = shown - half, shown + half
        self._add(scale * numerator - hi * denominator, -np.inf, 0.0, what)
        self._add(scale * numerator - lo * denominator, 0.0, np.inf, what)
        self._add(denominator, 1.0, np.inf, what)

    def hidden(self, population: np.ndarray, what: str) -> None:
        self.withheld.append((what, population))

    def _add(self, row: np.ndarray, low: float, high: float, what: str) -> None:
        self.rows.append(np.asarray(row, dtype=float))
        self.lower.append(low)
        self.upper.append(high)
        self.notes.append(what)

    # -- solving -------------------------------------------------------------------------------
    def check(self, x: np.ndarray) -> None:
        """Every published constraint holds for the true counts ``x`` (the model is right)."""
        for row, lo, hi, what in zip(self.rows, self.lower, self.upper, self.notes):
            v = float(row @ x)
            assert lo - 1e-6 <= v <= hi + 1e-6, f"reader's model is wrong about {what!r}: {v} not in [{lo}, {hi}]"

    def extent(self, population: np.ndarray) -> tuple[float, float]:
        """Smallest and largest whole value of ``population @ x`` over everything published."""
        return self._extreme(population, maximise=False), self._extreme(population, maximise=True)

    def _extreme(self, population: np.ndarray, *, maximise: bool) -> float:
        n = len(self.combos)
        cons = [LinearConstraint(np.vstack(self.rows), self.lower, self.upper)] if self.rows else []
        sign = -1.0 if maximise else 1.0
        res = milp(sign * population, constraints=cons, integrality=np.ones(n),
                   bounds=Bounds(np.zeros(n), np.full(n, CAP)))
        assert res.status == 0, f"reader's program not solved: {res.message}"
        value = round(sign * res.fun)
        return math.inf if maximise and value >= CAP else float(value)

    def exposed(self, x: np.ndarray, protection: int, zeros: bool = False,
                threshold: int | None = None) -> list[Exposed]:
        """Small groups the reader can narrow to a range less than ``protection`` wide: withheld
        counts of 1 to ``threshold - 1`` (default: the protection), and the group between two
        nested counts the reader knows or can bound (published ones, and withheld ones of
        ``threshold`` or more) when it truly holds 1 to ``threshold - 1`` people.

        A withheld count that is truly 0 is left out unless ``zeros`` (``--suppress-zero``): a zero
        is published wherever it is not withheld to protect another cell, so knowing one tells a
        reader nothing about anyone; the cells it protects are checked themselves. A larger
        withheld count (withheld to protect another) may be worked out: it is a count the
        publication could have shown. When the largest value is already ``protection`` above the
        truth the smallest need not be solved. The reader takes every [c] that is truly not 0 to be
        at least 1 (as a reader may: zeros are shown unless withheld to protect another)."""
        self.check(x)
        self.at_least_one(x)
        threshold = protection if threshold is None else threshold
        out = []
        for what, population in self.withheld:
            truth = int(population @ x)
            if (not zeros and truth == 0) or truth >= threshold:
                continue
            out += self._narrow(what, population, truth, protection)
        larger = [(what, p, float(p @ x)) for what, p in self.withheld if p @ x >= threshold]
        known = [(what, p, float(p @ x)) for what, p, _ in self.shown] + larger
        for (what_a, a, va), (what_b, b, vb) in itertools.permutations(known, 2):
            if 0 < vb - va < threshold and np.all(a <= b) and not np.array_equal(a, b):
                out += self._narrow(f"{what_b} less {what_a}", b - a, int(vb - va), protection)
        return out

    def at_least_one(self, x: np.ndarray) -> None:
        """Each withheld count that is truly not 0 is 1 or more (added once)."""
        if not self.ones_added:
            for what, population in self.withheld:
                if population @ x >= 1:
                    self._add(population, 1.0, np.inf, f"{what} is 1 or more")
            self.ones_added = True

    def _narrow(self, what: str, population: np.ndarray, truth: int, protection: int) -> list[Exposed]:
        high = self._extreme(population, maximise=True)
        if high - truth >= protection:
            return []
        low = self._extreme(population, maximise=False)
        return [Exposed(what, low, high, truth)] if high - low < protection else []

    def range_of(self, population: np.ndarray, x: np.ndarray) -> tuple[float, float]:
        self.check(x)
        return self.extent(population)


# --- reading a publication back -------------------------------------------------------------------

def load(path: Path) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def rows(payload: Mapping[str, Any], table_id: str) -> list[dict[str, Any]]:
    """A published table as a list of {column key: value as published}; none for a table the
    publication left out (every number withheld: a sentence says so in its place)."""
    if table_id not in payload["tables"]:
        return []
    table = payload["tables"][table_id]
    keys = [c["key"] for c in table["columns"]]
    return [dict(zip(keys, r)) for r in table["rows"]]


def read_profile(reader: Reader, payload: Mapping[str, Any], table_id: str, **where: Any) -> None:
    """rraa-employment's profile tables (staff_binary, staff_broad, staff_detailed): a count per
    ethnic group, its % of all counted and its % of those who declared an ethnic group."""
    everyone = reader.pop(ethnicity=EVERYONE, **where)
    declared = reader.pop(ethnicity=DECLARED, **where)
    for r in rows(payload, table_id):
        population = reader.pop(ethnicity=ETHNIC_LABELS[r["group"]], **where)
        what = f"{table_id} {r['group']}"
        read_count(reader, population, r["count"], what)
        if is_number(r.get("pct_all")):
            reader.share(population, everyone, r["pct_all"], what=f"{what} % of all")
        if is_number(r.get("pct_declared")):
            reader.share(population, declared, r["pct_declared"], what=f"{what} % of declared")


def read_crosstab(reader: Reader, payload: Mapping[str, Any], table_id: str, dim: str,
                  row_values: Mapping[str, Iterable[Any]], **where: Any) -> None:
    """A rows-by-binary-group table with a total column, a total row and shares of each row."""
    for r in rows(payload, table_id):
        values = row_values[r["row"]]
        row_pop = {g: reader.pop(ethnicity=ids, **{dim: values}, **where) for g, ids in BINARY_IDS.items()}
        row_pop["total"] = reader.pop(ethnicity=EVERYONE, **{dim: values}, **where)
        for key, population in row_pop.items():
            read_count(reader, population, r[key], f"{table_id} {r['row']} {key}")
        for g in BINARY_IDS:
            if is_number(r.get(f"{g}_pct")):
                reader.share(row_pop[g], row_pop["total"], r[f"{g}_pct"], what=f"{table_id} {r['row']} {g} %")


def read_stage(reader: Reader, payload: Mapping[str, Any], table_id: str,
               counts: Mapping[str, Mapping[str, Any]], rates: Mapping[str, tuple[str, str]] = {},
               **where: Any) -> None:
    """A stage table: rows are binary groups and a total row, ``counts`` maps each count column to
    the conditions it adds, ``rates`` each rate column to its (numerator, denominator) columns."""
    for r in rows(payload, table_id):
        ids = ETHNIC_LABELS[r["group"]]
        pops = {key: reader.pop(ethnicity=ids, **cond, **where) for key, cond in counts.items()}
        for key, population in pops.items():
            read_count(reader, population, r[key], f"{table_id} {r['group']} {key}")
        for key, (num, den) in rates.items():
            if is_number(r.get(key)):
                reader.share(pops[num], pops[den], r[key], what=f"{table_id} {r['group']} {key}")


def read_benchmark(reader: Reader, payload: Mapping[str, Any], table_id: str) -> None:
    """A benchmark table's staff column (declared groups and "All who declared") and its shares of
    those who declared (the population columns are not about staff)."""
    declared = reader.pop(ethnicity=DECLARED)
    for r in rows(payload, table_id):
        population = reader.pop(ethnicity=ETHNIC_LABELS[r["group"]])
        read_count(reader, population, r["staff"], f"{table_id} {r['group']} staff")
        if is_number(r.get("staff_pct")):
            reader.share(population, declared, r["staff_pct"], what=f"{table_id} {r['group']} staff %")


def read_senior(reader: Reader, payload: Mapping[str, Any], senior: Mapping[str, Any]) -> None:
    """senior_binary: all staff and senior staff (``senior``: the conditions of a senior post) by
    binary group, each with its share of everyone counted in its column (the totals are not rows)."""
    everyone = reader.pop(ethnicity=EVERYONE)
    seniors = reader.pop(ethnicity=EVERYONE, **senior)
    for r in rows(payload, "senior_binary"):
        staff = reader.pop(ethnicity=ETHNIC_LABELS[r["group"]])
        senior_pop = reader.pop(ethnicity=ETHNIC_LABELS[r["group"]], **senior)
        read_count(reader, staff, r["staff"], f"senior_binary {r['group']} staff")
        read_count(reader, senior_pop, r["senior"], f"senior_binary {r['group']} senior")
        if is_number(r["pct_all"]):
            reader.share(staff, everyone, r["pct_all"], what=f"senior_binary {r['group']} % of all")
        if is_number(r["senior_pct"]):
            reader.share(senior_pop, seniors, r["senior_pct"], what=f"senior_binary {r['group']} % of senior")


def read_rates(reader: Reader, payload: Mapping[str, Any],
               stages: Mapping[str, tuple[Mapping[str, Any], Mapping[str, Any]]]) -> None:
    """relative_rates and stage_shares: per stage (row label -> conditions of the stage's count and of
    its base), the White and minority rates (count / base) and the minority's share of the stage
    and of the base (minority / (minority + White)). The relative rate itself (a ratio of rates) is
    not linear and is left out: the reader is weaker for it, never wrongly stronger."""
    def pops(ids: frozenset[str], cond: Mapping[str, Any]) -> np.ndarray:
        return reader.pop(ethnicity=ids, **cond)

    for r in rows(payload, "relative_rates"):
        num, base = stages[r["stage"]]
        for side, ids in (("white", WHITE), ("minority", MINORITY)):
            if is_number(r[f"{side}_rate"]):
                reader.share(pops(ids, num), pops(ids, base), r[f"{side}_rate"],
                             what=f"relative_rates {r['stage']} {side} rate")
    for r in rows(payload, "stage_shares"):
        num, base = stages[r["stage"]]
        for key, cond in (("share_stage", num), ("share_base", base)):
            if is_number(r[key]):
                reader.share(pops(MINORITY, cond), pops(MINORITY | WHITE, cond), r[key],
                             what=f"stage_shares {r['stage']} {key}")


def read_staff_figures(reader: Reader, payload: Mapping[str, Any], report: str = "rraa-employment",
                       senior: Mapping[str, Any] | None = None) -> None:
    """rraa-employment's staff and senior figures as the JSON publishes them: counts, and each
    percentage's numerator and denominator (and its value, given to one decimal place)."""
    figures = payload["figures"]
    everyone, declared = reader.pop(ethnicity=EVERYONE), reader.pop(ethnicity=DECLARED)
    groups = {**BINARY_IDS, "not_stated": frozenset({"not_stated"}), "not_known": frozenset({"not_known"})}
    broad = {gid: BROAD_LABELS[label] for gid, label in BROAD_GROUPS.items()}

    def fig(fid: str, num: np.ndarray | None, den: np.ndarray | None = None) -> None:
        f = figures.get(f"{report}.{fid}")
        if f is None or f["suppressed"]:
            return
        if f["unit"] == "count" and num is not None and is_number(f["value"]):
            reader.count(num, f["value"], fid)
        if f["unit"] == "percent" and num is not None and den is not None:
            for part, population in (("numerator", num), ("denominator", den)):
                if is_number(f[part]):
                    reader.count(population, f[part], f"{fid} {part}")
            if is_number(f["value"]):
                reader.share(num, den, f["value"], decimals=1, what=fid)

    fig("staff.total", everyone)
    fig("staff.declaration_rate", declared, everyone)
    for g, ids in groups.items():
        population = reader.pop(ethnicity=ids)
        fig(f"staff.{g}.count", population)
        fig(f"staff.{g}.pct", population, everyone)
        fig(f"staff.{g}.declared_pct", population, declared)
    for g, ids in broad.items():
        fig(f"staff.broad.{g}.pct", reader.pop(ethnicity=ids), everyone)
    if senior is not None:
        seniors = reader.pop(ethnicity=EVERYONE, **senior)
        fig("senior.total", seniors)
        for g, ids in BINARY_IDS.items():
            population = reader.pop(ethnicity=ids, **senior)
            fig(f"senior.{g}.count", population)
            fig(f"senior.{g}.pct", population, seniors)


def read_count(reader: Reader, population: np.ndarray, value: Any, what: str) -> None:
    if value == WITHHELD:
        reader.hidden(population, what)
    elif is_number(value):
        reader.count(population, value, what)
    else:
        raise AssertionError(f"{what}: unexpected published value {value!r}")


def withheld_count_cells(payload: Mapping[str, Any], table_id: str) -> list[tuple[str, str]]:
    """(row label, column key) of every count cell shown as [c]."""
    table = payload["tables"][table_id]
    counts = [c["key"] for c in table["columns"] if c["kind"] == "count"]
    label = table["columns"][0]["key"]
    return [(r[label], k) for r in rows(payload, table_id) for k in counts if r[k] == WITHHELD]
