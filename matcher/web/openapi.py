"""The OpenAPI 3.1 document of /api/v1 (tests prove it against responses).

What a request may hold is not written here: the profile schema is rendered from the
fields validate_profile checks (matcher.engine.fields) and the query parameters from the
declarations the readers parse (matcher.web.query_params), so the document and the
validation cannot drift. The result schemas mirror matcher.engine.output.result_to_json.
Result objects may gain keys (design.md §6: "add keys freely"), so clients must ignore keys
they do not know.
"""

from __future__ import annotations

from typing import Any, Final

from matcher.data.models import COURSE_KINDS
from matcher.engine.courses import CONSTRAINTS
from matcher.engine.fields import PROFILE_FIELDS, Field
from matcher.engine.model import FUNDING_SCHEMES, SCHEDULES, SHORTAGE_ORDER
from matcher.engine.profile import ADULT_AGE, ADULT_BENEFITS
from matcher.web.query_params import COURSE_PARAMS, LANG, MATCH_PARAMS, SUGGEST_PARAMS

JSON = "application/json"
Schema = dict[str, Any]

CODE = {"type": "string", "minLength": 1, "maxLength": 80,
        "description": "A catalogue code (course_catalog/, design.md §4)."}
DATE = {"type": "string", "format": "date"}
TEXT = {"type": "string"}
TEXT_OR_NULL = {"type": ["string", "null"]}


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _array(items: Schema, **extra: Any) -> Schema:
    return {"type": "array", "items": items, **extra}


def _object(properties: dict[str, Schema], description: str, *,
            required: tuple[str, ...] | None = None) -> Schema:
    """A result object: every listed key is always present (null where the text says)."""
    return {"type": "object", "description": description,
            "required": list(properties if required is None else required),
            "properties": properties}


def _optional(schema: Schema) -> Schema:
    """An optional profile field: null means the same as leaving the key out."""
    kind = schema["type"]
    nullable = {**schema, "type": [kind, "null"]}
    if "enum" in schema:
        nullable["enum"] = [*schema["enum"], None]
    return nullable


# --- requests: rendered from the declarations the validators read ----------------------------

_KEYWORDS = (("minimum", "minimum"), ("maximum", "maximum"), ("pattern", "pattern"),
             ("min_length", "minLength"), ("max_length", "maxLength"),
             ("min_items", "minItems"), ("max_items", "maxItems"), ("default", "default"))


def schema_of(field: Field) -> Schema:
    """The JSON Schema of one declared field; an object item is a $ref to its component."""
    schema: Schema = {"type": field.type}
    if field.enum:
        schema["enum"] = list(field.enum)
    for attribute, keyword in _KEYWORDS:
        value = getattr(field, attribute)
        if value is not None:
            schema[keyword] = value
    if field.items is not None:
        schema["items"] = (_ref(field.items.name) if field.items.type == "object"
                           else schema_of(field.items))
    if field.type == "object":
        schema.update({"required": [f.name for f in field.fields if f.required],
                       "additionalProperties": False,
                       "properties": {f.name: schema_of(f) for f in field.fields}})
    if field.description:
        schema["description"] = field.description
    return schema


def body_schema(fields: tuple[Field, ...]) -> Schema:
    """A JSON body of these keys and no others; an optional key may also be null."""
    return {"type": "object",
            "required": [f.name for f in fields if f.required],
            "additionalProperties": False,
            "properties": {f.name: schema_of(f) if f.required else _optional(schema_of(f))
                           for f in fields}}


def query_parameter(field: Field) -> Schema:
    """One query parameter; a list is the parameter repeated (form style, exploded)."""
    schema = schema_of(field)
    parameter: Schema = {"name": field.name, "in": "query", "required": field.required,
                         "schema": schema, "description": schema.pop("description", "")}
    if field.type == "array":
        parameter.update({"style": "form", "explode": True})
    return parameter


def _most(declared: tuple[Field, ...]) -> int | float | None:
    """The largest limit a client may ask for: no page of results is longer."""
    return next(f.maximum for f in declared if f.name == "limit")


# --- the profile (design.md §6; checked by matcher.engine.profile) ----------------------------

