"""Architecture rules that keep every read behind the access policy (DESIGN.md)."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "lantern"
VIEW_MODULES = sorted(
    {
        path
        for name in ("views.py", "api.py")
        for path in PACKAGE.rglob(name)
        if "migrations" not in path.parts
    }
    # Apps that split their views by use case keep them in a views/ package.
    | {path for path in PACKAGE.rglob("views/*.py")}
)


def _violations(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in {"objects", "_default_manager"}:
            found.append(f"{path.name}:{node.lineno} uses .{node.attr}")
        if isinstance(node, ast.Name) and node.id in {"get_object_or_404", "get_list_or_404"}:
            found.append(f"{path.name}:{node.lineno} uses {node.id}")
    return found


@pytest.mark.parametrize("module", VIEW_MODULES, ids=lambda path: str(path.relative_to(PACKAGE)))
def test_views_read_through_selectors_only(module):
    """Views never build querysets on models: they ask a selector, which asks core.access."""
    assert _violations(module) == []


def test_the_rule_catches_a_direct_query(tmp_path):
    offending = tmp_path / "views.py"
    offending.write_text("def page(request):\n    return Organisation.objects.get(pk=1)\n")
    assert _violations(offending) == ["views.py:2 uses .objects"]
