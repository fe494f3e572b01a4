"""The arxiv-email layout: the daily listing mail, on fixtures written from the mail's
format and on the shared real mail; the mail as a mail client saves it; detection
against every other real file."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperdeck.index import sources
from paperdeck.index.model import DigestError, Record
from paperdeck.index.sources import THRESHOLD, Document, arxiv_email
from paperdeck.index.sources.arxiv_email import split_authors

from .helpers import shared

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "arxiv_email"
LISTING = (FIXTURES / "listing.txt").read_text(encoding="utf-8")


def read(path: Path) -> tuple[list[Record], Document]:
    doc = Document.from_path(path)
    return list(arxiv_email.parse(doc)), doc


def from_text(text: str) -> tuple[list[Record], Document]:
    doc = Document.from_text(text)
    return list(arxiv_email.parse(doc)), doc


def line_of(text: str, needle: str) -> int:
    return text.split("\n").index(needle) + 1


# --- the real mail --------------------------------------------------------------------------------


def test_real_mail_is_claimed_by_content_and_by_nothing_else():
    doc = Document.from_path(shared("realworld") / "arxiv-listing-email_cs_2026-01-26.txt")
    assert sources.detect(doc.head) == "arxiv-email"
    for name, layout in sources.LAYOUTS.items():
        if name != "arxiv-email":
            assert layout.sniff(doc.head) <= THRESHOLD, name


def test_real_mail_records():
    path = shared("realworld") / "arxiv-listing-email_cs_2026-01-26.txt"
    records, doc = read(path)
    assert len(records) == 10 and not doc.notices
    text = path.read_text(encoding="utf-8")
    for rec in records:
        assert rec.layout == "arxiv-email" and rec.line == line_of(text, f"arXiv:{rec.arxiv_id}")
        assert rec.title and rec.abstract and rec.authors and rec.categories
        assert "\n" not in rec.abstract and "  " not in rec.abstract and "\\\\" not in rec.abstract
        assert rec.year == 2026 and rec.published in ("2026-01-22", "2026-01-23")
    first = records[0]
    assert first.arxiv_id == "2601.16280"
    assert first.title == ("When Agents Fail to Act: A Diagnostic Framework for Tool Invocation "
                           "Reliability in Multi-Agent LLM Systems")  # wrapped over two lines
    assert first.authors == ["Donghao Huang", "Gauri Malwe", "Zhaoxia Wang"]
    assert first.comments == ("Accepted for publication in 2026 The 9th International "
                              "Conference on Artificial Intelligence and Big Data (ICAIBD 2026)")
    assert first.abstract.startswith("Multi-agent systems powered by large language models")
    assert first.abstract.endswith("multi-agent AI systems.")
    assert first.published == "2026-01-22" and first.categories == ["cs.AI"]
    semantic = records[1]
    assert semantic.arxiv_id == "2601.16286" and len(semantic.authors) == 12  # over 3 lines
    assert semantic.authors[0] == "Varun Chillara" and semantic.authors[-1] == "George Popstefanov"
    assert "Huan Yang" in semantic.authors and "Yashodhara Dhariwal" in semantic.authors
    assert semantic.categories == ["cs.AI", "cs.MA"]
    assert "Tré Guillory" in semantic.authors  # Tr\\'e in the mail
    assert "(96.6% success rate, 7.3 s latency)" in first.abstract  # 96.6\\% in the mail
    sycoeval = next(r for r in records if r.arxiv_id == "2601.16529")
    assert sycoeval.authors == ["Dongshen Peng", "Yi Wang", "Carl Preiksaitis", "Christian Rose"]
    longcat = next(r for r in records if r.arxiv_id == "2601.16725")
    assert longcat.authors[0] == "Meituan LongCat Team" and longcat.authors[-1] == "Linsen Guo"


# --- the fixtures ---------------------------------------------------------------------------------


def test_listing_new_cross_and_replacements():
    records, doc = read(FIXTURES / "listing.txt")
    assert not doc.notices
    assert [r.arxiv_id for r in records] == ["2503.02001", "2503.02017", "2503.01950",
                                             "2410.05229", "2402.00017"]
    first = records[0]
    assert first.line == line_of(LISTING, "arXiv:2503.02001")
    assert first.title == ("Counting Tokens Is Not Enough: Length Generalisation in "
                           "Transformers Trained on Arithmetic")
    # affiliations, numbered or not, are not authors
    assert first.authors == ["Maria Rossi", "Kenji Sato", "Ahmed Hassan"]
    assert first.categories == ["cs.CL", "cs.LG"]
    assert first.comments == ("9 pages, 4 figures; accepted at the Workshop on Length "
                              "Generalisation 2025")
    assert first.venue == "Proc. Example Workshop 2025, pp. 1-9"
    assert first.doi == "10.1234/example.2025.0017"
    assert first.keywords == ["I.2.7", "I.2.6", "68T50"]
    assert first.published == "2025-03-03" and first.year == 2025
    # two paragraphs joined; LaTeX read as Unicode
    assert first.abstract == (
        "Transformers trained on short additions fail on longer ones. We show that counting "
        "tokens is not enough: the position encoding matters more than the length of the "
        "training data, and O(n^2) attention is not the bottleneck. We release the code and "
        "the data.")
    cross = records[2]
    assert cross.authors == ["Lena Fischer", "Omar Khalil"]  # "et al." is nobody
    assert cross.categories == ["eess.AS", "cs.CL", "cs.SD"] and cross.published == "2025-03-02"
    # replacements: no abstract in the mail; the date is the revision's, not the paper's
    for rec in records[3:]:
        assert rec.abstract == "" and rec.published is None and rec.title
    assert records[3].authors == ["Wei Zhang", "Sara Lopez"] and records[3].year == 2024
    assert records[3].comments == "v2: new experiments"


def test_header_and_footer_of_the_mail_are_not_papers():
    records, _ = from_text(LISTING)
    titles = " ".join(r.title for r in records)
    assert "Submissions" not in titles and "subscribe" not in titles.lower()
    assert len(records) == 5


def test_old_mail_with_paper_lines():
    records, _ = read(FIXTURES / "old_listing.txt")
    assert [(r.arxiv_id, r.categories, r.published) for r in records] == [
        ("cs/0501001", ["cs.CL"], "2005-01-05"), ("cs/0501002", ["cs.LG"], "2005-01-06")]
    assert records[0].authors == ["Ann Example", "Bob Sample"]  # the From: line is the submitter


def test_mail_saved_from_a_mail_client_quoted_printable():
    path = FIXTURES / "saved_mail.eml"
    records, doc = read(path)
    assert sources.detect(doc.head) == "arxiv-email"
    frechet, short = records
    text = path.read_text(encoding="utf-8")
    assert frechet.line == line_of(text, "arXiv:2503.02100")
    # soft line breaks joined, =C3=A9 is é, =3D is =
    assert frechet.title == "Fréchet Distances for Text: A Study of When Embedding Metrics Agree"
    assert frechet.authors == ["Chloé Dubois", "João Silva"]
    assert frechet.abstract == ("We compare Fréchet distances over sentence embeddings with "
                                "human judgements, and find that a threshold of d = 0.3 "
                                "separates good from bad generations.")
    assert (short.title, short.abstract, short.line) == ("Short Title", "A short abstract.",
                                                         line_of(text, "arXiv:2503.02111"))


def test_crlf_and_mbox_of_two_mails(tmp_path):
    mail = (FIXTURES / "saved_mail.eml").read_text(encoding="utf-8")
    crlf = tmp_path / "crlf.eml"
    crlf.write_bytes(mail.replace("\n", "\r\n").encode())
    assert [(r.line, r.title) for r in read(crlf)[0]] == \
        [(r.line, r.title) for r in read(FIXTURES / "saved_mail.eml")[0]]
    mbox = tmp_path / "mails.mbox"
    mbox.write_text("From no-reply@arxiv.org Tue Mar  4 01:02:03 2025\n" + mail + "\n"
                    "From no-reply@arxiv.org Wed Mar  5 01:02:03 2025\n" + mail)
    records, _ = read(mbox)
    assert [r.arxiv_id for r in records] == ["2503.02100", "2503.02111"] * 2
    assert records[2].title == records[0].title  # the second mail is quoted-printable too


def test_listing_file_with_header_lines_and_no_blank_line_after_them():
    text = "Date: Tue, 04 Mar 25 01:00:00 GMT\nSubject: cs daily 2 new + 1 cross\n" + LISTING
    records, _ = from_text(text)
    assert len(records) == 5 and records[0].line == line_of(text, "arXiv:2503.02001")


def test_a_cut_mail_is_refused_naming_the_entry():
    cut = LISTING[:LISTING.index("the data.")]
    with pytest.raises(DigestError, match="cut short") as err:
        from_text(cut)
    assert err.value.line == line_of(LISTING, "arXiv:2503.02001")
    assert "arXiv:2503.02001" in err.value.reason


def test_an_entry_without_its_closing_line_is_kept_with_a_warning():
    text = LISTING.replace("\\\\ ( https://arxiv.org/abs/2503.02017 ,  95kb)\n", "")
    records, doc = from_text(text)
    assert len(records) == 5
    note = records[1]
    assert note.abstract == "We note that calibration and accuracy can disagree."
    assert [(n.line, "no closing" in n.message) for n in doc.notices] == [(note.line, True)]


def test_entries_without_a_title_are_passed_over_and_most_of_them_refuse_the_file():
    one = LISTING.replace("Title: A Note on Calibration\n", "")
    records, doc = from_text(one)
    assert len(records) == 4
    assert [(n.line, n.message) for n in doc.notices] == [
        (line_of(one, "arXiv:2503.02017"), "entry passed over: no Title: line")]
    most = "\n".join(line for line in LISTING.split("\n") if not line.startswith("Title:"))
    with pytest.raises(DigestError, match="most entries cannot be read") as err:
        from_text(most)
    assert err.value.line == line_of(most, "arXiv:2503.02001")


def test_latin_1_bytes_and_a_bom(tmp_path):
    latin = tmp_path / "latin.txt"
    latin.write_bytes(LISTING.replace("Jane Q. Public", "Jos\u00e9 P\u00e9rez").encode("latin-1"))
    records, doc = read(latin)
    # Western text, not UTF-8: read as Windows-1252 (issue 9), nothing replaced
    assert records[1].authors == ["Jos\u00e9 P\u00e9rez"] and doc.replaced == 0
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + LISTING.encode())
    doc = Document.from_path(bom)
    assert sources.detect(doc.head) == "arxiv-email"
    assert len(list(arxiv_email.parse(doc))) == 5


# --- authors --------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, names", [
    ("A. Smith, B. Jones and C. Li", ["A. Smith", "B. Jones", "C. Li"]),
    ("A. Smith, B. Jones, and C. Li", ["A. Smith", "B. Jones", "C. Li"]),
    ("A. Smith (1), B. Jones (2) ((1) MIT, (2) CMU)", ["A. Smith", "B. Jones"]),
    ("A. Smith, et al. (97 additional authors not shown)", ["A. Smith"]),
    ("John Smith, Jr., Ann Lee", ["John Smith Jr.", "Ann Lee"]),
    ("Alexandra Anderson", ["Alexandra Anderson"]),  # `and` inside names is no separator
    ("The ATLAS Collaboration", ["The ATLAS Collaboration"]),
    ("", []),
    ("A. Smith (MIT, B. Jones", ["A. Smith MIT", "B. Jones"]),  # unbalanced: no name lost
])
def test_split_authors(text, names):
    assert split_authors(text) == names


# --- every other file -----------------------------------------------------------------------------


def foreign_files() -> list[Path]:
    files = []
    for folder in ("realworld", "realworld-html", "seeds"):
        base = shared(folder)
        files += [p for p in sorted(base.iterdir())
                  if p.is_file() and p.suffix != ".py" and p.name != "README.md"
                  and not p.name.startswith("arxiv-listing-email")]
    files += sorted((ROOT / "tests" / "fixtures" / "feed").iterdir())
    return files


def test_sniff_stays_below_the_threshold_on_every_other_file():
    files = foreign_files()
    assert len(files) >= 30
    for path in files:
        assert arxiv_email.sniff(Document.from_path(path).head) <= THRESHOLD, path.name


def test_forcing_arxiv_email_on_every_other_file_is_refused():
    for path in foreign_files():
        doc = Document.from_path(path)
        with pytest.raises(DigestError, match="no arXiv listing entry found|most entries"):
            list(arxiv_email.parse(doc))


@pytest.mark.parametrize("text", [
    "\\\\\narXiv:2601.00001\n\\\\ (" + "," * 300_000,  # a closing line that never closes
    "\\\\\narXiv:2601.00001\n" * 20_000,
    "\\\\\narXiv:" + "x" * 400_000,
    "\\\\\narXiv:2601.00001\nTitle: T\nAuthors: " + "(" * 100_000 + "A" + ")" * 100_000
    + "\n\\\\\n  x\n\\\\ ( https://arxiv.org/abs/2601.00001 , 1kb)\n",
    "\\\\\narXiv:2601.00001\nTitle: T\nAuthors: A" + " " * 200_000 + "B, C"
    + "\n\\\\\n  x\n\\\\ ( https://arxiv.org/abs/2601.00001 , 1kb)\n",
], ids=["unclosed-closing-line", "ids-only", "long-id", "nested-parentheses", "long-spaces"])
def test_hostile_lines_are_read_in_one_pass(text):
    """A guard against catastrophic backtracking (not a speed measurement)."""
    start = time.perf_counter()
    assert 0.0 <= arxiv_email.sniff(text) <= 1.0
    try:
        from_text(text)
    except DigestError:
        pass
    assert time.perf_counter() - start < 5


# --- hypothesis -------------------------------------------------------------------------------------

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LISTING_LINES = sorted(set(LISTING.split("\n")))


def records_or_digest_error(text: str) -> None:
    try:
        records, _ = from_text(text)
    except DigestError as e:
        assert e.reason
        return
    assert records and all(isinstance(r, Record) and r.layout == "arxiv-email" for r in records)
    assert all(r.arxiv_id and r.title for r in records)
    assert 0.0 <= arxiv_email.sniff(text) <= 1.0


@FUZZ
@given(st.text())
def test_fuzz_arbitrary_text(text):
    records_or_digest_error(text)


@FUZZ
@given(st.lists(st.one_of(st.sampled_from(LISTING_LINES), st.just("\\\\"),
                          st.text(alphabet="\\ =arXiv:2503.01Title", max_size=20)), max_size=60))
def test_fuzz_lines_mixed_from_the_listing(lines):
    records_or_digest_error("\n".join(lines))


@FUZZ
@given(st.data())
def test_fuzz_listing_with_lines_dropped(data):
    lines = LISTING.split("\n")
    keep = data.draw(st.lists(st.booleans(), min_size=len(lines), max_size=len(lines)))
    records_or_digest_error("\n".join(line for line, k in zip(lines, keep, strict=True) if k))