PROFILE: Schema = {
    **body_schema(PROFILE_FIELDS),
    "description": "A citizen's situation. Only status, age and education_level are required; "
                   "an optional key may also be null, which means the same as leaving it out. "
                   "Codes must exist in the loaded catalogue, or the field gets an error. "
                   "Impossible combinations are refused on the field to correct: a benefit "
                   "under 18, ledighedsydelse without the status fleksjob_unemployed (both "
                   "below), unemployed_weeks longer than the weeks since the age of 15, and a "
                   "named education above education_level.",
    "allOf": [
        {"if": {"required": ["benefit"], "properties": {"benefit": {"enum": list(ADULT_BENEFITS)}}},
         "then": {"properties": {"age": {"minimum": ADULT_AGE}}}},
        {"if": {"required": ["benefit"], "properties": {"benefit": {"const": "ledighedsydelse"}}},
         "then": {"properties": {"status": {"const": "fleksjob_unemployed"}}}},
    ],
}
PAST_JOB = schema_of(next(f.items for f in PROFILE_FIELDS if f.name == "occupations" and f.items))

# --- the result (design.md §6; written by matcher.engine.output) -----------------------------

REASON = _object({
    "kind": {**TEXT, "description": "What the reason is about, e.g. shortage, proximity, "
                                    "missing, session, or a funding scheme."},
    "text": {**TEXT, "description": "In the requested language."},
    "text_da": TEXT,
    "text_en": TEXT,
    "source": {**TEXT_OR_NULL, "description": "The source of a cited fact (a URL or 'demo')."},
    "period": {**TEXT_OR_NULL, "description": "The period of a cited fact, e.g. 2026H2."},
}, "Why an item is listed or what a funding answer rests on.")

SESSION = _object({
    "code": TEXT, "start": DATE, "end": DATE, "postcode": TEXT_OR_NULL,
}, "The next session that fits.")

FUNDING = _object({
    "scheme": {"type": "string", "enum": list(FUNDING_SCHEMES)},
    "eligible": {"enum": [True, False, "maybe"],
                 "description": '"maybe": the profile lacks something the rule needs; the '
                                "reasons say what. Always guidance: the a-kasse or job centre "
                                "decides."},
    "amount_dkk": {"type": ["integer", "null"], "minimum": 0},
    "reasons": _array(_ref("Reason")),
}, "One funding scheme's answer for this person and course.")

OCCUPATION_MATCH = _object({
    "code": TEXT,
    "title": TEXT,
    "shortage": {"enum": [*SHORTAGE_ORDER, None],
                 "description": "The shortage category in the person's RAR area (null: unknown)."},
    "period": TEXT_OR_NULL,
    "proximity": {"type": "number", "minimum": 0, "maximum": 1},
    "score": {"type": "number", "minimum": 0, "maximum": 100},
    "missing_skills": _array(TEXT),
    "needs_education": {"type": "boolean",
                        "description": "Reachable only through a vocational route or education."},
    "level": {**TEXT_OR_NULL, "description": "The education level code the occupation needs."},
    "reasons": _array(_ref("Reason")),
}, "An occupation the person could move into, best first.")

COURSE_MATCH = _object({
    "code": TEXT,
    "title": TEXT,
    "kind": {"type": "string", "enum": list(COURSE_KINDS)},
    "provider": TEXT,
    "score": {"type": "number", "minimum": 0, "maximum": 100},
    "distance_km": {"type": ["number", "null"], "minimum": 0,
                    "description": "null for online courses."},
    "session": {"anyOf": [_ref("Session"), {"type": "null"}]},
    "targets": _array(TEXT, description="Occupation codes the course moves the person towards."),
    "skills": _array(TEXT),
    "cost_dkk": {"type": "integer", "minimum": 0, "description": "The price to this person."},
    "funding": _array(_ref("Funding")),
    "reasons": _array(_ref("Reason")),
    "other_places": _array(_ref("OtherPlace"),
                           description="The same course at other providers or earlier sessions."),
}, "A feasible course for this person, best first.")

PLACED_SESSION = _object({
    "code": TEXT, "start": DATE, "end": DATE, "postcode": TEXT_OR_NULL,
    "distance_km": {"type": ["number", "null"], "minimum": 0},
}, "A session with its distance from the person (null: online or unknown).")

