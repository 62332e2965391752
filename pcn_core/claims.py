"""Claims table: the paper's statements about a figure, checked against our numbers.

Every notebook ends with one::

    claims = ClaimsTable("boerlin2013", "fig1")
    claims.within("estimate tracks the state (RMS error / state range)", rmse, high=0.05,
                  kind="reproduction")
    claims.holds("activity persists after input stops", rate_after > 0.8 * rate_before,
                 measured=f"{rate_after:.1f} Hz vs {rate_before:.1f} Hz", kind="reproduction")
    claims.table()      # full table with measured values (cell tagged NBVAL_IGNORE_OUTPUT)
    claims.report()     # verdicts only (cell tagged NBVAL_CHECK_OUTPUT); writes JSON

Every claim has a ``kind`` (:data:`KINDS`): only reproductions count as
reproducing the paper; calibrations and consistency checks are listed apart.
A ``known_deviation`` must give a measured reason (it must quote a number).
A claim that passes while still carrying a known-deviation note is reported as
a stale note, so outdated explanations surface. A claim that passes or fails
with the seeds or the preset takes a ``fragile`` note instead (also measured):
shown with its verdict either way, and its failure counts as a known deviation.

:meth:`ClaimsTable.report` raises :class:`ClaimFailed` when a claim fails that
was not declared a known deviation, so a regression stops papermill and nbval.

Note (issue 11): ``kind`` is required since every notebook was to carry kinds.
The Boerlin notebooks got theirs on a parallel branch; a notebook whose claims
have no kind now stops with a ValueError naming the claim.
"""
from __future__ import annotations

import json
import math
import os
import re
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
    kind: str = ""  #: one of KINDS (required when a claim is added to a ClaimsTable)
    #: measured reason why the claim passes or fails with the seeds or the preset
    fragile: str = ""

    @property
    def deviation_note(self) -> str:
        """The note that explains a failure: the known deviation, else the fragility."""
        return self.known_deviation or self.fragile

    @property
    def verdict(self) -> str:
        if self.passed:
            return "PASS"
        return "FAIL (known deviation)" if self.deviation_note else "FAIL"

    @property
    def stale_note(self) -> bool:
        """True when the claim passes but still carries a known-deviation note."""
        return self.passed and bool(self.known_deviation)


#: A measured reason quotes at least one number.
_MEASURED = re.compile(r"\d")


