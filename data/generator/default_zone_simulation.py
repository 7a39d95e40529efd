"""The simulated part of the default zone, from one fixed random seed: 2017's monthly figures, the townships'
shares, and the 105 key projects with their monthly progress. Called in a fixed order, it gives the same zone."""

import random
from decimal import ROUND_HALF_UP, Decimal

from default_zone_facts import (
    ACTUAL_2016,
    AGRI_OTHERS,
    BATCH1,
    CITY_OTHERS,
    EARLY,
    FIXED,
    INDUSTRY_OTHERS,
    MONTHS,
    OWNER,
    PLAN_2017,
    SERVICE_OTHERS,
    SHARE,
    SHARE_INCOME,
    SOCIAL_OTHERS,
    START_MONTHS,
    TOWN_FRACTION,
    TOWN_SEP_2017,
    TOWNS,
    YOY_PATH,
)

rng = random.Random(20170211)


def rounded(x, places="0.01"):
    """x to `places`, rounding halves up as a statistics office does."""
    return Decimal(x).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def monthly_value(code, m):
    """Simulated 2017 cumulative value and yoy % at month m of a reported indicator."""
    start, end, _ = YOY_PATH[code]
    t = Decimal(m - 2) / Decimal(7)
    noise = Decimal(0) if m in (2, 9) else Decimal(rng.choice(("-0.1", "0", "0.1")))
    yoy = rounded(Decimal(start) + (Decimal(end) - Decimal(start)) * t + noise, "0.1")
    base, measure, _ = ACTUAL_2016[code]
    share = SHARE_INCOME[m] if code == "INCOME" else SHARE[m]
    places = "1" if measure in ("万美元", "元") else "0.01"
    return rounded(Decimal(base) * Decimal(share) * (1 + yoy / 100), places), yoy


def town_value(code, i, m):
    frac = TOWN_FRACTION[code][m - 2]
    if frac is None:
        return None
    part = TOWN_SEP_2017[code][i]
    if code == "AFFOREST" and i == 2 and m == 7:  # WARNING: 宁郭镇 sends 1-7月 below its 1-6月 (891 亩)
        return 819
    return part if m == 9 else int(round(part * frac))


def _named_projects():
    """Each category's projects as (name, responsible unit): the report's named ones, then the simulated rest."""
    named = {"工业": [], "服务业": [], "城建": [], "社会事业": [], "农林水": [], "前期": []}
    for name, (_, _, cat, unit, _, _) in FIXED.items():
        named["城建" if cat == "基础设施" else cat].append((name, unit))
    named["工业"] += [(f"焦作{c}有限公司{p}项目", TOWNS[i % 3]) for i, (c, p) in enumerate(INDUSTRY_OTHERS)]
    named["服务业"] += [(n, "BM02") for n in SERVICE_OTHERS]
    named["城建"] += [(n, "BM07") for n in CITY_OTHERS]
    named["社会事业"] += SOCIAL_OTHERS
    named["农林水"] += AGRI_OTHERS
    named["前期"] += [(n, "BM02") for n in EARLY]
    return named


def _hundredths(x):
    """亿元 -> whole units of 0.01亿 (100万元)."""
    return int(Decimal(x) * 100)


def build_projects():
    """105 projects: exact category counts/sums, integer multiples of 0.01亿 (100万元)."""
    named = _named_projects()
    projects = []
    for cat, (count, total, plan) in PLAN_2017.items():
        items = named[cat]
        assert len(items) == count, (cat, len(items))
        fixed = [FIXED.get(n) for n, _ in items]
        free = [i for i, f in enumerate(fixed) if f is None]

        tot = {i: _hundredths(f[0]) for i, f in enumerate(fixed) if f}
        tot.update(
            split(_hundredths(total) - sum(tot.values()), [rng.lognormvariate(0, 0.8) for _ in free], free, floor=8)
        )
        pl = {}
        if plan is not None:
            pl = {i: _hundredths(f[1]) for i, f in enumerate(fixed) if f}
            weights = [tot[i] * rng.uniform(0.2, 0.5) for i in free]
            pl.update(split(_hundredths(plan) - sum(pl.values()), weights, free, floor=1, caps=[tot[i] for i in free]))
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
    began = p["start"] + rng.choice([0, 0, 0, 0, 0, 0, 0, 1, 1, 2]) if not p["batch"] else 2
    fast = rng.random() < (0.75 if p["group"] == "工业" else 0.55)  # ahead of time progress by September
    pace = rng.uniform(1.02, 1.3) if fast else rng.uniform(0.45, 0.92)
    day = 10 if p["batch"] else rng.randint(1, 28)
    step = 100 if p["unit"] == "BM07" else 1  # 住建局 reports in 亿元 (2 decimals)
    out = {}
    for m in MONTHS:
        if m < max(p["start"], 2):
            continue
        if m < began:
            out[m] = (0, "未开工", None)
            continue
        if p["finish"]:
            done = p["total"] * min(1, (m - began + 1) / (p["finish"] - began + 1))
            status = ("投产" if p["group"] == "工业" else "竣工") if m >= p["finish"] else "已开工"
        else:  # reaches pace × 75% of the annual plan by September
            done, status = p["plan"] * pace * 0.75 * (m - began + 1) / (9 - began + 1), "已开工"
        done = min(p["total"], int(round(done / step)) * step)
        out[m] = (done, status, f"2017-{began:02d}-{day:02d}")
    return out
