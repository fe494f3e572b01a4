"""What `y` and `Y` copy, and the system clipboard through pyperclip (when it works)."""

from __future__ import annotations

from urllib.parse import quote_plus

from paperdeck.index.model import Paper


def paper_link(paper: Paper) -> tuple[str, bool]:
    """The arXiv link, else an arXiv title search URL; the flag says it is a search."""
    if paper.url:
        return paper.url, False
    query = quote_plus(paper.title)
    return f"https://arxiv.org/search/?query={query}&searchtype=title", True


DERIVED_LABEL = "(untitled: the abstract's first sentence)"


def markdown_link(paper: Paper) -> tuple[str, bool]:
    """`[title](url)`, the title as shown (LaTeX read); a title made of the abstract's
    first sentence says so, so that it is not taken for the paper's."""
    url, is_search = paper_link(paper)
    title = paper.title  # stored as shown (LaTeX read at import)
    if paper.title_derived:
        title = f"{title} {DERIVED_LABEL}"
    title = title.replace("[", "\\[").replace("]", "\\]")
    return f"[{title}]({url})", is_search


# In the user's words: what is missing, and what would make it work.
NO_TOOL = ("this system has no clipboard tool paperdeck can use (xclip, xsel or "
           "wl-clipboard on Linux)")
NO_PYPERCLIP = "pyperclip is not installed"


def system_copy(text: str) -> str | None:
    """Copy through pyperclip; returns None on success, else why it failed (in the
    user's words, not the exception's name)."""
    try:
        import pyperclip
    except Exception:  # not installed: the terminal copy still happens
        return NO_PYPERCLIP
    try:
        pyperclip.copy(text)
    except Exception:  # PyperclipException and friends: no clipboard tool
        return NO_TOOL
    return None


def copied_notice(text: str, is_search: bool, failure: str | None) -> str:
    """What the notification says once `text` is copied."""
    lines = [f"Copied {text}"]
    if is_search:
        lines.append("No arXiv id known: this is an arXiv title search.")
    if failure:
        lines.append(f"Sent through the terminal only (most terminals, and tmux with "
                     f"set-clipboard on, put it on the clipboard): {failure}.")
    return "\n".join(lines)
