"""The one place where database rows become the engine's plain values."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.data import models as m
from matcher.data.status import catalog_status, occupation_in_matching, skill_in_matching
from matcher.engine import model as e


def load_snapshot(session: Session) -> e.Snapshot:
    """Everything the matching engine needs, read in a handful of queries."""
    skills_of: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"essential": [],
                                                                      "optional": []})
    occupations = session.scalars(select(m.Occupation).where(occupation_in_matching())).all()
    skills = session.scalars(select(m.Skill).where(skill_in_matching())).all()
    skill_codes = {r.code for r in skills}
    # By the occupations' codes, so that the primary key finds them among ESCO's relations.
    for row in session.execute(select(m.OccupationSkill.occupation_code,
                                      m.OccupationSkill.skill_code, m.OccupationSkill.relation)
                               .where(m.OccupationSkill.occupation_code.in_(
                                   [r.code for r in occupations]))
                               .order_by(m.OccupationSkill.skill_code)):
        if row.skill_code in skill_codes:
            skills_of[row.occupation_code][row.relation].append(row.skill_code)
    course_lists: dict[str, dict[str, list[str]]] = defaultdict(
        lambda: {"skills": [], "prerequisites": [], "occupations": []})
    for table, column, key in ((m.CourseSkill, m.CourseSkill.skill_code, "skills"),
                               (m.CoursePrerequisite, m.CoursePrerequisite.skill_code,
                                "prerequisites"),
                               (m.CourseOccupation, m.CourseOccupation.occupation_code,
                                "occupations")):
        for course_code, value in session.execute(select(table.course_code, column)
                                                  .order_by(column)):
            course_lists[course_code][key].append(value)
    providers = {p.code: p for p in session.scalars(select(m.Provider))}
    archived = set(session.scalars(select(m.Course.code).where(m.Course.archived_at.is_not(None))))
    qualifies: dict[str, list[str]] = defaultdict(list)
    for education_code, occupation_code in session.execute(
            select(m.EducationOccupation.education_code, m.EducationOccupation.occupation_code)
            .order_by(m.EducationOccupation.occupation_code)):
        qualifies[education_code].append(occupation_code)

    return e.Snapshot(
        education_levels=tuple(e.EducationLevel(r.code, r.rank, r.skill_status, r.name_da,
                                                r.name_en)
                               for r in session.scalars(select(m.EducationLevel))),
        skills=tuple(e.Skill(r.code, r.label_da, r.label_en, tuple(r.aliases_da or ()),
                             tuple(r.aliases_en or ()), r.kind)
                     for r in skills),
        occupations=tuple(e.Occupation(
            r.code, r.title_da, r.title_en, tuple(r.aliases_da or ()), tuple(r.aliases_en or ()),
            r.min_education_level, tuple(skills_of[r.code]["essential"]),
            tuple(skills_of[r.code]["optional"]), bool(r.regulated))
            for r in occupations),
        shortages=tuple(e.ShortageRating(r.occupation_code, r.rar_code, r.period, r.category,
                                         r.source, r.source_url)
                        for r in session.scalars(select(m.Shortage))),
        courses=tuple(e.Course(
            code=r.code, kind=r.kind, title_da=r.title_da, provider=r.provider_code,
            provider_name=providers[r.provider_code].name,
            provider_postcode=providers[r.provider_code].postcode,
            duration_days=float(r.duration_days), title_en=r.title_en,
            hours=float(r.hours) if r.hours is not None else None, price_dkk=r.price_dkk,
            fee_target_group_dkk=r.fee_target_group_dkk,
            min_education_level=r.min_education_level, language=r.language,
            delivery=r.delivery, schedule=r.schedule,
            skills=tuple(course_lists[r.code]["skills"]),
            prerequisites=tuple(course_lists[r.code]["prerequisites"]),
            occupations=tuple(course_lists[r.code]["occupations"]), source=r.source,
            education=r.education_code, official_code=r.official_code)
            # Archived courses leave matching; their rows stay as history (issue 12).
            for r in session.scalars(select(m.Course).where(m.Course.archived_at.is_(None)))),
        sessions=tuple(e.Session(r.course_code, r.session_code, r.start_date, r.end_date,
                                 r.postcode, r.seats, r.status)
                       for r in session.scalars(select(m.CourseSession))
                       if r.course_code not in archived),
        places=tuple(e.Place(r.postcode, r.name, r.lat, r.lon, r.kommunekode)
                     for r in session.scalars(select(m.Postcode))),
        positive_lists=tuple(e.PositiveListEntry(r.list, r.course_code, r.rar_code,
                                                 r.erhvervsgruppe, r.valid_from, r.valid_to,
                                                 r.from_day_one, r.official_code)
                             for r in session.scalars(select(m.PositiveListEntry))
                             if r.course_code not in archived),
        funding_rates=tuple(e.FundingRate(r.scheme, r.year, r.unit, float(r.amount),
                                          r.source_url, r.valid_from, r.valid_to)
                            for r in session.scalars(select(m.FundingRate))),
        funding_rules=tuple(e.RuleVersion(r.scheme, r.valid_from, r.valid_to, r.decided_by,
                                          r.law, r.source_url)
                            for r in session.scalars(select(m.FundingRule))),
        memberships=tuple(e.Membership(r.kommunekode, r.rar_code, r.valid_from, r.valid_to)
                          for r in session.scalars(select(m.MunicipalityRar))),
        adjacency=tuple((r.rar_code, r.adjacent_rar_code)
                        for r in session.scalars(select(m.RarAdjacency))),
        rar_names=tuple((r.code, r.name) for r in session.scalars(select(m.RarArea))),
        version=catalog_status(session).version,
        educations=tuple(e.Education(r.code, r.title_da, r.level, r.title_en,
                                     tuple(r.aliases_da or ()), tuple(r.aliases_en or ()),
                                     tuple(qualifies[r.code]))
                         for r in session.scalars(select(m.Education))),
    )

