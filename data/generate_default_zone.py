"""Write the bundled default submissions of 焦作市城乡一体化示范区 into data/default_zone/.

Real figures (2016 actuals, 2017 targets, 2017 key-project plan) come from the
seed newspaper report and are embedded below; see data/SOURCES.md.  Everything
marked 模拟数据 (2017 monthly submissions, township shares, project details) is
simulated, deterministically (fixed random seed).

Run:  python data/generate_default_zone.py     (needs xlsxwriter)
"""

import csv
import io
import random
import shutil
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP
from decimal import Decimal as D
from pathlib import Path

import xlsxwriter

OUT = Path(__file__).resolve().parent / "default_zone"
SIM = "模拟数据"
MONTHS = range(2, 10)  # monthly reports 1-2月 (combined, as statistical practice) to 1-9月

# ---------------------------------------------------------------- units
UNITS = [
    ("BM01", "统计局", "区直部门"),
    ("BM02", "发展改革局", "区直部门"),
    ("BM03", "财政局", "区直部门"),
    ("BM04", "商务局", "区直部门"),
    ("BM05", "人社局", "区直部门"),
    ("BM06", "农林水利局", "区直部门"),
    ("BM07", "住建局", "区直部门"),
    ("BM08", "环保局", "区直部门"),
    ("XZ01", "文昌街道", "乡镇街道"),
    ("XZ02", "苏家作乡", "乡镇街道"),
    ("XZ03", "宁郭镇", "乡镇街道"),
    ("XZ04", "阳庙镇", "乡镇街道"),
    ("XZ05", "安阳城乡", "乡镇街道"),
    ("ZQ01", "国家税务局示范区分局", "驻区机构"),
    ("ZQ02", "地方税务局示范区分局", "驻区机构"),
    ("ZQ03", "国土资源局示范区分局", "驻区机构"),
]
UNIT_NAME = {code: name for code, name, _ in UNITS}
TOWNS = ["XZ01", "XZ02", "XZ03", "XZ04", "XZ05"]

# ---------------------------------------------------------------- indicators
# code, name, measure, aggregation, responsible unit
INDICATORS = [
    ("GDP", "生产总值", "亿元", "reported", "BM01"),
    ("IND_VA", "规模以上工业增加值", "亿元", "reported", "BM01"),
    ("TER_VA", "第三产业增加值", "亿元", "reported", "BM01"),
    ("FAI", "固定资产投资", "亿元", "reported", "BM02"),
    ("RETAIL", "社会消费品零售总额", "亿元", "reported", "BM04"),
    ("TRADE", "进出口总值", "万美元", "reported", "BM04"),
    ("FDI", "实际利用外资", "万美元", "reported", "BM04"),
    ("REVENUE", "一般公共预算收入", "亿元", "reported", "BM03"),
    ("INCOME", "居民人均可支配收入", "元", "reported", "BM01"),
    ("IND_FIRMS", "规模以上工业企业数", "家", "reported", "BM01"),
    ("IND_SALES", "规模以上工业主营业务收入", "亿元", "reported", "BM01"),
    ("HITECH_VA", "高新技术产业增加值", "亿元", "reported", "BM01"),
    ("WELFARE_EXP", "民生财政支出", "亿元", "reported", "BM03"),
    ("NEW_ROAD", "新增城市道路", "公里", "reported", "BM07"),
    ("NEW_GREEN", "新增城市绿地", "万平方米", "reported", "BM07"),
    ("ENERGY", "节能减排", "%", "reported", "BM08"),
    ("URBAN_JOBS", "城镇新增就业", "人", "sum", "BM05"),
    ("RURAL_LABOR", "农村劳动力转移就业", "人", "sum", "BM05"),
    ("AFFOREST", "新增造林面积", "亩", "sum", "BM06"),
    ("GRAIN", "粮食总产量", "万吨", "sum", "BM06"),
]
IND = {code: (name, measure) for code, name, measure, _, _ in INDICATORS}
# 报送频率 where not monthly; 填报范围 of the `sum` indicators (the townships, as the default would be)
FREQUENCY = {"GDP": "季报", "TER_VA": "季报", "INCOME": "季报", "ENERGY": "季报", "GRAIN": "6-12月"}
REPORTERS = {code: "乡镇街道" for code, _, _, aggregation, _ in INDICATORS if aggregation == "sum"}

