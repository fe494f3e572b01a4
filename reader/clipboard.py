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


def markdown_link(paper: Paper) -> tuple[str, bool]:
    url, is_search = paper_link(paper)
    title = paper.title.replace("[", "\\[").replace("]", "\\]")
    return f"[{title}]({url})", is_search


def system_copy(text: str) -> str | None:
    """Copy through pyperclip; returns None on success, else why it failed."""
    try:
        import pyperclip
    except Exception as exc:  # not installed: the terminal copy still happens
        return f"pyperclip unavailable ({exc.__class__.__name__})"
    try:
        pyperclip.copy(text)
    except Exception as exc:  # PyperclipException and friends: no clipboard tool
        return f"no system clipboard ({exc.__class__.__name__})"
    return None


def copied_notice(text: str, is_search: bool, failure: str | None) -> str:
    """What the notification says once `text` is copied."""
    lines = [f"Copied {text}"]
    if is_search:
        lines.append("No arXiv id known: this is an arXiv title search.")
    if failure:
        lines.append(f"({failure}; sent to the terminal clipboard)")
    return "\n".join(lines)
