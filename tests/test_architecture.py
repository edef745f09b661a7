"""Architecture rules that keep every read behind the access policy (DESIGN.md)."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "lantern"
VIEW_MODULES = sorted(
    {
        path
        for name in ("*views.py", "api.py")
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


# Apps from the bottom of the dependency graph to the top (DESIGN.md): an app may import the
# apps below it, never one above it, so that no two apps import each other.
LAYERS = (
    "core",
    "accounts",
    "public",
    "entities",
    "intelligence",
    "safeguarding",
    "operations",
    "outreach",
    "evaluation",
    "housekeeping",
    "demo",
)


def _imported_apps(path: Path) -> set[str]:
    """The Lantern apps a module imports, at module level or inside a function."""
    apps = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        apps.update(name.split(".")[1] for name in names if name.startswith("lantern."))
    return apps


def _imports_between_apps(package: Path) -> set[tuple[str, str]]:
    """Every (app, other app it imports) pair, migrations left out."""
    found = set()
    for app in LAYERS:
        for module in (package / app).rglob("*.py"):
            if "migrations" in module.parts:
                continue
            found |= {(app, other) for other in _imported_apps(module) if other != app}
    return found


def _upward_imports(package: Path) -> set[tuple[str, str]]:
    return {
        (app, other)
        for app, other in _imports_between_apps(package)
        if other in LAYERS and LAYERS.index(other) > LAYERS.index(app)
    }


def _apps_importing_each_other(package: Path) -> set[frozenset[str]]:
    imports = _imports_between_apps(package)
    return {frozenset(pair) for pair in imports if (pair[1], pair[0]) in imports}


def test_every_app_has_a_place_in_the_layers():
    apps = {path.name for path in PACKAGE.iterdir() if (path / "apps.py").exists()}
    assert apps == set(LAYERS)


def test_no_app_imports_an_app_above_it():
    assert _upward_imports(PACKAGE) == set()


def test_no_two_apps_import_each_other():
    assert _apps_importing_each_other(PACKAGE) == set()


def test_the_layer_rule_catches_an_upward_import(tmp_path):
    (tmp_path / "core").mkdir()
    (tmp_path / "outreach").mkdir()
    (tmp_path / "core" / "home.py").write_text(
        "def panel():\n    from lantern.outreach.selectors import campaigns\n"
    )
    (tmp_path / "outreach" / "views.py").write_text("from lantern.core import access\n")
    assert _upward_imports(tmp_path) == {("core", "outreach")}


# Services and selectors run from a page, the API, a command or the background worker: they
# take an audit context (core.audit.AuditContext), never the web request, and refuse with
# core.access.NotFoundOrNotAllowed, never Http404.
REQUEST_FREE_APPS = LAYERS


def _service_and_selector_modules(package: Path) -> list[Path]:
    modules = []
    for app in REQUEST_FREE_APPS:
        for room in ("services", "selectors"):
            modules.extend(package.glob(f"{app}/{room}.py"))
            modules.extend(package.glob(f"{app}/{room}/*.py"))
    return sorted(modules)


def _web_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        else:
            continue
        found.extend(
            f"{path.name}:{node.lineno} imports {name}"
            for name in names
            if name == "django.http" or name.startswith("django.http.")
        )
    return found


def test_the_rooms_checked_for_web_imports_are_found():
    modules = {str(path.relative_to(PACKAGE)) for path in _service_and_selector_modules(PACKAGE)}
    assert {
        "safeguarding/services.py",
        "operations/selectors.py",
        "outreach/services/campaigns.py",
        "evaluation/selectors/kpis.py",
        "accounts/services/invitations.py",
        "core/services.py",
        "housekeeping/services.py",
        "intelligence/services/submission.py",
        "intelligence/selectors.py",
        "entities/services.py",
        "entities/selectors.py",
    } <= modules


@pytest.mark.parametrize(
    "module",
    _service_and_selector_modules(PACKAGE),
    ids=lambda path: str(path.relative_to(PACKAGE)),
)
def test_services_and_selectors_need_no_web_request(module):
    """No ``HttpRequest`` to audit with, no ``Http404`` to refuse with: a command or the
    worker calls them as a page does."""
    assert _web_imports(module) == []


def test_the_web_import_rule_catches_one(tmp_path):
    (tmp_path / "services.py").write_text(
        "import django.http\nfrom django.http import Http404, HttpRequest\n"
    )
    assert _web_imports(tmp_path / "services.py") == [
        "services.py:1 imports django.http",
        "services.py:2 imports django.http",
    ]


def test_the_rule_catches_two_apps_importing_each_other(tmp_path):
    (tmp_path / "entities").mkdir()
    (tmp_path / "intelligence").mkdir()
    (tmp_path / "entities" / "models.py").write_text(
        "from lantern.intelligence.models import IntelligenceReport\n"
    )
    (tmp_path / "intelligence" / "services.py").write_text("import lantern.entities.models\n")
    assert _apps_importing_each_other(tmp_path) == {frozenset({"entities", "intelligence"})}
