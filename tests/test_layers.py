"""Imports point one way: the office package → portal → welfare, recruitment, training →
participants → cohorts → the core in delegation/. Apps on one level never import each other,
and no module imports a project module inside a function, where an import dodges a cycle
instead of removing it. The project's wiring (settings, root URLs, the Celery app, management
commands such as the demo seeding, migrations) may import any app."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parents[1]

# Higher imports lower; equal levels do not import each other.
LEVELS = {
    "office": 5,
    "portal": 4,
    "welfare": 3,
    "recruitment": 3,
    "training": 3,
    "participants": 2,
    "cohorts": 1,
    "delegation": 0,
}

# The project's wiring puts the apps together and may import any of them.
WIRING = {
    "delegation/settings.py",
    "delegation/urls.py",
    "delegation/celery.py",
    "delegation/asgi.py",
    "delegation/wsgi.py",
}
# Where Django wants imports made late: an AppConfig's ready() runs once every model is loaded.
LATE_IMPORTS_ALLOWED = {"apps.py"}


@dataclass(frozen=True)
class Arrow:
    path: str
    line: int
    target: str
    late: bool

    def __str__(self) -> str:
        where = " inside a function" if self.late else ""
        return f"{self.path}:{self.line} imports {self.target}{where}"


def _is_wiring(relative: str) -> bool:
    parts = relative.split("/")
    return relative in WIRING or "migrations" in parts or "management" in parts


def _absolute(module: str | None, level: int, relative: str) -> str:
    """The absolute name of ``from <dots><module> import …`` written in ``relative``."""
    if not level:
        return module or ""
    package = relative.removesuffix(".py").split("/")[:-1]
    base = package[: len(package) - (level - 1)]
    return ".".join([*base, module] if module else base)


def _imports(tree: ast.AST, relative: str):
    """(line, module, inside a function) for every import of the module, and every
    ``import_module("…")`` with a written name."""

    def walk(node: ast.AST, in_function: bool):
        for child in ast.iter_child_nodes(node):
            late = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                for alias in child.names:
                    yield child.lineno, alias.name, in_function
            elif isinstance(child, ast.ImportFrom):
                module = _absolute(child.module, child.level, relative)
                for alias in child.names:
                    # "from training import documents" may name a module as well as a name.
                    yield child.lineno, f"{module}.{alias.name}", in_function
            elif (
                isinstance(child, ast.Call)
                and getattr(child.func, "attr", getattr(child.func, "id", "")) == "import_module"
                and child.args
                and isinstance(child.args[0], ast.Constant)
                and isinstance(child.args[0].value, str)
            ):
                yield child.lineno, child.args[0].value, in_function
            yield from walk(child, late)

    yield from walk(tree, False)


def arrows_against_the_order(source: str, relative: str) -> list[Arrow]:
    """The imports of one module (its path relative to the project) that break the order."""
    app = relative.split("/")[0]
    if app not in LEVELS or _is_wiring(relative):
        return []
    wrong = []
    for line, module, late in _imports(ast.parse(source), relative):
        target = module.split(".")[0]
        if target not in LEVELS:
            continue
        if late and Path(relative).name not in LATE_IMPORTS_ALLOWED:
            wrong.append(Arrow(relative, line, module, late=True))
        elif target != app and LEVELS[target] >= LEVELS[app]:
            wrong.append(Arrow(relative, line, module, late=False))
    return wrong


def project_modules():
    for app in LEVELS:
        folder = ROOT / app
        if folder.is_dir():
            for path in sorted(folder.rglob("*.py")):
                yield path.relative_to(ROOT).as_posix(), path


def test_every_import_points_down_the_layers():
    wrong = [
        str(arrow)
        for relative, path in project_modules()
        for arrow in arrows_against_the_order(path.read_text(), relative)
    ]
    assert wrong == []


def test_every_app_of_the_project_has_a_level():
    local = {
        config.name.split(".")[0]
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(ROOT)
        and "site-packages" not in Path(config.path).parts  # a virtualenv kept in the project
    }
    assert local - LEVELS.keys() == set()


@pytest.mark.parametrize(
    ("relative", "source"),
    [
        ("cohorts/models.py", "from participants.models import Participant\n"),
        ("delegation/access.py", "import cohorts.models\n"),
        ("training/services.py", "from recruitment.models import Application\n"),
        ("welfare/views.py", "from training import readiness\n"),
        ("training/views.py", "from portal.views import home\n"),
        ("portal/views.py", "from office.overviews import views\n"),
        (
            "participants/people.py",
            "from importlib import import_module\nimport_module('training.models')\n",
        ),
    ],
)
def test_it_refuses_an_arrow_that_points_up_or_sideways(relative, source):
    assert len(arrows_against_the_order(source, relative)) == 1


@pytest.mark.parametrize(
    ("relative", "source"),
    [
        ("office/overviews/views.py", "from training import readiness\nimport cohorts\n"),
        ("portal/views.py", "from welfare.models import Case\nfrom recruitment import services\n"),
        ("welfare/services.py", "from participants.models import Participant\n"),
        ("training/models.py", "from cohorts.models import Cohort\nfrom .readiness import check\n"),
        ("cohorts/models.py", "from delegation.roles import Role\n"),
        ("delegation/urls.py", "from office.overviews import views\n"),
        ("training/management/commands/seed.py", "from office.prints import services\n"),
        ("delegation/management/commands/seed_demo.py", "from training.demo import seed\n"),
        ("participants/apps.py", "def ready():\n    from participants import tasks\n"),
    ],
)
def test_it_accepts_an_arrow_that_points_down_and_the_project_wiring(relative, source):
    assert arrows_against_the_order(source, relative) == []


def test_it_refuses_an_import_inside_a_function_even_of_the_same_app():
    source = "def search(term):\n    from participants.models import Document\n    return term\n"
    (arrow,) = arrows_against_the_order(source, "participants/models/people.py")
    assert (arrow.line, arrow.target, arrow.late) == (2, "participants.models.Document", True)


def test_a_relative_import_is_read_as_the_module_it_names():
    (arrow,) = arrows_against_the_order("from ..training import models\n", "cohorts/views.py")
    assert arrow.target == "training.models"
