"""The arrows go one way: `index` never imports Textual (nor `reader`)."""

import subprocess
import sys

from .helpers import ROOT


def test_index_loads_no_textual():
    code = ("import sys, paperdeck.index, paperdeck.index.library, paperdeck.index.search, "
            "paperdeck.index.merge, paperdeck.index.sources, paperdeck.index.model, "
            "paperdeck.index.views\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'textual' "
            "or m.startswith('paperdeck.reader'))\n"
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout.strip()
    assert out == ""


def test_no_index_module_mentions_textual():
    for path in (ROOT / "index").rglob("*.py"):
        text = path.read_text()
        assert "import textual" not in text and "from textual" not in text, path
