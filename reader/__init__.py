"""The reader: the Textual app (`app.py`, `screens/`, `widgets/`, `services/`) and the
command line (`cli.py`), both asking `paperdeck.index.library.Library`."""
