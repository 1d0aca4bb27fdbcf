"""The JSON API under /api/v1: match a profile, suggest labels, and its OpenAPI document.

Every answer is JSON, errors included ({"errors": [{"field", "message", "message_da",
"message_en"}]}), and carries Cache-Control: no-store because profiles are personal.
The request body is never logged. Clients send no CSRF token: the blueprint is exempt
(see create_app), which is safe because nothing here changes state or reads a cookie.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from flask import Blueprint, Response, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from matcher.data.course_search import find_courses, first_bookable_day
from matcher.data.matching import check_profile, current_index, match_profile, suggest_labels, today_from
from matcher.data.reasons import render
from matcher.engine.fields import Field, by_name
from matcher.engine.output import result_to_json
from matcher.engine.profile import ProfileError, ProfileInvalid
from matcher.web import openapi
from matcher.web.access import public
from matcher.web.course_query import read_course_query
from matcher.web.courses import search_json
from matcher.web.query_params import LANG, MATCH_PARAMS, SUGGEST_PARAMS, parse
from matcher.web.rate_limits import per_address

bp = Blueprint("api", __name__, url_prefix="/api/v1")

MATCH = by_name(MATCH_PARAMS)
SUGGEST = by_name(SUGGEST_PARAMS)
MAX_ERRORS = 100  # a body of 100,000 unknown keys must not answer with 100,000 errors
MAX_FIELD_NAME = 100  # unknown keys are echoed back, shortened


class ApiProblem(Exception):
    """A request the API answers with an error status and field errors instead of a result.

    Errors are ProfileError triples (field, Danish, English), query parameters included.
    """

    def __init__(self, status: int, errors: Iterable[ProfileError],
                 headers: Mapping[str, str] | None = None) -> None:
        super().__init__(status)
        self.status = status
        self.errors = tuple(errors)
        self.headers = dict(headers or {})


@bp.post("/match")
@public
@per_address("API_RATE_LIMIT")
def match() -> ResponseReturnValue:
    lang = _language()
    limit = _limit(MATCH["limit"])
    raw = _json_body()
    _require_catalogue()
    try:
        profile = check_profile(raw)
    except ProfileInvalid as invalid:
        raise ApiProblem(400, invalid.errors) from None
    result = match_profile(profile, today=today_from(None), limit=limit)
    return jsonify(result_to_json(result, lang=lang, render=render))


@bp.get("/suggest")
@public
@per_address("SUGGEST_RATE_LIMIT")
def suggest() -> ResponseReturnValue:
    lang = _language()
    limit = _limit(SUGGEST["limit"])
    kind = _kind(SUGGEST["kind"])
    query = _query(SUGGEST["q"])
    _require_catalogue()
    found = suggest_labels(query, kind=kind, limit=limit)
    return jsonify({"query": query, "results": [{
        "kind": s.kind, "code": s.code,
        "label": (s.label_en or s.label_da) if lang == "en" else s.label_da,
        "label_da": s.label_da, "label_en": s.label_en, "matched": s.matched,
        "score": round(s.score, 1)} for s in found]})


@bp.get("/courses")
@public
@per_address("API_RATE_LIMIT")
def courses() -> ResponseReturnValue:
    """The course search of /kurser with the same parameters, one page of hits."""
    lang = _language()
    index = current_index()
    first_day = first_bookable_day()
    query, problems = read_course_query(request.args, index=index, first_day=first_day,
                                        api=True)
    if problems:
        raise ApiProblem(400, problems)
    _require_catalogue()
    hits = find_courses(query.text, query.filters, lang=lang, payer=query.payer)
    return jsonify(search_json(index, hits, page=query.page, per_page=query.per_page,
                               first_day=first_day, lang=lang))


@bp.get("/openapi.json")
@public
def openapi_document() -> ResponseReturnValue:
    return jsonify(openapi.DOCUMENT)


@bp.after_request
def _api_headers(response: Response) -> Response:
    return _personal(response)


@bp.errorhandler(ApiProblem)
def _problem(problem: ApiProblem) -> ResponseReturnValue:
    return error_response(problem.status, problem.errors, headers=problem.headers)


# --- reading the request ------------------------------------------------------------------


def _language() -> str:
    value = request.args.get(LANG.name, str(LANG.default))
    if parse(LANG, value) is None:
        choices = ", ".join(map(str, LANG.enum))
        raise ApiProblem(400, [ProfileError(LANG.name,
                                            f"{_show(value)} er ikke et af: {choices}",
                                            f"{_show(value)} is not one of: {choices}")])
    return value


def _limit(spec: Field) -> int:
    value = request.args.get(spec.name)
    if value is None:
        return int(spec.default or 0)
    found = parse(spec, value)
    if not isinstance(found, int):
        low, high = spec.minimum, spec.maximum
        raise ApiProblem(400, [ProfileError(
            spec.name, f"skal være et helt tal mellem {low} og {high}",
            f"must be a whole number between {low} and {high}")])
    return found


def _kind(spec: Field) -> str | None:
    value = request.args.get(spec.name)
    if value is None:
        return None
    if parse(spec, value) is None:
        choices = ", ".join(map(str, spec.enum))
        raise ApiProblem(400, [ProfileError(
            spec.name, f"{_show(value)} er ikke et af: {choices}",
            f"{_show(value)} is not one of: {choices}")])
    return value


def _query(spec: Field) -> str:
    value = request.args.get(spec.name)
    if not value:
        raise ApiProblem(400, [ProfileError(spec.name, "skal udfyldes", "is required")])
    if parse(spec, value) is None:
        most = spec.max_length
        raise ApiProblem(400, [ProfileError(
            spec.name, f"må højst være {most} tegn", f"may be at most {most} characters")])
    return value


def _json_body() -> object:
    """The parsed body; reading it past MAX_CONTENT_LENGTH raises 413 (errors.py answers)."""
    if not request.is_json:
        raise ApiProblem(400, [ProfileError(
            "", "Send profilen som JSON (Content-Type: application/json)",
            "Send the profile as JSON (Content-Type: application/json)")])
    try:
        return json.loads(request.get_data(cache=False), parse_float=_number,
                          parse_constant=_reject_constant)
    except (ValueError, RecursionError):  # RecursionError: "[[[[..." nested too deep
        raise ApiProblem(400, [ProfileError("", "Indholdet er ikke gyldig JSON",
                                            "The body is not valid JSON")]) from None


def _number(text: str) -> float | int:
    """JSON has one number type (RFC 8259 §6): 34.0 is the whole number 34, as the spec says."""
    value = float(text)
    return int(value) if value.is_integer() else value


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")  # Python's json accepts NaN and Infinity; JSON does not


def _require_catalogue() -> None:
    if not current_index().occupations:
        raise ApiProblem(503, [ProfileError(
            "", "Der er endnu ikke indlæst et kursuskatalog. Prøv igen senere.",
            "No course catalogue has been loaded yet. Please try again later.")],
            headers={"Retry-After": "60"})


def _show(value: str) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


# --- answering with errors (also used by errors.py for every error under /api/v1) ---------


def is_api_request() -> bool:
    prefix = bp.url_prefix or ""
    return request.path == prefix or request.path.startswith(prefix + "/")


def error_response(status: int, errors: Iterable[ProfileError], *,
                   headers: Mapping[str, str] | None = None,
                   reference: str | None = None) -> Response:
    """The Error document: one entry per field, messages in the request's language."""
    lang = request.args.get("lang")
    seen: set[str] = set()
    listed = []
    for error in errors:
        if error.field in seen:
            continue
        seen.add(error.field)
        field = error.field if len(error.field) <= MAX_FIELD_NAME else (
            error.field[:MAX_FIELD_NAME - 3] + "...")
        listed.append({"field": field, "message": error.en if lang == "en" else error.da,
                       "message_da": error.da, "message_en": error.en})
    body: dict[str, object] = {"errors": listed[:MAX_ERRORS]}
    if reference is not None:
        body["reference"] = reference
    response = jsonify(body)
    response.status_code = status
    response.headers.update(headers or {})
    return _personal(response)


