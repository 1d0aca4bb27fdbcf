"""Hand-off codes (issue 13 part 4): made, found however typed, used once, expired, purged.

Run on SQLite and (in CI) PostgreSQL, including two and more caseworkers redeeming the same
code at the same moment: exactly one gets the answers.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from matcher.data import handoff
from matcher.data import models as m
from matcher.data.db import make_engine
from tests.conftest import empty_tables

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
ANSWERS = {"status": "unemployed", "age": 34, "postcode": "7400", "education_level": "eud",
           "occupations": [{"code": "lagermedarbejder", "years": 5}], "note": "æøå"}
KEY = handoff.handoff_key({"SECRET_KEY": "data-tests-key"})


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    empty_tables(engine)
    yield engine
    empty_tables(engine)
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


def caseworker(session: Session, email: str = "sag@herning.dk") -> m.UserAccount:
    user = m.UserAccount(email=email, password_hash="x", role="caseworker",
                         must_change_password=False)
    session.add(user)
    session.flush()
    return user


def made(session: Session, *, now: datetime = NOW, days: int = 14,
         answers: dict[str, Any] | None = None) -> handoff.NewCode:
    new = handoff.create(session, ANSWERS if answers is None else answers, now, days, KEY)
    session.commit()
    return new


def test_a_code_is_ten_unambiguous_characters_in_three_groups(session: Session) -> None:
    codes = {made(session).code for _ in range(50)}
    assert len(codes) == 50
    for code in codes:
        assert re.fullmatch(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}", code)
        assert not set(code) & set("01OIL")
    assert len(handoff.ALPHABET) == 31 and not set(handoff.ALPHABET) & set("01OIL")


def test_only_a_hash_and_the_encrypted_answers_are_stored(session: Session) -> None:
    new = made(session)
    row = session.scalars(select(m.HandoffCode)).one()
    bare = new.code.replace("-", "")
    assert row.code_hash != bare and len(row.code_hash) == 64
    assert bare not in row.code_hash and bare not in (row.payload or "")
    assert "7400" not in (row.payload or "") and "lagermedarbejder" not in (row.payload or "")
    assert row.used_at is None and row.used_by_id is None and row.client_id is None
    # The hash is keyed: the same code under another signing key has another hash.
    other = handoff.handoff_key({"SECRET_KEY": "another-key"})
    assert handoff.check(session, new.code, NOW, other) == handoff.Refused("unknown")


def test_redeem_gives_the_answers_once_and_clears_them(session: Session) -> None:
    user = caseworker(session)
    new = made(session)
    got = handoff.redeem(session, new.code, user, NOW + timedelta(hours=1), KEY)
    session.commit()
    assert isinstance(got, handoff.Redeemed) and got.answers == ANSWERS
    row = session.get(m.HandoffCode, got.handoff_id)
    assert row is not None
    session.refresh(row)
    assert row.payload is None and row.used_by_id == user.id
    assert row.used_at is not None
    again = handoff.redeem(session, new.code, user, NOW + timedelta(hours=2), KEY)
    assert again == handoff.Refused("used", NOW + timedelta(hours=1))


@pytest.mark.parametrize("typed", [
    "{code}", "{lower}", "{bare}", "{bare_lower}", " {code} ", "{spaced}", "{dotted}",
    "{code_en_dash}", "{mixed}", "{groups_of_two}"])
def test_a_code_is_found_however_it_was_noted_down(session: Session, typed: str) -> None:
    code = made(session).code
    bare = code.replace("-", "")
    text = typed.format(
        code=code, lower=code.lower(), bare=bare, bare_lower=bare.lower(),
        spaced=" ".join(code.replace("-", "")), dotted=code.replace("-", "."),
        code_en_dash=code.replace("-", "\u2013"), mixed=code[:6].lower() + code[6:],
        groups_of_two="-".join(bare[i:i + 2] for i in range(0, 10, 2)))
    assert handoff.check(session, text, NOW, KEY) is None


@pytest.mark.parametrize("typed", [
    "", "   ", "ABCD-EFGH-J", "ABCD-EFGH-JKM", "ABCD-EFGH-J0", "ABCD-EFGH-JO", "ABCD-EFGH-J1",
    "ABCD-EFGH-JI", "ABCD-EFGH-JL", "ABCD_EFGH_JK", "ABCD/EFGH/JK", "ÆBCD-EFGH-JK",
    "ＡＢＣＤ-ＥＦＧＨ-ＪＫ", "ABCD-EFGH-JK\x00", "' OR 1=1 --", "%", "A" * 41, "A" * 10_000])
def test_text_that_cannot_be_a_code_is_refused_as_unknown(session: Session, typed: str) -> None:
    made(session)
    user = caseworker(session)
    assert handoff.normalise(typed) is None
    assert handoff.check(session, typed, NOW, KEY) == handoff.Refused("unknown")
    assert handoff.redeem(session, typed, user, NOW, KEY) == handoff.Refused("unknown")


def test_a_code_that_was_never_made_is_unknown(session: Session) -> None:
    made(session)
    user = caseworker(session)
    assert handoff.redeem(session, "ABCD-EFGH-JK", user, NOW, KEY) == handoff.Refused("unknown")


def test_a_code_works_until_exactly_its_days_have_passed(session: Session) -> None:
    user = caseworker(session)
    first, second = made(session), made(session)
    expires = NOW + timedelta(days=14)
    assert first.expires_at == expires == second.expires_at
    assert handoff.check(session, first.code, expires - timedelta(seconds=1), KEY) is None
    assert handoff.check(session, first.code, expires, KEY) == handoff.Refused("expired", expires)
    assert handoff.redeem(session, first.code, user, expires, KEY) == \
        handoff.Refused("expired", expires)
    session.commit()
    got = handoff.redeem(session, second.code, user, expires - timedelta(seconds=1), KEY)
    assert isinstance(got, handoff.Redeemed)


def test_an_expired_code_stays_unused_and_keeps_saying_so(session: Session) -> None:
    user = caseworker(session)
    new = made(session)
    later = NOW + timedelta(days=20)
    assert handoff.redeem(session, new.code, user, later, KEY) == \
        handoff.Refused("expired", NOW + timedelta(days=14))
    session.commit()
    row = session.scalars(select(m.HandoffCode)).one()
    assert row.used_at is None and row.used_by_id is None


def test_purge_erases_expired_answers_then_deletes_the_code(session: Session) -> None:
    user = caseworker(session)
    alive, expired, used = made(session), made(session, now=NOW - timedelta(days=15)), \
        made(session, now=NOW - timedelta(days=2))
    old = made(session, now=NOW - timedelta(days=14) - handoff.KEEP_EXPIRED)
    assert isinstance(handoff.redeem(session, used.code, user, NOW - timedelta(days=1), KEY),
                      handoff.Redeemed)
    session.commit()
    # The expired code's answers go, and the code expired KEEP_EXPIRED ago is deleted.
    assert handoff.purge_expired(session, NOW) == 2
    session.commit()
    assert handoff.check(session, old.code, NOW, KEY) == handoff.Refused("unknown")
    assert handoff.check(session, expired.code, NOW, KEY) == \
        handoff.Refused("expired", NOW - timedelta(days=1))
    assert handoff.check(session, used.code, NOW, KEY) == \
        handoff.Refused("used", NOW - timedelta(days=1))
    payloads = dict(session.execute(select(m.HandoffCode.expires_at, m.HandoffCode.payload)).all())
    assert sum(payload is not None for payload in payloads.values()) == 1  # the live one
    assert isinstance(handoff.redeem(session, alive.code, user, NOW, KEY), handoff.Redeemed)
    session.commit()
    assert handoff.purge_expired(session, NOW) == 0  # nothing more to do today


def test_purge_at_the_moment_of_expiry(session: Session) -> None:
    new = made(session)
    assert handoff.purge_expired(session, new.expires_at - timedelta(seconds=1)) == 0
    assert handoff.purge_expired(session, new.expires_at) == 1
    session.commit()
    assert session.scalar(select(m.HandoffCode.payload)) is None


def test_a_rotated_signing_key_still_finds_and_opens_older_codes(session: Session) -> None:
    user = caseworker(session)
    new = made(session)
    rotated = handoff.handoff_key({"SECRET_KEY": "the-new-key",
                                   "SECRET_KEY_FALLBACKS": ["data-tests-key"]})
    got = handoff.redeem(session, new.code, user, NOW, rotated)
    assert isinstance(got, handoff.Redeemed) and got.answers == ANSWERS


def test_the_client_it_went_to_is_recorded(session: Session) -> None:
    user = caseworker(session)
    client = m.Client(owner_id=user.id, label="AB", profile={}, retain_until=NOW.date())
    session.add(client)
    session.flush()
    got = handoff.redeem(session, made(session).code, user, NOW, KEY)
    assert isinstance(got, handoff.Redeemed)
    handoff.record_client(session, got.handoff_id, client.id)
    session.commit()
    assert session.scalar(select(m.HandoffCode.client_id)) == client.id


def test_a_rolled_back_redeem_leaves_the_code_usable(session: Session) -> None:
    """The web view redeems and writes the client in one transaction: a failure after the
    redeem (the client refused) rolls both back, and the citizen's code still works."""
    user = caseworker(session)
    new = made(session)
    assert isinstance(handoff.redeem(session, new.code, user, NOW, KEY), handoff.Redeemed)
    session.rollback()
    assert handoff.check(session, new.code, NOW, KEY) is None


