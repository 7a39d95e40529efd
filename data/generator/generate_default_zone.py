"""Write the bundled default submissions of 焦作市城乡一体化示范区 into data/default_zone/.

Real figures (2016 actuals, 2017 targets, 2017 key-project plan) come from the seed newspaper report
(default_zone_facts.py, data/SOURCES.md). Everything marked 模拟数据 (2017 monthly submissions, township shares,
project details) is simulated from one fixed random seed (default_zone_simulation.py), so that every run writes
the same bytes. Each unit sends its files as such an office would: its own encodings, layouts and mistakes
(the lines marked BAD, PARTIAL and WARNING).

Run:  python data/generator/generate_default_zone.py     (needs xlsxwriter)
"""

import csv
import io
import shutil
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import xlsxwriter
from default_zone_facts import (
    ACTUAL_2016,
    FREQUENCY,
    HEAD_IV,
    HEAD_IV_EN,
    HEAD_PP,
    IND,
    IND_FIRMS_2017,
    INDICATORS,
    LATE,
    MONTHS,
    NEW_GREEN_2017,
    NEW_ROAD_2017,
    PLAN_2017,
    RECEIVED,
    REPORTERS,
    SIM,
    TARGETS_2017,
    TOWN_2016,
    TOWNS,
    UNIT_NAME,
    UNITS,
    YOY_PATH,
)
from default_zone_simulation import build_projects, monthly_value, progress, rounded, town_value

OUT = Path(__file__).resolve().parents[1] / "default_zone"
WRITTEN: list[str] = []
"""Every file written, in order: the receipt register lists them."""
HEAD_IV_NAMED = HEAD_IV[:2] + ["指标名称"] + HEAD_IV[2:]
"""统计局's layout: the indicator's name beside its code."""
HEAD_TOWN = ["单位代码", "指标名称", "统计期", "本期累计值", "计量单位", "同比增长", "备注"]
P_QUARTER = {3: "2017年一季度", 6: "2017年上半年", 9: "2017年前三季度"}


def p_range(m):
    return f"2017年1-{m}月"


def p_dash(m):
    return f"2017-{m:02d}"


def p_month(m):
    return f"2017年{m}月"


def to_10k(x):
    """万元 -> 亿元, 吨 -> 万吨 (2 decimals)."""
    return rounded(Decimal(x) / 10000)


def write_csv(name, header, rows, encoding):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(["" if v is None else str(v) for v in r] for r in rows)
    (OUT / name).write_bytes(buf.getvalue().encode(encoding))
    WRITTEN.append(name)


def write_xlsx(name, sheets):
    """sheets: list of (sheet name, header, rows, title row or None)."""
    wb = xlsxwriter.Workbook(str(OUT / name))
    WRITTEN.append(name)
    wb.set_properties({"created": datetime(2017, 10, 10)})  # byte-identical reruns
    bold = wb.add_format({"bold": True})
    for sheet, header, rows, title in sheets:
        ws = wb.add_worksheet(sheet)
        r0 = 0
        if title:
            ws.merge_range(0, 0, 0, len(header) - 1, title, bold)
            r0 = 1
        ws.write_row(r0, 0, header, bold)
        for i, row in enumerate(rows, start=r0 + 1):
            for j, v in enumerate(row):
                if isinstance(v, Decimal):
                    ws.write_number(i, j, float(v))
                elif isinstance(v, int):
                    ws.write_number(i, j, v)
                elif v is not None:
                    ws.write_string(i, j, v)
        ws.set_column(0, len(header) - 1, 14)
    wb.close()


# ---------------------------------------------------------------- the references and the plan


def write_catalogues():
    """The unit register, the indicator catalogue and the 2017 targets."""
    write_csv("单位名录.csv", ["单位代码", "单位名称", "单位类型"], UNITS, "utf-8-sig")
    catalogue = [(*i, FREQUENCY.get(i[0]), REPORTERS.get(i[0])) for i in INDICATORS]
    header = ["指标代码", "指标名称", "计量单位", "汇总方式", "责任单位", "报送频率", "填报范围"]
    write_xlsx("指标目录.xlsx", [("指标目录", header, catalogue, None)])
    targets = [(2017, IND[c][0], t, None) for c, t in TARGETS_2017]
    write_csv("2017年主要预期目标.csv", ["年度", "指标名称", "目标", "责任单位"], targets, "gbk")


