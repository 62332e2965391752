import importlib.util
import json
from pathlib import Path

import pytest

from pcn_core.claims import ClaimFailed, ClaimsTable, summary_lines


R, C, K = "reproduction", "calibration", "consistency"


def test_within_and_report_write_json(tmp_path, capsys):
    t = ClaimsTable("paperx", "fig9", figures_root=tmp_path)
    assert t.within("rate in range", 5.0, low=1, high=10, unit="Hz", kind=R).passed
    assert not t.within("too small", 0.5, low=1, known_deviation="measured 0.5, below 1", kind=R).passed
    assert t.near("close", 1.04, 1.0, tolerance=0.05, relative=True, kind=R).passed
    far = ClaimsTable("p", "f").near("far", 1.2, 1.0, tolerance=0.05, kind=R)
    assert not far.passed and far.expected == "1 ± 0.05"
    t.holds("qualitative", True, measured="yes", kind=R)
    t.report()
    out = capsys.readouterr().out
    assert "FAIL (known deviation)" in out and "PASS" in out
    rows = json.loads((tmp_path / "paperx" / "fig9_claims.json").read_text())
    assert [set(r) >= {"claim", "measured", "expected", "passed"} for r in rows] == [True] * 4
    assert [r["passed"] for r in rows] == [True, False, True, True]


def test_unexpected_failure_raises(tmp_path):
    t = ClaimsTable("paperx", "fig9", figures_root=tmp_path)
    t.within("nan never passes", float("nan"), low=0, kind=R)
    with pytest.raises(ClaimFailed, match="nan never passes"):
        t.report()


def test_bad_arguments():
    t = ClaimsTable("p", "f")
    with pytest.raises(ValueError, match="low, high"):
        t.within("x", 1.0, kind=R)
    with pytest.raises(ValueError, match="tolerance"):
        t.near("x", 1.0, 1.0, tolerance=-1, kind=R)
    with pytest.raises(ValueError, match="empty"):
        t.report(write=False)


def test_claim_kinds_are_reported_and_checked(tmp_path, capsys):
    t = ClaimsTable("paperx", "fig9", figures_root=tmp_path)
    t.within("a falsifiable statement", 2.0, low=1, kind="reproduction")
    t.within("a fitted value", 2.0, high=1, kind="calibration", known_deviation="chosen elsewhere: 2 > 1")
    t.holds("true by construction", True, measured="yes", kind="consistency")
    t.report()
    out = capsys.readouterr().out
    assert "Reproductions of the paper's statements: 1/1 pass (plus 1 calibrations, 1 consistency checks)" in out
    assert [r["kind"] for r in json.loads((tmp_path / "paperx" / "fig9_claims.json").read_text())] == \
        ["reproduction", "calibration", "consistency"]
    with pytest.raises(ValueError, match="kind must be one of"):
        t.within("x", 1.0, low=0, kind="guess")


def test_kind_is_required_and_a_known_deviation_needs_a_measurement():
    t = ClaimsTable("p", "f")
    with pytest.raises(ValueError, match="kind is required.*'no kind'"):
        t.within("no kind", 1.0, low=0)
    with pytest.raises(ValueError, match="kind is required"):
        t.holds("no kind either", True, measured="yes")
    with pytest.raises(ValueError, match="measured reason"):
        t.within("vague", 0.0, low=1, kind=R, known_deviation="the model differs")
    assert t.rows == []  # refused claims are not added
    assert not t.within("quoted", 0.0, low=1, kind=R, known_deviation="measured 0.0 against >= 1").passed


def test_report_lists_calibrations_deviations_and_stale_notes(tmp_path, capsys):
    t = ClaimsTable("paperx", "fig9", figures_root=tmp_path)
    t.within("r1 passes", 2.0, low=1, kind=R)
    t.within("r2 fails, known", 0.5, low=1, kind=R, known_deviation="0.5 measured")
    t.within("r3 passes, stale note", 2.0, low=1, kind=R, known_deviation="was 0.5 once")
    t.near("c1 hit by a chosen parameter", 0.75, 0.75, tolerance=0.1, kind=C)
    t.holds("k1 identity", True, measured="yes", kind=K)
    t.report()
    out = capsys.readouterr().out.splitlines()
    assert out[:9] == [
        "Claims for paperx fig9: 4/5 pass",
        "Reproductions of the paper's statements: 2/3 pass (plus 1 calibrations, 1 consistency checks)",
        "Calibrations (a parameter was chosen to hit these; not counted as reproductions): 1",
        "  - [calibration] c1 hit by a chosen parameter",
        "Known deviations (failing, with a measured reason): 1",
        "  - [reproduction] r2 fails, known",
        "Stale known-deviation notes (the claim passes; revise the note): 1",
        "  - [reproduction] r3 passes, stale note",
        "  PASS    [reproduction] r1 passes                     [expected >= 1]"]
    assert "          known deviation: 0.5 measured" in out
    assert "          stale known-deviation note (the claim passes): was 0.5 once" in out
    table = t.table()
    assert list(table["kind"]) == [R, R, R, C, K]
    assert table["known deviation"].iloc[2] == "was 0.5 once (stale: passes)"


