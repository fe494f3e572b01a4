"""The library: import, merge, store (SQLite), search (Whoosh) and list papers; no Textual
below this package. `library.Library` is the one door (see docs/ARCHITECTURE.md)."""
