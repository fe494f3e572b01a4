"""Work the reader does off the screen (in workers or threads): one service a module."""
