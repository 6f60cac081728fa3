"""The documentation cites only what is in the repository.

Checked in every Markdown file under docs/, in README.md and in each plugin's README.md
(plugins/<name>/README.md):

* Markdown links and images (``[text](target)``, ``![alt](target)``, ``[label]: target``) must
  point at a file or folder of the repository; a link to a heading of a repository Markdown file
  (``sources.md#nhs-wres``) must name a heading that file has. Web addresses (any ``scheme:``) and
  links to an anchor of the same page (``#...``) are not checked.
* Paths written in the text (outside fenced code blocks, which hold commands and examples), in
  backticks or not, must exist: a Markdown file name (``data-contract.md``, ``docs/x.md``) and any
  path that starts with a top-level folder of the repository (``src/...``, ``plugins/...``,
  ``sample_data/...``). Paths with placeholders
  (``report_templates/<name>/``) are skipped; ``*`` globs must match something.
* Relative paths are resolved from the file's own folder first, then from the repository root.

And in docs/, src/, plugins/ and README.md: no mention of the domain notes file that lives outside
the repository, and every "docs/sources.md, <section>" citation names a section of
docs/sources.md.

"The repository" is what git tracks plus untracked files it does not ignore, so a new doc can be
checked before it is committed; without git, the files on disk.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
import subprocess
from functools import cache, lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: Files the tool writes into its outputs, named in the docs but not part of the repository.
NOT_REPOSITORY_FILES = {
    "index.md",  # the index of an evidence-pack bundle (docs/reports/evidence-pack.md)
    "run-notes-internal.md",  # a run's notes for the operator (docs/outputs.md)
}

#: Written out in pieces so that this file does not itself contain the name it looks for.
UNSHIPPED_NOTES = "DOMAIN" + ".md"

SKIP_DIRS = {".git", ".venv", "venv", "__pycache__", ".pytest_cache", ".hypothesis", "build", "dist"}


@lru_cache(maxsize=1)
def repository_files() -> frozenset[str]:
    """Paths (posix, relative to ROOT) of the repository's files that exist on disk."""
    try:
        listing = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            cwd=ROOT, capture_output=True, text=True, check=True,
        ).stdout
        names = [name for name in listing.split("\0") if name]
    except (OSError, subprocess.CalledProcessError):
        names = [
            path.relative_to(ROOT).as_posix()
            for path in ROOT.rglob("*")
            if path.is_file() and not SKIP_DIRS.intersection(path.relative_to(ROOT).parts)
        ]
    return frozenset(name for name in names if (ROOT / name).is_file())


@lru_cache(maxsize=1)
def repository_dirs() -> frozenset[str]:
    dirs = set()
    for name in repository_files():
        parent = posixpath.dirname(name)
        while parent:
            dirs.add(parent)
            parent = posixpath.dirname(parent)
    return frozenset(dirs)


def top_level_dirs() -> list[str]:
    return sorted(d for d in repository_dirs() if "/" not in d)


def exists_in_repository(relpath: str) -> bool:
    """A repository-relative path (may end with "/", may contain "*") names a file or folder."""
    path = posixpath.normpath(relpath.rstrip("/")) if relpath.strip("/") else "."
    if path == ".":
        return True
    if path.startswith("../") or path == ".." or path.startswith("/"):
        return False  # outside the repository
    if "*" in path:
        return any(fnmatch.fnmatchcase(name, path) for name in repository_files() | repository_dirs())
    return path in repository_files() or path in repository_dirs()


def resolve(doc: str, target: str) -> str | None:
    """The repository path ``target`` names when written in ``doc``; None when it names nothing."""
    target = target.strip()
    if target.startswith("/"):
        candidates = [target.lstrip("/")]
    else:
        candidates = [posixpath.join(posixpath.dirname(doc), target), target]
    for candidate in candidates:
        if exists_in_repository(candidate):
            return posixpath.normpath(candidate)
    return None


def checked_docs() -> list[str]:
    return sorted(
        name for name in repository_files()
        if name == "README.md" or (name.startswith("docs/") and name.endswith(".md"))
        or fnmatch.fnmatchcase(name, "plugins/*/README.md")
    )


# --- Markdown parsing ---------------------------------------------------------------------------

FENCE = re.compile(r"^ {0,3}(```|~~~).*?^ {0,3}\1[^\n]*$", re.M | re.S)
INLINE_CODE = re.compile(r"(`+)(.+?)\1", re.S)
INLINE_LINK = re.compile(r"!?\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*<?([^()\s<>]*(?:\([^()\s]*\))?[^()\s<>]*)>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$", re.M)
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
HTML_ANCHOR = re.compile(r"<a\s+(?:name|id)=\"([^\"]+)\"", re.I)
HEADING = re.compile(r"^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$", re.M)


def without_fences(text: str) -> str:
    # Keep the line count, so that line numbers in messages stay right.
    return FENCE.sub(lambda m: "\n" * m.group(0).count("\n"), text)


def line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def slug(heading: str) -> str:
    """GitHub's anchor for a heading."""
    heading = INLINE_LINK.sub(lambda m: m.group(1), heading)
    heading = heading.replace("`", "").strip().lower()
    heading = re.sub(r"[^\w\- ]", "", heading)
    return heading.replace(" ", "-")


@cache
def anchors(relpath: str) -> frozenset[str]:
    text = without_fences((ROOT / relpath).read_text(encoding="utf-8"))
    seen: dict[str, int] = {}
    result = set(HTML_ANCHOR.findall(text))
    for match in HEADING.finditer(text):
        base = slug(match.group(1))
        count = seen.get(base, 0)
        seen[base] = count + 1
        result.add(base if count == 0 else f"{base}-{count}")
    return frozenset(result)


