"""The match result as the JSON of design.md §6 (keys are a public contract).

Reason texts are rendered by the caller's `render(reason, lang)` (matcher.data.reasons.render):
the engine holds message keys, never sentences.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from matcher.engine.model import Funding, MatchResult, Path, Reason, Route, SessionChoice

__all__ = ["result_to_json"]


Render = Callable[[Reason, str], str]


def _reason(reason: Reason, lang: str, render: Render) -> dict[str, Any]:
    return {"kind": reason.kind, "text": render(reason, lang),
            "text_da": render(reason, "da"), "text_en": render(reason, "en"),
            "source": reason.source, "period": reason.period}


def _funding(funding: Funding, lang: str, render: Render) -> dict[str, Any]:
    return {"scheme": funding.scheme, "eligible": funding.eligible,
            "amount_dkk": None if funding.amount_dkk is None else round(funding.amount_dkk),
            "reasons": [_reason(r, lang, render) for r in funding.reasons]}


def _title(da: str, en: str | None, lang: str) -> str:
    return (en or da) if lang == "en" else da


def _session(session: SessionChoice | None) -> dict[str, Any] | None:
    if session is None:
        return None
    return {"code": session.code, "start": session.start.isoformat(),
            "end": session.end.isoformat(), "postcode": session.postcode,
            "distance_km": session.distance_km}


def _path(p: Path, lang: str, render: Render) -> dict[str, Any]:
    return {
        "target": p.target, "total_days": p.total_days, "covered_share": p.covered_share,
        "completion_date": p.completion_date.isoformat() if p.completion_date else None,
        "cost_dkk": round(p.cost_dkk),
        "steps": [{"course": s.course, "title": _title(s.title_da, s.title_en, lang),
                   "session": s.session, "start": s.start.isoformat(),
                   "end": s.end.isoformat(), "days": s.days, "cost_dkk": round(s.cost_dkk),
                   "funding": [_funding(f, lang, render) for f in s.funding]} for s in p.steps],
        "reasons": [_reason(r, lang, render) for r in p.reasons]}


def _route(r: Route, lang: str, render: Render) -> dict[str, Any]:
    return {"target": r.target, "target_title": _title(r.target_title_da, r.target_title_en, lang),
            "course": r.course, "title": _title(r.title_da, r.title_en, lang), "kind": r.kind,
            "provider": r.provider, "education": r.education, "duration_days": r.duration_days,
            "track": r.track, "session": _session(r.session), "assessment": r.assessment,
            "cost_dkk": round(r.cost_dkk), "funding": [_funding(f, lang, render) for f in r.funding],
            "reasons": [_reason(x, lang, render) for x in r.reasons]}


def result_to_json(result: MatchResult, *, lang: str = "da", render: Render) -> dict[str, Any]:
    """The result as JSON in lang; every reason also in Danish and English (text_da, text_en)."""
    return {
        "today": result.today.isoformat(),
        "area": result.area,
        "period": result.period,
        "occupations": [{
            "code": o.code, "title": _title(o.title_da, o.title_en, lang),
            "shortage": o.shortage, "period": o.period, "proximity": o.proximity,
            "score": round(o.score, 1), "missing_skills": list(o.missing_skills),
            "needs_education": o.needs_route, "level": o.level,
            "reasons": [_reason(r, lang, render) for r in o.reasons]} for o in result.occupations],
        "courses": [{
            "code": c.code, "title": _title(c.title_da, c.title_en, lang), "kind": c.kind,
            "provider": c.provider, "score": c.score, "distance_km": c.distance_km,
            "session": None if c.session is None else {
                "code": c.session.code, "start": c.session.start.isoformat(),
                "end": c.session.end.isoformat(), "postcode": c.session.postcode},
            "targets": list(c.targets), "skills": list(c.skills), "cost_dkk": round(c.cost_dkk),
            "funding": [_funding(f, lang, render) for f in c.funding],
            "reasons": [_reason(r, lang, render) for r in c.reasons],
            "other_places": [{"course": o.course, "provider": o.provider,
                              "session": _session(o.session)} for o in c.other_places],
        } for c in result.courses],
        "near_misses": [{
            "code": n.code, "title": _title(n.title_da, n.title_en, lang),
            "constraint": n.constraint,
            "reasons": [_reason(r, lang, render) for r in n.reasons]} for n in result.near_misses],
        "paths": [_path(p, lang, render) for p in result.paths],
        "asked": [{
            "code": a.code, "title": _title(a.title_da, a.title_en, lang), "status": a.status,
            "shortage": a.shortage, "period": a.period, "proximity": a.proximity,
            "level": a.level, "missing_skills": list(a.missing_skills),
            "route": None if a.route is None else _route(a.route, lang, render),
            "path": None if a.path is None else _path(a.path, lang, render),
            "reasons": [_reason(r, lang, render) for r in a.reasons]} for a in result.asked],
        "routes": [_route(r, lang, render) for r in result.routes],
        "notices": [_reason(n, lang, render) for n in result.notices],
    }
