"""The calendar the state works by: legal due dates count Vietnam's working days, and say which calendar decided."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from helpers import make_bundle

from parscore import api
from parscore.core.errors import InputErrors
from parscore.core.workcalendar import calendar_for


def due(received: str, days: int, province: str | None = None) -> dt.date:
    cal = calendar_for([int(received[:4])], province)
    return cal.add_working_days(np.array([received], dtype="datetime64[D]"), np.array([days]))[0].item()


def test_a_dossier_received_just_before_tet_2025_is_due_after_the_holiday():
    # Friday 24/01/2025; Tết off for the civil service Mon 27/01 – Sat 01/02 (holidays library, Labour Code Art. 112)
    assert due("2025-01-24", 3) == dt.date(2025, 2, 5)
    assert due("2025-01-24", 0) == dt.date(2025, 1, 24)
    # received on a holiday: the count starts at the next working day
    assert due("2025-01-29", 1) == dt.date(2025, 2, 4)


def test_make_up_saturday_and_its_day_off_2025():
    cal = calendar_for([2025])
    assert cal.is_working(dt.date(2025, 4, 26))  # Saturday worked in exchange for Friday 02/05
    assert not cal.is_working(dt.date(2025, 5, 2))
    assert not cal.is_working(dt.date(2025, 4, 30)) and not cal.is_working(dt.date(2025, 9, 2))
    assert not cal.is_working(dt.date(2025, 4, 7))  # Giỗ Tổ Hùng Vương, 10/3 âm lịch
    assert due("2025-04-25", 1) == dt.date(2025, 4, 26)
    assert due("2025-04-29", 1) == dt.date(2025, 5, 5)
    sources = {d.date: d.source for d in cal.days_between(dt.date(2025, 4, 20), dt.date(2025, 5, 5))}
    assert "rules/calendar/2025.yaml: Thông báo 6150/TB-BLĐTBXH" in sources[dt.date(2025, 4, 26)]


def test_the_scored_due_date_counts_tet_and_says_which_calendar(tmp_path):
    rows = [{"id": "HS-1", "procedure": "Đăng ký kinh doanh hộ", "received_at": "24/01/2025 09:00", "legal_days": "3",
             "finished_at": "05/02/2025 10:00", "status": "returned", "channel": "direct"}]
    res = api.score_bundle(make_bundle(tmp_path, {"dossiers": rows}), "qd766-2022")
    obs = [o for leaf in res.leaves for o in leaf.observed if o.metric == "dossier_on_time_rate"]
    assert obs and obs[0].value["numerator"] == 1  # Mon–Fri alone would make it due 29/01, a week late
    assert obs[0].calendar.startswith("holidays:VN 2025") and "rules/calendar/2025.yaml" in obs[0].calendar


def test_a_province_file_applies_to_that_province_only(tmp_path):
    (tmp_path / "2025-thai-nguyen.yaml").write_text(
        "year: 2025\nprovince: Thái Nguyên\ndays_off:\n- date: 2025-03-10\n  name: Nghỉ thêm\n"
        "  decision: QĐ thử nghiệm\n  verified: false\n", encoding="utf-8")
    from parscore.core.workcalendar import _calendar
    tn = _calendar((2025,), "thái nguyên", str(tmp_path))
    other = _calendar((2025,), "hà nội", str(tmp_path))
    assert not tn.is_working(dt.date(2025, 3, 10)) and other.is_working(dt.date(2025, 3, 10))


def test_a_make_up_day_on_a_weekday_is_refused_with_its_line(tmp_path):
    (tmp_path / "2025.yaml").write_text(
        "year: 2025\nworking_days:\n- date: 2025-03-10\n  name: x\n  decision: y\n  verified: true\n", encoding="utf-8")
    from parscore.core.workcalendar import _files
    with pytest.raises(InputErrors) as exc:
        _files(str(tmp_path))
    assert "2025.yaml:3" in exc.value.render("vi") and "2025-03-10" in exc.value.render("vi")


def test_a_date_the_calendar_does_not_reach_is_counted_monday_to_friday():
    # a typing slip (1925) must neither build a century of holidays nor land on the calendar's first day
    assert due("2025-01-24", 3) == dt.date(2025, 2, 5)
    cal = calendar_for([2025])
    got = cal.add_working_days(np.array(["1925-01-02"], dtype="datetime64[D]"), np.array([1]))[0].item()
    assert got == dt.date(1925, 1, 5)  # Friday + 1 working day = Monday


def test_a_calendar_is_built_once_then_read_from_the_disk_cache(tmp_path, monkeypatch):
    from parscore.core import workcalendar
    monkeypatch.setenv("PARSCORE_CACHE", str(tmp_path / "cache"))
    (tmp_path / "cal").mkdir()
    (tmp_path / "cal" / "2025.yaml").write_text(
        "year: 2025\ndays_off:\n- date: 2025-03-10\n  name: Nghỉ thêm\n  decision: QĐ thử\n  verified: false\n",
        encoding="utf-8")
    built = []
    real = workcalendar._build_calendar
    monkeypatch.setattr(workcalendar, "_build_calendar", lambda *a: built.append(a) or real(*a))
    first = workcalendar._calendar.__wrapped__((2025,), None, str(tmp_path / "cal"))
    again = workcalendar._calendar.__wrapped__((2025,), None, str(tmp_path / "cal"))
    assert len(built) == 1 and not again.is_working(dt.date(2025, 3, 10))
    assert (again.days_off, again.working_days, again.files) == (first.days_off, first.working_days, first.files)
    assert (again.workdays == first.workdays).all()
    (tmp_path / "cal" / "2025.yaml").write_text(
        "year: 2025\ndays_off:\n- date: 2025-03-11\n  name: Nghỉ thêm\n  decision: QĐ thử\n  verified: false\n",
        encoding="utf-8")
    workcalendar._files.cache_clear()  # the process keeps files it read; the disk cache must see the change itself
    changed = workcalendar._calendar.__wrapped__((2025,), None, str(tmp_path / "cal"))
    assert len(built) == 2 and changed.is_working(dt.date(2025, 3, 10)) and not changed.is_working(dt.date(2025, 3, 11))
