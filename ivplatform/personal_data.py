"""What counts as personal data in text the platform writes about itself (logs, audit summaries).

A small registry: code that creates people with known values (the demo seed, factories in tests) adds them
with ``personal_data.register(...)``; patterns catch what no registry can list (any e-mail address, Swedish
phone and personal identity numbers). The test suite scans everything logged during the whole run against
it (see conftest.py), and the audit log refuses summaries that match the patterns.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

# Any e-mail address with a dotted domain (worker names like ``celery@host`` have no dot and pass).
EMAIL_PATTERN = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.IGNORECASE)
# Swedish phone numbers: mobile 07x-xxx xx xx and anything written with the country code. The edges
# exclude letters, digits and hyphens so hex ids (UUIDs of Celery tasks) never look like numbers.
PHONE_PATTERN = re.compile(
    r"(?<![\w+-])(?:"
    r"(?:\+|00)46[\s-]?(?:\(0\))?[1-9](?:[\s-]?\d){6,9}"
    r"|07[02369][\s-]?\d{3}[\s-]?\d{2}[\s-]?\d{2}"
    r")(?![\w-])"
)
# Personal identity numbers (personnummer, samordningsnummer): YYMMDD-NNNN or YYYYMMDD-NNNN.
IDENTITY_NUMBER_PATTERN = re.compile(r"(?<![\w-])(?:19|20)?\d{2}[01]\d[0-9]\d[-+]\d{4}(?![\w-])")

DEFAULT_PATTERNS = (
    ("e-mail address", EMAIL_PATTERN),
    ("phone number", PHONE_PATTERN),
    ("personal identity number", IDENTITY_NUMBER_PATTERN),
)


@dataclass(frozen=True)
class Finding:
    kind: str
    value: str


@dataclass
class PersonalDataRegistry:
    """Known personal values (names, addresses, numbers) plus patterns for the unknown ones."""

    values: set[str] = field(default_factory=set)
    patterns: list[tuple[str, re.Pattern[str]]] = field(default_factory=lambda: list(DEFAULT_PATTERNS))

    def register(self, *values: str | None) -> None:
        """Remember values that must never appear in logs. Blank and very short values are ignored:
        a two-letter name would match ordinary words."""
        for value in values:
            if value and len(value.strip()) >= 4:
                self.values.add(value.strip())

    def scan(self, texts: Iterable[str]) -> list[Finding]:
        findings: list[Finding] = []
        seen: set[Finding] = set()
        for text in texts:
            lowered = text.lower()
            candidates = [Finding("registered value", v) for v in self.values if v.lower() in lowered]
            for kind, pattern in self.patterns:
                candidates += [Finding(kind, match.group(0)) for match in pattern.finditer(text)]
            for finding in candidates:
                if finding not in seen:
                    seen.add(finding)
                    findings.append(finding)
        return findings


registry = PersonalDataRegistry()


def register(*values: str | None) -> None:
    registry.register(*values)


def contains_personal_data(text: str) -> bool:
    """True when ``text`` matches a pattern or a registered value (used to refuse audit summaries)."""
    return bool(registry.scan([text]))


# Every log record of a test run, kept for the scan at the end of the run. The handler is installed by the
# test settings' LOGGING, so it survives anything that configures logging again (django.setup() does).
COLLECTED_LOG_TEXTS: list[str] = []


class CollectingHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
        except Exception:  # a broken log call must not break the test run
            text = str(record.msg)
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        COLLECTED_LOG_TEXTS.append(f"{record.name}: {text}")
