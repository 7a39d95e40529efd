"""report.html: one self-contained page (fonts and charts inline, no network), rendered from a jinja2 template."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from mubiao.report.data import Pack
from mubiao.report.labels import (
    BEHIND,
    PROJECTION_COLOURS,
    SUBMISSION_STATUS,
    TARGET_TYPES,
    carried_from,
    growth,
    kind_label,
    later_reports,
    number,
    partial_note,
    period,
    projected_gap,
    status_colour,
    status_label,
)
from mubiao.report.pack_cache import PackCache, made

FONT_SLOT = "/*@font-face*/"


def render_html(pack: Pack, cache: PackCache | None = None) -> str:
    """The page, with the CJK font subset to the characters it contains and those a later month's page is likely
    to add (`zone_characters`, `fixed_characters`); its charts and subset from `cache` where their data has been drawn
    before."""
    from mubiao.report.fonts import font_face_css

    time_progress = pack.project_time_progress_pct
    page = page_template().render(
        pack=pack,
        period=period,
        target_types=TARGET_TYPES,
        submission_status=SUBMISSION_STATUS,
        behind=BEHIND,
        later_reports=later_reports(pack),
        targets_behind=[t for t in pack.targets if t["status"] in BEHIND],
        files=_file_counts(pack),
        category_chart=_progress(cache, pack.by_category, "category", time_progress) if pack.by_category else "",
        unit_chart=_progress(cache, _charted_units(pack), "unit_name", time_progress) if pack.by_unit else "",
        units_charted=min(len(pack.by_unit), UNITS_CHARTED),
        projection_colours=PROJECTION_COLOURS,
        projection_chart=_projections(cache, pack.projections, pack.projection_paths),
    )
    characters = "".join(sorted(set(page) | zone_characters(pack) | fixed_characters()))
    return page.replace(FONT_SLOT, made(cache, "font", characters, lambda: font_face_css(characters)), 1)


@lru_cache(maxsize=1)
def page_template():
    """report.html.j2 with the pack's filters, compiled once a process (a worker writes many packs)."""
    from jinja2 import Environment, PackageLoader

    env = Environment(loader=PackageLoader(__package__, "templates"), autoescape=True)
    env.filters.update(
        number=number,
        growth=growth,
        status_label=status_label,
        status_colour=status_colour,
        kind_label=kind_label,
        missing_items=missing_items,
        partial_note=partial_note,
        carried_from=carried_from,
        projected_gap=projected_gap,
    )
    return env.get_template("report.html.j2")


def zone_characters(pack: Pack) -> set[str]:
    """The characters of the zone's units, indicators, targets and categories, which a later month's page may show."""
    names = [(r["indicator_name"], r["measure"]) for r in pack.annual]
    names += [(r["indicator_name"], r["target_text"]) for r in pack.targets]
    names += [(r["unit_name"],) for r in pack.scorecard] + [(r["category"],) for r in pack.by_category]
    return {character for row in names for text in row if text for character in str(text)}


@lru_cache(maxsize=1)
def fixed_characters() -> frozenset[str]:
    """Printable ASCII and every character of the page's template and of the words the pack's code writes.

    With the zone's own (`zone_characters`), they make the font's character set: a superset of the page's that a new
    month rarely changes, so the font subset, about 0.4 s to make, usually comes from the cache.
    """
    report = resources.files("mubiao.report")
    sources = [report.joinpath(name) for name in ("templates/report.html.j2", "html.py", "labels.py", "panels.py")]
    sources.append(resources.files("mubiao.foundation").joinpath("vocabulary.py"))
    text = "".join(source.read_text(encoding="utf-8") for source in sources)
    return frozenset(chr(c) for c in range(0x20, 0x7F)) | {c for c in text if ord(c) > 0x7F}


def _progress(cache: PackCache | None, rows: list[dict], label: str, time_progress: float | None) -> str:
    from mubiao.report.charts import progress_chart

    return made(cache, "progress", (rows, label, time_progress), lambda: progress_chart(rows, label, time_progress))


def _projections(cache: PackCache | None, projections: list[dict], paths: dict[str, list[dict]]) -> str:
    from mubiao.report.panels import projection_chart

    return made(cache, "projection", (projections, paths), lambda: projection_chart(projections, paths))


MISSING_LISTED = 5
"""A submission missing more items than this shows their count; the workbook's 报送情况 sheet names them all."""


def missing_items(submission: dict) -> str:
    """The items a unit has not sent, by name: 项目甲、项目乙; or, when there are many, 缺 31 个项目，明细见工作簿."""
    names = [str(n) for n in submission.get("missing_names") or submission.get("missing_items") or []]
    if len(names) <= MISSING_LISTED:
        return "、".join(names)
    noun = "个项目" if submission.get("kind") == "project_progress" else "项指标"
    return f"缺 {len(names)} {noun}，明细见工作簿（report.xlsx 的“报送情况”表）"


UNITS_CHARTED = 20
"""A chart stays readable: the units with the largest annual plans; the workbook lists them all."""


def _charted_units(pack: Pack) -> list[dict]:
    largest = sorted(pack.by_unit, key=lambda r: r["annual_plan"] or 0, reverse=True)[:UNITS_CHARTED]
    return [r for r in pack.by_unit if r in largest]


def _file_counts(pack: Pack) -> dict:
    by_status = {
        status: sum(1 for f in pack.files if f["status"] == status) for status in ("loaded", "duplicate", "unreadable")
    }
    return {
        **by_status,
        "rows_loaded": sum(f["rows_loaded"] for f in pack.files),
        "unreadable_files": [f for f in pack.files if f["status"] == "unreadable"],
        "quarantine_files": [f for f in pack.files if f["rows_quarantined"]],
    }
