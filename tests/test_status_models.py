"""The models `mubiao status` and `mubiao feedback` print, and the reference tables the models join, tested in the
manner of tests/test_models.py: a few rows in, the rows out."""

from __future__ import annotations

import datetime as dt

from mubiao.foundation.zone import ZONE_TIME
from mubiao.warehouse.models import build_models
from tests.test_models import REFERENCES, given, progress, project, rows, value


def test_each_unit_s_month_is_said_in_words_and_what_it_must_fix():
    june = dt.datetime(2017, 7, 3, 9, tzinfo=ZONE_TIME)  # before the due day, 5 July
    late = dt.datetime(2017, 7, 9, 1, tzinfo=ZONE_TIME)  # 9 July in the zone, still 8 July in UTC
    con = given(
        {
            **REFERENCES,
            "东镇.csv": {"indicator_values": [value("T01", "FAI", 2017, 6, 5)], "received_at": june},
            "统计局.csv": {"indicator_values": [value("B01", "GDP", 2017, 6, 60)], "received_at": late},
        }
    )
    assert rows(
        con,
        """select unit_code, kind_label, description from audit.submission_cells
           where year = 2017 and month = 6 order by unit_code""",
    ) == [
        {"unit_code": "B01", "kind_label": "指标数据", "description": "迟报（截止2017年7月5日，2017年7月9日送达）"},
        {"unit_code": "T01", "kind_label": "指标数据", "description": "按时报齐"},
        {"unit_code": "T02", "kind_label": "指标数据", "description": "未报送（应报 1 项）"},
    ]
    assert rows(
        con,
        """select unit_code, needs_fixing, summary from audit.feedback_units
           where year = 2017 and month = 6 order by unit_code""",
    ) == [
        {"unit_code": "B01", "needs_fixing": True, "summary": "指标数据迟报"},
        {"unit_code": "T01", "needs_fixing": False, "summary": ""},
        {"unit_code": "T02", "needs_fixing": True, "summary": "指标数据未报送 1 项"},
    ]


def test_who_reports_a_sum_comes_from_core_unit_types():
    con = given({**REFERENCES, "东镇.csv": {"indicator_values": [value("T01", "FAI", 2017, 6, 5)]}})
    sql = "select unit_code from core.reporting_obligations where item = 'FAI' order by unit_code"
    assert [row["unit_code"] for row in rows(con, sql)] == ["T01", "T02"]
    con.execute("update core.unit_types set reports_sums = unit_type = '区直部门'")
    build_models(con)
    assert [row["unit_code"] for row in rows(con, sql)] == ["B01"]


def test_what_a_project_state_means_comes_from_core_project_statuses():
    """A report without a state takes the first started one when money was spent; 竣工 counts as finished."""
    con = given(
        {
            **REFERENCES,
            "projects.csv": {"projects": [project("P1", 12), project("P2", 12)]},
            "june.csv": {"project_progress": [progress("P1", 6, 5), progress("P2", 6, 6, "竣工")]},
        }
    )
    sql = """select project_code, status, started, finished from core.project_month_states
             where as_of_month = 6 order by project_code"""
    assert rows(con, sql) == [
        {"project_code": "P1", "status": "已开工", "started": True, "finished": False},
        {"project_code": "P2", "status": "竣工", "started": True, "finished": True},
    ]
    con.execute("update core.project_statuses set finished = false where status = '竣工'")
    con.execute("update core.project_statuses set position = 5 where status = '已开工'")
    assert rows(con, sql) == [
        {"project_code": "P1", "status": "竣工", "started": True, "finished": False},
        {"project_code": "P2", "status": "竣工", "started": True, "finished": False},
    ]
