"""Legal time in its own unit (add_legal_time): working days, calendar days, working hours, months.

These answers pin the semantics documented in WorkCalendar.add_legal_time; a port of the derivation vocabulary
(e.g. to SQL) must reproduce them. Tết 2025: the civil service is off Mon 27/01 – Sat 01/02/2025.
"""
from __future__ import annotations

import numpy as np
import pytest
from helpers import derived, make_bundle

from parscore.core.workcalendar import calendar_for


def due(start: str, amount: int, unit: str | None) -> str:
    cal = calendar_for(range(2024, 2027))
    out = cal.add_legal_time(np.array([start], dtype="datetime64[ns]"), np.array([amount]), np.array([unit], dtype=object))
    return str(out[0].astype("datetime64[m]")).replace("T", " ")


@pytest.mark.parametrize("start, amount, unit, expected", [
    # working days (also a blank or unknown unit): rolled to a working day, then counted; the time of day kept
    ("2025-01-24T09:00", 3, "working_days", "2025-02-05 09:00"),  # Friday before Tết: Mon–Fri alone would say 29/01
    ("2025-01-24T09:00", 3, None, "2025-02-05 09:00"),
    ("2025-01-24T09:00", 3, "weeks", "2025-02-05 09:00"),
    ("2025-01-29T09:00", 1, "working_days", "2025-02-04 09:00"),  # received during Tết: counting starts 03/02
    ("2025-03-07T09:00", 3, "working_days", "2025-03-12 09:00"),
    # hours: working hours, 8 a working day, office day 08:00–16:00
    ("2025-03-07T10:00", 8, "hours", "2025-03-10 10:00"),  # Friday 10:00 + 8 h: through the weekend to Monday 10:00
    ("2025-03-07T16:00", 8, "hours", "2025-03-10 16:00"),  # at closing time: the whole Monday
    ("2025-03-07T16:30", 4, "hours", "2025-03-10 12:00"),  # after closing: from Monday 08:00
    ("2025-03-07T07:00", 8, "hours", "2025-03-07 16:00"),  # before opening: from 08:00, done the same day
    ("2025-03-08T09:00", 4, "hours", "2025-03-10 12:00"),  # received on Saturday
    ("2025-03-07T14:00", 4, "hours", "2025-03-10 10:00"),  # 2 h on Friday, 2 h on Monday
    ("2025-03-07T10:30", 2, "hours", "2025-03-07 12:30"),
    ("2025-01-24T15:00", 4, "hours", "2025-02-03 11:00"),  # across Tết
    ("2025-03-07T10:00", 0, "hours", "2025-03-07 10:00"),
    # calendar days: start + n, a last day off moves to the next working day
    ("2025-03-03T09:00", 10, "days", "2025-03-13 09:00"),
    ("2025-03-07T09:00", 1, "days", "2025-03-10 09:00"),  # Saturday → Monday
    ("2025-01-20T09:00", 10, "days", "2025-02-03 09:00"),  # 30/01 is Tết → 03/02
    # months: the same day of the month, or the month's last day; then rolled to a working day
    ("2025-01-31T09:00", 1, "months", "2025-02-28 09:00"),
    ("2024-01-31T09:00", 1, "months", "2024-02-29 09:00"),  # leap year
    ("2025-11-30T09:00", 3, "months", "2026-03-02 09:00"),  # 28/02/2026 is a Saturday
    ("2025-03-31T09:00", 1, "months", "2025-05-05 09:00"),  # 30/04, 01/05, 02/05 off, then the weekend
    ("2025-03-15T09:00", 12, "months", "2026-03-16 09:00"),  # 15/03/2026 is a Sunday
])
def test_add_legal_time_pins_each_unit(start, amount, unit, expected):
    assert due(start, amount, unit) == expected


def test_each_row_in_its_own_unit_in_one_call():
    cal = calendar_for(range(2024, 2027))
    starts = np.array(["2025-03-07T10:00"] * 4, dtype="datetime64[ns]")
    got = cal.add_legal_time(starts, np.array([1, 1, 8, 1]), np.array(["working_days", "days", "hours", "months"], dtype=object))
    assert [str(d.astype("datetime64[D]")) for d in got] == ["2025-03-10", "2025-03-10", "2025-03-10", "2025-04-08"]  # 07/04 is Giỗ Tổ Hùng Vương


def dossier(i, received, finished, legal_days, unit):
    return {"id": f"HS-{i}", "procedure": "Thủ tục thử", "received_at": received, "finished_at": finished,
            "status": "returned", "channel": "direct", "legal_days": legal_days, "legal_time_unit": unit}


def test_the_unit_column_reads_vietnamese_spellings_and_defaults_to_working_days(tmp_path):
    # Received Friday 07/03/2025 10:00, finished Monday 10/03 15:00.
    rows = [dossier(1, "07/03/2025 10:00", "10/03/2025 15:00", 4, "giờ"),            # due Fri 14:00: late
            dossier(2, "07/03/2025 10:00", "10/03/2025 15:00", 8, "Giờ làm việc"),   # due Mon 10:00, same day: on time
            dossier(3, "07/03/2025 10:00", "10/03/2025 15:00", 1, "ngày"),           # Sat → Mon: on time
            dossier(4, "07/03/2025 10:00", "10/03/2025 15:00", 1, "ngày làm việc"),  # Mon: on time
            dossier(5, "07/03/2025 10:00", "10/03/2025 15:00", 1, ""),               # blank: working days
            dossier(6, "07/02/2025 10:00", "10/03/2025 15:00", 1, "tháng"),          # due Fri 07/03: late
            dossier(7, "07/02/2025 10:00", "10/03/2025 15:00", 1, "Tháng")]
    m = derived(make_bundle(tmp_path, {"dossiers": rows}))["dossier_on_time_rate"]
    assert (m.num, m.den) == (4, 7)
    assert set(m.provenance.failing_records) == {"HS-1", "HS-6", "HS-7"}


def test_an_unknown_unit_is_a_located_error(tmp_path):
    from parscore import api
    from parscore.core.errors import InputErrors
    rows = [dossier(1, "07/03/2025 10:00", "10/03/2025 15:00", 1, "tuần")]
    with pytest.raises(InputErrors) as err:
        api.score_bundle(make_bundle(tmp_path, {"dossiers": rows}), "qd766-2022")
    assert "tuần" in str(err.value)
