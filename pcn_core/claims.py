"""Claims table: the paper's statements about a figure, checked against our numbers.

Every notebook ends with one::

    claims = ClaimsTable("boerlin2013", "fig1")
    claims.within("estimate tracks the state (RMS error / state range)", rmse, high=0.05)
    claims.holds("activity persists after input stops", rate_after > 0.8 * rate_before,
                 measured=f"{rate_after:.1f} Hz vs {rate_before:.1f} Hz")
    claims.table()      # full table with measured values (cell tagged NBVAL_IGNORE_OUTPUT)
    claims.report()     # verdicts only (cell tagged NBVAL_CHECK_OUTPUT); writes JSON

:meth:`ClaimsTable.report` raises :class:`ClaimFailed` when a claim fails that
was not declared a known deviation, so a regression stops papermill and nbval.
"""
from __future__ import annotations

import json
import math
import os
from dataclasses import asdict, dataclass

from .paths import figures_dir


#: What a claim tests: a falsifiable statement of the paper (``reproduction``), a
#: value a parameter was chosen to hit (``calibration``), or something true by
#: construction (``consistency``). Only reproductions count as reproducing the paper.
KINDS = ("reproduction", "calibration", "consistency")


class ClaimFailed(AssertionError):
    """A claim failed that was not declared a known deviation from the paper."""


@dataclass
class Claim:
    """One row: the paper's statement, what we measured, what passes, the verdict."""
    claim: str
    measured: str
    expected: str
    passed: bool
    known_deviation: str = ""
    kind: str = ""  #: one of KINDS ("" for tables written before kinds existed)

    @property
    def verdict(self) -> str:
        if self.passed:
            return "PASS"
        return "FAIL (known deviation)" if self.known_deviation else "FAIL"


def _fmt(value, digits: int) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value)
    value = float(value)
    if not math.isfinite(value):
        return str(value)
    return f"{value:.{digits}g}"


class ClaimsTable:
    """Collects the claims of one figure (``paper`` e.g. ``"boerlin2013"``, ``figure`` e.g. ``"fig1"``)."""

    def __init__(self, paper: str, figure: str, figures_root: str | os.PathLike | None = None):
        self.paper, self.figure, self.figures_root = paper, figure, figures_root
        self.rows: list[Claim] = []

    def within(self, claim: str, measured: float, *, low: float | None = None,
               high: float | None = None, digits: int = 3, unit: str = "",
               known_deviation: str = "", kind: str = "") -> Claim:
        """Claim that ``low <= measured <= high`` (either bound may be omitted).

        ``unit`` is appended to the printed numbers; ``known_deviation`` (a
        reason) marks a claim we know we do not reproduce, so its failure is
        reported but does not stop the notebook.
        """
        if low is None and high is None:
            raise ValueError("within() needs at least one of low, high")
        measured = float(measured)
        ok = math.isfinite(measured) and (low is None or measured >= low) and (high is None or measured <= high)
        u = f" {unit}" if unit else ""
        if low is not None and high is not None:
            expected = f"{_fmt(low, digits)} to {_fmt(high, digits)}{u}"
        elif low is not None:
            expected = f">= {_fmt(low, digits)}{u}"
        else:
            expected = f"<= {_fmt(high, digits)}{u}"
        return self._add(Claim(claim, _fmt(measured, digits) + u, expected, bool(ok), known_deviation, kind))

    def near(self, claim: str, measured: float, target: float, *, tolerance: float,
             relative: bool = False, digits: int = 3, unit: str = "",
             known_deviation: str = "", kind: str = "") -> Claim:
        """Claim that ``measured`` equals ``target`` within ``tolerance`` (absolute, or relative to target)."""
        if tolerance < 0:
            raise ValueError(f"tolerance must be >= 0, got {tolerance}")
        tol = abs(target) * tolerance if relative else tolerance
        row = self.within(claim, measured, low=target - tol, high=target + tol, digits=digits,
                          unit=unit, known_deviation=known_deviation, kind=kind)
        u = f" {unit}" if unit else ""
        row.expected = (f"{_fmt(target, digits)}{u} ± {_fmt(100 * tolerance, 3)} %" if relative
                        else f"{_fmt(target, digits)} ± {_fmt(tolerance, digits)}{u}")
        return row

    def holds(self, claim: str, condition: bool, *, measured: str, expected: str = "true",
              known_deviation: str = "", kind: str = "") -> Claim:
        """A qualitative claim: ``condition`` computed from the data, ``measured`` says what it was."""
        return self._add(Claim(claim, str(measured), expected, bool(condition), known_deviation, kind))

    def _add(self, row: Claim) -> Claim:
        if row.kind not in KINDS + ("",):
            raise ValueError(f"kind must be one of {KINDS}, got {row.kind!r}")
        self.rows.append(row)
        return row

    @property
    def all_passed(self) -> bool:
        return all(r.passed for r in self.rows)

    def table(self):
        """The full table (claim, measured, expected, verdict) as a pandas DataFrame."""
        import pandas as pd
        columns = [{"claim": r.claim, "measured": r.measured, "expected": r.expected, "verdict": r.verdict}
                   | ({"kind": r.kind} if any(row.kind for row in self.rows) else {}) for r in self.rows]
        return pd.DataFrame(columns)

    def report(self, write: bool = True) -> None:
        """Print the verdicts, write ``figures/<paper>/<figure>_claims.json``, and
        raise :class:`ClaimFailed` if a claim failed that is not a known deviation."""
        if not self.rows:
            raise ValueError("the claims table is empty")
        width = max(len(r.claim) for r in self.rows)
        print(f"Claims for {self.paper} {self.figure}: "
              f"{sum(r.passed for r in self.rows)}/{len(self.rows)} pass")
        repro = [r for r in self.rows if r.kind == "reproduction"]
        if any(r.kind for r in self.rows):
            print(f"Reproductions of the paper's statements: {sum(r.passed for r in repro)}/{len(repro)} pass "
                  f"(plus {sum(r.kind == 'calibration' for r in self.rows)} calibrations, "
                  f"{sum(r.kind == 'consistency' for r in self.rows)} consistency checks)")
        for r in self.rows:
            tag = f"[{r.kind}] " if r.kind else ""
            print(f"  {r.verdict:<6}  {tag}{r.claim:<{width}}  [expected {r.expected}]")
            if r.known_deviation and not r.passed:
                print(f"          known deviation: {r.known_deviation}")
        if write:
            out = figures_dir(self.paper, self.figures_root) / f"{self.figure}_claims.json"
            out.write_text(json.dumps([asdict(r) for r in self.rows], indent=1, ensure_ascii=False) + "\n")
        failed = [r.claim for r in self.rows if not r.passed and not r.known_deviation]
        if failed:
            raise ClaimFailed(f"{len(failed)} claim(s) failed: " + "; ".join(failed))