OTHER_PLACE = _object({
    "course": TEXT, "provider": TEXT, "session": _ref("PlacedSession"),
}, "The same course (same kind and title) offered elsewhere or earlier.")

ROUTE = _object({
    "target": {**TEXT, "description": "The occupation code the education makes you skilled for."},
    "target_title": TEXT,
    "course": TEXT,
    "title": TEXT,
    "kind": {"type": "string", "description": "euv, voksenlaerling, eud or a higher education."},
    "provider": TEXT,
    "education": {**TEXT_OR_NULL, "description": "A code from educations.csv."},
    "duration_days": {"type": "number", "minimum": 0},
    "track": {"enum": ["euv1", "euv2", "euv3", None],
              "description": "The EUV track, set after a competence assessment."},
    "session": {"anyOf": [_ref("PlacedSession"), {"type": "null"}]},
    "assessment": {**TEXT_OR_NULL, "description": "An IKV course code to take first."},
    "cost_dkk": {"type": "integer", "minimum": 0},
    "funding": _array(_ref("Funding")),
    "reasons": _array(_ref("Reason"), description='Includes a "pay" reason: what the person '
                                                  "lives on during the education."),
}, "An education that makes the person skilled or qualified for an occupation, best first.")

ASKED = _object({
    "code": TEXT,
    "title": TEXT,
    "status": {"type": "string", "enum": ["open", "needs_route", "out_of_reach"]},
    "shortage": {"enum": [*SHORTAGE_ORDER, None]},
    "period": TEXT_OR_NULL,
    "proximity": {"type": "number", "minimum": 0, "maximum": 1},
    "level": TEXT_OR_NULL,
    "missing_skills": _array(TEXT),
    "route": {"anyOf": [_ref("Route"), {"type": "null"}]},
    "path": {"anyOf": [_ref("Path"), {"type": "null"}]},
    "reasons": _array(_ref("Reason")),
}, "The answer to one interest, in the order the interests were given.")

NEAR_MISS = _object({
    "code": TEXT,
    "title": TEXT,
    "constraint": {"type": "string", "enum": list(CONSTRAINTS),
                   "description": "The one constraint the course fails."},
    "reasons": _array(_ref("Reason")),
}, "A course that would fit but for one constraint.")

PATH_STEP = _object({
    "course": TEXT, "title": TEXT, "session": TEXT, "start": DATE, "end": DATE,
    "days": {"type": "number", "minimum": 0},
    "cost_dkk": {"type": "integer", "minimum": 0},
    "funding": _array(_ref("Funding")),
}, "One dated session of a path.")

PATH = _object({
    "target": {**TEXT, "description": "The occupation code the path leads to."},
    "total_days": {"type": "number", "minimum": 0},
    "covered_share": {"type": "number", "minimum": 0, "maximum": 1},
    "completion_date": {"anyOf": [DATE, {"type": "null"}]},
    "cost_dkk": {"type": "integer", "minimum": 0},
    "steps": _array(_ref("PathStep")),
    "reasons": _array(_ref("Reason")),
}, "Sessions in time order that close most of an occupation's missing skills.")

MATCH_RESULT = _object({
    "today": DATE,
    "area": {**TEXT_OR_NULL, "description": "The person's RAR area code."},
    "period": {**TEXT_OR_NULL, "description": "The newest shortage period of that area."},
    "occupations": _array(_ref("OccupationMatch")),
    "courses": _array(_ref("CourseMatch")),
    "near_misses": _array(_ref("NearMiss")),
    "paths": _array(_ref("Path")),
    "asked": _array(_ref("Asked"), description="One answer per interest, in the order given."),
    "routes": _array(_ref("Route")),
    "notices": _array(_ref("Reason"), description="Kinds include too_little_information, "
                                                  "outside_home_area and rules_not_published."),
}, "Ranked lists (design.md §6), each item with its reasons.")

SUGGESTION = _object({
    "kind": {"type": "string", "enum": ["occupation", "skill", "education"]},
    "code": TEXT,
    "label": {**TEXT, "description": "In the requested language (Danish when no English)."},
    "label_da": TEXT,
    "label_en": TEXT_OR_NULL,
    "matched": {**TEXT, "description": "The title, label or alias that matched."},
    "score": {"type": "number", "minimum": 0, "maximum": 100},
}, "An occupation or skill whose label or alias matches the query.")

