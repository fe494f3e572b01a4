"""The house holds: the arrows go one way (`index` never imports Textual nor `reader`;
the reader reaches SQLite and Whoosh only through `Library`), and every module says what
it is for, and why when it is long."""

import ast
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


# --- one job a module, said in its docstring ------------------------------------------

LONG = 500  # lines; a longer module says why in its docstring
WHY_LONG = "Why this module is long:"


def _modules(*folders: str):
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            yield path.relative_to(ROOT).as_posix(), path


def test_every_module_says_what_it_is_for():
    missing = [name for name, path in _modules("index", "reader")
               if not (ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or "")
               .strip()]
    assert missing == [], f"modules without a docstring saying what they are for: {missing}"


def test_a_module_over_500_lines_says_why_in_its_docstring():
    unexplained = []
    for name, path in _modules("index", "reader"):
        text = path.read_text(encoding="utf-8")
        lines = len(text.splitlines())
        doc = ast.get_docstring(ast.parse(text)) or ""
        reasons = [p for p in doc.split("\n\n") if p.strip().startswith(WHY_LONG)]
        if lines > LONG and not reasons:
            unexplained.append(f"{name} ({lines} lines)")
    assert unexplained == [], (f"over {LONG} lines without a docstring paragraph starting "
                               f"{WHY_LONG!r}: {unexplained}")


# --- widgets ask the Library ------------------------------------------------------------

# What only the library layer (index/library.py and the rooms behind it) may touch.
BEHIND_THE_LIBRARY = ("sqlite3", "whoosh", "paperdeck.index.store", "paperdeck.index.engine",
                      "paperdeck.index.search", "paperdeck.index.upkeep")
CLI = "reader/cli.py"  # the command line reports SQLite's own errors; it too calls Library


def _imported(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _behind(name: str) -> bool:
    return any(name == b or name.startswith(b + ".") for b in BEHIND_THE_LIBRARY)


def test_the_rule_sees_every_form_of_import():
    tree = ast.parse("import sqlite3\nfrom whoosh.index import open_dir\n"
                     "from paperdeck.index import store\nimport paperdeck.index.engine as e\n"
                     "from paperdeck.index.library import Library\n")
    assert sorted(n for n in _imported(tree) if _behind(n)) == [
        "paperdeck.index.engine", "paperdeck.index.store", "sqlite3", "whoosh.index",
        "whoosh.index.open_dir"]


def test_the_reader_reaches_sqlite_and_whoosh_only_through_the_library():
    reaching = {name: sorted(n for n in _imported(ast.parse(path.read_text(encoding="utf-8")))
                             if _behind(n))
                for name, path in _modules("reader") if name != CLI}
    assert {name: found for name, found in reaching.items() if found} == {}


# --- start-up loads no importer ----------------------------------------------------------


def test_the_reader_starts_without_loading_the_importers():
    """The formats' modules and the parsers they lean on (feedparser, bibtexparser, ...)
    cost a start-up about 140 ms: the command line and the reader name the formats from
    the registry's table and load the modules on the first import only."""
    probe = ("import sys, paperdeck.reader.cli, paperdeck.reader.app\n"
             "print('\\n'.join(sorted(sys.modules)))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True).stdout.split()
    layouts = [m for m in loaded if m.startswith("paperdeck.index.sources.")
               and m.rsplit(".", 1)[1] not in {"base", "checks", "document"}]
    parsers = [m for m in loaded if m.split(".")[0] in {"feedparser", "bibtexparser", "ijson",
                                                          "defusedxml", "rispy"}]
    assert layouts == [] and parsers == [], (layouts, parsers)


def test_the_registry_table_names_each_module_as_it_names_itself():
    from paperdeck.index import sources

    assert sources.registered_names() == [layout.NAME for layout in sources.layouts().values()]
    assert sources.layout_names() == sources.registered_names()
