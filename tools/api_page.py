#!/usr/bin/env python
"""Write ``docs/API.md``: pcn_core's public API, module by module, from the docstrings.

Each module gets its docstring's first paragraph, then one line per public function
or class: its signature and the summary line of its docstring. The page is generated,
never edited by hand; ``tests/test_docstrings.py`` fails when it is out of date.

    python tools/api_page.py            # rewrite docs/API.md
    python tools/api_page.py --check    # exit 1 if docs/API.md differs from what it would write
"""
from __future__ import annotations

import argparse
import importlib
import inspect
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "API.md"


def _modules() -> list[str]:
    return sorted(p.stem for p in (ROOT / "pcn_core").glob("*.py") if not p.stem.startswith("_"))


def _first_paragraph(text: str | None) -> str:
    text = inspect.cleandoc(text or "")
    return " ".join(text.split("\n\n")[0].split())


def _signature(obj) -> str:
    try:
        text = str(inspect.signature(obj))
    except (TypeError, ValueError):
        return "(...)"
    # defaults that print with a memory address or a long repr would make the page unstable
    text = re.sub(r"<([^<>]*?) at 0x[0-9a-f]+>", r"<\1>", text)
    # postponed annotations print as strings: show them as written in the source
    return re.sub(r"(: |-> )'([^']*)'", r"\1\2", text)


def render() -> str:
    lines = ["# pcn_core API", "",
             "Generated from the docstrings by `python tools/api_page.py` (do not edit by hand).",
             "Every public function documents its parameters with units, what it returns and raises,",
             "the paper it implements, and a doctested example: `help(pcn_core.<module>.<name>)`.", ""]
    for name in _modules():
        module = importlib.import_module(f"pcn_core.{name}")
        lines += [f"## `pcn_core.{name}`", "", _first_paragraph(module.__doc__), ""]
        for attr, obj in vars(module).items():
            if attr.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            kind = "class " if inspect.isclass(obj) else ""
            summary = _first_paragraph(obj.__doc__).rstrip(".")
            lines.append(f"- `{kind}{attr}{_signature(obj)}`: {summary}.")
        lines.append("")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = PAGE.read_text(encoding="utf-8") if PAGE.exists() else ""
        if current != text:
            print(f"{PAGE.relative_to(ROOT)} is out of date: run `python tools/api_page.py`", file=sys.stderr)
            return 1
        return 0
    PAGE.parent.mkdir(exist_ok=True)
    PAGE.write_text(text, encoding="utf-8")
    print(f"wrote {PAGE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
