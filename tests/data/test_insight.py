"""The municipal view's numbers against a small catalogue counted by hand (issue 14).

The fixture, on TODAY = 2026-12-01 (window 2026-12-01 .. 2027-06-01, 50 km from 7400):

places: 7400 Herning; 7500 Holstebro (about 33 km away); 8000 Aarhus C (about 77 km away)
providers: p_her at 7400, p_aar at 8000, p_hol at 7500

balance, RAR VESTJ          2025H2       2026H1    2026H2 (latest)
  svejser  Svejser          omfattende   mangel    omfattende_mangel
  lager    Lagermedarbejder              mangel    mangel
  smed     Smed                                    mangel
  chauffor Lastbilchauffør               gode      paradoks
  kok      Kok                           mangel    gode
  frisor   Frisør                        gode      mindre_gode
  maler    Maler                         mangel
(RAR OESTJ rates kok as mangel in 2026H2: another area, never counted.)

courses (-> occupations) and sessions; ✓ = open, in the window and within reach
  c1  p_her          -> svejser        2026-12-01 open ✓ (today counts), 2027-01-10 open ✓,
                                       2027-02-01 full ✗, 2027-07-01 open ✗ (after the
                                       window), 2026-11-20 open ✗ (started)
  c2  p_aar          -> svejser        2027-01-15 at 8000 ✗ (77 km), 2027-03-01 at 7500 ✓
  c3  p_aar online   -> svejser, smed  2027-02-01 ✓ (online: always within reach)
  c4  p_her          -> lager          2027-01-05 ✓, 2027-06-01 ✓ (last day), 2027-03-01
                                       cancelled ✗
  c5  p_her archived -> lager          2027-01-05 open ✗ (archived: not in the catalogue)
  c6  p_aar          -> chauffor       2027-01-01 at 8000 ✗
  c8  p_her          -> kok            2027-01-05 ✓ (kok is not in shortage)
  c9  p_aar online   -> lager          2027-08-01 ✗ (after the window)
  c10 p_hol          -> lager          2027-04-01 ✓ (7500, 33 km)
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from flask import Flask
from sqlalchemy import Engine, delete, event, select
from sqlalchemy.orm import Session

from matcher.data import insight, migrate
from matcher.data import models as m
from matcher.data.db import get_session
from matcher.data.snapshot import load_snapshot
from matcher.engine.index import CatalogIndex, build_index
from matcher.engine.ranking import area_of
from tests.data.test_migrations import scratch_engine  # noqa: F401  (a fixture)
from tests.web.staff_helpers import make_user

TODAY = date(2026, 12, 1)
HERNING = 657


def build_fixture(session: Session) -> None:
    """The catalogue, counters and indicator of the module docstring; the caller commits."""
    session.execute(delete(m.EudChoice))  # the migration's seed row, if this test is first
    session.add_all([m.RarArea(code="VESTJ", name="RAR Vestjylland"),
                     m.RarArea(code="OESTJ", name="RAR Østjylland"),
                     m.Municipality(kommunekode=HERNING, name="Herning"),
                     m.Municipality(kommunekode=751, name="Aarhus")])
    session.flush()
    session.add_all([m.MunicipalityRar(kommunekode=HERNING, rar_code="VESTJ"),
                     m.MunicipalityRar(kommunekode=751, rar_code="OESTJ"),
                     m.Postcode(postcode="7400", name="Herning", lat=56.1386, lon=8.9735,
                                kommunekode=HERNING),
                     m.Postcode(postcode="7500", name="Holstebro", lat=56.3601, lon=8.6161),
                     m.Postcode(postcode="8000", name="Aarhus C", lat=56.1567, lon=10.2108,
                                kommunekode=751)])
    titles = {"svejser": "Svejser", "lager": "Lagermedarbejder", "smed": "Smed",
              "chauffor": "Lastbilchauffør", "kok": "Kok", "frisor": "Frisør",
              "maler": "Maler"}
    session.add_all([m.Occupation(code=code, title_da=title, title_en=f"{title} (en)")
                     for code, title in titles.items()])
    session.flush()
    ratings = {
        "2025H2": {"svejser": "omfattende_mangel"},
        "2026H1": {"svejser": "mangel", "lager": "mangel", "chauffor": "gode", "kok": "mangel",
                   "frisor": "gode", "maler": "mangel"},
        "2026H2": {"svejser": "omfattende_mangel", "lager": "mangel", "smed": "mangel",
                   "chauffor": "paradoks", "kok": "gode", "frisor": "mindre_gode"},
    }
    session.add_all([m.Shortage(occupation_code=code, rar_code="VESTJ", period=period,
                                category=category, source="demo")
                     for period, rated in ratings.items() for code, category in rated.items()])
    session.add(m.Shortage(occupation_code="kok", rar_code="OESTJ", period="2026H2",
                           category="mangel", source="demo"))
    session.add_all([m.Provider(code="p_her", name="Herning skole", postcode="7400"),
                     m.Provider(code="p_aar", name="Aarhus skole", postcode="8000"),
                     m.Provider(code="p_hol", name="Holstebro skole", postcode="7500")])
    session.flush()
    courses = {  # code: (provider, delivery, occupations, archived)
        "c1": ("p_her", None, ("svejser",), False),
        "c2": ("p_aar", None, ("svejser",), False),
        "c3": ("p_aar", "online", ("svejser", "smed"), False),
        "c4": ("p_her", None, ("lager",), False),
        "c5": ("p_her", None, ("lager",), True),
        "c6": ("p_aar", None, ("chauffor",), False),
        "c8": ("p_her", None, ("kok",), False),
        "c9": ("p_aar", "online", ("lager",), False),
        "c10": ("p_hol", None, ("lager",), False),
    }
    for code, (provider, delivery, _jobs, archived) in courses.items():
        session.add(m.Course(code=code, kind="amu", title_da=f"Kursus {code}",
                             title_en=f"Course {code}", provider_code=provider,
                             duration_days=Decimal(2), delivery=delivery, source="demo",
                             archived_at=datetime(2026, 11, 1, tzinfo=UTC) if archived else None))
    session.flush()
    session.add_all([m.CourseOccupation(course_code=code, occupation_code=job)
                     for code, (_p, _d, jobs, _a) in courses.items() for job in jobs])
    sessions = [  # course, start, status, postcode
        ("c1", "2026-12-01", "open", None), ("c1", "2027-01-10", "open", None),
        ("c1", "2027-02-01", "full", None), ("c1", "2027-07-01", "open", None),
        ("c1", "2026-11-20", "open", None),
        ("c2", "2027-01-15", "open", "8000"), ("c2", "2027-03-01", "open", "7500"),
        ("c3", "2027-02-01", "open", None),
        ("c4", "2027-01-05", "open", None), ("c4", "2027-06-01", "open", None),
        ("c4", "2027-03-01", "cancelled", None),
        ("c5", "2027-01-05", "open", None),
        ("c6", "2027-01-01", "open", "8000"),
        ("c8", "2027-01-05", "open", None),
        ("c9", "2027-08-01", "open", None),
        ("c10", "2027-04-01", "open", None),
    ]
    session.add_all([m.CourseSession(course_code=course, session_code=f"{course}-{start}",
                                     start_date=date.fromisoformat(start),
                                     end_date=date.fromisoformat(start), status=status,
                                     postcode=postcode)
                     for course, start, status, postcode in sessions])
    appearances = [  # kind, code, day, count
        ("occupation", "svejser", "2026-12-01", 5), ("occupation", "svejser", "2026-11-01", 3),
        ("occupation", "svejser", "2026-09-03", 2),  # the first day of the 90
        ("occupation", "svejser", "2026-09-02", 100),  # one day too early
        ("occupation", "lager", "2026-11-30", 10),
        ("occupation", "nedlagt", "2026-11-15", 4),  # no longer in the catalogue
        ("occupation", "smed", "2026-12-02", 7),  # tomorrow: not counted
        ("course", "c4", "2026-11-20", 6), ("course", "c1", "2026-10-01", 1),
        ("course", "c5", "2026-11-01", 2),  # archived, but its row (and title) remain
    ]
    session.add_all([m.ResultAppearance(kind=kind, code=code, day=date.fromisoformat(day),
                                        count=count) for kind, code, day, count in appearances])
    session.add_all([
        m.EudChoice(kommunekode=HERNING, year=2021, share_percent=Decimal("21.5"),
                    source="UVM", source_url=None),
        m.EudChoice(kommunekode=HERNING, year=2019, share_percent=Decimal("23.2"),
                    source=insight.STRATEGY_SOURCE, source_url=insight.STRATEGY_URL),
        m.EudChoice(kommunekode=751, year=2019, share_percent=Decimal("15"), source="other"),
    ])


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    with app.app_context():
        session = get_session()
        build_fixture(session)
        session.commit()
        yield session


@pytest.fixture
def index(db: Session) -> CatalogIndex:
    return build_index(load_snapshot(db))


@pytest.fixture
def where(index: CatalogIndex) -> insight.Scope:
    area = area_of(index, HERNING, TODAY)
    return insight.scope(index, rar_code=area.rar_code, period=area.period, origin="7400",
                         today=TODAY)


def test_the_scope_is_the_home_area_latest_period_and_six_months(where: insight.Scope) -> None:
    assert (where.rar_code, where.rar_name, where.period, where.previous) == (
        "VESTJ", "RAR Vestjylland", "2026H2", "2026H1")
    assert (where.origin, where.origin_name) == ("7400", "Herning")
    assert (where.first_day, where.last_day, where.km) == (TODAY, date(2027, 6, 1), 50.0)


def test_supply_per_shortage_occupation_as_counted_by_hand(index: CatalogIndex,
                                                           where: insight.Scope) -> None:
    rows = insight.supply(index, where)
    got = [(r.code, r.category, r.linked, r.courses, r.sessions, r.gap) for r in rows]
    assert got == [
        # c1 (2 sessions), c2 (at 7500), c3 (online): 3 courses, 4 sessions.
        ("svejser", "omfattende_mangel", 3, 3, 4, None),
        # c5 is archived; c9 runs after the window; c4 twice and c10 once.
        ("lager", "mangel", 3, 2, 3, None),
        ("smed", "mangel", 1, 1, 1, "few"),  # only the online c3
        ("chauffor", "paradoks", 1, 0, 0, "none"),  # c6 only in Aarhus, 77 km away
    ]
    # kok (gode here, mangel in OESTJ) and frisor (mindre_gode) are not shortages here.
    assert rows[0].title_da == "Svejser" and rows[0].title_en == "Svejser (en)"


def test_gaps_are_the_occupations_with_fewer_than_two_courses_fewest_first(
        index: CatalogIndex, where: insight.Scope) -> None:
    assert insight.FEW_COURSES == 2
    assert [(r.code, r.gap) for r in insight.gaps(insight.supply(index, where))] == [
        ("chauffor", "none"), ("smed", "few")]


def test_a_wider_reach_or_a_later_day_changes_the_counts(index: CatalogIndex,
                                                         where: insight.Scope) -> None:
    from dataclasses import replace

    wide = {r.code: (r.courses, r.sessions) for r in insight.supply(index, replace(where, km=100))}
    assert wide["chauffor"] == (1, 1) and wide["svejser"] == (3, 5)  # Aarhus within 100 km
    later = insight.scope(index, rar_code="VESTJ", period="2026H2", origin="7400",
                          today=date(2027, 1, 11))  # to 2027-07-11: c1's July run, not its first two
    counts = {r.code: (r.courses, r.sessions) for r in insight.supply(index, later)}
    assert counts["svejser"] == (3, 3) and counts["lager"] == (2, 2)


def test_without_an_origin_only_online_courses_are_within_reach(index: CatalogIndex) -> None:
    where = insight.scope(index, rar_code="VESTJ", period="2026H2", origin=None, today=TODAY)
    counts = {r.code: (r.courses, r.sessions) for r in insight.supply(index, where)}
    assert counts == {"svejser": (1, 1), "lager": (0, 0), "smed": (1, 1), "chauffor": (0, 0)}


def test_no_balance_for_the_area_means_no_supply_rows(index: CatalogIndex) -> None:
    where = insight.scope(index, rar_code=None, period=None, origin="7400", today=TODAY)
    assert insight.supply(index, where) == [] and insight.changes(index, where) == []


def test_change_since_the_previous_period(index: CatalogIndex, where: insight.Scope) -> None:
    got = [(c.code, c.before, c.after, c.direction) for c in insight.changes(index, where)]
    assert got == [
        ("svejser", "mangel", "omfattende_mangel", "up"),  # not 2025H2's omfattende: unchanged
        ("maler", "mangel", None, "removed"),
        ("smed", None, "mangel", "new"),
        ("chauffor", "gode", "paradoks", "up"),
        ("kok", "mangel", "gode", "down"),
    ]
    # lager (mangel both times) did not change; frisor (gode to mindre_gode) was never a shortage.


def test_demand_sums_the_last_90_days_most_shown_first(db: Session) -> None:
    jobs = insight.demand(db, "occupation", TODAY)
    # svejser 5 + 3 + 2 (not the 100 on day 91) = 10, tied with lager's 10: by code.
    assert [(d.code, d.count, d.title_da) for d in jobs] == [
        ("lager", 10, "Lagermedarbejder"), ("svejser", 10, "Svejser"), ("nedlagt", 4, None)]
    courses = insight.demand(db, "course", TODAY)
    assert [(d.code, d.count, d.title_da) for d in courses] == [
        ("c4", 6, "Kursus c4"), ("c5", 2, "Kursus c5"), ("c1", 1, "Kursus c1")]
    assert [d.code for d in insight.demand(db, "occupation", TODAY, limit=2)] == ["lager",
                                                                                   "svejser"]
    assert [d.count for d in insight.demand(db, "occupation", TODAY, days=1)] == [5]


def count_statements(engine: Engine) -> list[str]:
    """The queries sent; PostgreSQL's per-transaction SET LOCAL (matcher.data.db) is none."""
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute",
                 lambda _c, _cur, statement, *_: None if statement.startswith("SET ")
                 else seen.append(statement))
    return seen


