"""The test tree's own rule: support code lives in plain modules, never in conftest or a test.

conftest.py is pytest's (fixtures only), and a test module is collected, not imported: importing
from either couples tests to each other's internals and runs module-level code twice over.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _module_name(path: Path, top: Path) -> str:
    parts = list(path.relative_to(top).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, top: Path) -> list[tuple[int, list[str]]]:
    """Per import statement: its line and the absolute modules it may load (relative resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _module_name(path, top).split(".")
    if path.name != "__init__.py":
        package.pop()
    found: list[tuple[int, list[str]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, [alias.name]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            # `from tests.bot import test_log` loads the module tests.bot.test_log too.
            found.append((node.lineno, [module, *(f"{module}.{a.name}" for a in node.names)]))
    return found


def _forbidden(module: str) -> bool:
    parts = module.split(".")
    return parts[0] == "tests" and any(p == "conftest" or p.startswith("test_") for p in parts)


def forbidden_imports(root: Path = TESTS) -> list[str]:
    """Imports of tests.conftest or of a test_* module, anywhere under `root`."""
    problems = []
    top = root.parent  # the directory `tests` is imported from
    for path in sorted(root.rglob("*.py")):
        for line, modules in _imports(path, top):
            bad = [m for m in modules if _forbidden(m)]
            if bad:
                problems.append(f"{path.relative_to(top)}:{line}: imports {bad[0]}")
    return problems


def test_no_module_imports_from_conftest_or_a_test_module() -> None:
    assert forbidden_imports() == []


def test_the_check_sees_absolute_relative_and_submodule_imports(tmp_path: Path) -> None:
    root = tmp_path / "tests"
    (root / "bot").mkdir(parents=True)
    (root / "bot" / "ok.py").write_text("from tests.seed import seed_skills\nimport json\n")
    (root / "bot" / "bad.py").write_text(
        "from tests.conftest import START\n"
        "import tests.bot.test_log\n"
        "from .test_log import flat\n"
        "from tests.bot import test_log\n"
    )
    found = [p.split(": ", 1)[1] for p in forbidden_imports(root)]
    assert found == [
        "imports tests.conftest",
        "imports tests.bot.test_log",
        "imports tests.bot.test_log",
        "imports tests.bot.test_log",
    ]