# 2016 full year, exactly as the seed prints them (value, measure, yoy %); INCOME is simulated
ACTUAL_2016 = {
    "GDP": ("124.3", "亿元", "9.9"),
    "IND_VA": ("83.9", "亿元", "9.1"),
    "TER_VA": ("36.3", "亿元", "13.1"),
    "FAI": ("163", "亿元", "18.1"),
    "RETAIL": ("47.2", "亿元", "12.8"),
    "TRADE": ("3990", "万美元", "7.4"),
    "FDI": ("8913", "万美元", "5.25"),
    "REVENUE": ("10.2", "亿元", "8.2"),
    "IND_FIRMS": ("95", "家", None),
    "IND_SALES": ("446.2", "亿元", "6.3"),
    "HITECH_VA": ("56.6", "亿元", "10.8"),
    "WELFARE_EXP": ("8", "亿元", None),
    "NEW_ROAD": ("12", "公里", None),
    "NEW_GREEN": ("23.4", "万平方米", None),
    "INCOME": ("22680", "元", "8.6"),  # 模拟数据
}
# 2016 township shares of the `sum` indicators; each column sums to the seed's zone figure
TOWN_2016 = {  # XZ01..XZ05
    "URBAN_JOBS": [1526, 1104, 893, 512, 482],  # = 4517 人
    "RURAL_LABOR": [98, 276, 301, 262, 231],  # = 1168 人
    "AFFOREST": [180, 520, 1050, 850, 600],  # = 3200 亩
    "GRAIN": [8600, 31400, 58700, 49300, 44500],  # = 192500 吨 = 19.25 万吨
}

# ---------------------------------------------------------------- 2017 targets (seed wording)
TARGETS_2017 = [
    ("GDP", "增长9%左右"),
    ("IND_VA", "增长9%"),
    ("TER_VA", "增长10%"),
    ("REVENUE", "增长8.5%左右"),
    ("RETAIL", "增长12.5%"),
    ("FAI", "增长16.5%"),
    ("TRADE", "保持稳定"),
    ("INCOME", "与经济增长同步"),
    ("URBAN_JOBS", "3200人以上"),
    ("ENERGY", "完成省、市下达任务"),
]

# ---------------------------------------------------------------- 2017 simulated monthly path
# reported indicators: (yoy % at 1-2月, yoy % at 1-9月, quarterly only?)
YOY_PATH = {
    "GDP": ("9.0", "9.2", True),
    "IND_VA": ("8.2", "8.7", False),
    "TER_VA": ("10.2", "10.6", True),
    "INCOME": ("9.0", "9.3", True),
    "IND_SALES": ("5.1", "6.8", False),
    "HITECH_VA": ("9.8", "11.2", False),
    "FAI": ("15.2", "17.0", False),
    "RETAIL": ("12.1", "12.7", False),
    "TRADE": ("2.1", "-3.5", False),
    "FDI": ("4.0", "5.6", False),
    "REVENUE": ("9.1", "7.6", False),
    "WELFARE_EXP": ("10.0", "12.0", False),
}
# share of the 2016 annual value reached by month m (2016 seasonality, simulated)
SHARE = {2: "0.14", 3: "0.23", 4: "0.31", 5: "0.39", 6: "0.49", 7: "0.57", 8: "0.65", 9: "0.74"}
SHARE_INCOME = {3: "0.27", 6: "0.50", 9: "0.74"}  # per-capita income is quarterly
IND_FIRMS_2017 = [96, 96, 97, 97, 98, 98, 99, 100]
NEW_ROAD_2017 = ["0.5", "1.2", "2.0", "3.1", "4.3", "5.2", "6.4", "7.5"]  # 公里, cumulative
NEW_GREEN_2017 = ["0.8", "2.6", "5.1", "7.4", "9.0", "10.2", "11.5", "13.8"]  # 万平方米
# township shares at 1-9月 and the cumulative fraction reached by each month
TOWN_SEP_2017 = {
    "URBAN_JOBS": [760, 548, 445, 255, 242],  # = 2250 人: 70.3% of 3200 at 75% time -> behind
    "RURAL_LABOR": [76, 212, 231, 205, 181],  # = 905 人
    "AFFOREST": [160, 480, 990, 800, 550],  # = 2980 亩
    "GRAIN": [4500, 18200, 35300, 29800, 26700],  # 吨; summer grain from June
}
TOWN_FRACTION = {
    "URBAN_JOBS": [0.15, 0.26, 0.37, 0.48, 0.60, 0.71, 0.84, 1],
    "RURAL_LABOR": [0.20, 0.32, 0.45, 0.55, 0.66, 0.76, 0.88, 1],
    "AFFOREST": [0.10, 0.55, 0.85, 0.90, 0.90, 0.90, 0.92, 1],
    "GRAIN": [None, None, None, None, 0.92, 0.93, 0.93, 1],
}

