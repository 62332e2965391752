#!/usr/bin/env python
"""Check that pcn_core's public API carries numpydoc docstrings (used by tests/test_docstrings.py).

Rules, for every public module-level function and class of the given modules
(default: all of ``pcn_core``) and the public methods of public classes:

- a docstring whose sections parse with numpydoc (``numpydoc.docscrape``);
- ``Parameters`` listing exactly the function's parameters (``self``/``cls``
  excepted; ``*args``/``**kwargs`` as ``*args``/``**kwargs``), each with a description;
- ``Returns`` (or ``Yields``) unless the function is annotated ``-> None`` or is a property;
- ``Raises`` when the function's own body contains a ``raise`` statement;
- an ``Examples`` section with at least one ``>>>`` line for module-level
  functions and classes (run by ``--doctest-modules`` in ``make test``).

    python tools/check_docstrings.py [module ...]     # e.g. simulation spikestats
"""
from __future__ import annotations

import ast
import importlib
import inspect
import sys
from pathlib import Path

from numpydoc.docscrape import ClassDoc, FunctionDoc

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "pcn_core"


def _own_raise(function) -> bool:
    """Whether the function's own body (not nested functions) has a ``raise``."""
    try:
        tree = ast.parse(inspect.cleandoc("\n" + inspect.getsource(function)))
    except (OSError, TypeError, SyntaxError):
        return False
    top = tree.body[0]

    def walk(node):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                continue
            if isinstance(child, ast.Raise):
                return True
            if walk(child):
                return True
        return False

    return walk(top)


def _parameter_names(function) -> list[str]:
    names = []
    for p in inspect.signature(function).parameters.values():
        if p.name in ("self", "cls"):
            continue
        prefix = "*" if p.kind is p.VAR_POSITIONAL else "**" if p.kind is p.VAR_KEYWORD else ""
        names.append(prefix + p.name)
    return names


def _documented_names(doc) -> list[str]:
    names = []
    for param in doc["Parameters"]:
        # numpydoc allows "a, b : float" for several parameters sharing one description
        names.extend(n.strip() for n in param.name.split(","))
    return names


def check_function(function, where: str, *, needs_example: bool, is_property: bool = False) -> list[str]:
    problems = []
    if not (function.__doc__ or "").strip():
        return [f"{where}: no docstring"]
    try:
        doc = FunctionDoc(function) if not is_property else None
    except Exception as exc:  # numpydoc raises on malformed sections
        return [f"{where}: docstring does not parse as numpydoc ({exc})"]
    if is_property:
        return problems
    expected = _parameter_names(function)
    documented = _documented_names(doc)
    if expected and sorted(documented) != sorted(expected):
        problems.append(f"{where}: Parameters lists {documented}, the signature has {expected}")
    for param in doc["Parameters"]:
        if not "".join(param.desc).strip():
            problems.append(f"{where}: parameter {param.name!r} has no description")
    returns_none = inspect.signature(function).return_annotation in (None, "None")
    if not returns_none and not doc["Returns"] and not doc["Yields"] and function.__name__ != "__init__":
        problems.append(f"{where}: no Returns section")
    if _own_raise(function) and not doc["Raises"]:
        problems.append(f"{where}: raises but has no Raises section")
    if needs_example and ">>>" not in "\n".join(doc["Examples"]):
        problems.append(f"{where}: no Examples section with a doctest")
    return problems


def check_module(name: str) -> list[str]:
    module = importlib.import_module(f"pcn_core.{name}")
    problems = [] if (module.__doc__ or "").strip() else [f"pcn_core.{name}: no module docstring"]
    for attr, obj in vars(module).items():
        if attr.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
            continue
        where = f"pcn_core.{name}.{attr}"
        if inspect.isfunction(obj):
            problems += check_function(obj, where, needs_example=True)
        elif inspect.isclass(obj):
            if not (obj.__doc__ or "").strip():
                problems.append(f"{where}: no docstring")
                continue
            try:
                doc = ClassDoc(obj, config={"show_class_members": False})
            except Exception as exc:
                problems.append(f"{where}: class docstring does not parse as numpydoc ({exc})")
                continue
            if ">>>" not in "\n".join(doc["Examples"]):
                problems.append(f"{where}: no Examples section with a doctest")
            for member, value in vars(obj).items():
                if member.startswith("_"):
                    continue
                if isinstance(value, property):
                    problems += check_function(value.fget, f"{where}.{member}", needs_example=False,
                                               is_property=True)
                elif inspect.isfunction(value) or isinstance(value, (staticmethod, classmethod)):
                    function = value.__func__ if isinstance(value, (staticmethod, classmethod)) else value
                    problems += check_function(function, f"{where}.{member}", needs_example=False)
    return problems


def all_modules() -> list[str]:
    return sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__" and not p.stem.startswith("_"))


def main(argv=None) -> int:
    names = (argv if argv is not None else sys.argv[1:]) or all_modules()
    problems = [p for name in names for p in check_module(name)]
    print("\n".join(problems) if problems else f"docstrings complete in {len(names)} modules")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