def write_project_plan(projects):
    """The 2017 key-project register (the first batch and the city's in 亿元, the rest in 万元) and its summary."""
    register = []
    for p in projects:
        in_yi = p["batch"] or p["group"] in ("城建", "前期")
        money = to_10k if in_yi else (lambda w: w)
        plan = None if p["plan"] is None else money(p["plan"])
        start = f"2017-{p['start']:02d}" if p["start"] else None
        register.append(
            (2017, p["code"], p["name"], p["cat"], p["owner"], p["unit"], money(p["total"]), plan,
             "亿元" if in_yi else "万元", p["batch"], start)
        )  # fmt: skip
    summary = [(cat, n, Decimal(t), Decimal(pl) if pl else None) for cat, (n, t, pl) in PLAN_2017.items()]
    header = ["年度", "项目编号", "项目名称", "项目类别", "建设单位", "责任单位", "计划总投资", "年度计划投资",
              "计量单位", "批次", "计划开工"]  # fmt: skip
    write_xlsx(
        "2017年重点项目计划.xlsx",
        [
            ("重点项目", header, register, None),
            ("分类汇总", ["类别", "项目个数", "计划总投资（亿元）", "年度计划投资（亿元）"], summary, None),
        ],
    )


# ---------------------------------------------------------------- 2016, the full year


def write_2016_departments():
    """统计局 (GBK, late), 发改商务 (English headers), 财政局: the seed report's 2016 actuals."""
    actual = ACTUAL_2016
    stats = [
        ("BM01", c, IND[c][0], "2016年全年", actual[c][0], actual[c][1], actual[c][2], None)
        for c in ("IND_VA", "TER_VA", "IND_FIRMS", "IND_SALES", "HITECH_VA")
    ]
    stats.insert(0, ("BM01", "GDP", "生产总值", "2016年全年", "1,243,000", "万元", "9.9", None))
    income = actual["INCOME"]
    stats.append(("BM01", "INCOME", "居民人均可支配收入", "2016年全年", income[0], "元", income[2], SIM))
    write_csv("2016年全年_统计局_主要指标.csv", HEAD_IV_NAMED, stats, "gbk")
    trade = [
        (u, c, "2016-12", actual[c][0], actual[c][1], actual[c][2], None)
        for u, c in (("BM02", "FAI"), ("BM04", "RETAIL"), ("BM04", "TRADE"), ("BM04", "FDI"))
    ]
    write_csv("2016年全年_发改商务_投资与外经贸.csv", HEAD_IV_EN, trade, "utf-8")
    finance = [
        ("BM03", "REVENUE", "2016年1-12月", "102000", "万元", "8.2", None),
        ("BM03", "WELFARE_EXP", "2016年1-12月", "8", "亿元", None, "占公共财政预算支出的71.9%"),
    ]
    write_csv("2016年12月_财政局_财政收支.csv", HEAD_IV, finance, "utf-8")