# ---------------------------------------------------------------- 2017 key projects (seed)
# category: (count, total 亿元, annual plan 亿元 or None)
PLAN_2017 = {
    "工业": (35, "81.5", "26"),
    "服务业": (9, "54.4", "12.7"),
    "城建": (31, "53.5", "16.5"),
    "社会事业": (15, "27", "6.3"),
    "农林水": (5, "4", "1.2"),
    "前期": (10, "53", None),
}
BATCH1 = "第一批集中开工"
START_MONTHS = [1, 2, 3, 3, 4, 4, 5, 5, 6, 7, 8, 9]  # planned start, drawn at random
# named projects with fixed figures, in 亿元: total, plan, category as registered,
# responsible unit, planned start, finish month (None = not finished in 2017)
FIXED = {
    "焦作明仁医药生物科技有限公司电子商务医药大健康产业园区项目": ("3", "1.2", "服务业", "BM02", 2, None),
    "焦作市恒森包装材料有限公司年产20亿套高端饮品包装项目": ("4.6", "1.5", "工业", "XZ03", 2, None),
    "德隆材料股份有限公司年产1500吨羰基铁粉材料及40吨氮化铁粉材料项目": ("4.5", "1.6", "工业", "XZ01", 2, None),
    "焦作艾特科技有限公司年产300吨冶金用新型纳米润滑脂项目": ("0.68", "0.68", "工业", "XZ02", 2, 8),
    "韩愈路（九州路至云台路）快慢车道及污水管网等建设项目": ("0.15", "0.15", "基础设施", "BM07", 2, 7),
    "南洋路（中南路至迎宾路）慢车道及雨污水管网建设项目": ("0.1", "0.1", "基础设施", "BM07", 2, 6),
    "蒙牛百亿元产业集群项目（一期）": ("20", "6", "工业", "XZ03", 3, None),
    "蒙牛液体奶扩建二期项目": ("1.2", "1.2", "工业", "XZ03", 1, 9),
    "文昌街道中心幼儿园项目": ("0.3", "0.3", "社会事业", "XZ01", 3, 8),
    "示范区农村饮水安全巩固提升工程": ("0.4", "0.4", "农林水", "XZ02", 3, 6),
}
OWNER = {
    "蒙牛百亿元产业集群项目（一期）": "蒙牛乳业（焦作）有限公司",
    "蒙牛液体奶扩建二期项目": "蒙牛乳业（焦作）有限公司",
    "城建": "示范区城市建设投资有限公司",
    "社会事业": "示范区社会事业局",
    "农林水": "示范区农林水利局",
    "前期": "示范区发展改革局",
    "服务业": "示范区投资开发有限公司",
    "工业": "示范区产业集聚区管委会",
}
INDUSTRY_OTHERS = [  # (company, product) -> 焦作{company}有限公司{product}项目
    ("中山国安火炬科技", "碳纳米管及电磁屏蔽膜"),
    ("洹河纳米科技", "纳米光电科技产业园"),
    ("德隆吸波材料", "年产500吨吸波材料"),
    ("金叶醋酸纤维", "醋酸纤维丝束技改"),
    ("卓立膜材料", "功能膜材料生产线重整复产"),
    ("华康糖醇", "年产10万吨功能糖醇"),
    ("鑫源汽车部件", "年产50万套汽车制动部件"),
    ("宏达机械", "智能矿山装备生产基地"),
    ("科瑞森重装", "大型散料输送装备扩建"),
    ("佰特食品", "年产3万吨速冻食品"),
    ("万方新材料", "年产2万吨高性能铝合金型材"),
    ("丰收面业", "年产10万吨挂面"),
    ("隆丰皮草", "裘皮服饰加工园"),
    ("天益科技", "年产300万只锂电池电芯"),
    ("明珠重工", "大型铸锻件生产线"),
    ("瑞丰纸业", "年产5万吨特种纸"),
    ("鑫诚耐火材料", "年产3万吨新型耐火材料"),
    ("华飞电子", "电子元器件产业园"),
    ("伊赛尔饮品", "年产20万吨饮品"),
    ("恒泰机械装备", "农机装备智能制造"),
    ("贝斯特电气", "年产5万台智能配电设备"),
    ("泰利机械", "液压元件生产线"),
    ("康达食品", "年产2万吨休闲食品"),
    ("晶锐光电", "LED封装产业化"),
    ("润扬化工", "年产1万吨精细化工中间体"),
    ("鼎盛铝业", "年产5万吨铝板带"),
    ("瑞奇特机械", "年产1000台矿用减速机"),
    ("安利达电器", "小家电生产基地"),
    ("盛源生物", "年产1万吨生物饲料"),
    ("冠宇新能源", "分布式光伏发电"),
]
SERVICE_OTHERS = [
    "新康华医药电商物流项目",
    "焦作恒大城项目（二期）",
    "示范区电子商务产业园项目",
    "河南理工大学创客空间孵化基地项目",
    "示范区现代物流园项目",
    "焦作国家高新区科技服务中心项目",
    "苏家作商业综合体项目",
    "示范区文化旅游综合体项目",
]
CITY_OTHERS = [
    f"{road}建设工程"
    for road in (
        "黄河路（中原路至人民路）快车道",
        "世纪路“白改黑”提升",
        "神州路“白改黑”提升",
        "迎宾路北延",
        "九州路南延",
        "云台路拓宽",
        "中南路雨污分流",
        "新园路",
        "中原路污水泵站二期",
        "韩愈路绿化带",
        "南洋路绿化带",
        "黄河路两侧绿化",
        "大沙河沿岸游园",
        "韩公游园",
        "文昌公园",
        "示范区公交首末站",
        "示范区供热管网",
        "苏家作村天然气管网",
        "示范区雨污管网（二期）",
        "示范区路灯亮化",
        "城中村改造安置房（一期）",
        "城中村改造安置房（二期）",
        "金沙社区一期PPP",
        "沁苑社区一期PPP",
        "公路绿色廊道",
        "示范区智慧城管平台",
        "示范区停车场",
        "示范区再生资源回收中心二期",
        "九州路跨大沙河桥",
    )
]
SOCIAL_OTHERS = [
    ("河南理工大学第一附属医院示范区医院门诊病房楼项目", "BM02"),
    ("示范区急救指挥中心项目", "BM02"),
    ("示范区疾病预防控制中心项目", "BM02"),
    ("韩公教育园区初级中学项目", "BM02"),
    ("示范区第二实验小学项目", "BM02"),
    ("苏家作乡敬老院项目", "XZ02"),
    ("宁郭镇敬老院项目", "XZ03"),
    ("示范区标准化村卫生室建设项目", "BM02"),
    ("示范区农村幸福院建设项目", "BM02"),
    ("示范区公共文化服务中心项目", "BM02"),
    ("示范区全民健身中心项目", "BM02"),
    ("示范区社会福利中心项目", "BM02"),
    ("示范区社区服务中心项目", "BM02"),
    ("示范区“社区e通”技防设施二期项目", "BM02"),
]
AGRI_OTHERS = [
    ("示范区5万亩土地规模整治项目", "XZ03"),
    ("南水北调干渠生态廊道提升项目", "XZ02"),
    ("大沙河综合治理项目（示范区段）", "XZ03"),
    ("示范区都市农业园区项目", "XZ02"),
]
EARLY = [
    "“两河两湖”怀庆河水系工程",
    "“两河两湖”沁泉湖水系工程",
    "“两河两湖”山阳河水系工程",
    "“两河两湖”碧莲湖水系工程",
    "示范区城市综合管廊项目",
    "示范区城中村改造（14个村）项目",
    "示范区体育中心项目",
    "示范区会展中心项目",
    "大沙河生态走廊项目",
    "示范区高铁片区综合开发项目",
]


