"""Assemble the built reports into a static site with an index page, for GitHub Pages."""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass
from pathlib import Path

from rusturk.common.atomic import write_bytes, write_text

TITLE = "Russia–Turkey relations, 2015–2020: reports"
# What the site carries besides the reports themselves: assets an HTML report may link to.
ASSET_SUFFIXES = {".css", ".js", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".json"}
_TITLE_TAG = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Entry:
    """One report: its name, and its HTML and PDF paths relative to the site (either may be
    missing)."""

    name: str
    title: str
    html: str | None
    pdf: str | None


def _html_title(path: Path) -> str:
    """The text of the page's <title>, unescaped, or "" when it has none."""
    head = path.read_bytes()[:65536].decode("utf-8", "replace")
    found = _TITLE_TAG.search(head)
    return " ".join(html.unescape(found.group(1)).split()) if found else ""


def _files(reports_dir: Path) -> list[Path]:
    """Every visible file under `reports_dir`, sorted. A report folder is a symlink to its
    current version (`full -> .full.<version>`): followed here, while the hidden versions
    themselves are left out, so each report is listed once."""
    found = []
    for root, folders, files in os.walk(reports_dir, followlinks=True):
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        found += [Path(root) / f for f in files
                  if not f.startswith(".") and (Path(root) / f).is_file()]
    return sorted(found)


def entries(reports_dir: Path) -> list[Entry]:
    """Every HTML report and PDF under `reports_dir`, paired by path without the suffix."""
    found: dict[str, dict[str, Path]] = {}
    for path in _files(reports_dir):
        relative = path.relative_to(reports_dir)
        if relative.as_posix() == "index.html":
            continue  # the site's own index, replaced below
        if path.suffix.lower() in (".html", ".pdf"):
            stem = relative.with_suffix("").as_posix()
            found.setdefault(stem, {})[path.suffix.lower()] = relative
    result = []
    for stem, paths in sorted(found.items()):
        page, pdf = paths.get(".html"), paths.get(".pdf")
        title = _html_title(reports_dir / page) if page else ""
        result.append(Entry(stem, title or stem, page and page.as_posix(),
                            pdf and pdf.as_posix()))
    return result


def render_index(items: list[Entry], *, commit: str = "") -> str:
    """The index page: one list item per report, linking its HTML and PDF; all text escaped.

    Examples:
        >>> page = render_index([Entry("a/b", "<Idlib> & more", "a/b.html", None)])
        >>> '<a href="a/b.html">&lt;Idlib&gt; &amp; more</a>' in page
        True
    """
    from rusturk.common.templating import render
    from rusturk.report.export import PAGES

    return render(PAGES, "site_index.html.j2", title=TITLE, entries=items, commit=commit)


def build_site(reports_dir: Path | str, site_dir: Path | str, *, commit: str = "") -> list[Entry]:
    """Copy the reports (HTML, PDF and the assets they may link to) into `site_dir` and write
    its index.html; return the reports listed."""
    reports_dir, site_dir = Path(reports_dir), Path(site_dir)
    if not reports_dir.is_dir():
        raise FileNotFoundError(f"{reports_dir}: no reports folder; run `make report` first")
    for path in _files(reports_dir):
        if path.suffix.lower() in ASSET_SUFFIXES | {".html", ".pdf"}:
            write_bytes(site_dir / path.relative_to(reports_dir), path.read_bytes())
    items = entries(reports_dir)
    write_text(site_dir / "index.html", render_index(items, commit=commit))
    return items