SUGGEST_RESULT = _object({
    "query": TEXT,
    "results": _array(_ref("Suggestion"), maxItems=_most(SUGGEST_PARAMS)),
}, "Matches best first, at most limit of them.")

COURSE_SESSION = _object({
    "code": TEXT,
    "start": DATE,
    "end": DATE,
    "postcode": {**TEXT_OR_NULL, "description": "Where it is taught; null online."},
    "place": {**TEXT_OR_NULL, "description": "The postcode's town, when known."},
    "distance_km": {"type": ["number", "null"], "minimum": 0,
                    "description": "From the postcode searched from; null online or without "
                                   "a postcode."},
}, "The course's first session that can be booked and passes the filters.")

COURSE_HIT = _object({
    "code": TEXT,
    "title": {**TEXT, "description": "In the requested language (Danish when no English)."},
    "title_da": TEXT,
    "title_en": TEXT_OR_NULL,
    "kind": {"type": "string", "enum": list(COURSE_KINDS)},
    "provider": {**TEXT, "description": "The provider's code."},
    "provider_name": TEXT,
    "schedule": {"type": ["string", "null"], "enum": [*SCHEDULES, None]},
    "delivery": TEXT_OR_NULL,
    "price_dkk": {"type": ["integer", "null"], "minimum": 0},
    "fee_target_group_dkk": {"type": ["integer", "null"], "minimum": 0,
                             "description": "What the AMU target group pays instead."},
    "demo": {"type": "boolean", "description": "Invented demonstration data."},
    "score": {"type": "number", "minimum": 0, "maximum": 100,
              "description": "How well the text matched (100 when no q)."},
    "url": {**TEXT, "description": "The course's page on this site."},
    "session": _ref("CourseSession"),
    "may_pay": {"type": ["array", "null"], "items": {"type": "string",
                                                     "enum": list(FUNDING_SCHEMES)},
                "description": "With paid=true: the schemes that may pay for the course, or "
                               "towards it, for a person with the quick answers (never empty). "
                               "null without paid."},
}, "A course found: one per course, with its first matching session.")

COURSE_SEARCH_RESULT = _object({
    "total": {"type": "integer", "minimum": 0, "description": "Courses found on all pages."},
    "page": {"type": "integer", "minimum": 1},
    "per_page": {"type": "integer", "minimum": 1, "maximum": _most(COURSE_PARAMS)},
    "pages": {"type": "integer", "minimum": 1},
    "first_bookable_day": {**DATE, "description": "Today plus the lead time to apply: only "
                                                  "sessions starting then or later count."},
    "results": _array(_ref("CourseHit"), maxItems=_most(COURSE_PARAMS)),
}, "One page of courses, best match first (then first start, title and code).")

FIELD_ERROR = _object({
    "field": {**TEXT, "description": 'The profile key or query parameter ("" for the request '
                                     'as a whole); list items as skills[0], occupations[1].code.'},
    "message": {**TEXT, "description": "In the requested language."},
    "message_da": TEXT,
    "message_en": TEXT,
}, "What is wrong with one field.")

ERROR = _object({
    "errors": _array(_ref("FieldError"), minItems=1, maxItems=100,
                     description="One entry per field."),
    "reference": {**TEXT, "description": "Quote it when reporting a server error."},
}, "Every error answer of the API.", required=("errors",))

# --- examples -------------------------------------------------------------------------------

PROFILE_EXAMPLE = {
    "status": "unemployed", "benefit": "dagpenge", "unemployed_weeks": 8, "age": 34,
    "education_level": "grundskole", "postcode": "7400",
    "occupations": [{"code": "lagermedarbejder", "years": 1}], "skills": ["truckcertifikat_b"],
    "schedule": ["day", "evening"], "max_distance_km": 40,
}
MINIMAL_PROFILE_EXAMPLE = {"status": "employed", "age": 45, "education_level": "eud"}

_SHORTAGE_REASON = {
    "kind": "shortage", "text": "RAR Vestjylland har mangel på arbejdskraft (2026H2).",
    "text_da": "RAR Vestjylland har mangel på arbejdskraft (2026H2).",
    "text_en": "RAR Vestjylland has a labour shortage (2026H2).", "source": "demo",
    "period": "2026H2"}
