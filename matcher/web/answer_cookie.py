"""The citizen's answers between requests: an encrypted cookie in their own browser.

Every step is posted, the answers are saved here, and the browser is sent on to a page that
reads them back (Post/Redirect/Get). So back, forward, reload, bookmarks and the language
switch all work, and the server still stores nothing: no database row, no log line, no
address with answers in it. The cookie is encrypted (it is the person's own data, but a
shared computer's cookie store should not show it), ends when the browser closes, and is
refused ANSWERS_MAX_AGE seconds after the last answer was given.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, field
from typing import Any

from cryptography.fernet import InvalidToken, MultiFernet
from flask import Request, Response, current_app
from werkzeug.datastructures import MultiDict

from matcher.data import derived_keys
from matcher.web.journey import Answers, read_answers, write_answers

COOKIE = "kl_svar"
PART_SIZE = 3600  # characters per cookie: browsers keep 4,096 bytes with the name and flags
MAX_PARTS = 3  # far above any honest journey; a larger state is refused, not truncated
MAX_MARKS = 60
MAX_FIELDS = 40  # of a posted step kept to show it again (its errors, its search)
_PURPOSE = b"kompetenceloeft citizen answers v1"


@dataclass
class Journey:
    """What the browser carries: the answers, the results page's choices, the last step shown.

    `shown` is the step form last posted when it ended on the same step (an error or a
    search), so that a reload, or coming back to it, shows the same errors and suggestions.
    """

    answers: Answers = field(default_factory=dict)
    marked: list[str] = field(default_factory=list)
    only_funded: bool = False
    shown: dict[str, Any] | None = None

    def shown_form(self, step: str) -> MultiDict[str, str] | None:
        if not self.shown or self.shown.get("step") != step:
            return None
        return MultiDict([(str(k), str(v)) for k, v in self.shown.get("fields", [])])


def _cipher() -> MultiFernet:
    """Keys from the signing key and its fallbacks, so a key rotation keeps journeys readable
    (derived once per key set, not on every page: HKDF would run on each step and result)."""
    return derived_keys.cipher(derived_keys.signing_keys(current_app.config), _PURPOSE)


def load(request: Request) -> Journey:
    """The journey in the request's cookie; anything unreadable or too old is no journey."""
    token = "".join(request.cookies.get(_name(part), "") for part in range(MAX_PARTS))
    if not token:
        return Journey()
    try:
        raw = _cipher().decrypt(token.encode("ascii"),
                                ttl=int(current_app.config["ANSWERS_MAX_AGE"]))
        data = json.loads(zlib.decompress(raw, bufsize=16_384).decode("utf-8"))
    except (InvalidToken, UnicodeError, ValueError, RecursionError, zlib.error):
        return Journey()
    if not isinstance(data, dict):
        return Journey()
    # What was encrypted here was checked before, but it is read as carefully as a form.
    answers = read_answers(json.dumps(data.get("answers", {})))
    marks = data.get("marked") if isinstance(data.get("marked"), list) else []
    marked = [m for m in marks if isinstance(m, str) and len(m) <= 120 and m.isprintable()]
    shown = data.get("shown") if isinstance(data.get("shown"), dict) else None
    return Journey(answers=answers, marked=marked[:MAX_MARKS],
                   only_funded=data.get("only_funded") is True, shown=shown)


def keep_shown(step: str, form: MultiDict[str, str]) -> dict[str, Any]:
    """The posted fields of a step worth showing again: not the token, short values only."""
    fields = [(key, value[:200]) for key, value in form.items(multi=True)
              if key not in ("csrf_token", "answers") and len(key) <= 40]
    return {"step": step, "fields": fields[:MAX_FIELDS]}


def save(response: Response, journey: Journey) -> Response:
    """Write the journey into the response's cookies, in parts if it needs more than one."""
    data = {"answers": json.loads(write_answers(journey.answers)),
            "marked": journey.marked[:MAX_MARKS], "only_funded": journey.only_funded,
            "shown": journey.shown}
    packed = zlib.compress(json.dumps(data, separators=(",", ":")).encode("utf-8"), 9)
    token = _cipher().encrypt(packed).decode("ascii")
    parts = [token[i:i + PART_SIZE] for i in range(0, len(token), PART_SIZE)]
    if len(parts) > MAX_PARTS:
        raise OverflowError("the answers do not fit in the browser's cookies")
    for number in range(MAX_PARTS):
        if number < len(parts):
            response.set_cookie(_name(number), parts[number], **_flags())
        else:
            response.delete_cookie(_name(number), **_flags())
    return response


def forget(response: Response) -> Response:
    for number in range(MAX_PARTS):
        response.delete_cookie(_name(number), **_flags())
    return response


def _name(part: int) -> str:
    return COOKIE if part == 0 else f"{COOKIE}{part}"


def _flags() -> dict[str, Any]:
    # No max_age: a session cookie, gone when the browser closes. Path "/": the language
    # switch and the course pages lead back into the journey.
    return {"httponly": True, "samesite": "Lax", "path": "/",
            "secure": bool(current_app.config["SESSION_COOKIE_SECURE"])}