HEAD_IV = ["单位代码", "指标代码", "统计期", "本期累计值", "计量单位", "同比增长", "备注"]
HEAD_IV_EN = ["unit_code", "indicator_code", "period", "value", "measure", "yoy_pct", "note"]
HEAD_PP = ["项目编号", "项目名称", "统计期", "本年累计完成投资", "计量单位", "项目状态", "实际开工日期", "备注"]

rng = random.Random(20170211)
WRITTEN: list[str] = []

# ---------------------------------------------------------------- receipts (收文登记)
# Monthly reports arrive from the 3rd of the following month, a quarter of an hour apart,
# due on the 5th; these arrive otherwise (LATE: after the due date).
RECEIVED = {
    "单位名录.csv": datetime(2017, 1, 3, 9, 0),
    "指标目录.xlsx": datetime(2017, 1, 3, 9, 10),
    "2016年12月_财政局_财政收支.csv": datetime(2017, 1, 4, 10, 20),
    "2016年全年_发改商务_投资与外经贸.csv": datetime(2017, 1, 5, 11, 0),
    "2016年全年_年报_分单位指标.xlsx": datetime(2017, 1, 5, 16, 30),
    "2017年主要预期目标.csv": datetime(2017, 2, 10, 9, 0),
    "2017年重点项目计划.xlsx": datetime(2017, 2, 10, 9, 30),
    "2017年03月_统计局_主要指标_更正.csv": datetime(2017, 4, 7, 10, 0),  # a correction: not late
}
LATE = {
    "2016年全年_统计局_主要指标.csv": datetime(2017, 1, 20, 15, 0),
    "2017年04月_阳庙镇_月报.csv": datetime(2017, 5, 9, 16, 40),
    "2017年06月_商务局_商贸外经.csv": datetime(2017, 7, 7, 11, 5),
}


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