def test_demand_and_the_series_take_one_query_each(app: Flask, db: Session) -> None:
    seen = count_statements(db.get_bind())  # type: ignore[arg-type]
    insight.demand(db, "occupation", TODAY, limit=None)
    insight.demand(db, "course", TODAY, limit=None)
    insight.eud_series(db, HERNING)
    assert len(seen) == 3


def test_the_series_is_the_home_municipality_s_oldest_first(db: Session) -> None:
    assert [(f.year, f.share_percent, f.source) for f in insight.eud_series(db, HERNING)] == [
        (2019, Decimal("23.2"), insight.STRATEGY_SOURCE), (2021, Decimal("21.5"), "UVM")]
    assert [t.year for t in insight.TARGETS] == [2020, 2025]
    assert [t.share_percent for t in insight.TARGETS] == [25, 30]


def test_saving_adds_changes_moves_and_refuses_a_taken_year_with_an_audit(app: Flask,
                                                                           db: Session) -> None:
    admin = make_user(app, "chef@herning.dk", "admin")
    actor = db.get(m.UserAccount, admin.id)
    assert actor is not None
    insight.save_eud(db, HERNING, 2022, Decimal("24.1"), "UVM Datavarehus", None, actor=actor,
                     ip="10.0.0.1")
    db.commit()
    with pytest.raises(insight.YearTaken):
        insight.save_eud(db, HERNING, 2022, Decimal(50), "x", None, actor=actor, ip=None)
    with pytest.raises(insight.YearTaken):  # moving 2021 onto 2019
        insight.save_eud(db, HERNING, 2019, Decimal(50), "x", None, actor=actor, ip=None,
                         replaces=2021)
    db.rollback()
    insight.save_eud(db, HERNING, 2023, Decimal("22"), "UVM", "https://uvm.dk/x", actor=actor,
                     ip=None, replaces=2021)  # 2021 was mistyped: it is 2023
    db.commit()
    series = {f.year: (f.share_percent, f.source) for f in insight.eud_series(db, HERNING)}
    assert series == {2019: (Decimal("23.2"), insight.STRATEGY_SOURCE),
                      2022: (Decimal("24.1"), "UVM Datavarehus"), 2023: (Decimal(22), "UVM")}
    row = db.get(m.EudChoice, (HERNING, 2023))
    assert row is not None and row.updated_by_id == actor.id
    events = list(db.scalars(select(m.AuditEvent).where(m.AuditEvent.action.like("eud_%"))
                             .order_by(m.AuditEvent.id)))
    assert [e.action for e in events] == ["eud_choice_added", "eud_choice_changed"]
    assert events[0].ip == "10.0.0.1" and events[0].actor_id == actor.id
    assert events[1].detail["before"]["year"] == 2021  # type: ignore[index]
    assert events[1].detail["after"]["year"] == 2023  # type: ignore[index]
    assert insight.delete_eud(db, HERNING, 2022, actor=actor, ip=None) is True
    assert insight.delete_eud(db, HERNING, 2022, actor=actor, ip=None) is False
    db.commit()
    assert 2022 not in {f.year for f in insight.eud_series(db, HERNING)}
    assert db.scalar(select(m.AuditEvent).where(m.AuditEvent.action == "eud_choice_deleted"))


