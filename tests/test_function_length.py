"""No function is longer than 60 lines, outside migrations: a longer one is split into named helpers."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 60
# Not ours (.venv, node_modules) or written by makemigrations (migrations); hidden folders are caches.
SKIPPED = {".venv", "node_modules", "migrations", "staticfiles"}


def python_files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts
        if not SKIPPED.intersection(parts) and not any(part.startswith(".") for part in parts):
            yield path


def long_functions(root: Path) -> list[str]:
    """``path:line name (n lines)`` for each function or method, however nested, over the limit: from its
    ``def`` line to its last line, decorators not counted."""
    found = []
    for path in python_files(root):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > MAX_LINES:
                    found.append(f"{path.relative_to(root)}:{node.lineno} {node.name} ({lines} lines)")
    return found


def test_no_function_is_longer_than_60_lines() -> None:
    offenders = long_functions(ROOT)
    assert offenders == [], "Split these into named helpers:\n" + "\n".join(offenders)


def test_the_check_finds_long_functions_and_methods_but_not_in_migrations(tmp_path: Path) -> None:
    def function(name: str, lines: int, indent: str = "") -> str:
        body = "".join(f"{indent}    x{n} = {n}\n" for n in range(lines - 1))
        return f"{indent}def {name}() -> None:\n{body}\n"

    (tmp_path / "app" / "migrations").mkdir(parents=True)
    (tmp_path / "app" / "services.py").write_text(
        function("just_short_enough", MAX_LINES)
        + function("too_long", MAX_LINES + 1)
        + "class Thing:\n"
        + function("long_method", MAX_LINES + 5, indent="    ")
    )
    (tmp_path / "app" / "migrations" / "0001_initial.py").write_text(function("generated", 500))
    assert long_functions(tmp_path) == [
        f"app/services.py:{MAX_LINES + 2} too_long ({MAX_LINES + 1} lines)",
        f"app/services.py:{2 * MAX_LINES + 5} long_method ({MAX_LINES + 5} lines)",
    ]