_AMU_FEE = {
    "scheme": "amu_fee", "eligible": True, "amount_dkk": 900, "reasons": [{
        "kind": "amu_fee", "text": "Du betaler deltagerbetaling på 900 kr.",
        "text_da": "Du betaler deltagerbetaling på 900 kr.",
        "text_en": "You pay a participant fee of DKK 900.",
        "source": "https://www.uvm.dk/arbejdsmarkedsuddannelser", "period": None}]}
_BEFORDRING = {
    "scheme": "befordring", "eligible": "maybe", "amount_dkk": None, "reasons": [{
        "kind": "missing", "text": "Oplys dit postnummer, så vi kan regne afstanden ud.",
        "text_da": "Oplys dit postnummer, så vi kan regne afstanden ud.",
        "text_en": "Tell us your postcode so we can work out the distance.",
        "source": None, "period": None}]}

MATCH_RESULT_EXAMPLE = {
    "today": "2026-12-01", "area": "VESTJ", "period": "2026H2",
    "occupations": [{
        "code": "lagermedarbejder", "title": "Lagermedarbejder", "shortage": "mangel",
        "period": "2026H2", "proximity": 0.5, "score": 61.5, "missing_skills": ["lagerstyring"],
        "needs_education": False, "level": "grundskole", "reasons": [_SHORTAGE_REASON]}],
    "courses": [{
        "code": "c_lager", "title": "Akademimodul: Lagerstyring", "kind": "akademi",
        "provider": "Demo Akademi Aarhus", "score": 42.1, "distance_km": None,
        "session": {"code": "c_lager-01", "start": "2027-02-02", "end": "2027-04-06",
                    "postcode": "8000"},
        "targets": ["lagermedarbejder"], "skills": ["lagerstyring"], "cost_dkk": 9000,
        "funding": [_BEFORDRING], "reasons": [], "other_places": []}],
    "near_misses": [{
        "code": "c_svejs", "title": "MAG-svejsning", "constraint": "full", "reasons": [{
            "kind": "full", "text": "Holdet er fuldt booket.",
            "text_da": "Holdet er fuldt booket.", "text_en": "The session is fully booked.",
            "source": None, "period": None}]}],
    "paths": [{
        "target": "lagermedarbejder", "total_days": 5.0, "covered_share": 1.0,
        "completion_date": "2027-01-15", "cost_dkk": 900,
        "steps": [{"course": "c_truck", "title": "Truckcertifikat B", "session": "c_truck-01",
                   "start": "2027-01-11", "end": "2027-01-15", "days": 5.0, "cost_dkk": 900,
                   "funding": [_AMU_FEE]}],
        "reasons": []}],
    "asked": [], "routes": [], "notices": [],
}

SUGGEST_EXAMPLE = {"query": "lager", "results": [
    {"kind": "skill", "code": "lagerstyring", "label": "Lagerstyring", "label_da": "Lagerstyring",
     "label_en": "Warehouse management", "matched": "lager", "score": 100.0},
    {"kind": "occupation", "code": "lagermedarbejder", "label": "Lagermedarbejder",
     "label_da": "Lagermedarbejder", "label_en": "Warehouse worker", "matched": "lagerarbejder",
     "score": 98.0}]}

_TRUCK_HIT = {
    "code": "c_truck", "title": "Truckcertifikat B", "title_da": "Truckcertifikat B",
    "title_en": "Forklift licence B", "kind": "amu", "provider": "p_herning",
    "provider_name": "Demo Kursuscenter Herning", "schedule": "day", "delivery": "presence",
    "price_dkk": 6000, "fee_target_group_dkk": 900, "demo": True, "score": 99.2,
    "url": "/kurser/c_truck",
    "session": {"code": "c_truck-01", "start": "2027-01-11", "end": "2027-01-15",
                "postcode": "7400", "place": "Herning", "distance_km": 0.0},
    "may_pay": None}
COURSES_EXAMPLE = {"total": 1, "page": 1, "per_page": 20, "pages": 1,
                   "first_bookable_day": "2026-12-15", "results": [_TRUCK_HIT]}
