"""The staff areas' blueprints by user group: the caseworkers' is matcher.web.clients.

Kept so that `staff_areas.caseworker` goes on naming the caseworkers' blueprint (the
providers' is matcher.web.provider, the administrators' matcher.web.admin).
"""

from __future__ import annotations

from matcher.web.clients import caseworker

__all__ = ["caseworker"]