def summary_lines(rows) -> list[str]:
    """Header lines counting reproductions and listing calibrations and known deviations.

    Parameters
    ----------
    rows : sequence of Claim or of dict
        Claims of one figure (or of several figures of one paper), as
        :class:`Claim` objects or as the dicts of a ``*_claims.json`` file.

    Returns
    -------
    list of str
        ``"Reproductions of the paper's statements: a/b pass (plus c calibrations,
        d consistency checks)"``, then, only when not empty, the calibrations, the
        failing known deviations (fragile claims that failed included) and the stale notes (passing claims that still
        carry a known-deviation note), each as an indented ``- claim`` list.
    """
    rows = [r if isinstance(r, dict) else asdict(r) for r in rows]
    repro = [r for r in rows if r.get("kind") == "reproduction"]
    calibrations = [r for r in rows if r.get("kind") == "calibration"]
    deviations = [r for r in rows if (r.get("known_deviation") or r.get("fragile")) and not r["passed"]]
    stale = [r for r in rows if r.get("known_deviation") and r["passed"]]
    lines = [f"Reproductions of the paper's statements: {sum(r['passed'] for r in repro)}/{len(repro)} pass "
             f"(plus {len(calibrations)} calibrations, "
             f"{sum(r.get('kind') == 'consistency' for r in rows)} consistency checks)"]
    for title, group in [("Calibrations (a parameter was chosen to hit these; not counted as reproductions)",
                          calibrations),
                         ("Known deviations (failing, with a measured reason)", deviations),
                         ("Stale known-deviation notes (the claim passes; revise the note)", stale)]:
        if group:
            lines.append(f"{title}: {len(group)}")
            lines += [f"  - [{r.get('kind') or 'no kind'}] {r['claim']}" for r in group]
    return lines


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
               known_deviation: str = "", kind: str = "", fragile: str = "") -> Claim:
        """Claim that ``low <= measured <= high`` (either bound may be omitted).

        ``unit`` is appended to the printed numbers; ``known_deviation`` (a
        reason) marks a claim we know we do not reproduce, so its failure is
        reported but does not stop the notebook; ``fragile`` (a reason) marks a
        claim that passes or fails with the seeds or the preset.
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
        return self._add(Claim(claim, _fmt(measured, digits) + u, expected, bool(ok), known_deviation, kind,
                               fragile))

    def near(self, claim: str, measured: float, target: float, *, tolerance: float,
             relative: bool = False, digits: int = 3, unit: str = "",
             known_deviation: str = "", kind: str = "", fragile: str = "") -> Claim:
        """Claim that ``measured`` equals ``target`` within ``tolerance`` (absolute, or relative to target)."""
        if tolerance < 0:
            raise ValueError(f"tolerance must be >= 0, got {tolerance}")
        tol = abs(target) * tolerance if relative else tolerance
        row = self.within(claim, measured, low=target - tol, high=target + tol, digits=digits,
                          unit=unit, known_deviation=known_deviation, kind=kind, fragile=fragile)
        u = f" {unit}" if unit else ""
        row.expected = (f"{_fmt(target, digits)}{u} ± {_fmt(100 * tolerance, 3)} %" if relative
                        else f"{_fmt(target, digits)} ± {_fmt(tolerance, digits)}{u}")
        return row

    def holds(self, claim: str, condition: bool, *, measured: str, expected: str = "true",
              known_deviation: str = "", kind: str = "", fragile: str = "") -> Claim:
        """A qualitative claim: ``condition`` computed from the data, ``measured`` says what it was."""
        return self._add(Claim(claim, str(measured), expected, bool(condition), known_deviation, kind, fragile))

    def _add(self, row: Claim) -> Claim:
        if row.kind == "":
            raise ValueError(f"kind is required (one of {KINDS}) for the claim {row.claim!r}")
        if row.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {row.kind!r}")
        if row.known_deviation and row.fragile:
            raise ValueError(f"give either known_deviation (it fails) or fragile (it passes or fails with the "
                             f"seeds or the preset), not both, for the claim {row.claim!r}")
        for field_name in ("known_deviation", "fragile"):
            note = getattr(row, field_name)
            if note and not _MEASURED.search(note):
                raise ValueError(f"{field_name} must give a measured reason (quote the measured number) "
                                 f"for the claim {row.claim!r}, got {note!r}")
        self.rows.append(row)
        return row

    @property
    def all_passed(self) -> bool:
        return all(r.passed for r in self.rows)

    def table(self):
        """The full table (claim, measured, expected, verdict) as a pandas DataFrame."""
        import pandas as pd
        columns = [{"claim": r.claim, "measured": r.measured, "expected": r.expected, "verdict": r.verdict,
                    "kind": r.kind, "known deviation": (r.known_deviation + (" (stale: passes)" if r.stale_note else "")
                                                        or (f"fragile: {r.fragile}" if r.fragile else ""))}
                   for r in self.rows]
        return pd.DataFrame(columns)

    def report(self, write: bool = True) -> None:
        """Print the verdicts, write ``figures/<paper>/<figure>_claims.json``, and
        raise :class:`ClaimFailed` if a claim failed that is not a known deviation."""
        if not self.rows:
            raise ValueError("the claims table is empty")
        width = max(len(r.claim) for r in self.rows)
        print(f"Claims for {self.paper} {self.figure}: "
              f"{sum(r.passed for r in self.rows)}/{len(self.rows)} pass")
        for line in summary_lines(self.rows):
            print(line)
        for r in self.rows:
            tag = f"[{r.kind}] " if r.kind else ""
            print(f"  {r.verdict:<6}  {tag}{r.claim:<{width}}  [expected {r.expected}]")
            if r.known_deviation and not r.passed:
                print(f"          known deviation: {r.known_deviation}")
            elif r.fragile:
                print(f"          fragile: {r.fragile}")
            elif r.stale_note:
                print(f"          stale known-deviation note (the claim passes): {r.known_deviation}")
        if write:
            out = figures_dir(self.paper, self.figures_root) / f"{self.figure}_claims.json"
            # "fragile" only where set, so claims files without one keep their form
            rows = [{k: v for k, v in asdict(r).items() if k != "fragile" or v} for r in self.rows]
            out.write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n")
        failed = [r.claim for r in self.rows if not r.passed and not r.deviation_note]
        if failed:
            raise ClaimFailed(f"{len(failed)} claim(s) failed: " + "; ".join(failed))