def q(x, places="0.01"):
    return D(x).quantize(D(places), rounding=ROUND_HALF_UP)


def p_range(m):
    return f"2017年1-{m}月"


def p_dash(m):
    return f"2017-{m:02d}"


def p_month(m):
    return f"2017年{m}月"


P_QUARTER = {3: "2017年一季度", 6: "2017年上半年", 9: "2017年前三季度"}


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
                if isinstance(v, D):
                    ws.write_number(i, j, float(v))
                elif isinstance(v, int):
                    ws.write_number(i, j, v)
                elif v is not None:
                    ws.write_string(i, j, v)
        ws.set_column(0, len(header) - 1, 14)
    wb.close()


# ---------------------------------------------------------------- simulation
def monthly_value(code, m):
    """Simulated 2017 cumulative value and yoy % at month m of a reported indicator."""
    start, end, _ = YOY_PATH[code]
    t = D(m - 2) / D(7)
    noise = D(0) if m in (2, 9) else D(rng.choice(("-0.1", "0", "0.1")))
    yoy = q(D(start) + (D(end) - D(start)) * t + noise, "0.1")
    base, measure, _ = ACTUAL_2016[code]
    share = SHARE_INCOME[m] if code == "INCOME" else SHARE[m]
    places = "1" if measure in ("万美元", "元") else "0.01"
    return q(D(base) * D(share) * (1 + yoy / 100), places), yoy


def town_value(code, i, m):
    frac = TOWN_FRACTION[code][m - 2]
    if frac is None:
        return None
    part = TOWN_SEP_2017[code][i]
    if code == "AFFOREST" and i == 2 and m == 7:  # WARNING: 宁郭镇 sends 1-7月 below its 1-6月 (891 亩)
        return 819
    return part if m == 9 else int(round(part * frac))


def build_projects():
    """105 projects: exact category counts/sums, integer multiples of 0.01亿 (100万元)."""
    named = {"工业": [], "服务业": [], "城建": [], "社会事业": [], "农林水": [], "前期": []}
    for name, (_, _, cat, unit, _, _) in FIXED.items():
        named["城建" if cat == "基础设施" else cat].append((name, unit))
    named["工业"] += [(f"焦作{c}有限公司{p}项目", TOWNS[i % 3]) for i, (c, p) in enumerate(INDUSTRY_OTHERS)]
    named["服务业"] += [(n, "BM02") for n in SERVICE_OTHERS]
    named["城建"] += [(n, "BM07") for n in CITY_OTHERS]
    named["社会事业"] += SOCIAL_OTHERS
    named["农林水"] += AGRI_OTHERS
    named["前期"] += [(n, "BM02") for n in EARLY]
    projects = []
    for cat, (count, total, plan) in PLAN_2017.items():
        items = named[cat]
        assert len(items) == count, (cat, len(items))
        fixed = [FIXED.get(n) for n, _ in items]
        free = [i for i, f in enumerate(fixed) if f is None]

        def units(x):
            return int(D(x) * 100)  # 亿元 -> units of 100万元

        tot = {i: units(f[0]) for i, f in enumerate(fixed) if f}
        tot.update(split(units(total) - sum(tot.values()), [rng.lognormvariate(0, 0.8) for _ in free], free, floor=8))
        pl = {}
        if plan is not None:
            pl = {i: units(f[1]) for i, f in enumerate(fixed) if f}
            weights = [tot[i] * rng.uniform(0.2, 0.5) for i in free]
            pl.update(split(units(plan) - sum(pl.values()), weights, free, floor=1, caps=[tot[i] for i in free]))
        for i, (name, unit) in enumerate(items):
            f = fixed[i]
            starts = START_MONTHS[:8] if cat == "工业" else START_MONTHS  # industry starts by May
            start = f[4] if f else (None if cat == "前期" else rng.choice(starts))
            projects.append(
                dict(
                    name=name,
                    cat=f[2] if f else cat,
                    group=cat,
                    unit=unit,
                    total=tot[i] * 100,
                    plan=pl[i] * 100 if plan is not None else None,
                    start=start,
                    finish=f[5] if f else None,
                    batch=BATCH1 if f and f[4] == 2 else None,
                    owner=OWNER.get(name) or (name.split("公司")[0] + "公司" if "公司" in name else OWNER[cat]),
                )
            )
    # first batch first, then by category; codes 2017ZD001..
    projects.sort(key=lambda p: (p["batch"] is None, list(PLAN_2017).index(p["group"])))
    for k, p in enumerate(projects, 1):
        p["code"] = f"2017ZD{k:03d}"
    return projects


