"""The dependency contracts of the shipped packages, checked on their source.

Dependencies point one way (shell → screens → feature services → cache, drivers, contract),
and the reference server depends on the terminal only through the contract they share. A
contract written in a README drifts; this test reads every import of every shipped module
with ``ast`` — at module level, inside functions, and under ``TYPE_CHECKING`` (a type-only
import is still a dependency: it is what a reader must open to understand the module) —
resolves relative imports, and fails naming the module, the line and the import that
breaks a contract. It also finds import cycles: none may span more than one module.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("kiosk", "screens", "drivers", "offline_cache", "provisioning")

FEATURES = ("kiosk.booking", "kiosk.tracking", "kiosk.checkin", "kiosk.city", "kiosk.services", "kiosk.walkin",
            "kiosk.queue", "kiosk.waiting_room", "kiosk.demarches")

# What of the terminal a screen may import: its own kind, the toolkit's drawing context (theme,
# fonts, sizes) and the visit it belongs to, the feature services, and small shared helpers.
# The screens' view of the app is ``screens.base.ScreenHost``, never ``kiosk.shell.app.App``.
SCREENS_MAY_IMPORT_OF_KIOSK = (
    "kiosk.shell.ui", "kiosk.shell.theme", "kiosk.shell.fonts", "kiosk.shell.visit",
    *FEATURES, "kiosk.devices", "kiosk.admin", "kiosk.config",
    "kiosk.events", "kiosk.i18n", "kiosk.formatting", "kiosk.clock", "kiosk.text", "kiosk.line_breaks",
    "kiosk.printing", "kiosk.catalog_text",
)

# -- reading the imports ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Import:
    module: str        # the importing module
    target: str        # what it imports, resolved: a shipped module, or a third-party/stdlib name
    line: int
    lazy: bool         # inside a function (imported when called, not when the module loads)
    type_only: bool = False   # under ``if TYPE_CHECKING:``

    def __str__(self) -> str:
        where = ("inside a function" if self.lazy else "at module level") + (", type-only" if self.type_only else "")
        return f"{self.module} imports {self.target} (line {self.line}, {where})"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def shipped_modules() -> dict[str, Path]:
    return {_module_name(p): p for package in PACKAGES for p in sorted((REPO / package).rglob("*.py"))}


def _resolve(name: str) -> str:
    """The shipped module ``name`` designates (``pkg.mod.Class`` → ``pkg.mod``), or ``name`` itself
    when it is not shipped (stdlib, third party)."""
    modules = shipped_modules()
    probe = name
    while probe:
        if probe in modules:
            return probe
        probe = probe.rpartition(".")[0]
    return name


class _Collector(ast.NodeVisitor):
    def __init__(self, module: str, is_package: bool) -> None:
        self.module, self.is_package = module, is_package
        self.depth = 0
        self.type_checking = 0
        self.found: list[Import] = []

    def _add(self, name: str, line: int) -> None:
        found = Import(self.module, _resolve(name), line, self.depth > 0, self.type_checking > 0)
        if found.target != self.module and found not in self.found:   # ``from m import a, b``: once
            self.found.append(found)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def visit_If(self, node: ast.If) -> None:
        test = node.test
        name = test.id if isinstance(test, ast.Name) else test.attr if isinstance(test, ast.Attribute) else ""
        if name != "TYPE_CHECKING":
            self.generic_visit(node)
            return
        self.type_checking += 1
        for child in node.body:
            self.visit(child)
        self.type_checking -= 1
        for child in node.orelse:
            self.visit(child)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(alias.name, node.lineno)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            base = self.module.split(".")
            if not self.is_package:
                base.pop()
            base = base[:len(base) - (node.level - 1)]
            source = ".".join(base + ([node.module] if node.module else []))
        else:
            source = node.module or ""
        for alias in node.names:
            # ``from pkg import mod`` imports the module pkg.mod; ``from mod import name`` imports mod.
            self._add(f"{source}.{alias.name}" if alias.name != "*" else source, node.lineno)


@cache
def imports_of(module: str) -> tuple[Import, ...]:
    path = shipped_modules()[module]
    collector = _Collector(module, path.name == "__init__.py")
    collector.visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
    return tuple(collector.found)


def all_imports() -> Iterator[Import]:
    for module in shipped_modules():
        yield from imports_of(module)


def _within(name: str, prefixes: Iterable[str]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


# -- the contracts ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Contract:
    name: str
    sources: tuple[str, ...]                 # the modules the contract is about (prefixes)
    forbidden: tuple[str, ...]               # what they must not import (prefixes)
    allowed: tuple[str, ...] = ()            # exceptions inside ``forbidden`` (prefixes)
    allowed_exactly: tuple[str, ...] = ()    # exceptions inside ``forbidden`` (that module, not below it)
    exempt: tuple[str, ...] = ()             # source modules the contract does not cover

    def breaches(self) -> list[Import]:
        return [i for i in all_imports()
                if _within(i.module, self.sources) and not _within(i.module, self.exempt)
                and _within(i.target, self.forbidden) and not _within(i.target, self.allowed)
                and i.target not in self.allowed_exactly]


CONTRACTS = [
    Contract("screens use the toolkit, the feature services and ScreenHost; never drivers, the network, "
             "SQLite, the reference server, developer tools or the app itself",
             sources=("screens",),
             forbidden=("kiosk", "drivers", "offline_cache", "provisioning",
                        "sqlite3", "requests", "evdev", "escpos", "usb", "serial", "pyudev"),
             allowed=SCREENS_MAY_IMPORT_OF_KIOSK, allowed_exactly=("kiosk",)),   # kiosk.__version__
    Contract("the reference server shares only the contract and its models with the terminal",
             sources=("kiosk.demo_api",),
             forbidden=("kiosk", "screens", "drivers", "offline_cache", "provisioning"),
             allowed=("kiosk.demo_api", "kiosk.api")),
    Contract("drivers know no screen, no shell and no feature (they post kiosk.events)",
             sources=("drivers",),
             forbidden=("screens", "kiosk.shell", *FEATURES)),
    Contract("the offline cache knows no screen, no shell and no driver",
             sources=("offline_cache",),
             forbidden=("screens", "kiosk.shell", "drivers")),
    Contract("feature packages know no screen and no shell",
             sources=FEATURES,
             forbidden=("screens", "kiosk.shell")),
    Contract("nothing shipped imports the developer tools (kiosk.cli's developer commands do, lazily)",
             sources=PACKAGES,
             forbidden=("kiosk.devtools",),
             exempt=("kiosk.devtools", "kiosk.cli")),
]


@pytest.mark.parametrize("contract", CONTRACTS, ids=lambda c: c.name.split(" ")[0] + "-" + c.sources[0])
def test_dependency_contract(contract: Contract) -> None:
    breaches = contract.breaches()
    assert not breaches, f"contract broken: {contract.name}\n  " + "\n  ".join(map(str, breaches))


def test_the_cli_imports_developer_tools_only_when_a_developer_command_runs() -> None:
    eager = [i for i in imports_of("kiosk.cli") if _within(i.target, ("kiosk.devtools",)) and not i.lazy]
    assert not eager, "kiosk.cli must import developer tools inside the command that uses them:\n  " + \
        "\n  ".join(map(str, eager))


# -- cycles ----------------------------------------------------------------------------------------
def import_graph() -> dict[str, set[str]]:
    modules = shipped_modules()
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for i in all_imports():
        if i.target in modules:
            graph[i.module].add(i.target)
    return graph


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm, iterative (the graph is a few hundred modules deep at worst)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            for nxt in successors:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph[nxt]))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    found.append(component)
    return found


def _cycle_path(graph: dict[str, set[str]], component: set[str]) -> list[str]:
    """One concrete cycle through the component, to say where to cut."""
    start = min(component)
    path, seen = [start], {start}
    node = start
    while True:
        nxt = sorted(graph[node] & component)
        back = start if start in nxt else None
        if back is not None and len(path) > 1:
            return [*path, start]
        fresh = [n for n in nxt if n not in seen]
        if not fresh:
            return [*path, "…"]
        node = fresh[0]
        path.append(node)
        seen.add(node)


def test_no_import_cycle_spans_more_than_one_module() -> None:
    graph = import_graph()
    cycles = [c for c in strongly_connected(graph) if len(c) > 1]
    report = [f"{len(c)} modules: {', '.join(sorted(c))}\n    for example {' → '.join(_cycle_path(graph, c))}"
              for c in cycles]
    assert not cycles, "import cycles:\n  " + "\n  ".join(report)


# -- the reader itself -----------------------------------------------------------------------------
def test_the_reader_sees_lazy_type_only_and_relative_imports() -> None:
    """The contracts are only as good as the import reader: check it on modules whose imports are known."""
    found = {(i.target, i.lazy) for i in imports_of("kiosk.shell.app")}
    assert ("kiosk.shell.main_loop", True) in found             # inside App.run
    assert ("kiosk.shell.navigation", False) in found
    typed = {i.target for i in imports_of("kiosk.shell.failsafe")}
    assert "screens.shell.failsafe" in typed
    collector = _Collector("kiosk.city.guide", is_package=False)
    collector.visit(ast.parse("from . import agenda\nfrom ..api import models\nfrom .wording import state_words\n"
                              "if TYPE_CHECKING:\n    from kiosk.shell.app import App\n"))
    assert [i.target for i in collector.found] == ["kiosk.city.agenda", "kiosk.api.models", "kiosk.city.wording",
                                                   "kiosk.shell.app"]
    assert [i.type_only for i in collector.found] == [False, False, False, True]
