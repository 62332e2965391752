"""Every public function of pcn_core carries a numpydoc docstring with a doctested example
(tools/check_docstrings.py; the examples run under `--doctest-modules pcn_core` in make test),
and docs/API.md is the page generated from them."""
import importlib.util

import pytest

from pcn_core.paths import REPO_ROOT


def _tool(name):
    spec = importlib.util.spec_from_file_location(name, REPO_ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("module", _tool("check_docstrings").all_modules())
def test_public_api_has_numpydoc_docstrings_with_examples(module):
    problems = _tool("check_docstrings").check_module(module)
    assert not problems, "\n".join(problems)


def test_the_checker_catches_a_missing_section(tmp_path):
    checker = _tool("check_docstrings")

    def undocumented_raise(x: float) -> float:
        """Twice x.

        Parameters
        ----------
        x : float
            A number.

        Returns
        -------
        float
            2 x.
        """
        if x < 0:
            raise ValueError("x must be >= 0")
        return 2 * x

    problems = checker.check_function(undocumented_raise, "f", needs_example=True)
    assert any("no Raises section" in p for p in problems)
    assert any("no Examples section" in p for p in problems)


def test_api_page_is_current():
    page = _tool("api_page")
    assert (REPO_ROOT / "docs" / "API.md").read_text(encoding="utf-8") == page.render(), \
        "docs/API.md is out of date: run `python tools/api_page.py`"
