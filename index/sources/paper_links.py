"""Which links in a paper list point to a paper, and what a link's text says.

An arXiv link in any form (links.find_arxiv_id), a link with a DOI, a link to a
known proceedings or preprint host, or a link the list itself calls the paper
(`[Paper](...)`, `[pdf](...)`) is a paper; GitHub repositories are code; tweets,
blogs, badges and images are neither.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from paperdeck.index.links import arxiv_id_of_doi, find_arxiv_id, normalise_doi

# Hosts whose pages are papers (or their abstract pages), with the path a paper has there.
_PAPER_HOSTS = re.compile(
    r"(?:^|\.)(?:aclanthology\.org|aclweb\.org/anthology|openreview\.net/(?:forum|pdf)"
    r"|papers\.nips\.cc|proceedings\.neurips\.cc|proceedings\.mlr\.press|jmlr\.org/papers"
    r"|dl\.acm\.org/doi|ieeexplore\.ieee\.org/(?:document|abstract)|link\.springer\.com"
    r"|semanticscholar\.org/paper|openaccess\.thecvf\.com|ojs\.aaai\.org|aaai\.org/ojs"
    r"|ijcai\.org/proceedings|nature\.com/articles|science\.org/doi|sciencedirect\.com/science"
    r"|biorxiv\.org/content|medrxiv\.org/content|papers\.ssrn\.com|pubmed\.ncbi\.nlm\.nih\.gov"
    r"|ncbi\.nlm\.nih\.gov/pmc|paperswithcode\.com/paper|isca-speech\.org/archive"
    r"|researchgate\.net/publication)",
    re.IGNORECASE,
)
# Never a paper, whatever the link text says.
_NOT_PAPER_HOSTS = re.compile(
    r"(?:^|\.)(?:twitter\.com|x\.com|youtube\.com|youtu\.be|linkedin\.com|reddit\.com"
    r"|discord\.gg|t\.me|img\.shields\.io|shields\.io|badge\.fury\.io|colab\.research\.google\.com)$",
    re.IGNORECASE,
)
_CODE_HOSTS = re.compile(r"(?:^|\.)(?:github\.com|gitlab\.com|bitbucket\.org)$", re.IGNORECASE)

# Link texts that name the kind of link, not the paper: `[Paper]`, `[arXiv]`, `[pdf]`.
_PAPER_WORDS = {"paper", "papers", "arxiv", "pdf", "abs", "abstract", "preprint", "full paper",
                "paper link", "paper pdf", "arxiv paper", "arxiv link", "link", "here",
                "html", "doi", "openreview", "acl", "acl anthology", "semantic scholar",
                "technical report", "tech report", "report", "hf", "hf paper", "huggingface",
                "hugging face", "alphaxiv", "article", "publication", "pub", "proceedings"}
_OTHER_WORDS = {"code", "github", "repo", "repository", "project", "project page", "page",
                "website", "homepage", "home", "demo", "video", "videos", "talk", "slides",
                "poster", "blog", "blog post", "post", "tweet", "thread", "twitter", "x",
                "dataset", "data", "model", "models", "weights", "checkpoint", "checkpoints",
                "leaderboard", "benchmark", "colab", "notebook", "docs", "documentation",
                "api", "huggingface space", "space", "news", "summary", "zhihu", "bibtex",
                "cite", "citation", "medium", "youtube", "podcast", "newsletter", "discord"}
# Words around a label that do not change it: `[our paper]`, `[see the code]`.
_FILLER = {"our", "the", "this", "a", "an", "see", "read", "full", "original", "official",
           "view", "open", "on", "at", "in"}
# A venue or year tag used as a link's text: `[NeurIPS 2023]`, `[ICML'24]`, `[arXiv 2023]`.
_TAG = re.compile(r"^\W*(?:[A-Za-z]{2,12}(?:\s+|\s*['’])(?:(?:19|20)\d\d|\d\d)"
                  r"|[A-Z]{2,8}(?:19|20)\d\d)\W*$")
_ID_TEXT = re.compile(r"(?i)^\W*(?:arxiv\W*)?(?:\d{4}\.\d{4,5}|[a-z-]+/\d{7})(?:v\d+)?\W*$")
_URL_TEXT = re.compile(r"(?i)^\s*<?(?:https?://|www\.)\S*\s*$")


@dataclass(frozen=True)
class PaperRef:
    """A paper a link names: by arXiv id, by DOI, or only by its URL."""

    arxiv_id: str | None
    version: int | None
    doi: str | None
    url: str | None  # the link itself when it is not an arXiv one

    @property
    def key(self) -> str:
        return (f"arxiv:{self.arxiv_id}" if self.arxiv_id else
                f"doi:{self.doi}" if self.doi else f"url:{_plain_url(self.url or '')}")


def _plain_url(url: str) -> str:
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}" + (f"?{parts.query}" if parts.query else "")


def _host_path(url: str) -> tuple[str, str]:
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # "http://[" : not a URL anyone can follow
        return "", ""
    return parts.netloc.lower().split("@")[-1].split(":")[0], parts.path


def label_words(text: str) -> str:
    """A link text reduced to its words, lower-case, numbers dropped: `[[PDF]]` -> `pdf`,
    `[Paper 2]` -> `paper`."""
    words = re.sub(r"[^\w\s'-]+", " ", text.lower()).split()
    return " ".join(w for w in words if not w.isdigit() and w not in _FILLER)


def is_generic_label(text: str) -> bool:
    """Whether a link's text names the kind of link (`Paper`, `Code`, a URL, an id,
    a venue tag) rather than the paper: such a text is no title."""
    words = label_words(text)
    return (not words or words in _PAPER_WORDS or words in _OTHER_WORDS
            or bool(_TAG.match(text)) or bool(_ID_TEXT.match(text))
            or bool(_URL_TEXT.match(text)))


def says_paper(text: str) -> bool:
    """`[Paper]`, `[arXiv]`, `[PDF]`: the list calls the link the paper."""
    return label_words(text) in _PAPER_WORDS


def says_other(text: str) -> bool:
    """`[Code]`, `[Tweet]`, `[Project]`: the list calls the link something else."""
    return label_words(text) in _OTHER_WORDS


def is_code_link(url: str) -> bool:
    """A source repository: github.com/OWNER/REPO (not a GitHub page of a project)."""
    host, path = _host_path(url)
    return bool(_CODE_HOSTS.search(host)) and len([p for p in path.split("/") if p]) >= 2


def paper_ref(url: str, text: str = "", in_paper_column: bool = False) -> PaperRef | None:
    """The paper `url` links to, judged by the URL, then by the link's text, then by
    the table column it sits in; None when it is not a link to a paper."""
    url = url.strip()
    host, path = _host_path(url)
    if not host or not url.lower().startswith(("http://", "https://")):
        return None
    try:
        found = find_arxiv_id(url, bare=False)
    except ValueError:  # a version of thousands of digits
        found = None
    if found:
        return PaperRef(found[0], found[1], None, None)
    doi = normalise_doi(url) if "10." in url else None
    if doi and (host.endswith("doi.org") or "/doi/" in path.lower() or "/10." in path):
        in_arxiv = arxiv_id_of_doi(doi)
        if in_arxiv:
            return PaperRef(in_arxiv[0], in_arxiv[1], None, None)
        return PaperRef(None, None, doi, url)
    if _NOT_PAPER_HOSTS.search(host) or says_other(text):
        return None
    # What the list calls the paper is the paper, wherever it is kept (a PDF in a
    # repository, a project page); so is the link that makes a table's Paper cell.
    # A repository itself is filed by the caller as the code link.
    if says_paper(text) or in_paper_column:
        return PaperRef(None, None, None, url)
    if not is_code_link(url) and (_PAPER_HOSTS.search(host + path)
                                  or path.lower().endswith(".pdf")):
        return PaperRef(None, None, None, url)
    return None
