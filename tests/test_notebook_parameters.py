"""Every notebook validates its parameters with the shared helper, and wrong kinds
or ranges are refused with the parameter's name."""
import json

import pytest

from pcn_core import notebook
from pcn_core.notebook import NOTEBOOKS_DIR, ParameterError

NOTEBOOKS = sorted(p.stem for p in NOTEBOOKS_DIR.glob("*_fig*.ipynb"))


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_checks_its_parameters_right_after_the_parameters_cell(name):
    path = notebook.notebook_path(name)
    nb = json.loads(path.read_text())
    assert nb["metadata"]["kernelspec"]["name"] == "python3"  # papermill needs it
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    index = next(i for i, c in enumerate(code) if "parameters" in c["metadata"].get("tags", []))
    assert f'notebook.check_parameters(globals(), "{name}"' in "".join(code[index + 1]["source"])
    defaults = notebook.parameter_defaults(path)
    assert defaults["preset"] == "default" and "seed" in defaults
    notebook.check_parameters(defaults, name)  # the defaults themselves pass


# (notebook, parameter, bad value, words the error must contain)
BAD_PARAMETERS = [
    ("boerlin2013_fig1", "n_trials", "abc", "n_trials must be an integer"),
    ("boerlin2013_fig1", "dt", "fast", "dt must be a finite number"),
    ("boerlin2013_fig1", "n_trials", -3, "n_trials must be an integer >= 1"),
    ("boerlin2013_fig1", "n_trials", 2.5, "n_trials must be an integer"),
    ("boerlin2013_fig1", "duration", float("nan"), "duration must be a finite number"),
    ("boerlin2013_fig1", "voltage_noise", -1e-4, "voltage_noise must be a number > 0"),
    ("boerlin2013_fig1", "seed", -1, "seed must be an integer >= 0"),
    ("boerlin2013_fig1", "preset", "fast", "preset must be one of"),
    ("boerlin2013_fig2", "tuning_levels", "1,2", "tuning_levels must be a list"),
    ("boerlin2013_fig2", "perturbation_window", [0.2, 0.05], "perturbation_window must be an increasing pair"),
    ("boerlin2013_fig5", "reach_centre", (0.0,), "reach_centre must have 2 elements"),
    ("zador1998_fig1", "release_probability_b", 1.5, "probability in [0, 1]"),
    ("bialek1991_fig1", "two_eyes", "yes", "two_eyes must be True or False"),
    ("bialek1991_fig1", "data_dir", 3, "data_dir must be None or a path"),
]


@pytest.mark.parametrize("name, parameter, value, message", BAD_PARAMETERS)
def test_bad_parameters_are_refused_by_name(name, parameter, value, message):
    values = notebook.parameter_defaults(notebook.notebook_path(name))
    values[parameter] = value
    with pytest.raises(ParameterError, match=message.replace("[", r"\[").replace("]", r"\]")):
        notebook.check_parameters(values, name)


def test_signed_parameters_may_change_sign_and_unknown_names_are_an_error():
    values = notebook.parameter_defaults(notebook.notebook_path("boerlin2013_fig3"))
    values["stimulus_amplitude"] = -2.0
    notebook.check_parameters(values, "boerlin2013_fig3", signed=["stimulus_amplitude"])
    with pytest.raises(ParameterError, match="stimulus_amplitude must be a number > 0"):
        notebook.check_parameters(values, "boerlin2013_fig3")
    with pytest.raises(ValueError, match="does not have"):
        notebook.check_parameters(values, "boerlin2013_fig3", signed=["no_such_parameter"])


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_papermill_parses_every_parameter(name):
    """papermill must see every parameter (a comment with '=' hides a line from it,
    and `-p` then warns 'unknown parameter' for it)."""
    import nbformat
    from papermill.translators import PythonTranslator

    path = notebook.notebook_path(name)
    cell = next(c for c in nbformat.read(path, as_version=4).cells if "parameters" in c.metadata.get("tags", []))
    parsed = {p.name for p in PythonTranslator.inspect(cell)}
    assert set(notebook.parameter_defaults(path)) <= parsed


def test_by_preset_picks_the_value_and_names_a_bad_preset():
    from pcn_core.notebook import ParameterError, by_preset

    values = dict(quick=0.25, default=1.0, paper=4.0)
    assert [by_preset(p, **values) for p in ("quick", "default", "paper")] == [0.25, 1.0, 4.0]
    with pytest.raises(ParameterError, match="preset must be one of"):
        by_preset("fast", **values)
