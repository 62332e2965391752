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
    """A claim failed that was not declared a known deviation from the paper.

    (A failing claim with a ``fragile`` note counts as a known deviation.)
    Raised by :meth:`ClaimsTable.report` after it has printed the verdicts, so a
    regression stops papermill and nbval. An ``AssertionError``: test runners
    report it as a failed check.

    See Also
    --------
    ClaimsTable.report : prints the verdicts and raises this.

    Examples
    --------
    >>> table = ClaimsTable("demo", "fig0")
    >>> _ = table.holds("activity persists", False, measured="0 Hz after the input", kind="reproduction")
    >>> try:
    ...     table.report(write=False)
    ... except ClaimFailed as failure:
    ...     print("stopped:", failure)
    Claims for demo fig0: 0/1 pass
    ...
    stopped: 1 claim(s) failed: activity persists
    """


@dataclass
class Claim:
    """One row: the paper's statement, what we measured, what passes, the verdict.

    Normally made by :meth:`ClaimsTable.within`, :meth:`ClaimsTable.near` or
    :meth:`ClaimsTable.holds`, which format the numbers and check ``kind``,
    ``known_deviation`` and ``fragile``; a bare ``Claim`` is not validated.

    Attributes
    ----------
    claim : str
        The paper's statement, in words.
    measured : str
        What we measured, formatted with its unit.
    expected : str
        What passes (e.g. ``"<= 0.05"``, ``"1 ± 0.05 Hz"``, ``"true"``).
    passed : bool
        Whether the measured value satisfies the claim.
    known_deviation : str, default ""
        Measured reason why the paper's statement is not reproduced (it must
        quote a number when added to a :class:`ClaimsTable`); empty if none.
    kind : str, default ""
        One of :data:`KINDS` (required when the claim is added to a
        :class:`ClaimsTable`).
    fragile : str, default ""
        Measured reason (quoting a number) why the claim passes or fails with
        the seeds or the preset; shown with the verdict either way, never
        stale, and a failure counts as a known deviation. Not together with
        ``known_deviation``.

    Examples
    --------
    >>> Claim("rate in range", "5 Hz", "1 to 10 Hz", True, kind="reproduction").verdict
    'PASS'
    >>> row = Claim("error small", "0.08", "<= 0.05", False, known_deviation="0.08 measured", kind="reproduction")
    >>> row.verdict, row.stale_note
    ('FAIL (known deviation)', False)
    >>> Claim("bursts absent", "2 bursts", "0 bursts", False, kind="reproduction",
    ...       fragile="0 to 3 bursts over 5 seeds").deviation_note
    '0 to 3 bursts over 5 seeds'
    """
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
        """``"PASS"``, ``"FAIL (known deviation)"`` or ``"FAIL"``."""
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
        failing known deviations (fragile claims that failed included) and the
        stale notes (passing claims that still carry a known-deviation note),
        each as an indented ``- claim`` list.

    See Also
    --------
    ClaimsTable.report : prints these lines for one figure.

    Examples
    --------
    >>> rows = [{"claim": "error ~ 1/N", "passed": True, "kind": "reproduction"},
    ...         {"claim": "rate near 10 Hz", "passed": True, "kind": "calibration"},
    ...         {"claim": "bursts absent", "passed": False, "kind": "reproduction",
    ...          "known_deviation": "3 bursts per s measured"}]
    >>> for line in summary_lines(rows):
    ...     print(line)
    Reproductions of the paper's statements: 1/2 pass (plus 1 calibrations, 0 consistency checks)
    Calibrations (a parameter was chosen to hit these; not counted as reproductions): 1
      - [calibration] rate near 10 Hz
    Known deviations (failing, with a measured reason): 1
      - [reproduction] bursts absent
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
    """Collects the claims of one figure and reports their verdicts.

    Parameters
    ----------
    paper : str
        Paper key, the output sub-folder (e.g. ``"boerlin2013"``).
    figure : str
        Figure key, the stem of the JSON file (e.g. ``"fig1"``).
    figures_root : str, os.PathLike or None, default None
        Output root for :meth:`report`'s JSON file; None uses
        :func:`pcn_core.paths.figures_root` (``PCN_FIGURES_DIR`` if set, else
        ``build/figures``).

    Attributes
    ----------
    rows : list of Claim
        The claims added so far, in order.

    See Also
    --------
    summary_lines : the header lines of the report.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as root:
    ...     claims = ClaimsTable("boerlin2013", "fig1", figures_root=root)
    ...     _ = claims.within("RMS error / state range", 0.012, high=0.05, kind="reproduction")
    ...     _ = claims.near("mean rate", 10.4, 10.0, tolerance=0.1, relative=True, unit="Hz",
    ...                     kind="calibration")
    ...     claims.report()
    ...     print(sorted(p.name for p in Path(root, "boerlin2013").iterdir()))
    Claims for boerlin2013 fig1: 2/2 pass
    Reproductions of the paper's statements: 1/1 pass (plus 1 calibrations, 0 consistency checks)
    Calibrations (a parameter was chosen to hit these; not counted as reproductions): 1
      - [calibration] mean rate
      PASS    [reproduction] RMS error / state range  [expected <= 0.05]
      PASS    [calibration] mean rate                [expected 10 Hz ± 10 %]
    ['fig1_claims.json']
    """

    def __init__(self, paper: str, figure: str, figures_root: str | os.PathLike | None = None):
        self.paper, self.figure, self.figures_root = paper, figure, figures_root
        self.rows: list[Claim] = []

    def within(self, claim: str, measured: float, *, low: float | None = None,
               high: float | None = None, digits: int = 3, unit: str = "",
               known_deviation: str = "", kind: str = "", fragile: str = "") -> Claim:
        """Claim that ``low <= measured <= high`` (either bound may be omitted).

        A non-finite ``measured`` (NaN, inf) never passes.

        Parameters
        ----------
        claim : str
            The paper's statement, in words.
        measured : float
            The measured value, in ``unit``.
        low, high : float or None, default None
            Inclusive bounds, in ``unit``; at least one must be given.
        digits : int, default 3
            Significant digits of the printed numbers.
        unit : str, default ""
            Unit appended to the printed numbers (e.g. ``"Hz"``); empty for
            dimensionless values.
        known_deviation : str, default ""
            A measured reason (it must quote a number) marking a claim we know
            we do not reproduce: its failure is reported but does not stop the
            notebook.
        kind : str
            One of :data:`KINDS`; required (the default ``""`` is refused).
        fragile : str, default ""
            A measured reason (quoting a number) marking a claim that passes or
            fails with the seeds or the preset: shown with its verdict, and a
            failure does not stop the notebook. Not together with
            ``known_deviation``.

        Returns
        -------
        Claim
            The row added to :attr:`rows`.

        Raises
        ------
        ValueError
            If neither ``low`` nor ``high`` is given, ``kind`` is missing or not
            one of :data:`KINDS`, both ``known_deviation`` and ``fragile`` are
            given, or a note quotes no number (the claim is then not added).
        TypeError, ValueError
            If ``measured`` cannot be converted to float.
        """
        if low is None and high is None:
            raise ValueError("within() needs at least one of low, high")
        if low is not None and high is not None and low > high:
            raise ValueError(f"low must not exceed high (the claim could never pass), got low={low}, high={high}")
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
        """Claim that ``measured`` equals ``target`` within ``tolerance``.

        Passes when ``|measured - target| <= tolerance`` (absolute), or
        ``<= tolerance * |target|`` with ``relative=True``.

        Parameters
        ----------
        claim : str
            The paper's statement, in words.
        measured, target : float
            Measured and expected values, in ``unit``.
        tolerance : float
            Allowed difference, >= 0: in ``unit``, or a fraction of ``|target|``
            (0.05 = 5 %) with ``relative=True``.
        relative : bool, default False
            Whether ``tolerance`` is relative to ``|target|``.
        digits : int, default 3
            Significant digits of the printed numbers.
        unit : str, default ""
            Unit appended to the printed numbers; empty for dimensionless values.
        known_deviation : str, default ""
            A measured reason (quoting a number) for a claim we know we do not
            reproduce (see :meth:`within`).
        kind : str
            One of :data:`KINDS`; required.
        fragile : str, default ""
            A measured reason (quoting a number) marking a claim that passes or
            fails with the seeds or the preset: shown with its verdict, and a
            failure does not stop the notebook (see :meth:`within`). Not
            together with ``known_deviation``.

        Returns
        -------
        Claim
            The row added to :attr:`rows`; its ``expected`` reads
            ``"target ± tolerance unit"`` or ``"target unit ± p %"``.

        Raises
        ------
        ValueError
            If ``tolerance < 0``, or as :meth:`within` (missing or unknown
            ``kind``, both notes given, a note without a number).
        """
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
        """A qualitative claim: ``condition`` computed from the data, ``measured`` says what it was.

        Parameters
        ----------
        claim : str
            The paper's statement, in words.
        condition : bool
            Whether the statement holds in our data (converted with ``bool``).
        measured : str
            What was measured, in words and numbers with units (e.g.
            ``"12.1 Hz vs 14.0 Hz"``).
        expected : str, default "true"
            What passes, as printed in the table.
        known_deviation : str, default ""
            A measured reason (quoting a number) for a claim we know we do not
            reproduce (see :meth:`within`).
        kind : str
            One of :data:`KINDS`; required.
        fragile : str, default ""
            A measured reason (quoting a number) marking a claim that passes or
            fails with the seeds or the preset: shown with its verdict, and a
            failure does not stop the notebook (see :meth:`within`). Not
            together with ``known_deviation``.

        Returns
        -------
        Claim
            The row added to :attr:`rows`.

        Raises
        ------
        ValueError
            If ``kind`` is missing or not one of :data:`KINDS`, both
            ``known_deviation`` and ``fragile`` are given, or a note quotes no
            number.
        """
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
        """True when every claim passes (failures with a note count; True when empty)."""
        return all(r.passed for r in self.rows)

    def table(self):
        """The full table as a pandas DataFrame, one row per claim.

        Returns
        -------
        pandas.DataFrame
            Columns ``claim``, ``measured``, ``expected``, ``verdict``, ``kind``
            and ``known deviation`` (suffixed ``" (stale: passes)"`` for a stale
            note; ``"fragile: <note>"`` for a fragile claim); no columns when the
            table is empty.
        """
        import pandas as pd
        columns = [{"claim": r.claim, "measured": r.measured, "expected": r.expected, "verdict": r.verdict,
                    "kind": r.kind, "known deviation": (r.known_deviation + (" (stale: passes)" if r.stale_note else "")
                                                        or (f"fragile: {r.fragile}" if r.fragile else ""))}
                   for r in self.rows]
        return pd.DataFrame(columns)

    def report(self, write: bool = True, enforce: bool = True) -> None:
        """Print the verdicts, write ``<figures root>/<paper>/<figure>_claims.json``, and
        raise :class:`ClaimFailed` if a claim failed that is not a known deviation.

        The printout is the pass count, :func:`summary_lines`, then one line per
        claim (with its known-deviation, fragile or stale note). The JSON file
        holds the rows as dicts (the fields of :class:`Claim`, ``fragile`` only
        where set) and is written before :class:`ClaimFailed` is raised.

        Parameters
        ----------
        write : bool, default True
            Whether to write the JSON file, under the ``figures_root`` given to
            the table (else ``PCN_FIGURES_DIR``, else ``build/figures``; see
            :func:`pcn_core.paths.figures_dir`, which creates the folder).
        enforce : bool, default True
            Whether such a failure raises. The notebooks pass
            ``enforce=preset != "quick"``: the quick preset's samples are too
            small for the paper's tolerances, so there its failures are printed
            (and written) but do not stop the run.

        Raises
        ------
        ValueError
            If the table is empty.
        ClaimFailed
            If ``enforce`` and a claim failed that has neither a known-deviation
            nor a fragile note (message: the number of such claims and their
            statements).
        """
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
        if failed and enforce:
            raise ClaimFailed(f"{len(failed)} claim(s) failed: " + "; ".join(failed))
        if failed:
            print(f"{len(failed)} claim(s) failed, not enforced here (too few samples for the paper's tolerances): "
                  + "; ".join(failed))
