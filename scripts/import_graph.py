"""The import graph between the project's apps (issue 14).

Usage: .venv/bin/python scripts/import_graph.py [--where]

Reads every module of ``commonroom/<app>/`` except tests and migrations,
collects its ``from commonroom.X import`` / ``import commonroom.X`` lines
(relative imports resolved; imports inside functions count too) and prints,
for each app, the apps it imports, in the target layering's order (an
import of an app above it is marked ``^``). ``--where`` adds the
lines that make each edge. tests/test_import_graph.py asserts on the same
graph: the generic apps import no content app, and no cycle joins two apps.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "commonroom"

# Generic apps know no content app (DESIGN.md); accounts and legal sit below
# them and are not content apps.
GENERIC_APPS = (
    "core",
    "taxonomy",
    "api",
    "notifications",
    "moderation",
    "search",
    "oai",
    "syndication",
)
CONTENT_APPS = ("resources", "social", "library", "people", "messaging", "home", "demo")
# The target layering, lowest first: an app imports only apps listed before it.
LAYERS = (
    "core", "taxonomy", "accounts", "legal", "notifications", "moderation", "search",
    "oai", "syndication", "api", "resources", "social", "library", "people", "messaging",
    "home", "demo",
)  # fmt: skip

# app -> imported app -> "path:line" of each import that makes the edge
Graph = dict[str, dict[str, list[str]]]


def _is_excluded(parts: tuple[str, ...]) -> bool:
    name = parts[-1]
    return (
        "tests" in parts
        or "migrations" in parts
        or name.startswith("test_")
        or name == "conftest.py"
    )


def _modules(package_dir: Path) -> Iterator[tuple[str, Path]]:
    """(app, path) of every non-test, non-migration module of every app."""
    for app_dir in sorted(p for p in package_dir.iterdir() if (p / "__init__.py").is_file()):
        for path in sorted(app_dir.rglob("*.py")):
            if not _is_excluded(path.relative_to(package_dir).parts):
                yield app_dir.name, path


def _imported_names(tree: ast.Module, module: str, is_package: bool) -> Iterator[tuple[str, int]]:
    """Absolute dotted names each import of a module brings in, with its line."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                base = node.module or ""
            else:
                # ``from .x import y`` in a.b.c (module) is a.b.x; in a
                # package's __init__ the package itself is the anchor.
                anchor = module.split(".")
                drop = node.level - 1 if is_package else node.level
                anchor = anchor[: len(anchor) - drop] if drop else anchor
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            yield base, node.lineno
            # ``from commonroom import resources`` names the app in the alias.
            if base == PACKAGE:
                for alias in node.names:
                    yield f"{PACKAGE}.{alias.name}", node.lineno


def app_graph(root: Path = ROOT) -> Graph:
    package_dir = root / PACKAGE
    apps = {p.name for p in package_dir.iterdir() if (p / "__init__.py").is_file()}
    graph: Graph = {app: {} for app in sorted(apps)}
    for app, path in _modules(package_dir):
        relative = path.relative_to(root)
        is_package = path.name == "__init__.py"
        parts = relative.with_suffix("").parts
        module = ".".join(parts[:-1] if is_package else parts)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for name, line in _imported_names(tree, module, is_package):
            pieces = name.split(".")
            if len(pieces) < 2 or pieces[0] != PACKAGE:
                continue
            target = pieces[1]
            if target in apps and target != app:
                graph[app].setdefault(target, []).append(f"{relative}:{line}")
    return graph


def cycles(graph: Mapping[str, Mapping[str, object]]) -> list[list[str]]:
    """The strongly connected components of more than one app (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, {}):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
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

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def edges_within(graph: Graph, component: list[str]) -> list[tuple[str, str, list[str]]]:
    """(app, imported app, where) of each edge between two apps of a component."""
    inside = set(component)
    return [
        (app, target, graph[app][target])
        for app in sorted(inside, key=_rank)
        for target in sorted(graph[app], key=_rank)
        if target in inside
    ]


def content_imports_of_generic_apps(graph: Graph) -> dict[str, dict[str, list[str]]]:
    """For each generic app, the content apps it imports and where."""
    return {
        app: {
            target: where for target, where in sorted(graph[app].items()) if target in CONTENT_APPS
        }
        for app in GENERIC_APPS
        if app in graph and any(target in CONTENT_APPS for target in graph[app])
    }


def _rank(app: str) -> tuple[int, str]:
    return (LAYERS.index(app) if app in LAYERS else len(LAYERS), app)


def against_layering(graph: Graph) -> list[tuple[str, str]]:
    """Edges from an app to one listed after it in LAYERS (told, not enforced)."""
    return [
        (app, target)
        for app in sorted(graph, key=_rank)
        for target in sorted(graph[app], key=_rank)
        if app in LAYERS and target in LAYERS and _rank(target) > _rank(app)
    ]


def graph_text(graph: Graph, *, where: bool = False) -> str:
    """The app graph as text, in the target layering's order (lowest first):
    ``app -> what it imports``; an import of a higher app is marked ``^``."""
    upward = set(against_layering(graph))
    lines = []
    for app in sorted(graph, key=_rank):
        targets = sorted(graph[app], key=_rank)
        names = [f"{t}^" if (app, t) in upward else t for t in targets]
        lines.append(f"{app} -> {', '.join(names) if names else '(nothing)'}")
        if where:
            lines.extend(f"    {target}: {', '.join(graph[app][target])}" for target in targets)
    components = cycles(graph)
    lines.append(
        "cycles: " + ("; ".join(" <-> ".join(c) for c in components) if components else "none")
    )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    graph = app_graph()
    print(graph_text(graph, where="--where" in argv))
    upward = against_layering(graph)
    if upward:
        print("against the layering: " + ", ".join(f"{a} -> {t}" for a, t in upward))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
