"""The main screen's keys that act on papers: read and star marks, `A`, copying the link
and opening it.
A mixin of MainScreen (its bindings are there): the marks are committed before the list
shows them, and a key that cannot act yet (the library is still opening) says so once.

Handlers are named (`on_...`), not decorated: Textual collects `@on` handlers only from
classes of its own."""

from __future__ import annotations

from paperdeck.index.library import LibraryError
from paperdeck.index.model import Paper
from paperdeck.index.views import ListRow, Scope

from ..clipboard import copied_notice, markdown_link, paper_link, system_copy
from ..labels import scope_title
from ..messages import LinkOpened, MarkedAllRead, MarksSaved, UnreadFound
from ..paper_text import links
from ..services.opener import open_link
from ..widgets.list_pane import plural
from ..widgets.paper_list import SCANNING, PaperList
from ..workers import in_thread
from .confirm import ConfirmScreen

NOT_READY = "The library is still opening: the keys that act on papers work once the list is shown."


class PaperActions:
    """Marks and copying, for MainScreen (which has `papers`, `list_pane`, `abstract`,
    `nav_tree_widget`, `library`, `marks`, `importing`, `ready` and `refresh_counts`)."""

    _told_not_ready = False

    def list_not_ready(self) -> bool:
        """The first list is not shown yet (the first run's import): say so, once."""
        if self.ready:
            return False
        if not self._told_not_ready:
            self._told_not_ready = True
            self.notify(NOT_READY, timeout=4)
        return True

    def current_row(self) -> ListRow | None:
        """The paper under the cursor; None (and a word why) when there is none."""
        if self.list_not_ready():
            return None
        row = self.papers.current
        if row is None:
            self.notify("No paper selected.", severity="warning", timeout=2)
        return row

    def _reload_abstract(self) -> None:
        row = self.papers.current
        if row is not None:
            self.abstract.reload(row.key, self.list_pane.query_text)

    # --- read and star ------------------------------------------------------------------

    def _write(self, fn, *args) -> bool:
        """Save a mark: at once, committed before the screen shows it; but while this
        reader's own import holds the database's write lock, on the mark writer's thread,
        so that keys are still answered; the notification says it is pending until the
        import's commit lets it through. False: refused, nothing changed."""
        try:
            queued = self.marks.save(fn, *args, wait_for_import=self.importing)
        except LibraryError as exc:  # busy (a long import elsewhere): nothing changed
            self.notify(str(exc), severity="error", timeout=8)
            return False
        if queued:
            self.notify("Saving the mark once the import commits.", timeout=3)
        return True

    def on_marks_saved(self, _answer: MarksSaved) -> None:
        self.notify("Marks saved.", timeout=2)
        self._reload_abstract()
        self.refresh_counts()

    def _mark(self, row: ListRow, read: bool) -> bool:
        if not self._write(self.library.mark_read, [row.key], read):
            return False
        self.papers.update_row(row.key, read=read)
        if read != row.read:
            self.list_pane.adjust_unread(-1 if read else 1)
        self._reload_abstract()
        self.refresh_counts()
        return True

    def action_toggle_read(self) -> None:
        row = self.current_row()
        if row is not None:
            self._mark(row, not row.read)

    def action_read_next(self) -> None:
        if self._take_offer():
            return
        row = self.current_row()
        if row is None:
            return
        if not row.read and not self._mark(row, True):
            return
        found = self.papers.find_next_unread(self.papers.cursor)
        if found != SCANNING:
            self._go_to_unread(found)

    def on_paper_list_next_unread(self, answer: PaperList.NextUnread) -> None:
        self._go_to_unread(answer.index)

    # space at the end of a list offers the next node with unread papers (newsboat's
    # habit): one more space goes there, while the cursor has not moved.
    _offer: tuple[Scope, tuple[int, int]] | None = None

    def _where(self) -> tuple[int, int]:
        return self.papers.generations.current("source"), self.papers.cursor

    def _go_to_unread(self, index: int | None) -> None:
        if index is not None:
            self.papers.move_to(index)
            return
        pane = self.list_pane
        node = None if pane.searching else \
            self.nav_tree_widget.next_with_unread(pane.scope)
        if node is None:
            self.notify("No more unread papers in this list.", timeout=3)
            return
        self._offer = (node.scope, self._where())
        self.notify(f"No more unread papers in {scope_title(pane.scope)}. space: on to "
                    f"{scope_title(node.scope)} ({node.unread:,} unread).", timeout=5)

    def _take_offer(self) -> bool:
        offer, self._offer = self._offer, None
        if offer is None or offer[1] != self._where():
            return False
        scope = offer[0]
        self.nav_tree_widget.reveal(scope)
        self.list_pane.show_scope(scope, first_unread=True)
        self.app.save_state_value("scope", scope.encode())
        return True

    def action_toggle_star(self) -> None:
        row = self.current_row()
        if row is None:
            return
        starred = not row.starred
        if not self._write(self.library.set_starred, row.key, starred):
            return
        self.papers.update_row(row.key, starred=starred)
        self._reload_abstract()
        self.refresh_counts()

    # --- A: every paper of the list ------------------------------------------------------

    def action_mark_all_read(self) -> None:
        if self.list_not_ready():
            return
        papers, pane = self.papers, self.list_pane
        if not papers.total:
            self.notify("The list is empty.", severity="warning", timeout=2)
            return
        what = f"the search {pane.query_text} in {scope_title(pane.scope)}" if pane.searching \
            else scope_title(pane.scope)
        source, generation = papers.source, papers.generations.current("source")
        in_thread(self, lambda: UnreadFound(generation, source, source.unread_keys(), what),
                  group="mark-all")

    def on_unread_found(self, answer: UnreadFound) -> None:
        if self.papers.generations.stale(answer):
            return  # another list is shown now
        unread, what = answer.keys, answer.what
        if not unread:
            self.notify(f"Every paper of {what} is already read.", timeout=3)
            return
        question = (f"Mark {plural(len(unread), 'unread paper')} of {what} "
                    f"({plural(answer.source.total, 'paper')} listed) as read?")

        def answered(yes: bool | None) -> None:
            if yes:
                self._mark_all(unread, answer.generation)

        self.app.push_screen(ConfirmScreen(question, yes="Mark read"), answered)

    def _mark_all(self, keys: list[str], generation: int) -> None:
        library = self.library
        in_thread(self, lambda: MarkedAllRead(generation, set(keys),
                                              library.mark_read(keys, True)),  # committed
                  group="mark-all")

    def on_marked_all_read(self, answer: MarkedAllRead) -> None:
        if not self.papers.generations.stale(answer):  # still the same list on screen
            self.papers.marked_read(answer.keys)
        self.list_pane.adjust_unread(-answer.changed, at_least=0)
        self.notify(f"Marked {plural(answer.changed, 'paper')} read.", timeout=3)
        self.abstract.forget()
        self._reload_abstract()
        self.refresh_counts()

    # --- copying ----------------------------------------------------------------------

    def action_copy_link(self) -> None:
        self._copy(markdown=False)

    def action_copy_markdown(self) -> None:
        self._copy(markdown=True)

    def _paper_here(self) -> Paper | None:
        """The paper under the cursor, read whole (None when there is none; said when it
        has left the library)."""
        row = self.current_row()
        if row is None:
            return None
        paper = self.library.paper(row.key)
        if paper is None:
            self.notify("Paper not found.", severity="error")
        return paper

    def _copy(self, markdown: bool) -> None:
        paper = self._paper_here()
        if paper is None:
            return
        text, is_search = markdown_link(paper) if markdown else paper_link(paper)
        failure = system_copy(text)
        self.app.copy_to_clipboard(text)  # OSC 52: reaches the local clipboard over SSH
        self.notify(copied_notice(text, is_search, failure), title="Copied", timeout=4,
                    markup=False)

    # --- opening the link (b, B) --------------------------------------------------------

    def action_open_link(self) -> None:
        self._open(pdf=False)

    def action_open_pdf(self) -> None:
        self._open(pdf=True)

    def _open(self, pdf: bool) -> None:
        paper = self._paper_here()
        if paper is None:
            return
        found = [u for what, u in links(paper) if what == "PDF"] if pdf else \
            [u for what, u in links(paper) if what in ("arXiv", "Link")]
        if not found:
            self.notify("No PDF link known for this paper." if pdf else
                        "No link known for this paper: y copies an arXiv title search.",
                        severity="warning", timeout=4)
            return
        url = found[0]
        in_thread(self, lambda: LinkOpened(url, open_link(url)), group="open",
                  exclusive=False)

    def on_link_opened(self, answer: LinkOpened) -> None:
        if answer.failure:
            self.notify(f"Not opened: {answer.failure}.\n{answer.url}", severity="warning",
                        timeout=6, markup=False)
        else:
            self.notify(f"Opened {answer.url}", timeout=3, markup=False)
