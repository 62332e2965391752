"""environment.yml (conda users) and pyproject.toml (pip) must list the same packages."""
import re
import tomllib

import yaml

from pcn_core.paths import REPO_ROOT


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _spec(requirement: str) -> str:
    return requirement.replace(" ", "").lower().replace("_", "-")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    pip_reqs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        pip_reqs += extra
    conda = yaml.safe_load((REPO_ROOT / "environment.yml").read_text())["dependencies"]
    conda_reqs = [d for d in conda if isinstance(d, str) and _name(d) not in ("python", "pip")]
    assert sorted(map(_spec, pip_reqs)) == sorted(map(_spec, conda_reqs))
    # the python floor agrees too
    python = [d for d in conda if isinstance(d, str) and _name(d) == "python"]
    assert python == ["python" + project["requires-python"]]


def test_ci_runs_the_readme_test_command():
    readme = (REPO_ROOT / "README.md").read_text()
    ci = (REPO_ROOT / ".ci" / "run").read_text()
    assert "make test" in readme and "make figures" in readme
    assert re.search(r"^make test$", ci, re.M)
