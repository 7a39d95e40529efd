"""bulletin.md: the year in the register of the seed's work report, generated from the marts for any year."""

from __future__ import annotations

from mubiao.report.data import Pack
from mubiao.report.labels import (
    BEHIND,
    growth,
    later_reports,
    number,
    partial_note,
    period,
    projected_gap,
    status_label,
)


def render_bulletin(pack: Pack) -> str:
    """The bulletin: last year's figures, this year's figures where finished, targets, key projects."""
    parts = [f"# {pack.year}年经济运行与目标任务简报", "", f"数据截至{period(pack.year, pack.as_of_month)}。", ""]
    for year, rows in ((pack.previous_year, pack.headline), (pack.year, pack.annual)):
        if rows:
            parts += [f"## {year}年主要经济指标完成情况", "", f"{year}年，{_review(rows)}", ""]
    if pack.targets:
        parts += [f"## {pack.year}年主要预期目标", "", _targets(pack), ""]
        if pack.as_of_month:
            parts += [f"## {period(pack.year, pack.as_of_month)}目标完成情况", "", _progress(pack), ""]
    if pack.plan:
        parts += [f"## {pack.year}年重点项目", "", _plan(pack), ""]
        if pack.project_month:
            parts += [_projects(pack), ""]
    if any(p["method"] for p in pack.projections):
        parts += ["## 预计全年", "", _projections(pack), ""]
    return "\n".join(parts)


PROJECTS_NAMED = 5
"""The bulletin names the projects furthest behind their need; the workbook lists them all."""


def _projections(pack: Pack) -> str:
    """按目前进度预计，全年生产总值约135.74亿元，同比增长9.2%（预计完成）；…。预计难以完成的：…。"""
    items = []
    for p in pack.projections:
        if not p["method"]:
            continue
        figure = f"约{number(p['projected_value'])}{p['measure']}" if p["projected_value"] is not None else ""
        if p["projected_yoy_pct"] is not None:
            figure += ("，" if figure else "") + growth(p["projected_yoy_pct"])
        items.append(f"{p['indicator_name']}{figure}（{p['projected_status_label']}）")
    text = "按目前进度预计，全年" + "；".join(items) + "。"
    missed = [r for r in pack.risks if r["kind"] == "目标"]
    if missed:
        text += (
            f"预计难以完成的目标{len(missed)}项（按差距从大到小）："
            + "、".join(f"{r['name']}（{r['unit']}，{projected_gap(r['row'])}）" for r in missed)
            + "。"
        )
    if pack.projects_at_risk:
        first = [
            f"{p['project_name']}（{p['unit_name'] or p['responsible_unit']}，剩余月均需完成{number(p['monthly_need'])}亿元，"
            f"本年最高月完成{number(p['best_month_value'])}亿元）"
            for p in pack.projects_at_risk[:PROJECTS_NAMED]
        ]
        more = "等，全部见工作簿“预计难以完成项目”表" if len(pack.projects_at_risk) > PROJECTS_NAMED else ""
        text += f"预计难以完成的重点项目{len(pack.projects_at_risk)}个，差距最大的：" + "、".join(first) + more + "。"
    return text


def _review(rows: list[dict]) -> str:
    """全区生产总值完成124.3亿元，同比增长9.9%；规模以上工业增加值完成83.9亿元，同比增长9.1%；…。"""
    items = []
    for row in rows:
        figure = f"{number(row['value'])}{row['measure']}"
        if row["yoy_pct"] is None:
            items.append(f"{row['indicator_name']}{figure}")
        else:
            items.append(f"{row['indicator_name']}完成{figure}，{growth(row['yoy_pct'])}")
    return "全区" + "；".join(items) + "。"


def _targets(pack: Pack) -> str:
    """2017年的主要预期目标是：生产总值增长9%左右，…，城镇新增就业3200人以上。"""
    items = [f"{t['indicator_name']}{t['target_text']}" for t in pack.targets]
    return f"{pack.year}年的主要预期目标是：" + "，".join(items) + "。"


def _progress(pack: Pack) -> str:
    items = []
    for t in pack.targets:
        if t["actual_value"] is None:
            items.append(f"{t['indicator_name']}暂无数据")
            continue
        item = f"{t['indicator_name']}完成{number(t['actual_value'])}{t['measure']}"
        if t["completion_pct"] is not None:
            item += f"，完成全年目标的{number(t['completion_pct'], 1)}%"
        elif t["actual_yoy_pct"] is not None:
            item += f"，{growth(t['actual_yoy_pct'])}"
        notes = [status_label(t["status"])]
        if t["as_of_month"] != pack.as_of_month:
            notes.append(f"截至{t['as_of_month']}月")
        if t["partial_month"]:
            notes.append(partial_note(t))
        items.append(f"{item}（{'，'.join(notes)}）")
    behind = [t["indicator_name"] for t in pack.targets if t["status"] in BEHIND]
    text = (
        f"{period(pack.year, pack.as_of_month)}，"
        + "；".join(items)
        + f"。序时进度{number(pack.time_progress_pct, 1)}%"
    )
    text += f"，{len(behind)}项指标滞后：{'、'.join(behind)}。" if behind else "，各项指标均未滞后。"
    return text


def _plan(pack: Pack) -> str:
    """全年共谋划重点项目105个，总投资273.4亿元，年度计划投资62.7亿元。其中，工业项目35个，…。"""
    count = sum(r["project_count"] for r in pack.plan)
    total = sum(r["total_investment"] for r in pack.plan)
    plans = [r["annual_plan"] for r in pack.plan if r["annual_plan"] is not None]
    head = f"全年共谋划重点项目{count}个，总投资{number(total)}亿元"
    head += f"，年度计划投资{number(sum(plans))}亿元。" if plans else "。"
    items = []
    for r in pack.plan:
        item = f"{r['category']}项目{r['project_count']}个，总投资{number(r['total_investment'])}亿元"
        if r["annual_plan"] is not None:
            item += f"，年度计划投资{number(r['annual_plan'])}亿元"
        items.append(item)
    return head + "其中，" + "；".join(items) + "。"


def _projects(pack: Pack) -> str:
    """1-9月，重点项目累计完成投资…，占年度计划的…%（序时进度75%）；已开工…个。"""
    rows = pack.by_category
    done = sum(r["completed_ytd"] for r in rows)
    plan = sum(r["annual_plan"] or 0 for r in rows)
    share = f"，占年度计划的{number(done / plan * 100, 1)}%" if plan else ""
    started = sum(r["started_count"] for r in rows)
    finished = sum(r["finished_count"] for r in rows)
    text = (
        f"{period(pack.year, pack.project_month)}，重点项目累计完成投资{number(done)}亿元{share}"
        f"（序时进度{number(pack.project_time_progress_pct, 1)}%）；已开工{started}个，竣工投产{finished}个。"
    )
    items = [
        f"{r['category']}项目完成投资{number(r['completed_ytd'])}亿元，完成年度计划的{number(r['completion_pct'], 1)}%"
        for r in rows
        if r["completion_pct"] is not None
    ]
    if items:
        text += "其中，" + "；".join(items) + "。"
    reported = pack.projects_total - len(pack.projects_unreported)
    text += (
        f"已报进度的{reported}个项目中，完成投资低于序时进度的{len(pack.projects_behind)}个。"
        if pack.projects_behind
        else f"已报进度的{reported}个项目均达到序时进度。"
    )
    if pack.projects_unreported:
        text += f"尚未报送进度的项目{len(pack.projects_unreported)}个（未计入滞后）。"
    if later := later_reports(pack):
        text += f"（{later}，未计入。）"
    return text