def _personal(response: Response) -> Response:
    """Never cached (profiles are personal); never sniffed as HTML (answers echo input)."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


_HTTP_MESSAGES = {
    400: ("Forespørgslen kunne ikke forstås.", "The request could not be understood."),
    404: ("Adressen findes ikke i API'et. Se /api/v1/openapi.json.",
          "There is no such address in the API. See /api/v1/openapi.json."),
    405: ("Metoden kan ikke bruges på denne adresse.", "The method is not allowed at this address."),
    429: ("For mange forespørgsler fra din adresse. Vent lidt (se Retry-After), og prøv igen.",
          "Too many requests from your address. Wait a little (see Retry-After) and try again."),
}


def http_error(error: HTTPException) -> Response:
    """A 4xx raised by Flask or Werkzeug (unknown address, wrong method, body too large)."""
    code = error.code or 400
    headers = {}
    if code == 413:
        size = (current_app.config.get("MAX_CONTENT_LENGTH") or 0) // 1024
        da, en = (f"Forespørgslen er for stor (højst {size} kB).",
                  f"The request is too large (at most {size} kB).")
    else:
        da, en = _HTTP_MESSAGES.get(code, ("Forespørgslen blev afvist.",
                                           f"The request was refused ({error.name})."))
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    return error_response(code, [ProfileError("", da, en)], headers=headers)


def server_error(reference: str) -> Response:
    return error_response(500, [ProfileError(
        "", f"Der skete en fejl hos os. Oplys referencen {reference}, hvis du kontakter os.",
        f"Something went wrong on our side. Quote the reference {reference} if you contact us.")],
        reference=reference)


def service_unavailable(reference: str) -> Response:
    return error_response(503, [ProfileError(
        "", f"Tjenesten er midlertidigt utilgængelig. Prøv igen om lidt (reference {reference}).",
        f"The service is temporarily unavailable. Please try again shortly (reference "
        f"{reference}).")], headers={"Retry-After": "60"}, reference=reference)
