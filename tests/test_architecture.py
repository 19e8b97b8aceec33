"""The package's folders are the pipeline, and imports only run with the flow.

Reading the sources, the markup policy, the content and its checks, the pages made from it, the
feeds, the built site, the engine's own needs, the importer and the commands: each stage may use
the stages before it, never one after it. No module of the core imports the site engine, and no
module finds code by changing the module search path.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import socialcouncils

from conftest import REPO

PACKAGE = Path(socialcouncils.__file__).parent
# The stages in the order the build runs them; ``problems`` is the one shape all of them share.
STAGES = (
    "problems",
    "source",
    "policy",
    "content",
    "pages",
    "feeds",
    "site",
    "engine",
    "wordpress",
    "commands",
)
ENGINE_PACKAGES = ("mkdocs", "material", "properdocs", "zensical")


def stage_of(module: str) -> str:
    return module.split(".")[1] if module.count(".") >= 1 else module


def imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            assert node.level == 0, f"{path}: a relative import"
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_the_package_is_installed_from_the_repository() -> None:
    assert PACKAGE == REPO / "scripts" / "socialcouncils"


def test_every_folder_is_a_stage() -> None:
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders <= set(STAGES)
    for folder in folders:
        assert (PACKAGE / folder / "__init__.py").read_text(encoding="utf-8").startswith('"""')


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_imports_run_with_the_flow(path: Path) -> None:
    own = "socialcouncils." + path.relative_to(PACKAGE).with_suffix("").as_posix().replace("/", ".")
    own = own.removesuffix(".__init__")
    own_stage = STAGES.index(stage_of(own)) if own != "socialcouncils" else 0
    for module in imports(path):
        top = module.split(".")[0]
        assert top not in ENGINE_PACKAGES, f"{own} imports the site engine ({module})"
        if top == "socialcouncils" and module != "socialcouncils":
            used = STAGES.index(stage_of(module))
            assert used <= own_stage, f"{own} ({STAGES[own_stage]}) imports {module}, a later stage"


def test_nothing_changes_the_module_search_path() -> None:
    for folder in ("hooks", "scripts", "tests"):
        for path in (REPO / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            for forbidden in ("sys.path", "addsitedir"):
                assert forbidden not in text or path == Path(__file__), f"{path}: {forbidden}"
