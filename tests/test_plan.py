"""The vocabulary's SQL plan: working days as a calendar join give WorkCalendar's answers; the dialect boundary."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from parscore import api
from parscore.evidence.derive import Context, with_computed
from parscore.evidence.plan import DUCKDB, SPARK, compile_plan
from parscore.evidence.tables import ROW, Evidence, table_specs


def _dossiers(received: list[pd.Timestamp], legal: list[float], units: list[str | None]) -> pd.DataFrame:
    n = len(received)
    spec = table_specs()["dossiers"]
    cols: dict[str, object] = {ROW: np.arange(n) + 2}
    for c in spec.columns:
        if c.type in ("date", "datetime"):
            cols[c.name] = pd.Series([pd.NaT] * n, dtype="datetime64[ns]")
        elif c.type == "bool":
            cols[c.name] = np.zeros(n, bool)
        elif c.type in ("int", "decimal"):
            cols[c.name] = np.zeros(n)
        else:
            cols[c.name] = [None] * n
    cols["id"] = [f"HS-{i}" for i in range(n)]
    cols["received_at"] = pd.Series(received, dtype="datetime64[ns]")
    cols["legal_days"] = np.asarray(legal, dtype=float)
    cols["legal_time_unit"] = units
    return pd.DataFrame(cols)


SPOT = ["2025-01-24 08:00", "2025-01-25 09:30", "2025-04-25 16:00", "2025-04-26 07:45", "2024-05-03 10:00",
        "2024-05-04 08:00", "1925-03-10 08:00", "2027-12-30 08:00", "2028-12-29 08:00", "2025-01-31 10:00",
        "2025-04-25 10:00", "2025-04-25 17:30"]
SPOT_DAYS = [1, 3, 1, 0, 2, 0, 10, 40, 300, 1, 8, 4]
SPOT_UNITS: list[str | None] = [None, "working_days", None, None, None, None, None, None, None, "months", "hours", "hours"]


def test_legal_time_by_join_equals_the_work_calendar() -> None:
    """Holidays (Tết 2025), make-up Saturdays (26/04/2025, 04/05/2024), times of day kept, a slip year counted
    Monday–Friday, days, months and working hours, missing values missing: each legal due moment as
    WorkCalendar.add_legal_time gives it (`add_working_days` is the same with the unit working_days)."""
    rng = np.random.default_rng(7)
    days = pd.to_datetime("2023-01-01") + pd.to_timedelta(rng.integers(0, 4 * 365, 3000), unit="D")
    times = pd.to_timedelta(rng.integers(0, 24 * 60, 3000), unit="min")
    received = list(days + times) + [pd.Timestamp(x) for x in SPOT] + [pd.NaT, pd.Timestamp("2025-03-03")]
    legal = list(rng.integers(0, 90, 3000).astype(float)) + SPOT_DAYS + [5, np.nan]
    kinds = np.array(["working_days", "days", "hours", "months", None], dtype=object)
    units = list(rng.choice(kinds, 3000)) + SPOT_UNITS + [None, None]
    frame = _dossiers(received, legal, units)
    ctx = Context.of(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    got = with_computed(Evidence(tables={"dossiers": frame}), ctx)["dossiers"]["legal_due"]

    ok = frame["received_at"].notna() & frame["legal_days"].notna()
    base, n, unit = frame["received_at"][ok], frame["legal_days"][ok], frame["legal_time_unit"][ok]
    reach = n * unit.map({"months": 31.0, "hours": 1 / 8}).astype(float).fillna(1.0)
    cal = ctx.calendar(int(base.dt.year.min()), int(base.dt.year.max()), float(reach.max()))
    due = cal.add_legal_time(base.to_numpy(dtype="datetime64[ns]"), n.astype(np.int64).to_numpy(), unit.to_numpy(dtype=object))
    want = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    want[ok] = pd.to_datetime(due)

    assert cal.working_days and cal.days_off  # the calendar has make-up days and holidays to get right
    assert got.isna().tolist() == want.isna().tolist()
    assert (pd.to_datetime(got[ok]).astype("datetime64[ns]") == want[ok]).all()
    # Spot checks a reader can follow: Friday 24/01/2025 + 1 working day crosses Tết to Monday 03/02/2025;
    # Friday 25/04/2025 + 1 is the make-up Saturday 26/04/2025 (30/4 and 1/5 are holidays); 31/01 + 1 month is
    # 28/02; Friday 25/04/2025 10:00 + 8 working hours is the make-up Saturday at 10:00.
    at = {s: i for i, s in enumerate(SPOT, start=3000)}
    assert pd.Timestamp(got.iloc[at["2025-01-24 08:00"]]) == pd.Timestamp("2025-02-03 08:00")
    assert pd.Timestamp(got.iloc[at["2025-04-25 16:00"]]) == pd.Timestamp("2025-04-26 16:00")
    assert pd.Timestamp(got.iloc[at["2025-01-31 10:00"]]) == pd.Timestamp("2025-02-28 10:00")
    assert pd.Timestamp(got.iloc[at["2025-04-25 10:00"]]) == pd.Timestamp("2025-04-26 10:00")


def test_the_plan_names_every_engine_difference_through_its_dialect() -> None:
    cat = api.catalogue()
    specs = table_specs()
    ctx = Context.of(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    columns = {t: [c.name for c in s.columns] + [ROW] for t, s in specs.items()}
    duck = compile_plan(cat.values(), specs, ctx, columns, DUCKDB)
    spark = compile_plan(cat.values(), specs, ctx, columns, SPARK)
    text = lambda p: " ".join([t.view for t in p.tables.values()] + [p.scan_sql(t)[0] for t in p.tables]  # noqa: E731
                              + [sql for t in p.tables for sql, _ in (*p.groups_sql(t), *p.series_sql(t))])
    assert "to_microseconds" in text(duck) and "make_dt_interval" in text(spark)  # effective_due: add_days
    assert "min_by(CASE" in text(spark) and "named_struct(" in text(spark)  # listings and picks
    for mine, theirs in ((duck, ("arrays_overlap", "make_dt_interval", "size(", "collect_list", "named_struct")),
                         (spark, ("list_has_any", "to_microseconds", " len(", " list(", "{'o'"))):
        assert not [w for w in theirs if w in text(mine)]
    assert DUCKDB.overlaps("c", "SELECT 1", "t") != SPARK.overlaps("c", "SELECT 1", "t")
    # Spark SQL reads "x" as a string: its column names are quoted with backticks, and whole numbers truncated by
    # its cast (DuckDB's cast rounds, so it truncates first).
    assert '"' not in text(spark) and "`received_at`" in text(spark) and '"received_at"' in text(duck)
    assert "trunc(" in text(duck) and "trunc(" not in text(spark)
    assert [m.metric for m in duck.metrics] == [m.metric for m in spark.metrics]
    assert len(duck.metrics) == sum(1 for m in cat.values() if m.derive)
