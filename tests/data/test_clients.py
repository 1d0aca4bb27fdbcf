"""Client records' data rules: no CPR-like numbers, who sees what, retention and the purge."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import inspect, select

from matcher.data import clients
from matcher.data import models as m
from matcher.data.db import get_session
from tests.web.staff_helpers import make_client, make_user

# Things a caseworker might type that hold a CPR number, in the shapes people write them.
CPR_LIKE = [
    "010203-1234", "0102031234", "010203 1234", "010203 - 1234", "010203–1234", "010203—1234",
    "01.02.03-1234", "01 02 03 1234", "01.02.03 1234", "010203/1234", "010203.1234",
    "Anna 010203-1234", "cpr:0102031234.", "x010203-1234y", "311299-0000", "290204-1111",
    "０１０２０３－１２３４",  # full-width digits and dash
    "٠١٠٢٠٣١٢٣٤",  # Arabic-Indic digits
    "født 150575-4321, ledig", "Tlf 12345678, cpr 121212 1212",
]
# Numbers that are not CPR numbers: no date at the start, too short or too long, a phone.
NOT_CPR = [
    "", "Anna H.", "AH 3", "12345678", "+45 12 34 56 78", "1234567890", "320101-1234",
    "011301-1234", "290203-1234", "000000-0000", "01020312345", "1010203-1234",
    "Mødet 1. februar 2026 kl. 10", "2026-02-01", "010203-123", "uge 12, 2026",
]


@pytest.mark.parametrize("text", CPR_LIKE)
def test_cpr_like_numbers_are_found(text: str) -> None:
    assert clients.cpr_like(text)


@pytest.mark.parametrize("text", NOT_CPR)
def test_other_numbers_are_not(text: str) -> None:
    assert not clients.cpr_like(text)


@pytest.mark.parametrize(("label", "notes", "problems"), [
    ("", "", {"label": "blank"}),
    ("   ", "", {"label": "blank"}),
    ("x" * 81, "", {"label": "too_long"}),
    ("010203-1234", "", {"label": "cpr"}),
    ("Anna", "0102031234", {"notes": "cpr"}),
    ("Anna", "n" * 2001, {"notes": "too_long"}),
    ("An\x00na", "", {"label": "control"}),
    ("Anna", "bad \x1b escape", {"notes": "control"}),
    ("0102031234", "01.02.03-1234", {"label": "cpr", "notes": "cpr"}),
])
def test_create_refuses_and_writes_nothing(app: Flask, label: str, notes: str,
                                           problems: dict[str, str]) -> None:
    owner = make_user(app, "sag@herning.dk", "caseworker")
    with app.app_context():
        session = get_session()
        with pytest.raises(clients.ClientRefused) as refused:
            clients.create(session, session.get(m.UserAccount, owner.id), label=label,
                           notes=notes)
        session.rollback()
        assert refused.value.problems == problems
        assert session.scalars(select(m.Client)).all() == []


def test_a_profile_holding_a_cpr_number_is_refused(app: Flask) -> None:
    owner = make_user(app, "sag@herning.dk", "caseworker")
    client_id = make_client(app, owner.id)
    with app.app_context():
        session = get_session()
        row = session.get(m.Client, client_id)
        user = session.get(m.UserAccount, owner.id)
        with pytest.raises(clients.ClientRefused):
            clients.set_profile(session, row, {"skills": ["010203-1234"]}, user)
        with pytest.raises(clients.ClientRefused):
            clients.set_profile(session, row, ["not", "a", "dict"], user)  # type: ignore[arg-type]


def test_every_write_moves_the_retention_on(app: Flask) -> None:
    owner = make_user(app, "sag@herning.dk", "caseworker")
    with app.app_context():
        session = get_session()
        user = session.get(m.UserAccount, owner.id)
        start = datetime(2026, 1, 1, 12, tzinfo=UTC)
        row = clients.create(session, user, label="Anna", now=start)
        assert row.retain_until == date(2027, 1, 1)
        clients.update(session, row, user, notes="Ringer mandag", now=start + timedelta(days=10))
        assert row.retain_until == date(2027, 1, 11)
        clients.set_profile(session, row, {"age": 40}, user, now=start + timedelta(days=20))
        assert row.retain_until == date(2027, 1, 21)
        # Nothing changed: no write, the retention stays.
        clients.update(session, row, user, notes="Ringer mandag", now=start + timedelta(days=30))
        assert row.retain_until == date(2027, 1, 21)


def test_a_caseworker_sees_own_and_shared_clients_only(app: Flask) -> None:
    a = make_user(app, "a@herning.dk", "caseworker")
    b = make_user(app, "b@herning.dk", "caseworker")
    c = make_user(app, "c@herning.dk", "caseworker")
    own = make_client(app, a.id, label="A's")
    shared = make_client(app, b.id, label="B's shared", shared_with=a.id)
    other = make_client(app, c.id, label="C's")
    with app.app_context():
        session = get_session()
        assert [row.id for row in clients.for_user(session, a.id)] == [own, shared]
        assert clients.find(session, other, a.id) is None
        assert clients.find(session, shared, a.id) is not None
        assert clients.find(session, own, b.id) is None


@pytest.mark.parametrize(("who", "reason"), [
    ("unknown", "unknown_user"), ("provider", "not_caseworker"), ("admin", "not_caseworker"),
    ("owner", "owner"), ("again", "already_shared"), ("inactive", "unknown_user"),
])
def test_sharing_only_with_another_active_caseworker(app: Flask, who: str, reason: str) -> None:
    from tests.web.staff_helpers import make_provider

    make_provider(app, "p_a")
    owner = make_user(app, "a@herning.dk", "caseworker")
    colleague = make_user(app, "b@herning.dk", "caseworker")
    people = {"provider": make_user(app, "p@x.dk", "provider", provider="p_a").id,
              "admin": make_user(app, "chef@herning.dk", "admin").id,
              "unknown": 99_999, "owner": owner.id, "again": colleague.id,
              "inactive": make_user(app, "gone@herning.dk", "caseworker").id}
    client_id = make_client(app, owner.id, shared_with=colleague.id)
    with app.app_context():
        session = get_session()
        session.get(m.UserAccount, people["inactive"]).is_active = False  # type: ignore[union-attr]
        session.commit()
        row = session.get(m.Client, client_id)
        with pytest.raises(clients.ClientRefused) as refused:
            clients.share(session, row, people[who], session.get(m.UserAccount, owner.id))
        assert refused.value.problems == {"user": reason}
        assert len(session.scalars(select(m.ClientShare)).all()) == 1


def test_the_export_holds_every_column_of_every_client_table(app: Flask) -> None:
    """Schema-driven: a new column or table holding a client id cannot be forgotten."""
    owner = make_user(app, "a@herning.dk", "caseworker")
    colleague = make_user(app, "b@herning.dk", "caseworker")
    client_id = make_client(app, owner.id, label="Anna", notes="Ringer mandag",
                            profile={"age": 40}, shared_with=colleague.id)
    with app.app_context():
        session = get_session()
        session.add(m.ClientPlan(client_id=client_id, target_code="svejser"))
        session.add(m.PlanStep(client_id=client_id, course_code="c1", course_title="Kursus"))
        session.add(m.HandoffCode(code_hash="h" * 64, expires_at=datetime.now(UTC),
                                  client_id=client_id))
        session.commit()
        row = session.get(m.Client, client_id)
        data = clients.export(session, row)
    sections = {"client": data["client"], "client_share": data["shares"][0],
                "client_plan": data["plan"], "plan_step": data["plan_steps"][0],
                "handoff_code": data["handoff_codes"][0]}
    linked = {table.name for table in m.Base.metadata.sorted_tables
              if any(fk.column.table.name == "client" for fk in table.foreign_keys)}
    assert linked | {"client"} == set(sections)
    for table, section in sections.items():
        columns = {column.name for column in m.Base.metadata.tables[table].columns}
        missing = columns - set(section) - set(clients.NOT_EXPORTED.get(table, {}))
        assert not missing, f"{table}: {missing}"
    assert data["client"]["notes"] == "Ringer mandag" and data["client"]["profile"] == {"age": 40}
    assert [event["action"] for event in data["audit"]] == ["client_shared", "client_created"]
    assert "b@herning.dk" not in str(data) and "a@herning.dk" not in str(data)


def test_delete_takes_plan_steps_and_shares_and_keeps_an_audit_row(app: Flask) -> None:
    owner = make_user(app, "a@herning.dk", "caseworker")
    colleague = make_user(app, "b@herning.dk", "caseworker")
    client_id = make_client(app, owner.id, label="Anna Hansen", notes="ringer",
                            shared_with=colleague.id)
    with app.app_context():
        session = get_session()
        session.add(m.ClientPlan(client_id=client_id))
        session.add(m.PlanStep(client_id=client_id, course_code="c1", course_title="Kursus"))
        session.commit()
        clients.delete_client(session, session.get(m.Client, client_id),
                              session.get(m.UserAccount, colleague.id))
        session.commit()
        for model in (m.Client, m.ClientShare, m.ClientPlan, m.PlanStep):
            assert session.scalars(select(model)).all() == []
        event = session.scalars(select(m.AuditEvent).where(
            m.AuditEvent.action == "client_deleted")).one()
        assert event.subject == f"client/{client_id}" and event.actor_id == colleague.id
        assert "Anna" not in str(event.detail)


def test_purge_deletes_past_retention_and_keeps_the_rest(app: Flask) -> None:
    owner = make_user(app, "a@herning.dk", "caseworker")
    colleague = make_user(app, "b@herning.dk", "caseworker")
    old = make_client(app, owner.id, label="Gammel", shared_with=colleague.id,
                      retain_until="2026-11-30")
    today = make_client(app, owner.id, label="Sidste dag", retain_until="2026-12-01")
    with app.app_context():
        session = get_session()
        session.add(m.ClientPlan(client_id=old))
        session.add(m.PlanStep(client_id=old, course_code="c1", course_title="Kursus"))
        session.commit()
        assert clients.purge(session, today=date(2026, 12, 1), actor_name="cli:test") == 1
        session.commit()
        assert [row.id for row in session.scalars(select(m.Client))] == [today]
        assert session.scalars(select(m.ClientShare)).all() == []
        assert session.scalars(select(m.PlanStep)).all() == []
        assert session.scalars(select(m.ClientPlan)).all() == []
        event = session.scalars(select(m.AuditEvent).where(
            m.AuditEvent.action == "client_purged")).one()
        assert event.subject == f"client/{old}" and event.detail["actor"] == "cli:test"


def test_no_client_table_has_a_cpr_column() -> None:
    for table in m.Base.metadata.sorted_tables:
        for column in inspect(table).columns:
            assert not any(word in column.name.lower() for word in ("cpr", "personnummer"))
