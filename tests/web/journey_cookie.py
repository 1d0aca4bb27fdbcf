"""The citizen's answers as the browser carries them, read and written by the site's own code."""

from __future__ import annotations

import json
import zlib
from typing import Any

from flask import request
from flask.testing import FlaskClient

from matcher.web import answer_cookie


def saved(client: FlaskClient) -> answer_cookie.Journey:
    """The journey in the client's cookies."""
    names = [answer_cookie._name(n) for n in range(answer_cookie.MAX_PARTS)]
    found = [(name, client.get_cookie(name)) for name in names]
    header = "; ".join(f"{name}={cookie.value}" for name, cookie in found if cookie)
    with client.application.test_request_context(headers={"Cookie": header}):
        return answer_cookie.load(request)


def saved_answers(client: FlaskClient) -> dict[str, Any]:
    return saved(client).answers


def give(client: FlaskClient, answers: dict[str, Any] | str, *,
         marked: list[str] | None = None, only_funded: bool = False) -> None:
    """Put answers in the client's cookie: a dict, or JSON text exactly as given (to see how
    content the site never writes, but a stolen key could, is read)."""
    text = answers if isinstance(answers, str) else json.dumps(answers)
    body = (f'{{"marked": {json.dumps(marked or [])}, "only_funded": '
            f'{json.dumps(only_funded)}, "shown": null, "answers": {text}}}')
    with client.application.test_request_context():
        token = answer_cookie._cipher().encrypt(zlib.compress(body.encode("utf-8", "surrogatepass"))).decode()
    parts = [token[i:i + answer_cookie.PART_SIZE]
             for i in range(0, len(token), answer_cookie.PART_SIZE)]
    for number in range(answer_cookie.MAX_PARTS):
        name = answer_cookie._name(number)
        if number < len(parts):
            client.set_cookie(name, parts[number])
        else:
            client.delete_cookie(name)