def split(amount, weights, keys, floor, caps=None):
    """Split an integer amount over keys by weights: each >= floor, <= cap, exact sum."""
    caps = caps or [amount] * len(keys)
    alloc = [floor] * len(keys)
    rest = amount - floor * len(keys)
    assert rest >= 0 and sum(caps) >= amount
    while rest:
        room = [w if a < c else 0 for w, a, c in zip(weights, alloc, caps, strict=True)]
        share = [min(c - a, int(rest * w / sum(room))) for w, a, c in zip(room, alloc, caps, strict=True)]
        if not any(share):
            share[max(range(len(room)), key=room.__getitem__)] = 1
        alloc = [a + s for a, s in zip(alloc, share, strict=True)]
        rest -= sum(share)
    return dict(zip(keys, alloc, strict=True))


def progress(p):
    """Simulated cumulative completion (万元), status and start date for months 2..9."""
    if p["plan"] is None:
        return {m: (0, "未开工", None) for m in MONTHS}
    a = p["start"] + rng.choice([0, 0, 0, 0, 0, 0, 0, 1, 1, 2]) if not p["batch"] else 2
    fast = rng.random() < (0.75 if p["group"] == "工业" else 0.55)  # ahead of time progress by September
    f = rng.uniform(1.02, 1.3) if fast else rng.uniform(0.45, 0.92)
    day = 10 if p["batch"] else rng.randint(1, 28)
    step = 100 if p["unit"] == "BM07" else 1  # 住建局 reports in 亿元 (2 decimals)
    out = {}
    for m in MONTHS:
        if m < max(p["start"], 2):
            continue
        if m < a:
            out[m] = (0, "未开工", None)
            continue
        if p["finish"]:
            done = p["total"] * min(1, (m - a + 1) / (p["finish"] - a + 1))
            status = ("投产" if p["group"] == "工业" else "竣工") if m >= p["finish"] else "已开工"
        else:  # reaches f × 75% of the annual plan by September
            done, status = p["plan"] * f * 0.75 * (m - a + 1) / (9 - a + 1), "已开工"
        done = min(p["total"], int(round(done / step)) * step)
        out[m] = (done, status, f"2017-{a:02d}-{day:02d}")
    return out