def test_add_months_keeps_the_day_or_takes_the_month_s_last() -> None:
    assert insight.add_months(date(2026, 12, 1), 6) == date(2027, 6, 1)
    assert insight.add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert insight.add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)


def test_a_fresh_database_has_herning_s_2019_figure_with_its_source(
        scratch_engine: Engine) -> None:  # noqa: F811
    migrate.upgrade(scratch_engine)
    with Session(scratch_engine) as session:
        rows = list(session.scalars(select(m.EudChoice)))
    assert [(r.kommunekode, r.year, r.share_percent) for r in rows] == [
        (657, 2019, Decimal("23.20"))]
    assert rows[0].source.startswith("Herning Kommunes uddannelsesstrategi, mål 2")
    assert rows[0].source == insight.STRATEGY_SOURCE
    assert rows[0].source_url == ("https://politik.herning.dk/vores-strategier/strategier/"
                                  "uddannelsesstrategi")
    assert rows[0].updated_by_id is None


def test_the_seed_source_is_the_one_domain_md_names() -> None:
    # domain.md §8: the strategy page is the source of 23.2 % (2019) and the 25/30 % targets.
    assert insight.STRATEGY_URL == ("https://politik.herning.dk/vores-strategier/strategier/"
                                    "uddannelsesstrategi")
