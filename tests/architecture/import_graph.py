"""An AST reading of every import statement in a tree of packages (test helper, no I/O besides
reading files).

Unlike a runtime trace it sees every import, at module top AND inside functions, AND under
``if TYPE_CHECKING:`` (they never run, but a type-only back-edge is still a knot in the design:
the floors hold for type hints too). ``from pkg import name`` counts as an import
of ``pkg.name`` when that is a module, else of ``pkg``, as grimp (import-linter's engine) does.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Import", "ImportGraph", "function_level_imports", "read_graph"]


@dataclass(frozen=True)
class Import:
    """One import of ``imported`` by ``importer`` (dotted module names) at ``line``."""

    importer: str
    imported: str
    line: int
    in_function: bool
    guarded: bool = False
    """Inside ``try: ... except ImportError`` (the guard of an optional extra)."""
    type_only: bool = False
    """Under ``if TYPE_CHECKING:`` (read by type checkers only)."""


@dataclass
class ImportGraph:
    """The modules found (name -> file) and the imports between them."""

    modules: dict[str, Path]
    imports: list[Import]

    def edges(self) -> dict[str, set[str]]:
        """Importer -> the modules of the graph it imports."""
        result: dict[str, set[str]] = {name: set() for name in self.modules}
        for item in self.imports:
            result[item.importer].add(item.imported)
        return result

    def cycles(self) -> list[list[str]]:
        """Every strongly connected component with more than one module (Tarjan, iterative)."""
        edges = self.edges()
        index: dict[str, int] = {}
        low: dict[str, int] = {}
        stack: list[str] = []
        on_stack: set[str] = set()
        found: list[list[str]] = []
        counter = 0
        for root in sorted(edges):
            if root in index:
                continue
            work: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(edges[root])))]
            index[root] = low[root] = counter
            counter += 1
            stack.append(root)
            on_stack.add(root)
            while work:
                node, children = work[-1]
                child = next(children, None)
                if child is not None:
                    if child not in index:
                        index[child] = low[child] = counter
                        counter += 1
                        stack.append(child)
                        on_stack.add(child)
                        work.append((child, iter(sorted(edges[child]))))
                    elif child in on_stack:
                        low[node] = min(low[node], index[child])
                    continue
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component: list[str] = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
        return found


def _module_names(package_dirs: Iterable[Path]) -> dict[str, Path]:
    modules: dict[str, Path] = {}
    for package in package_dirs:
        for path in sorted(package.rglob("*.py")):
            parts = list(path.relative_to(package.parent).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for inner in node.body:
                skipped.update(id(sub) for sub in ast.walk(inner))
    return skipped


def _function_nodes(tree: ast.AST) -> set[int]:
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            inside.update(id(sub) for sub in ast.walk(node) if sub is not node)
    return inside


def _guarded_nodes(tree: ast.AST) -> set[int]:
    """Nodes in the body of a ``try`` that catches ``ImportError`` / ``ModuleNotFoundError``."""
    guarded: set[int] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Try):
            continue
        names = {ast.unparse(handler.type) for handler in node.handlers if handler.type is not None}
        if any("ImportError" in name or "ModuleNotFoundError" in name for name in names):
            for inner in node.body:
                guarded.update(id(sub) for sub in ast.walk(inner))
    return guarded


def _statements(
    modules: dict[str, Path],
) -> Iterator[tuple[str, ast.Import | ast.ImportFrom, list[str], bool, bool, bool]]:
    """Each import statement, module by module: (importer, statement, absolute dotted targets,
    inside a function, ImportError-guarded, under ``TYPE_CHECKING``)."""
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        skipped = _type_checking_nodes(tree)
        in_function = _function_nodes(tree)
        guarded = _guarded_nodes(tree)
        is_package = path.name == "__init__.py"
        for node in ast.walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = name.split(".")
                    if not is_package:
                        base.pop()
                    base = base[: len(base) - (node.level - 1)]
                    source = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    source = node.module or ""
                for alias in node.names:
                    full = f"{source}.{alias.name}"
                    targets.append(full if full in modules else source)
            else:
                continue
            flags = (id(node) in in_function, id(node) in guarded, id(node) in skipped)
            yield name, node, targets, *flags


def function_level_imports(package_dirs: Iterable[Path]) -> list[Import]:
    """Every import inside a function (``TYPE_CHECKING`` blocks aside) under ``package_dirs``,
    of any module: our own (as dotted module names) and third-party ones (as written)."""
    found: list[Import] = []
    for importer, node, targets, in_function, guarded, type_only in _statements(
        _module_names(package_dirs)
    ):
        if in_function and not type_only:
            found.extend(Import(importer, t, node.lineno, True, guarded) for t in targets)
    return found


def read_graph(package_dirs: Iterable[Path], *, type_checking: bool = True) -> ImportGraph:
    """Read every ``*.py`` under ``package_dirs`` (each a top-level package directory).

    ``type_checking=False`` leaves out the imports under ``if TYPE_CHECKING:``.
    """
    modules = _module_names(package_dirs)
    imports: list[Import] = []

    def known(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    for name, node, targets, in_function, guarded, type_only in _statements(modules):
        if type_only and not type_checking:
            continue
        for target in targets:
            imported = known(target)
            if imported is not None and imported != name:
                imports.append(Import(name, imported, node.lineno, in_function, guarded, type_only))
    return ImportGraph(modules, imports)