def write_2016_towns():
    """One workbook, a sheet per township (and 住建局's), as an annual report is gathered."""
    city = [
        ("BM07", "NEW_ROAD", "2016年", 12000, "米", None, None),
        ("BM07", "NEW_GREEN", "2016年", 234000, "平方米", None, None),
    ]
    sheets = [("住建局", HEAD_IV, city, None)]
    for i, t in enumerate(TOWNS):
        rows = [(t, c, "2016年全年", TOWN_2016[c][i], IND[c][1], None, None) for c in ("URBAN_JOBS", "RURAL_LABOR")]
        forest = TOWN_2016["AFFOREST"][i]
        area = (forest // 15, "公顷") if t == "XZ05" else (forest, "亩")
        rows.append((t, "AFFOREST", "2016年全年", *area, None, None))
        rows.append((t, "GRAIN", "2016年全年", TOWN_2016["GRAIN"][i], "吨", None, None))
        sheets.append((UNIT_NAME[t], HEAD_IV, rows, None))
    write_xlsx("2016年全年_年报_分单位指标.xlsx", sheets)


# ---------------------------------------------------------------- 2017, month by month


def value_row(values, unit, code, period, note=SIM, measure=None):
    """A row of an indicator's simulated value and growth, as a unit sends it."""
    v, yoy = values[code]
    return (unit, code, period, v, measure or IND[code][1], yoy, note)


def write_statistics(m, values):
    """统计局: GBK CSV with the indicator's name; a first-quarter GDP sent with two digits swapped, then corrected."""
    mm = f"2017年{m:02d}月"
    rows = []
    for c in ("GDP", "TER_VA", "INCOME", "IND_VA", "IND_SALES", "HITECH_VA"):
        if c in values:
            r = value_row(values, "BM01", c, P_QUARTER.get(m, p_range(m)) if YOY_PATH[c][2] else p_range(m))
            if c == "GDP" and m == 3:  # first sent with two digits swapped, corrected below
                typo = str(r[3])[1] + str(r[3])[0] + str(r[3])[2:]
                r = r[:3] + (Decimal(typo),) + r[4:]
            rows.append(r[:2] + (IND[c][0],) + r[2:])
    firms = IND_FIRMS_2017[m - 2]
    rows.append(("BM01", "IND_FIRMS", "规模以上工业企业数", p_range(m), firms, "家", None, SIM))
    if m == 5:  # BAD: same key twice in one file
        rows.append(("BM01", "IND_FIRMS", "规模以上工业企业数", p_range(m), firms + 1, "家", None, "复核后"))
    write_csv(f"{mm}_统计局_主要指标.csv", HEAD_IV_NAMED, rows, "gbk")
    if m == 3:  # resubmission: corrected 一季度 GDP
        v, yoy = values["GDP"]
        correction = [("BM01", "GDP", "生产总值", p_range(3), v, "亿元", yoy, f"更正：原报{typo}，{SIM}")]
        write_csv(f"{mm}_统计局_主要指标_更正.csv", HEAD_IV_NAMED, correction, "gbk")


def write_commerce(m, values):
    """商务局: UTF-8 with a BOM."""
    rows = [value_row(values, "BM04", c, p_month(m)) for c in ("RETAIL", "TRADE", "FDI")]
    if m == 4:  # BAD: value does not parse
        rows[2] = rows[2][:3] + ("待核",) + rows[2][4:]
    if m == 7:  # BAD: 万美元 for an indicator in 亿元
        rows[0] = rows[0][:4] + ("万美元",) + rows[0][5:]
    write_csv(f"2017年{m:02d}月_商务局_商贸外经.csv", HEAD_IV, rows, "utf-8-sig")


def write_finance(m, values):
    """财政局: plain UTF-8, headers with stray spaces and a full-width space; revenue in 万元."""
    v, yoy = values["REVENUE"]
    rows = [
        ("BM03", "REVENUE", p_month(m), int(v * 10000), "万元", yoy, SIM),
        value_row(values, "BM03", "WELFARE_EXP", p_month(m)),
    ]
    if m == 2:  # BAD: negative money
        rows[1] = rows[1][:3] + (-rows[1][3],) + rows[1][4:]
    if m == 5:  # BAD: unknown unit code
        rows.append(("BM13", "WELFARE_EXP", p_month(m), values["WELFARE_EXP"][0], "亿元", None, SIM))
    header = [" 单位代码 ", "指标代码 ", "统计期　", " 本期累计值", "计量单位", "同比增长　", "备注"]
    write_csv(f"2017年{m:02d}月_财政局_财政收支.csv", header, rows, "utf-8")


def progress_rows(m, projects, reports, aite):
    """Each responsible unit's project-progress rows for month m (住建局 in 亿元, the others in 万元)."""
    by_unit = {}
    for p in projects:
        report = reports[p["code"]].get(m)
        if report is None:
            continue
        done, status, start = report
        in_yi = p["unit"] == "BM07"
        if p["code"] == aite and m == 6:  # BAD: completed above total investment (typed ×10)
            done *= 10
        period = p_dash(m) if p["unit"].startswith("BM") else p_range(m)
        by_unit.setdefault(p["unit"], []).append(
            (p["code"], p["name"], period, to_10k(done) if in_yi else done, "亿元" if in_yi else "万元", status,
             start, SIM)
        )  # fmt: skip
    return by_unit


def write_development_and_city(m, values, by_unit):
    """发改局: investment and its projects (June with a title row); 住建局: city indicators and projects."""
    title = "2017年1-6月主要经济指标（模拟）" if m == 6 else None
    investment = [value_row(values, "BM02", "FAI", p_dash(m))]
    sheets = [("固定资产投资", HEAD_IV, investment, title), ("重点项目进度", HEAD_PP, by_unit["BM02"], None)]
    write_xlsx(f"2017年{m:02d}月_发改局_投资与项目.xlsx", sheets)
    if m == 8:  # PARTIAL: 住建局 leaves its last project out of the 1-8月 report
        by_unit["BM07"] = by_unit["BM07"][:-1]
    city = [
        ("BM07", "NEW_ROAD", p_dash(m), Decimal(NEW_ROAD_2017[m - 2]), "公里", None, SIM),
        ("BM07", "NEW_GREEN", p_dash(m), Decimal(NEW_GREEN_2017[m - 2]), "万平方米", None, SIM),
    ]
    sheets = [("城建指标", HEAD_IV, city, None), ("城建项目进度", HEAD_PP, by_unit["BM07"], None)]
    write_xlsx(f"2017年{m:02d}月_住建局_城建月报.xlsx", sheets)


def write_towns(m, by_unit):
    """The townships, each in its own way: 阳庙镇 GBK with names, 安阳城乡 UTF-8 CSV, the rest workbooks."""
    mm = f"2017年{m:02d}月"
    for i, t in enumerate(TOWNS):
        rows = []
        for c in ("URBAN_JOBS", "RURAL_LABOR", "AFFOREST", "GRAIN"):
            v = town_value(c, i, m)
            if v is not None:
                rows.append([t, IND[c][0], v, IND[c][1] if c != "GRAIN" else "吨"])
        if t == "XZ04":  # 阳庙镇: GBK CSV, names instead of codes, grain in 万吨
            out = [
                (UNIT_NAME[t], n, p_month(m), *((to_10k(v), "万吨") if u == "吨" else (v, u)), None, SIM)
                for _, n, v, u in rows
            ]
            if m == 6:  # BAD: month 13
                out.append((UNIT_NAME[t], "新增造林面积", "2017年13月", 800, "亩", None, SIM))
            write_csv(f"{mm}_阳庙镇_月报.csv", ["填报单位", *HEAD_TOWN[1:]], out, "gbk")
        elif t == "XZ05":  # 安阳城乡: UTF-8 BOM CSV
            out = [(t, n, p_month(m), v, u, None, SIM) for _, n, v, u in rows]
            write_csv(f"{mm}_安阳城乡_月报.csv", HEAD_TOWN, out, "utf-8-sig")
        else:  # XZ01-03: XLSX with an indicator sheet and a project sheet
            out = [(t, n, p_range(m), v, u, None, SIM) for _, n, v, u in rows]
            sheets = [("主要指标", HEAD_TOWN, out, None), ("项目进度", HEAD_PP, by_unit[t], None)]
            write_xlsx(f"{mm}_{UNIT_NAME[t]}_月报.xlsx", sheets)


def write_month(m, projects, reports, aite):
    """Every unit's submission for 2017年1-m月."""
    values = {c: monthly_value(c, m) for c in YOY_PATH if not YOY_PATH[c][2] or m in P_QUARTER}
    write_statistics(m, values)
    write_commerce(m, values)
    write_finance(m, values)
    by_unit = progress_rows(m, projects, reports, aite)
    write_development_and_city(m, values, by_unit)
    write_towns(m, by_unit)


def write_receipts():
    """收文登记.csv: when each file was received (the inbox's receipt register)."""
    monthly = [n for n in WRITTEN if n not in RECEIVED and n not in LATE]
    times = dict(RECEIVED, **LATE)
    for i, name in enumerate(monthly):
        month = int(name[5:7])
        times[name] = datetime(2017, month + 1, 3, 9, 0) + timedelta(minutes=15 * (i % 16))
    rows = sorted(((n, t.strftime("%Y-%m-%d %H:%M")) for n, t in times.items()), key=lambda r: (r[1], r[0]))
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([("文件名", "收文时间"), *rows])
    (OUT / "收文登记.csv").write_bytes(buf.getvalue().encode("utf-8-sig"))


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    projects = build_projects()
    reports = {p["code"]: progress(p) for p in projects}
    aite = next(p["code"] for p in projects if p["name"].startswith("焦作艾特"))
    write_catalogues()
    write_project_plan(projects)
    write_2016_departments()
    write_2016_towns()
    for m in MONTHS:
        write_month(m, projects, reports, aite)
    write_receipts()


if __name__ == "__main__":
    main()
