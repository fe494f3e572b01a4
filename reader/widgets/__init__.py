"""The reader's panes and bars: one widget a module."""
