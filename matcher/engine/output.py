"""The match result as the JSON of design.md §6 (keys are a public contract)."""

from __future__ import annotations

from typing import Any

from matcher.engine.model import Funding, MatchResult, Reason

__all__ = ["result_to_json"]


def _reason(reason: Reason, lang: str) -> dict[str, Any]:
    return {"kind": reason.kind, "text": reason.en if lang == "en" else reason.da,
            "text_da": reason.da, "text_en": reason.en, "source": reason.source,
            "period": reason.period}


def _funding(funding: Funding, lang: str) -> dict[str, Any]:
    return {"scheme": funding.scheme, "eligible": funding.eligible,
            "amount_dkk": None if funding.amount_dkk is None else round(funding.amount_dkk),
            "reasons": [_reason(r, lang) for r in funding.reasons]}


def _title(da: str, en: str | None, lang: str) -> str:
    return (en or da) if lang == "en" else da


def result_to_json(result: MatchResult, *, lang: str = "da") -> dict[str, Any]:
    return {
        "today": result.today.isoformat(),
        "area": result.area,
        "period": result.period,
        "occupations": [{
            "code": o.code, "title": _title(o.title_da, o.title_en, lang),
            "shortage": o.shortage, "period": o.period, "proximity": o.proximity,
            "score": round(o.score, 1), "missing_skills": list(o.missing_skills),
            "needs_education": o.needs_route,
            "reasons": [_reason(r, lang) for r in o.reasons]} for o in result.occupations],
        "courses": [{
            "code": c.code, "title": _title(c.title_da, c.title_en, lang), "kind": c.kind,
            "provider": c.provider, "score": c.score, "distance_km": c.distance_km,
            "session": None if c.session is None else {
                "code": c.session.code, "start": c.session.start.isoformat(),
                "end": c.session.end.isoformat(), "postcode": c.session.postcode},
            "targets": list(c.targets), "skills": list(c.skills), "cost_dkk": round(c.cost_dkk),
            "funding": [_funding(f, lang) for f in c.funding],
            "reasons": [_reason(r, lang) for r in c.reasons]} for c in result.courses],
        "near_misses": [{
            "code": n.code, "title": _title(n.title_da, n.title_en, lang),
            "constraint": n.constraint,
            "reasons": [_reason(r, lang) for r in n.reasons]} for n in result.near_misses],
        "paths": [{
            "target": p.target, "total_days": p.total_days, "covered_share": p.covered_share,
            "completion_date": p.completion_date.isoformat() if p.completion_date else None,
            "cost_dkk": round(p.cost_dkk),
            "steps": [{"course": s.course, "title": _title(s.title_da, s.title_en, lang),
                       "session": s.session, "start": s.start.isoformat(),
                       "end": s.end.isoformat(), "days": s.days, "cost_dkk": round(s.cost_dkk),
                       "funding": [_funding(f, lang) for f in s.funding]} for s in p.steps],
            "reasons": [_reason(r, lang) for r in p.reasons]} for p in result.paths],
    }
