"""Which records are the same paper: each kind of merge on real records from the seeds."""

from __future__ import annotations

import pytest

from paperdeck.index import sources
from paperdeck.index.library import Library
from paperdeck.index.merge import combine, group_records, match_keys

from .helpers import DAILY, DUMP, PICKS, PODCAST, SEEDS, TRENDING

SAMPLE_PAPERS = 632  # 650 records in the five seeds


def records(path):
    return sources.parse(path.read_text(encoding="utf-8"))


def find(recs, text):
    found = [r for r in recs if text in (r.title or "") or text in r.abstract[:200]
             or r.arxiv_id == text]
    assert found, text
    return found


def kinds(a, b) -> set[str]:
    shared = set(match_keys(a)) & set(match_keys(b))
    return {k.split(":")[0] for k in shared}


def test_the_five_seeds_make_632_papers(sample_lib):
    stats = sample_lib.stats()
    assert stats["records"] == 650
    assert stats["papers"] == SAMPLE_PAPERS


def test_grouping_all_records_agrees_with_the_library():
    recs = [r for path in SEEDS for r in records(path)]
    assert len(recs) == 650
    assert len(group_records(recs)) == SAMPLE_PAPERS


def test_merge_by_arxiv_id_any_version():
    twice = find(records(DUMP), "2201.12288")
    assert len(twice) == 2
    assert "id" in kinds(*twice)
    m = combine(twice)
    assert m.arxiv_id == "2201.12288" and m.title_derived


def test_merge_by_title_across_pages():
    pick = find(records(PICKS), "GNN-RAG")[0]
    page = find(records(TRENDING), "GNN-RAG")[0]
    assert page.arxiv_id is None and pick.arxiv_id == "2405.20139"
    assert "t" in kinds(pick, page)
    m = combine([page, pick])
    assert m.arxiv_id == "2405.20139" and m.week == pick.week and m.categories == ["cs.LG"] \
        or m.categories == pick.categories


def test_merge_by_abstract_when_titles_differ():
    pick = find(records(PICKS), "OpenELM")[0]
    daily = find(records(DAILY), "OpenELM")[0]
    assert pick.title != daily.title  # "Open Training" vs "Open-source Training"
    assert "t" not in kinds(pick, daily)
    assert kinds(pick, daily) & {"ah", "at"}


def test_merge_is_transitive_and_brings_a_title_to_an_untitled_dump_record():
    dump = find(records(DUMP), "2212.10496")[0]
    page = find(records(TRENDING), "Precise Zero-Shot Dense Retrieval")[0]
    pod = find(records(PODCAST), "Precise Zero-Shot Dense Retrieval")[0]
    assert dump.title is None
    # the dump's abstract is worded differently from the podcast's ("shown effective"),
    # but the trending page shares its abstract with one and its title with the other
    assert not kinds(dump, pod)
    assert kinds(dump, page) & {"ah", "at"} and "t" in kinds(page, pod)
    assert len(group_records([dump, pod, page])) == 1
    m = combine([dump, pod, page])
    assert not m.title_derived
    assert m.title == "Precise Zero-Shot Dense Retrieval without Relevance Labels"
    assert m.arxiv_id == "2212.10496" and m.year == pod.year and m.authors == pod.authors


def test_merged_paper_keeps_every_source(sample_lib):
    p = sample_lib.paper("2212.10496")
    assert p.title == "Precise Zero-Shot Dense Retrieval without Relevance Labels"
    assert {s.layout for s in p.sources} == {"podcast", "arxiv-dump", "trending"}
    assert p.authors and p.year == 2022
    assert p.month == "2022-12"
    elm = sample_lib.paper("2404.14619")
    assert {s.layout for s in elm.sources} == {"weekly-picks", "daily-papers"}
    labels = {s.layout: s.label for s in elm.sources}
    assert labels["daily-papers"] == "Mar 11" and labels["weekly-picks"] == elm.week


def test_a_dump_only_paper_has_a_derived_title(sample_lib):
    p = sample_lib.paper("1911.02150")
    assert p.title_derived
    assert p.abstract.startswith(p.title.rstrip("…"))


