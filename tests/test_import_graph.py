"""Issue 14 acceptance: the import graph between the apps.

Over every non-test, non-migration module of ``commonroom/<app>/``
(``from commonroom.X import`` / ``import commonroom.X``): the generic apps
import no content app, and no cycle joins two apps. ``pytest -s`` prints the
graph; ``scripts/import_graph.py`` prints it too (``--where`` for the lines).
"""

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("import_graph", ROOT / "scripts/import_graph.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("import_graph", module)
    spec.loader.exec_module(module)
    return module


import_graph = _load_script()


@pytest.fixture(scope="module")
def graph() -> dict[str, dict[str, list[str]]]:
    return import_graph.app_graph(ROOT)


def test_issue14_the_app_graph_is_printed(graph):
    text = import_graph.graph_text(graph)
    print("\n" + text)
    assert text.splitlines()[0] == "core -> (nothing)"


def test_issue14_generic_apps_import_no_content_app(graph):
    offending = import_graph.content_imports_of_generic_apps(graph)
    report = "\n".join(
        f"{app} -> {target}: {', '.join(where)}"
        for app, targets in offending.items()
        for target, where in targets.items()
    )
    assert offending == {}, "generic apps import content apps:\n" + report


def test_issue14_no_cycle_between_apps(graph):
    components = import_graph.cycles(graph)
    assert components == [], (
        "apps joined in import cycles (strongly connected components): "
        + "; ".join(" <-> ".join(c) for c in components)
        + "\nimports against the target layering (DESIGN.md, issue 14): "
        + ", ".join(f"{a} -> {t}" for a, t in import_graph.against_layering(graph))
        + "\nthe edges inside them:\n"
        + "\n".join(
            f"{app} -> {target}: {', '.join(where)}"
            for component in components
            for app, target, where in import_graph.edges_within(graph, component)
        )
    )


# --- the tool itself, on a small tree -------------------------------------------------


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / "commonroom" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def test_issue14_the_graph_reads_every_import_form_and_skips_tests_and_migrations(tmp_path):
    root = _tree(
        tmp_path,
        {
            "core/__init__.py": "",
            "core/views.py": "def f():\n    from commonroom.resources.models import R\n",
            "core/tests/__init__.py": "from commonroom.social import x\n",
            "core/tests/test_x.py": "import commonroom.library\n",
            "core/migrations/0001_initial.py": "import commonroom.library.models\n",
            "resources/__init__.py": "",
            "resources/models.py": "import commonroom.core.models\nfrom ..social import y\n",
            "resources/sub/__init__.py": "from commonroom import library\n",
            "social/__init__.py": "",
            "library/__init__.py": "",
            "locale/readme.py": "import commonroom.social\n",  # not an app: no __init__.py
        },
    )
    graph = import_graph.app_graph(root)
    assert {app: sorted(targets) for app, targets in graph.items()} == {
        "core": ["resources"],
        "library": [],
        "resources": ["core", "library", "social"],
        "social": [],
    }
    assert graph["core"]["resources"] == ["commonroom/core/views.py:2"]
    assert import_graph.content_imports_of_generic_apps(graph) == {
        "core": {"resources": ["commonroom/core/views.py:2"]}
    }
    assert import_graph.cycles(graph) == [["core", "resources"]]


def test_issue14_cycles_are_the_strongly_connected_components():
    graph: dict[str, dict[str, list[str]]] = {
        "a": {"b": []},
        "b": {"c": []},
        "c": {"a": []},
        "d": {"e": []},
        "e": {"d": []},
        "f": {"a": []},
    }
    assert import_graph.cycles(graph) == [["a", "b", "c"], ["d", "e"]]
    assert import_graph.cycles({"a": {"b": []}, "b": {}}) == []
