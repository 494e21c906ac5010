"""The committed translation catalogues are up to date: `make catalogues` (the first half of `make messages`)
run on a copy of the checkout adds no msgid and removes none. When this fails, run `make messages` and
commit the catalogues."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# What makemessages skips anyway (hidden folders such as .venv and .data, node_modules, collected static
# files), and compiled catalogues: the copy needs only code, templates and the catalogues.
NOT_COPIED = shutil.ignore_patterns(
    ".*", "__pycache__", "node_modules", "staticfiles", "test-artifacts", "*.egg-info", "*.mo"
)

Msgid = tuple[str, str, str]  # context, singular, plural


def msgids(po: Path) -> set[Msgid]:
    """The messages of a .po file (not its header), each as (msgctxt, msgid, msgid_plural)."""
    found: set[Msgid] = set()
    entry: dict[str, str] = {}
    keyword = ""

    def close() -> None:
        if entry.get("msgid"):
            found.add((entry.get("msgctxt", ""), entry["msgid"], entry.get("msgid_plural", "")))
        entry.clear()

    for line in po.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("#") or not line:
            if line.startswith("#~"):  # an obsolete entry belongs to no message
                keyword = ""
            continue
        if line.startswith('"'):  # a continuation of the string before
            if keyword:
                entry[keyword] += ast.literal_eval(line)
            continue
        keyword, _, literal = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and ("msgid" in entry or keyword == "msgctxt"):
            close()
        entry[keyword] = ast.literal_eval(literal)
    close()
    return found


def regenerated_catalogues(copy: Path) -> Path:
    shutil.copytree(ROOT, copy, ignore=NOT_COPIED)
    env = {
        **os.environ,
        # makemessages needs settings but no database: never start the embedded one in the copy.
        "DATABASE_URL": "postgres://unused@127.0.0.1:1/unused",
        "DJANGO_SETTINGS_MODULE": "ivplatform.settings.dev",
    }
    # The copy has no virtualenv of its own: use this one, and let make consider it installed.
    result = subprocess.run(
        [
            "make",
            "--no-print-directory",
            "-s",
            "catalogues",
            f"PY={sys.executable}",
            "-o",
            ".venv/.installed",
        ],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return copy / "locale"


@pytest.mark.slow
def test_the_catalogues_hold_exactly_the_messages_of_the_code(tmp_path: Path) -> None:
    committed = ROOT / "locale"
    fresh = regenerated_catalogues(tmp_path / "checkout")
    languages = sorted(path.name for path in committed.iterdir() if path.is_dir())
    assert languages == sorted(path.name for path in fresh.iterdir() if path.is_dir())
    stale = []
    for language in languages:
        po = Path(language) / "LC_MESSAGES" / "django.po"
        before, after = msgids(committed / po), msgids(fresh / po)
        if before != after:
            missing = sorted(after - before)
            left_over = sorted(before - after)
            stale.append(
                f"locale/{po}: {len(missing)} msgids missing {[m[1] for m in missing[:5]]}, "
                f"{len(left_over)} no longer used {[m[1] for m in left_over[:5]]}"
            )
    assert not stale, "Run `make messages` and commit the catalogues:\n" + "\n".join(stale)


def test_the_reader_sees_context_plurals_and_continued_lines(tmp_path: Path) -> None:
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: sv\\n"\n\n'
        'msgctxt "month"\nmsgid "May"\nmsgstr "maj"\n\n'
        'msgid "one person"\nmsgid_plural "%(count)s people"\nmsgstr[0] "en"\nmsgstr[1] "fler"\n\n'
        '#, python-format\nmsgid ""\n"A long "\n"line with \\"quotes\\""\nmsgstr ""\n\n'
        '#~ msgid "Gone"\n#~ msgstr "Borta"\n',
        encoding="utf-8",
    )
    assert msgids(po) == {
        ("month", "May", ""),
        ("", "one person", "%(count)s people"),
        ("", 'A long line with "quotes"', ""),
    }
