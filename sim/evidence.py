"""Evidence items of a seeds brief: numbered claims (E1, E2, ...) that scenarios cite.

A brief is Markdown; each evidence item is a list item that starts with its bold ID:
``- **E3** — (who, when) what was stated or claimed``.

>>> parse_brief("# Brief\\n- **E1** — (US, June) eases controls\\n- **E2** — exports fell\\n")
{'E1': '(US, June) eases controls', 'E2': 'exports fell'}
"""

from __future__ import annotations

import re

__all__ = ["EVIDENCE_ID", "parse_brief"]

EVIDENCE_ID = re.compile(r"^E[0-9]+$")
_ITEM = re.compile(r"^\s*[-*]\s+\*\*(E[0-9]+)\*\*\s*[—:–-]?\s*(.*)$")


def parse_brief(text: str) -> dict[str, str]:
    """Map each evidence ID in a brief to the text of its item, in order of appearance."""
    items: dict[str, str] = {}
    for line in text.splitlines():
        match = _ITEM.match(line)
        if match and match.group(1) not in items:
            items[match.group(1)] = match.group(2).strip()
    return items