@pytest.mark.parametrize("order", [(4, 3, 2, 1, 0), (1, 4, 0, 2, 3), (2, 0, 3, 4, 1)])
def test_import_order_does_not_change_the_papers(tmp_path, sample_lib, order):
    lib = Library.open(tmp_path / "ordered")
    for i in order:
        lib.import_files([SEEDS[i]])
    assert lib.stats()["papers"] == SAMPLE_PAPERS
    keys = {r.key for r in lib.rows()}
    assert keys == {r.key for r in sample_lib.rows()}
    lib.close()


def test_groups_never_mix_distinct_ids():
    recs = [r for path in SEEDS for r in records(path)]
    for group in group_records(recs):
        ids = {recs[i].arxiv_id for i in group if recs[i].arxiv_id}
        assert len(ids) <= 1, [recs[i].title for i in group]


def test_title_keyed_paper_takes_its_arxiv_id_and_keeps_its_marks(tmp_path):
    lib = Library.open(tmp_path / "lib")
    lib.import_files([TRENDING])
    slug = lib.resolve("precise-zero-shot-dense-retrieval-without-relevance-labels")
    assert slug
    lib.mark_read([slug])
    lib.set_starred(slug, True)
    lib.import_files([DUMP])
    assert lib.resolve(slug) is None
    p = lib.paper("2212.10496")
    assert p.read and p.starred
    keys = [r.key for r in lib.search('"zero-shot dense retrieval"').rows]
    assert "2212.10496" in keys and slug not in keys
    lib.close()


def _table(rows):
    head = "| Week | title | category | abstract | Paper-Link |\n|:--|:--|:--|:--|:--|\n"
    return head + "".join(f"| 2024-06-30 | {t} | Machine Learning | {a} | |\n" for t, a in rows)


def test_a_record_that_bridges_two_papers_folds_them(tmp_path):
    a1 = ("We study alpha effects in large models and find that alpha scales with depth "
          "across many settings, which we confirm with careful experiments on six benchmarks "
          "and three model families of different sizes and training budgets, then release "
          "the code, the data and every checkpoint so that others can repeat the study.")
    a2 = ("We study beta effects in small models and find that beta shrinks with width "
          "across many settings, which we confirm with careful experiments on five benchmarks "
          "and two model families of different sizes and training budgets, then release "
          "the code, the data and every checkpoint so that others can repeat the study.")
    d = tmp_path
    (d / "x.md").write_text(_table([("Alpha Effects in Large Models", a1)]))
    (d / "y.md").write_text(_table([("Beta Effects in Small Models", a2)]))
    (d / "z.md").write_text(_table([("Alpha Effects in Large Models", a2)]))
    lib = Library.open(d / "lib")
    lib.import_files([d / "x.md"])
    lib.import_files([d / "y.md"])
    assert lib.stats()["papers"] == 2
    alpha, beta = lib.resolve("alpha-effects-in-large-models"), lib.resolve(
        "beta-effects-in-small-models")
    lib.set_starred(alpha, True)
    lib.mark_read([beta])
    report = lib.import_files([d / "z.md"])
    assert (report.added, report.merged) == (0, 1)
    assert lib.stats()["papers"] == 1
    (row,) = lib.rows()
    assert row.read and row.starred
    assert len(lib.paper(row.key).sources) == 3
    assert [r.key for r in lib.search("alpha").rows] == [row.key]
    assert lib.stats()["indexed"] == 1
    lib.close()


def test_grouping_with_the_librarys_papers_names_the_papers_each_group_joins():
    """The import groups a batch with group_records too, given the library's match keys:
    each group says which known papers it joins (two: they are one paper)."""
    recs = [r for path in SEEDS for r in records(path)]
    alone = group_records(recs)
    first, second = alone[0], alone[1]
    # Pretend the first two papers are in the library as papers 7 and 3.
    known = {k: 7 for i in first for k in match_keys(recs[i])}
    known.update({k: 3 for i in second for k in match_keys(recs[i])})
    grouped = group_records(recs, known)
    assert [list(g) for g in grouped] == [list(g) for g in alone]
    assert grouped[0].papers == [7] and grouped[1].papers == [3]
    assert all(not g.papers for g in grouped[2:])
    # One record carrying a key of each: the two papers and it are one group.
    bridge = [recs[first[0]], recs[second[0]]]
    one_key_each = {match_keys(bridge[0])[0]: 7, match_keys(bridge[1])[0]: 3}
    [group] = group_records([bridge[0]], one_key_each,
                            keys=[[match_keys(bridge[0])[0], match_keys(bridge[1])[0]]])
    assert list(group) == [0] and group.papers == [3, 7]
