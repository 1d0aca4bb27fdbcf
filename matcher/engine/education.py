"""What the person's education opens (design.md §5a.1): open, behind a route, or out of reach."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matcher.engine.index import Bools, CatalogIndex, Ints
from matcher.engine.model import Profile

__all__ = ["Standing", "standing"]


@dataclass(frozen=True, slots=True)
class Standing:
    """The person's education measured against every occupation (arrays by position)."""

    rank: int  # the highest education level held, counting has_eud and named educations
    held: Bools  # the person has worked in the occupation
    open: Bools  # open now: nothing lacking, or the person has done the job
    wants_route: Bools  # a route would make the person skilled or qualified for it
    asked: Bools
    work_rank: int  # the highest level needed by an occupation the person has held


def standing(profile: Profile, index: CatalogIndex) -> Standing:
    """Level met, and for a regulated occupation its qualifying education named.

    An occupation needs an education the person lacks when its level is above theirs, or
    when it is regulated (an authorisation) and none of the named educations qualifies.
    A vocational level (faglært) is met only by a vocational education: a bachelor does not
    make anyone a skilled hairdresser. A named education that qualifies for an occupation
    always opens it. Having held a job does not make the person skilled in it: that is what
    the routes are for.
    """
    n = len(index.occupations)
    rank = index.education_rank.get(profile.education_level, 0)
    vocational = profile.has_eud or index.education_status.get(profile.education_level) == "faglaert"
    if profile.has_eud:
        rank = max(rank, index.eud_rank)
    qualified = np.zeros(n, dtype=np.bool_)
    for code in profile.educations:
        education = index.educations.get(code)
        if education is None:
            continue
        rank = max(rank, index.education_rank.get(education.level, 0))
        vocational = vocational or index.education_status.get(education.level) == "faglaert"
        for occupation in education.qualifies:
            if occupation in index.occupation_pos:
                qualified[index.occupation_pos[occupation]] = True
    required: Ints = index.occupation_min_rank
    level_met = np.where(index.occupation_vocational, vocational, required <= rank)
    lacks = (~level_met | index.occupation_regulated) & ~qualified
    held = np.zeros(n, dtype=np.bool_)
    for job in profile.occupations:
        held[index.occupation_pos[job.occupation]] = True
    asked = np.zeros(n, dtype=np.bool_)
    for code in profile.interests:
        asked[index.occupation_pos[code]] = True
    work_rank = int(required[held].max()) if held.any() else 0
    # Someone who has done a regulated job at its level is taken to hold its authorisation.
    wants_route = lacks & ~(held & level_met)
    return Standing(rank=rank, held=held, wants_route=wants_route,
                    # A held job is open, but a regulated one only at its level: unskilled
                    # years as an electrician's helper are no authorisation.
                    open=~lacks | (held & (level_met | ~index.occupation_regulated)),
                    asked=asked, work_rank=work_rank)
