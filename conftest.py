"""Notebooks that analyse a real recording declare it in their metadata
(``"pcn_core": {"requires_data": ["h1"]}``); without it, nbval skips every cell
of that notebook with a reason naming the file and ``make data``, instead of
failing on outputs computed with the recording."""
from pathlib import Path

import pytest


def pytest_collection_modifyitems(config, items):
    from pcn_core import datasets
    from pcn_core.notebook import notebook_requirements

    reasons: dict[Path, str | None] = {}
    for item in items:
        path = Path(str(item.fspath))
        if path.suffix != ".ipynb":
            continue
        if path not in reasons:
            missing = [k for k in notebook_requirements(path) if not datasets.available(k)]
            reasons[path] = None if not missing else (
                f"{path.name} needs the recording(s) "
                + ", ".join(datasets.REGISTRY[k].name for k in missing)
                + ": run `make data` or set PCN_DATA_DIR")
        if reasons[path]:
            item.add_marker(pytest.mark.skip(reason=reasons[path]))