def links(text: str):
    """(line, target) for every Markdown link, image and reference definition outside code."""
    prose = INLINE_CODE.sub(lambda m: " " * len(m.group(0)), without_fences(text))
    for match in INLINE_LINK.finditer(prose):
        yield line_of(prose, match.start()), match.group(2)
    for match in REFERENCE_DEFINITION.finditer(prose):
        target = match.group(1)
        if "/" in target or "." in target or "#" in target:  # not "[x]: not available"
            yield line_of(prose, match.start()), target


def written_paths(text: str):
    """(line, path) for every repository-looking path written in the text (not as a link target)."""
    prose = INLINE_LINK.sub(lambda m: " " * len(m.group(0)), without_fences(text))
    prose = INLINE_CODE.sub(lambda m: m.group(0).replace("`", " "), prose)
    dirs = "|".join(re.escape(d) for d in top_level_dirs())
    patterns = [re.compile(r"(?<![\w/.<>{}-])((?:\.\.?/)*(?:[\w.-]+/)*[\w.-]+\.md)(?![\w/-])")]
    if dirs:
        patterns.append(re.compile(rf"(?<![\w/.<>{{}}-])((?:{dirs})/[\w./*<>{{}}|-]*)"))
    found = set()
    for pattern in patterns:
        for match in pattern.finditer(prose):
            path = match.group(1).rstrip(".,;:")
            if re.search(r"[<>{}|]", path):
                continue  # a placeholder, e.g. report_templates/<name>/
            found.add((line_of(prose, match.start()), path))
    return sorted(found)


# --- the tests ----------------------------------------------------------------------------------


def test_there_are_docs_to_check():
    docs = checked_docs()
    assert "README.md" in docs
    assert "docs/sources.md" in docs


@pytest.mark.parametrize("doc", checked_docs())
def test_links_point_at_repository_files(doc):
    text = (ROOT / doc).read_text(encoding="utf-8")
    problems = []
    for line, target in links(text):
        if not target or target.startswith("#") or SCHEME.match(target):
            continue
        path, _, fragment = target.partition("#")
        path = path.split("?", 1)[0]
        found = resolve(doc, path)
        if found is None:
            problems.append(f"{doc}:{line}: link to {target!r}: no such file in the repository")
        elif fragment and found.endswith(".md") and found in repository_files():
            if fragment not in anchors(found):
                problems.append(f"{doc}:{line}: link to {target!r}: {found} has no heading #{fragment}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("doc", checked_docs())
def test_written_paths_exist(doc):
    text = (ROOT / doc).read_text(encoding="utf-8")
    problems = [
        f"{doc}:{line}: {path!r} is not a file or folder of the repository"
        for line, path in written_paths(text)
        if posixpath.basename(path) not in NOT_REPOSITORY_FILES and resolve(doc, path) is None
    ]
    assert not problems, "\n".join(problems)


def _cited_files():
    return sorted(
        name for name in repository_files()
        if name == "README.md" or name.split("/", 1)[0] in {"docs", "src", "plugins"}
    )


def test_no_citation_of_unshipped_domain_notes():
    problems = []
    for name in _cited_files():
        data = (ROOT / name).read_bytes()
        if UNSHIPPED_NOTES.encode() in data:
            text = data.decode("utf-8", errors="replace")
            lines = [i for i, line in enumerate(text.splitlines(), 1) if UNSHIPPED_NOTES in line]
            problems.append(f"{name}: lines {lines}")
    assert not problems, (
        f"{UNSHIPPED_NOTES} is not in the repository; cite the section of docs/sources.md instead:\n"
        + "\n".join(problems)
    )


def test_sources_citations_name_a_section():
    sections = [m.group(1) for m in HEADING.finditer(without_fences(
        (ROOT / "docs/sources.md").read_text(encoding="utf-8")))]
    citation = re.compile(r"docs/sources\.md,([\s\S]{0,120})")
    problems = []
    for name in _cited_files():
        path = ROOT / name
        if path.suffix not in {".md", ".py", ".toml", ".j2", ".yaml", ".yml", ".txt"}:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in citation.finditer(text):
            # A citation may wrap onto the next line of a comment: drop the comment markers.
            cited = re.sub(r"\s*\n\s*(?:#:?|//|\*)?\s*", " ", match.group(1)).lstrip("*_ \t")
            if not any(cited.startswith(section) for section in sections):
                problems.append(f"{name}:{line_of(text, match.start())}: {match.group(0)[:60]!r}")
    assert not problems, (
        "these citations of docs/sources.md do not start with one of its headings "
        f"({', '.join(sections)}):\n" + "\n".join(problems)
    )


def test_data_contract_tables_are_generated_from_the_contract(monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/data-contract.md's tables sections are exactly what the merged contract of the engine and
    the first-party plugins writes (the evidence pack's and the WRES returns' tables included)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("data_contract", ROOT / "scripts" / "data_contract.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    monkeypatch.setenv("EQUALITY_REPORTS_LOAD_PLUGINS", "")  # the script sets it; restored afterwards
    text = (ROOT / "docs" / "data-contract.md").read_text(encoding="utf-8")
    start = text.index(script.BEGIN) + len(script.BEGIN) + 1
    expected = script.generated()
    assert "### `evidence`" in expected and "### `staff_survey`" in expected
    assert text[start:text.index(script.END)] == expected, "run: python scripts/data_contract.py"