def _run_notebooks_module():
    path = Path(__file__).resolve().parent.parent / "tools" / "run_notebooks.py"
    spec = importlib.util.spec_from_file_location("run_notebooks", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_figures_index_counts_reproductions_per_figure_and_per_paper(tmp_path):
    for figure, rows in {"fig1": [("a", R, True, ""), ("b", R, False, "measured 2"), ("c", C, True, "")],
                         "fig2": [("d", R, True, "old note 3"), ("e", K, True, "")]}.items():
        t = ClaimsTable("paperx", figure, figures_root=tmp_path)
        for claim, kind, ok, note in rows:
            t.holds(claim, ok, measured="m", kind=kind, known_deviation=note)
        t.report()
        (tmp_path / "paperx" / f"{figure}.png").write_bytes(b"")
    text = _run_notebooks_module().write_figures_index(tmp_path).read_text()
    assert "| paperx | 2/3 | 1 | 1 | 1 | 1 | 0 |" in text
    assert "Reproductions passed / made, whole paper: 2/3 (per figure: fig1 1/2, fig2 1/1)." in text
    assert "- [calibration] c" in text and "- [reproduction] b" in text
    assert "| d | reproduction | m | true | PASS (stale known-deviation note) | old note 3 |" in text
    assert "| b | reproduction | m | true | FAIL (known deviation) | measured 2 |" in text


def test_fragile_claim_is_never_stale_and_its_failure_is_known(tmp_path, capsys):
    table = ClaimsTable("paper", "fig1", figures_root=tmp_path)
    note = "the median over 200 seeds is -0.898, at the tolerance"
    table.within("passes today", -0.91, high=-0.9, kind="reproduction", fragile=note)
    table.within("fails today", -0.89, high=-0.9, kind="reproduction", fragile=note)
    table.within("plain", 1.0, low=0.0, kind="reproduction")
    table.report()  # a failing fragile claim does not stop the notebook
    out = capsys.readouterr().out
    assert f"fragile: {note}" in out and "stale" not in out
    assert [r.verdict for r in table.rows] == ["PASS", "FAIL (known deviation)", "PASS"]
    rows = json.loads((tmp_path / "paper" / "fig1_claims.json").read_text())
    assert rows[0]["fragile"] == note and "fragile" not in rows[2]  # written only where set
    assert "known deviations (failing, with a measured reason): 1" in "\n".join(summary_lines(rows)).lower()
    with pytest.raises(ValueError, match="quote the measured number"):
        table.within("vague", 1.0, low=0.0, kind="reproduction", fragile="depends on the seed")
    with pytest.raises(ValueError, match="not both"):
        table.within("both", 1.0, low=0.0, kind="reproduction", fragile=note, known_deviation=note)


def test_a_window_that_cannot_pass_is_refused(tmp_path):
    with pytest.raises(ValueError, match="low must not exceed high"):
        ClaimsTable("paper", "fig1", figures_root=tmp_path).within("x", 1.0, low=2.0, high=1.0, kind="reproduction")


def test_an_unenforced_failure_is_printed_and_written_but_does_not_raise(tmp_path, capsys):
    table = ClaimsTable("paper", "fig1", figures_root=tmp_path)
    table.within("fails", 2.0, high=1.0, kind="reproduction")
    table.within("passes", 0.5, high=1.0, kind="reproduction")
    table.report(enforce=False)  # what the quick preset does
    out = capsys.readouterr().out
    assert "1 claim(s) failed, not enforced here" in out and "fails" in out
    rows = json.loads((tmp_path / "paper" / "fig1_claims.json").read_text())
    assert [r["passed"] for r in rows] == [False, True]
    with pytest.raises(ClaimFailed, match="1 claim"):
        table.report()


def test_every_notebook_enforces_its_claims_except_at_the_quick_preset():
    for path in sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*_fig*.ipynb")):
        code = ["".join(c["source"]) for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"]
        calls = [line for cell in code for line in cell.splitlines() if "claims.report(" in line]
        assert calls == ['claims.report(enforce=preset != "quick")  # quick: too few samples for the paper\'s tolerances'], path.name