@pytest.mark.parametrize("attempt", range(3))
def test_many_caseworkers_redeeming_at_once_only_one_gets_the_answers(
        engine: Engine, attempt: int) -> None:
    with Session(engine, expire_on_commit=False) as session:
        users = [caseworker(session, f"sag{n}@herning.dk").id for n in range(4)]
        code = made(session).code
    barrier = threading.Barrier(len(users))
    outcomes: list[Any] = []
    failed: list[BaseException] = []

    def redeem(user_id: int) -> None:
        with Session(engine, expire_on_commit=False) as session:
            user = session.get(m.UserAccount, user_id)
            assert user is not None
            session.commit()  # no transaction open while waiting at the barrier
            barrier.wait()
            try:
                outcomes.append(handoff.redeem(session, code, user, NOW, KEY))
                session.commit()
            except Exception as error:  # reported by the test, not lost in the thread
                failed.append(error)

    threads = [threading.Thread(target=redeem, args=(user_id,)) for user_id in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failed
    won = [o for o in outcomes if isinstance(o, handoff.Redeemed)]
    assert len(won) == 1 and won[0].answers == ANSWERS
    assert [o.reason for o in outcomes if isinstance(o, handoff.Refused)] == ["used"] * 3
    with Session(engine) as session:
        row = session.scalars(select(m.HandoffCode)).one()
        assert row.payload is None and row.used_by_id in users


def test_the_second_of_two_overlapping_redeems_waits_and_is_told_used(engine: Engine) -> None:
    """A holds the code claimed but not committed; B's redeem waits for A, then sees it used."""
    with Session(engine, expire_on_commit=False) as session:
        a_id, b_id = caseworker(session, "a@herning.dk").id, caseworker(session, "b@herning.dk").id
        code = made(session).code
    first = Session(engine, expire_on_commit=False)
    try:
        a = first.get(m.UserAccount, a_id)
        assert a is not None
        assert isinstance(handoff.redeem(first, code, a, NOW, KEY), handoff.Redeemed)
        result: list[Any] = []

        def second() -> None:
            with Session(engine, expire_on_commit=False) as session:
                b = session.get(m.UserAccount, b_id)
                assert b is not None
                result.append(handoff.redeem(session, code, b, NOW, KEY))
                session.commit()

        thread = threading.Thread(target=second)
        thread.start()
        thread.join(timeout=0.5)
        first.commit()
        thread.join(timeout=30)
        assert not thread.is_alive()
        assert result == [handoff.Refused("used", NOW)]
    finally:
        first.close()


def test_answers_round_trip_exactly(session: Session) -> None:
    answers = {**ANSWERS, "schedule": ["day", "evening"], "max_distance_km": 50,
               "skills": ["lagerstyring"], "has_eud": True}
    user = caseworker(session)
    got = handoff.redeem(session, made(session, answers=answers).code, user, NOW, KEY)
    assert isinstance(got, handoff.Redeemed)
    assert got.answers == answers
    assert json.dumps(got.answers, sort_keys=True) == json.dumps(answers, sort_keys=True)
    assert session.scalar(select(func.count()).select_from(m.HandoffCode)) == 1