# ?q=truck&paid=true&status=unemployed&benefit=dagpenge
PAID_COURSES_EXAMPLE = {**COURSES_EXAMPLE, "results": [
    {**_TRUCK_HIT, "may_pay": ["seks_uger", "regional_pulje", "befordring", "amu_fee"]}]}

INVALID_PROFILE_EXAMPLE = {"errors": [
    {"field": "age", "message": "skal være mellem 15 og 80",
     "message_da": "skal være mellem 15 og 80", "message_en": "must be between 15 and 80"},
    {"field": "skills[0]", "message": "'svejs' er ikke en kendt kompetence",
     "message_da": "'svejs' er ikke en kendt kompetence",
     "message_en": "'svejs' is not a known skill"}]}

# --- the document ---------------------------------------------------------------------------


def _error_response(description: str, *, retry: bool = False,
                    example: dict[str, Any] | None = None) -> Schema:
    headers: dict[str, Any] = {"Cache-Control": {"$ref": "#/components/headers/CacheControl"}}
    if retry:
        headers["Retry-After"] = {"$ref": "#/components/headers/RetryAfter"}
    content: Schema = {"schema": _ref("Error")}
    if example is not None:
        content["examples"] = {"example": {"value": example}}
    return {"description": description, "headers": headers, "content": {JSON: content}}


def _too_many() -> Schema:
    """A per-address limit (matcher.web.rate_limits) was reached."""
    return _error_response(
        "Too many requests from this address (per-address limits); wait the seconds in "
        "Retry-After and try again", retry=True, example=_one_error(
            "", "For mange forespørgsler fra din adresse. Vent lidt (se Retry-After), og prøv "
            "igen.", "Too many requests from your address. Wait a little (see Retry-After) and "
            "try again."))


def _ok(description: str, schema: Schema, examples: dict[str, Any]) -> Schema:
    return {"description": description,
            "headers": {"Cache-Control": {"$ref": "#/components/headers/CacheControl"}},
            "content": {JSON: {"schema": schema, "examples": examples}}}


def _one_error(field: str, da: str, en: str) -> dict[str, Any]:
    return {"errors": [{"field": field, "message": da, "message_da": da, "message_en": en}]}


