"""A layout for the pipeline's tests: each line a JSON object of Record fields, so that a
test can hand the import any record (a DOI, a summary, a published day, a short name)
without a real format. Registered by `registered` (a fixture), never in the product.

    #test-records
    {"title": "A Title", "abstract": "...", "doi": "10.1000/x", "summary": "..."}
    FAIL here            <- raises DigestError at this line (a file failing mid-way)

With a field_map ({"title": "output"}), the mapped keys are read instead.
"""

from __future__ import annotations

import json

import pytest

from paperdeck.index import sources
from paperdeck.index.model import DigestError, Record

NAME = "test-records"
DESCRIPTION = "test records: one JSON object of Record fields a line"
MAGIC = "#test-records"


def sniff(head: str) -> float:
    return 0.99 if head.startswith(MAGIC) else 0.0


def parse(doc):
    for n, line in doc.lines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("FAIL"):
            raise DigestError("the test file fails here", line=n)
        obj = json.loads(line)
        for field, key in doc.field_map.items():
            obj[field] = obj.pop(key, None)
        obj.setdefault("abstract", "")
        yield Record(layout=NAME, line=n, **obj)


class _Module:  # the layout as an object (the registry takes any Layout)
    NAME = NAME
    DESCRIPTION = DESCRIPTION
    sniff = staticmethod(sniff)
    parse = staticmethod(parse)


def text(*records: dict, fail: bool = False) -> str:
    lines = [MAGIC, *(json.dumps(r) for r in records)]
    if fail:
        lines.append("FAIL")
    return "\n".join(lines) + "\n"


@pytest.fixture
def registered(monkeypatch):
    """The test layout in the registry for the test's duration."""
    monkeypatch.setitem(sources.LAYOUTS, NAME, _Module())
    return NAME