# ---------------------------------------------------------------- files
def to_10k(x):
    """万元 -> 亿元, 吨 -> 万吨 (2 decimals)."""
    return q(D(x) / 10000)


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    projects = build_projects()
    reports = {p["code"]: progress(p) for p in projects}
    aite = next(p["code"] for p in projects if p["name"].startswith("焦作艾特"))

    # reference files
    write_csv("单位名录.csv", ["单位代码", "单位名称", "单位类型"], UNITS, "utf-8-sig")
    write_xlsx(
        "指标目录.xlsx",
        [
            (
                "指标目录",
                ["指标代码", "指标名称", "计量单位", "汇总方式", "责任单位", "报送频率", "填报范围"],
                [(*i, FREQUENCY.get(i[0]), REPORTERS.get(i[0])) for i in INDICATORS],
                None,
            )
        ],
    )
    write_csv(
        "2017年主要预期目标.csv",
        ["年度", "指标名称", "目标", "责任单位"],
        [(2017, IND[c][0], t, None) for c, t in TARGETS_2017],
        "gbk",
    )
    reg = []
    for p in projects:
        yi = p["batch"] or p["group"] in ("城建", "前期")
        conv = to_10k if yi else (lambda w: w)
        reg.append(
            (
                2017,
                p["code"],
                p["name"],
                p["cat"],
                p["owner"],
                p["unit"],
                conv(p["total"]),
                None if p["plan"] is None else conv(p["plan"]),
                "亿元" if yi else "万元",
                p["batch"],
                f"2017-{p['start']:02d}" if p["start"] else None,
            )
        )
    summary = [(cat, n, D(t), D(pl) if pl else None) for cat, (n, t, pl) in PLAN_2017.items()]
    write_xlsx(
        "2017年重点项目计划.xlsx",
        [
            (
                "重点项目",
                [
                    "年度",
                    "项目编号",
                    "项目名称",
                    "项目类别",
                    "建设单位",
                    "责任单位",
                    "计划总投资",
                    "年度计划投资",
                    "计量单位",
                    "批次",
                    "计划开工",
                ],
                reg,
                None,
            ),
            ("分类汇总", ["类别", "项目个数", "计划总投资（亿元）", "年度计划投资（亿元）"], summary, None),
        ],
    )

    # 2016 full-year values
    a = ACTUAL_2016
    stats16 = [
        ("BM01", c, IND[c][0], "2016年全年", a[c][0], a[c][1], a[c][2], None)
        for c in ("IND_VA", "TER_VA", "IND_FIRMS", "IND_SALES", "HITECH_VA")
    ]
    stats16.insert(0, ("BM01", "GDP", "生产总值", "2016年全年", "1,243,000", "万元", "9.9", None))
    stats16.append(("BM01", "INCOME", "居民人均可支配收入", "2016年全年", a["INCOME"][0], "元", a["INCOME"][2], SIM))
    write_csv("2016年全年_统计局_主要指标.csv", HEAD_IV[:2] + ["指标名称"] + HEAD_IV[2:], stats16, "gbk")
    write_csv(
        "2016年全年_发改商务_投资与外经贸.csv",
        HEAD_IV_EN,
        [
            (u, c, "2016-12", a[c][0], a[c][1], a[c][2], None)
            for u, c in (("BM02", "FAI"), ("BM04", "RETAIL"), ("BM04", "TRADE"), ("BM04", "FDI"))
        ],
        "utf-8",
    )
    write_csv(
        "2016年12月_财政局_财政收支.csv",
        HEAD_IV,
        [
            ("BM03", "REVENUE", "2016年1-12月", "102000", "万元", "8.2", None),
            ("BM03", "WELFARE_EXP", "2016年1-12月", "8", "亿元", None, "占公共财政预算支出的71.9%"),
        ],
        "utf-8",
    )
    town_sheets = [
        (
            "住建局",
            HEAD_IV,
            [
                ("BM07", "NEW_ROAD", "2016年", 12000, "米", None, None),
                ("BM07", "NEW_GREEN", "2016年", 234000, "平方米", None, None),
            ],
            None,
        )
    ]
    for i, t in enumerate(TOWNS):
        rows = [(t, c, "2016年全年", TOWN_2016[c][i], IND[c][1], None, None) for c in ("URBAN_JOBS", "RURAL_LABOR")]
        rows.append(
            (
                t,
                "AFFOREST",
                "2016年全年",
                *((TOWN_2016["AFFOREST"][i] // 15, "公顷") if t == "XZ05" else (TOWN_2016["AFFOREST"][i], "亩")),
                None,
                None,
            )
        )
        rows.append((t, "GRAIN", "2016年全年", TOWN_2016["GRAIN"][i], "吨", None, None))
        town_sheets.append((UNIT_NAME[t], HEAD_IV, rows, None))
    write_xlsx("2016年全年_年报_分单位指标.xlsx", town_sheets)

    # 2017 monthly
    for m in MONTHS:
        mm = f"2017年{m:02d}月"
        values = {c: monthly_value(c, m) for c in YOY_PATH if not YOY_PATH[c][2] or m in P_QUARTER}

        def iv(unit, code, period, note=SIM, measure=None, values=values):
            v, yoy = values[code]
            return (unit, code, period, v, measure or IND[code][1], yoy, note)

        # 统计局: GBK CSV, also carries 指标名称
        rows = []
        for c in ("GDP", "TER_VA", "INCOME", "IND_VA", "IND_SALES", "HITECH_VA"):
            if c in values:
                r = iv("BM01", c, P_QUARTER.get(m, p_range(m)) if YOY_PATH[c][2] else p_range(m))
                if c == "GDP" and m == 3:  # first sent with two digits swapped, corrected below
                    typo = str(r[3])[1] + str(r[3])[0] + str(r[3])[2:]
                    r = r[:3] + (D(typo),) + r[4:]
                rows.append(r[:2] + (IND[c][0],) + r[2:])
        firms = IND_FIRMS_2017[m - 2]
        rows.append(("BM01", "IND_FIRMS", "规模以上工业企业数", p_range(m), firms, "家", None, SIM))
        if m == 5:  # BAD: same key twice in one file
            rows.append(("BM01", "IND_FIRMS", "规模以上工业企业数", p_range(m), firms + 1, "家", None, "复核后"))
        write_csv(f"{mm}_统计局_主要指标.csv", HEAD_IV[:2] + ["指标名称"] + HEAD_IV[2:], rows, "gbk")
        if m == 3:  # resubmission: corrected 一季度 GDP
            v, yoy = values["GDP"]
            write_csv(
                f"{mm}_统计局_主要指标_更正.csv",
                HEAD_IV[:2] + ["指标名称"] + HEAD_IV[2:],
                [("BM01", "GDP", "生产总值", p_range(3), v, "亿元", yoy, f"更正：原报{typo}，{SIM}")],
                "gbk",
            )

        # 商务局: UTF-8 with BOM
        rows = [iv("BM04", c, p_month(m)) for c in ("RETAIL", "TRADE", "FDI")]
        if m == 4:  # BAD: value does not parse
            rows[2] = rows[2][:3] + ("待核",) + rows[2][4:]
        if m == 7:  # BAD: 万美元 for an indicator in 亿元
            rows[0] = rows[0][:4] + ("万美元",) + rows[0][5:]
        write_csv(f"{mm}_商务局_商贸外经.csv", HEAD_IV, rows, "utf-8-sig")

        # 财政局: plain UTF-8, headers with stray spaces / full-width space; REVENUE in 万元
        v, yoy = values["REVENUE"]
        rows = [
            ("BM03", "REVENUE", p_month(m), int(v * 10000), "万元", yoy, SIM),
            iv("BM03", "WELFARE_EXP", p_month(m)),
        ]
        if m == 2:  # BAD: negative money
            rows[1] = rows[1][:3] + (-rows[1][3],) + rows[1][4:]
        if m == 5:  # BAD: unknown unit code
            rows.append(("BM13", "WELFARE_EXP", p_month(m), values["WELFARE_EXP"][0], "亿元", None, SIM))
        write_csv(
            f"{mm}_财政局_财政收支.csv",
            [" 单位代码 ", "指标代码 ", "统计期　", " 本期累计值", "计量单位", "同比增长　", "备注"],
            rows,
            "utf-8",
        )

        # project progress per responsible unit
        pp = {}
        for p in projects:
            rep = reports[p["code"]].get(m)
            if rep is None:
                continue
            done, status, start = rep
            yi = p["unit"] == "BM07"
            if p["code"] == aite and m == 6:  # BAD: completed above total investment (typed ×10)
                done *= 10
            pp.setdefault(p["unit"], []).append(
                (
                    p["code"],
                    p["name"],
                    p_dash(m) if p["unit"].startswith("BM") else p_range(m),
                    to_10k(done) if yi else done,
                    "亿元" if yi else "万元",
                    status,
                    start,
                    SIM,
                )
            )

        # 发改局: XLSX, FAI sheet + project sheet; June with a title row
        title = "2017年1-6月主要经济指标（模拟）" if m == 6 else None
        write_xlsx(
            f"{mm}_发改局_投资与项目.xlsx",
            [
                ("固定资产投资", HEAD_IV, [iv("BM02", "FAI", p_dash(m))], title),
                ("重点项目进度", HEAD_PP, pp["BM02"], None),
            ],
        )
        if m == 8:  # PARTIAL: 住建局 leaves its last project out of the 1-8月 report
            pp["BM07"] = pp["BM07"][:-1]
        # 住建局: XLSX, city indicators + city projects (in 亿元)
        write_xlsx(
            f"{mm}_住建局_城建月报.xlsx",
            [
                (
                    "城建指标",
                    HEAD_IV,
                    [
                        ("BM07", "NEW_ROAD", p_dash(m), D(NEW_ROAD_2017[m - 2]), "公里", None, SIM),
                        ("BM07", "NEW_GREEN", p_dash(m), D(NEW_GREEN_2017[m - 2]), "万平方米", None, SIM),
                    ],
                    None,
                ),
                ("城建项目进度", HEAD_PP, pp["BM07"], None),
            ],
        )

        # townships
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
                write_csv(
                    f"{mm}_阳庙镇_月报.csv",
                    ["填报单位", "指标名称", "统计期", "本期累计值", "计量单位", "同比增长", "备注"],
                    out,
                    "gbk",
                )
            elif t == "XZ05":  # 安阳城乡: UTF-8 BOM CSV
                write_csv(
                    f"{mm}_安阳城乡_月报.csv",
                    ["单位代码", "指标名称", "统计期", "本期累计值", "计量单位", "同比增长", "备注"],
                    [(t, n, p_month(m), v, u, None, SIM) for _, n, v, u in rows],
                    "utf-8-sig",
                )
            else:  # XZ01-03: XLSX with an indicator sheet and a project sheet
                write_xlsx(
                    f"{mm}_{UNIT_NAME[t]}_月报.xlsx",
                    [
                        (
                            "主要指标",
                            ["单位代码", "指标名称", "统计期", "本期累计值", "计量单位", "同比增长", "备注"],
                            [(t, n, p_range(m), v, u, None, SIM) for _, n, v, u in rows],
                            None,
                        ),
                        ("项目进度", HEAD_PP, pp[t], None),
                    ],
                )


if __name__ == "__main__":
    main()
    write_receipts()
