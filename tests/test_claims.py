import json

import pytest

from pcn_core.claims import ClaimFailed, ClaimsTable


def test_within_and_report_write_json(tmp_path, capsys):
    t = ClaimsTable("paperx", "fig9", figures_root=tmp_path)
    assert t.within("rate in range", 5.0, low=1, high=10, unit="Hz").passed
    assert not t.within("too small", 0.5, low=1, known_deviation="documented").passed
    assert t.near("close", 1.04, 1.0, tolerance=0.05, relative=True).passed
    far = ClaimsTable("p", "f").near("far", 1.2, 1.0, tolerance=0.05)
    assert not far.passed and far.expected == "1 ± 0.05"
    t.holds("qualitative", True, measured="yes")
    t.report()
    out = capsys.readouterr().out
    assert "FAIL (known deviation)" in out and "PASS" in out
    rows = json.loads((tmp_path / "paperx" / "fig9_claims.json").read_text())
    assert [set(r) >= {"claim", "measured", "expected", "passed"} for r in rows] == [True] * 4
    assert [r["passed"] for r in rows] == [True, False, True, True]


def test_unexpected_failure_raises(tmp_path):
    t = ClaimsTable("paperx", "fig9", figures_root=tmp_path)
    t.within("nan never passes", float("nan"), low=0)
    with pytest.raises(ClaimFailed, match="nan never passes"):
        t.report()


def test_bad_arguments():
    t = ClaimsTable("p", "f")
    with pytest.raises(ValueError, match="low, high"):
        t.within("x", 1.0)
    with pytest.raises(ValueError, match="tolerance"):
        t.near("x", 1.0, 1.0, tolerance=-1)
    with pytest.raises(ValueError, match="empty"):
        t.report(write=False)


def test_claim_kinds_are_reported_and_checked(tmp_path, capsys):
    t = ClaimsTable("paperx", "fig9", figures_root=tmp_path)
    t.within("a falsifiable statement", 2.0, low=1, kind="reproduction")
    t.within("a fitted value", 2.0, high=1, kind="calibration", known_deviation="chosen elsewhere")
    t.holds("true by construction", True, measured="yes", kind="consistency")
    t.report()
    out = capsys.readouterr().out
    assert "Reproductions of the paper's statements: 1/1 pass (plus 1 calibrations, 1 consistency checks)" in out
    assert [r["kind"] for r in json.loads((tmp_path / "paperx" / "fig9_claims.json").read_text())] == \
        ["reproduction", "calibration", "consistency"]
    with pytest.raises(ValueError, match="kind must be one of"):
        t.within("x", 1.0, low=0, kind="guess")
