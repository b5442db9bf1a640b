"""Shared set-up of the analyst notebooks: where the data is, and a query helper.

The notebooks read what `kefu demo` (or a production run) leaves behind:
  KEFU_DB    libpq URI of the PostgreSQL the pipeline writes
             (default: the demo's database brought back up by
             `bin/kefu postgres --data kefu-demo/postgres --port 54329`)
  KEFU_DEMO  the demo's working directory, for files the batch writes beside its tables
             (default: ../kefu-demo, the demo's default --out seen from this folder)
  KEFU_DAY   the day to review, YYYY-MM-DD (default: the busiest day with final daily KPI rows)
Only Debian's python3-pandas, -matplotlib, -psycopg2 and -scipy are needed: no PyPI.
"""

import os
import pathlib
import warnings

import matplotlib
import pandas as pd
import psycopg2

DB = os.environ.get("KEFU_DB", "postgresql://postgres@localhost:54329/postgres")
DEMO = pathlib.Path(os.environ.get("KEFU_DEMO", "../kefu-demo"))

matplotlib.rcParams.update({"figure.figsize": (10, 4), "axes.grid": True, "grid.alpha": 0.3})
pd.set_option("display.width", 160)
pd.set_option("display.max_columns", 30)
# pandas 1.5 warns about any DB-API connection that is not SQLAlchemy's; psycopg2 works.
warnings.filterwarnings("ignore", message=".*pandas only supports SQLAlchemy.*")

_connection = None


def connection():
    global _connection
    if _connection is None or _connection.closed:
        try:
            _connection = psycopg2.connect(DB)
        except psycopg2.OperationalError as e:
            raise RuntimeError(
                f"cannot reach the pipeline's PostgreSQL at {DB} ({e}). After `bin/kefu demo`, "
                "bring it up with `bin/kefu postgres --data kefu-demo/postgres --port 54329 &`, "
                "or set KEFU_DB."
            ) from None
        _connection.set_session(readonly=True, autocommit=True)
    return _connection


def query(sql, **params):
    """A pandas DataFrame of a query; %(name)s placeholders filled from params."""
    return pd.read_sql_query(sql, connection(), params=params or None)


def day():
    """The day under review: KEFU_DAY, else the busiest day with final 1-day KPI rows."""
    if os.environ.get("KEFU_DAY"):
        return pd.Timestamp(os.environ["KEFU_DAY"]).date()
    # the busiest final day: a day's conversations spill a little into the next days' windows
    d = query(
        """SELECT window_start FROM kpi_windows
           WHERE window_size = '1d' AND is_final AND dimension = 'overall'
           ORDER BY coalesce(offered, 0) + coalesce(closed, 0) DESC, window_start DESC LIMIT 1"""
    )
    if d.empty:
        raise RuntimeError(f"no final daily KPI rows in {DB}: run `bin/kefu demo` first")
    zone = zone_of_day_windows()
    return d.window_start[0].tz_convert(zone).date()


def zone_of_day_windows():
    """The zone whose midnight starts the daily windows (KPIS.md: default Asia/Shanghai)."""
    return os.environ.get("KEFU_ZONE", "Asia/Shanghai")


def day_bounds(d):
    """[start, end) of the day d in the KPI zone, as timestamps with zone."""
    start = pd.Timestamp(d).tz_localize(zone_of_day_windows())
    return start, start + pd.Timedelta(days=1)


def require(condition, message):
    """A check an analyst relies on; failing it fails the notebook (and CI)."""
    if not condition:
        raise AssertionError(message)
