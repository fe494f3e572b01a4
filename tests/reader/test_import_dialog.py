"""The import dialog (issue 10, point 15): tab completes paths, a bad path is said in
the dialog and kept to be mended, a failed import offers its path again."""

from __future__ import annotations

from paperdeck.index.library import Library
from paperdeck.reader.screens.ask_path import AskPathScreen
from paperdeck.reader.widgets.path_input import complete_path

from ..helpers import wait_until
from .util import make_app, settle, type_text


def test_completion_as_a_shell_does(tmp_path):
    (tmp_path / "digests-2024").mkdir()
    (tmp_path / "digests-notes.md").write_text("x")
    (tmp_path / ".hidden").write_text("x")
    base = f"{tmp_path}/"
    assert complete_path(base + "dig") == (base + "digests-",
                                           ["digests-2024", "digests-notes.md"])
    assert complete_path(base + "digests-2") == (base + "digests-2024/", [])
    assert complete_path(base + "digests-n") == (base + "digests-notes.md", [])
    assert complete_path(base + "nothing") == (base + "nothing", [])
    assert complete_path(base)[1] == ["digests-2024", "digests-notes.md"]  # no .hidden
    assert complete_path(f"{tmp_path}/nowhere/x") == (f"{tmp_path}/nowhere/x", [])


async def open_dialog(pilot) -> AskPathScreen:
    pilot.app.main.action_import_digests()
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, AskPathScreen)
                     and pilot.app.screen.query("#ask-input"), what="the import dialog")
    await pilot.pause()
    return pilot.app.screen


async def test_tab_completes_and_a_bad_path_stays_to_be_mended(library: Library, tmp_path):
    (tmp_path / "weekly-picks-2024.md").write_text("x")
    (tmp_path / "weekly-picks-2023.md").write_text("x")
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        dialog = await open_dialog(pilot)
        field = dialog.query_one("#ask-input")
        await type_text(pilot, f"{tmp_path}/wee")
        await pilot.press("tab")
        assert field.value == f"{tmp_path}/weekly-picks-202"
        problem = str(dialog.query_one("#ask-problem").render())
        assert "weekly-picks-2023.md" in problem and "weekly-picks-2024.md" in problem
        await type_text(pilot, "5")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog  # still asking
        assert field.value == f"{tmp_path}/weekly-picks-2025"
        assert "no such file" in str(dialog.query_one("#ask-problem").render())
        await pilot.press("backspace", "4", "tab")
        assert field.value == f"{tmp_path}/weekly-picks-2024.md"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, AskPathScreen)


async def test_a_failed_import_offers_its_path_again(library: Library, tmp_path):
    bad = tmp_path / "empty.md"
    bad.write_text("")
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_dialog(pilot)
        await type_text(pilot, str(bad))
        await pilot.press("enter")
        await wait_until(pilot, lambda: not app.importing and app.notifications_shown,
                         what="the import to fail")
        await settle(pilot)
        dialog = await open_dialog(pilot)
        assert dialog.query_one("#ask-input").value == str(bad)
        assert "empty" in str(dialog.query_one("#ask-problem").render())
