"""The package's shape: no import cycles, no module reaching into another's private names,
heavy libraries imported only when used."""
from __future__ import annotations

import ast
import json
from pathlib import Path

from conftest import ROOT, run_python

PACKAGE = ROOT / "assistant"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def test_no_import_cycles():
    """grimp (the import graph behind import-linter) over every import statement, function-
    level ones included; Tarjan's strongly connected components must all be single modules."""
    import grimp

    graph = grimp.build_graph("assistant")
    edges = {m: {x for x in graph.find_modules_directly_imported_by(m)
                 if x.startswith("assistant")} for m in graph.modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    for m in sorted(edges):
        if m not in index:
            visit(m)
    assert len(edges) > 30
    assert cycles == []


def test_no_module_uses_another_modules_private_names():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        here = _module_name(path)
        package = here if path.name == "__init__.py" else here.rsplit(".", 1)[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module_aliases: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[:len(anchor) - (node.level - 1)]
                    base = ".".join(anchor + ([base] if base else []))
                if not base.startswith("assistant"):
                    continue
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        offenders.append(f"{here}: from {base} import {alias.name}")
                    module_aliases.add(alias.asname or alias.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("assistant"):
                        module_aliases.add(alias.asname or alias.name.split(".")[0])
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and node.value.id in module_aliases and node.attr.startswith("_") \
                    and not node.attr.startswith("__"):
                offenders.append(f"{here}: {node.value.id}.{node.attr}")
    assert offenders == []


def test_the_folders_show_the_pipeline():
    names = {p.stem if p.is_file() else p.name for p in PACKAGE.iterdir()
             if p.suffix == ".py" or (p.is_dir() and (p / "__init__.py").exists())}
    for stage in ("loading", "structure", "extract", "chunking", "embedding", "index", "search",
                  "queries", "quoting", "checks", "answering", "render", "app", "uploads",
                  "evaluation", "settings"):
        assert stage in names, stage


def test_answering_imports_nothing_heavy_until_used(seed_index):
    """Importing the package and loading an ONNX index imports no torch, gradio or
    sentence-transformers; answering with it imports no torch either."""
    out = run_python(
        "import json, sys\n"
        "from assistant import Assistant\n"
        "import assistant.app\n"
        f"a = Assistant.load({str(seed_index)!r})\n"
        "heavy = lambda: sorted(m for m in ('torch', 'gradio', 'sentence_transformers', "
        "'onnxruntime') if m in sys.modules)\n"
        "before = heavy()\n"
        "a.answer('How long is the reflection period?')\n"
        "print(json.dumps([before, heavy()]))", timeout=180)
    before, after = json.loads(out)
    assert before == [] and after == ["onnxruntime"]