DOCUMENT: Final[dict[str, Any]] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Kompetenceløft API",
        "version": "1.0.0",
        "summary": "Courses and paths from a citizen's situation to jobs in shortage.",
        "description": "Herning Kommune's upskilling matchmaker. No login and nothing is "
                       "stored: profiles are personal, so every answer carries "
                       "Cache-Control: no-store. Funding answers are guidance; the a-kasse or "
                       "job centre decides. Error messages come in Danish and English; `lang` "
                       "picks the one in `message`.",
        "contact": {"name": "Herning Kommune"},
    },
    "servers": [{"url": "/api/v1"}],
    "paths": {
        "/match": {"post": {
            "operationId": "match",
            "summary": "Rank occupations, courses and paths for a profile",
            "parameters": [{"$ref": "#/components/parameters/Lang"},
                           *map(query_parameter, MATCH_PARAMS)],
            "requestBody": {"required": True, "content": {JSON: {
                "schema": _ref("Profile"),
                "examples": {
                    "unemployed": {"summary": "Unemployed warehouse worker in Herning",
                                   "value": PROFILE_EXAMPLE},
                    "minimal": {"summary": "Only the required keys",
                                "value": MINIMAL_PROFILE_EXAMPLE}}}}},
            "responses": {
                "200": _ok("The match result", _ref("MatchResult"),
                           {"result": {"value": MATCH_RESULT_EXAMPLE}}),
                "400": _error_response(
                    "The profile or a parameter is invalid (one error per field), or the body "
                    "is not a JSON object sent as application/json",
                    example=INVALID_PROFILE_EXAMPLE),
                "413": _error_response(
                    "The body is larger than the server accepts (2 MB by default)",
                    example=_one_error("", "Forespørgslen er for stor (højst 2048 kB).",
                                       "The request is too large (at most 2048 kB).")),
                "429": _too_many(),
                "500": _error_response("Unexpected error; the answer has a reference"),
                "503": _error_response(
                    "No catalogue is loaded yet, or the database is unavailable", retry=True,
                    example=_one_error(
                        "", "Der er endnu ikke indlæst et kursuskatalog. Prøv igen senere.",
                        "No course catalogue has been loaded yet. Please try again later.")),
            },
        }},
        "/suggest": {"get": {
            "operationId": "suggest",
            "summary": "Typo-tolerant lookup of occupations and skills (typeahead)",
            "parameters": [
                {"$ref": "#/components/parameters/Lang"}, *map(query_parameter, SUGGEST_PARAMS)],
            "responses": {
                "200": _ok("Matches, best first", _ref("SuggestResult"),
                           {"lager": {"value": SUGGEST_EXAMPLE}}),
                "400": _error_response("A parameter is invalid", example=_one_error(
                    "q", "skal udfyldes", "is required")),
                "429": _too_many(),
                "500": _error_response("Unexpected error; the answer has a reference"),
                "503": _error_response(
                    "No catalogue is loaded yet, or the database is unavailable", retry=True),
            },
        }},
        "/courses": {"get": {
            "operationId": "courses",
            "summary": "Search the courses with a bookable session (the /kurser page)",
            "description": "Typo-tolerant: every word of q must be found in a course's title, "
                           "description, the skills it teaches or the occupations it leads to. "
                           "A word in the title in the language of lang ranks a course above "
                           "one found in its other title, and that above the skills, "
                           "occupations and description. Only sessions that are open and start "
                           "on first_bookable_day or later count. A page past the last one is "
                           "empty. With paid=true, only courses a funding scheme may pay for "
                           "the quick answers (status, benefit, education_level) are listed.",
            "parameters": [
                {"$ref": "#/components/parameters/Lang"}, *map(query_parameter, COURSE_PARAMS)],
            "responses": {
                "200": _ok("One page of courses", _ref("CourseSearchResult"),
                           {"truck": {"value": COURSES_EXAMPLE},
                            "paid": {"summary": "May be paid for an unemployed person on "
                                                "dagpenge", "value": PAID_COURSES_EXAMPLE}}),
                "400": _error_response("A parameter is invalid (one error per parameter)",
                                       example=_one_error(
                                           "postcode", "Vi kender ikke postnummeret 0000. "
                                           "Tjek, at det er skrevet rigtigt.",
                                           "We do not know the postcode 0000. Check that it "
                                           "is written correctly.")),
                "429": _too_many(),
                "500": _error_response("Unexpected error; the answer has a reference"),
                "503": _error_response(
                    "No catalogue is loaded yet, or the database is unavailable", retry=True),
            },
        }},
        "/openapi.json": {"get": {
            "operationId": "openapi",
            "summary": "This document",
            "responses": {"200": _ok(
                "The OpenAPI 3.1 document",
                {"type": "object", "required": ["openapi", "info", "paths", "components"],
                 "properties": {"openapi": {"const": "3.1.0"}}},
                {"document": {"summary": "Shortened", "value": {
                    "openapi": "3.1.0", "info": {"title": "Kompetenceløft API"},
                    "paths": {}, "components": {}}}})},
        }},
    },
    "components": {
        "schemas": {
            "Profile": PROFILE, "PastJob": PAST_JOB,
            "MatchResult": MATCH_RESULT, "OccupationMatch": OCCUPATION_MATCH,
            "CourseMatch": COURSE_MATCH, "Session": SESSION, "Funding": FUNDING,
            "NearMiss": NEAR_MISS, "Path": PATH, "PathStep": PATH_STEP, "Reason": REASON,
            "OtherPlace": OTHER_PLACE, "PlacedSession": PLACED_SESSION, "Route": ROUTE,
            "Asked": ASKED,
            "SuggestResult": SUGGEST_RESULT, "Suggestion": SUGGESTION,
            "CourseSearchResult": COURSE_SEARCH_RESULT, "CourseHit": COURSE_HIT,
            "CourseSession": COURSE_SESSION,
            "Error": ERROR, "FieldError": FIELD_ERROR,
        },
        "parameters": {
            "Lang": query_parameter(LANG),
        },
        "headers": {
            "CacheControl": {"description": "Answers are personal and never cached.",
                             "required": True, "schema": {"type": "string", "const": "no-store"}},
            "RetryAfter": {"description": "Seconds to wait before trying again.",
                           "schema": {"type": "string", "pattern": "^[0-9]+$"}},
        },
    },
}
