"""An import-linter contract of our own: no module imports another module's underscore names.

A leading underscore says "only this module relies on this"; importing it from elsewhere ties two
modules' insides together without anyone seeing it. Shared helpers get a public name and a home.
"""

from __future__ import annotations

import ast
from pathlib import Path

from grimp import ImportGraph
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


def _private_imports(module: str, internal: tuple[str, ...]) -> list[str]:
    # Found by path from the project root (where lint-imports runs), without importing anything:
    # the apps' models can't be imported before Django sets them up.
    base = Path(*module.split("."))
    path = base / "__init__.py" if base.is_dir() else base.with_suffix(".py")
    if not path.is_file():
        return []
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if not node.module.startswith(internal) or node.module == module:
                continue
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"{module}:{node.lineno} imports {alias.name} from {node.module}")
    return found


class NoPrivateImportsContract(Contract):
    """Options: `packages`, the packages whose modules may not import each other's `_names`."""

    packages = fields.ListField(subfield=fields.StringField())

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        packages: list[str] = list(self.packages)  # type: ignore[call-overload]
        internal = tuple(f"{package}." for package in packages) + tuple(packages)
        found: list[str] = []
        for module in sorted(graph.modules):
            if module.startswith(internal):
                found.extend(_private_imports(module, internal))
        return ContractCheck(kept=not found, metadata={"found": found})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for line in check.metadata["found"]:
            output.print_error(line)
