"""The reader's screens: one module a screen (the main one, help, confirmations, dialogs)."""
