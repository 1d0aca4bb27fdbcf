#!/usr/bin/env python3
"""Validate the curated occupation/skill taxonomy in course_catalog/.

Checks skills.csv, occupations.csv and occupation_skills.csv:
exact headers, unique codes matching ^[a-z0-9_]+$ (max 60 chars), controlled
vocabularies, referential integrity, no duplicate links, minimum counts and
4-10 essential / 2-6 optional skills per occupation. ESCO URIs and DISCO-08
codes must be blank (we never invent official identifiers) and ISCO-08, when
given, must be a 4-digit unit group.

Usage: python3 scripts/check_taxonomy.py [catalog_dir]
Exits non-zero if any problem is found. Standard library only.
"""
import csv
import os
import re
import sys
from collections import Counter, defaultdict

HEADERS = {
    'skills.csv': ['code', 'label_da', 'label_en', 'aliases_da', 'aliases_en', 'kind', 'esco_uri'],
    'occupations.csv': ['code', 'title_da', 'title_en', 'aliases_da', 'aliases_en', 'isco08',
                        'disco08', 'esco_uri', 'min_education_level', 'description_da'],
    'occupation_skills.csv': ['occupation_code', 'skill_code', 'relation'],
}
KINDS = {'skill', 'knowledge', 'certificate'}
RELATIONS = {'essential', 'optional'}
LEVELS = {'grundskole', 'eud', 'gymnasial', 'akademi', 'kvu', 'mvu_profbach', 'bachelor',
          'diplom', 'lvu_kandidat', 'master', 'phd'}
CODE_RE = re.compile(r'^[a-z0-9_]+$')
MIN_SKILLS, MIN_OCCUPATIONS = 520, 125
ESSENTIAL_RANGE, OPTIONAL_RANGE = (4, 10), (2, 6)
MAX_UNUSED_SHARE = 0.15


def main():
    base = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), '..', 'course_catalog')
    problems = []
    rows = {}
    for name, header in HEADERS.items():
        path = os.path.join(base, name)
        try:
            with open(path, encoding='utf-8', newline='') as f:
                reader = csv.reader(f)
                got = next(reader, None)
                if got != header:
                    problems.append(f'{name}: header {got} != {header}')
                rows[name] = []
                for lineno, rec in enumerate(reader, start=2):
                    if len(rec) != len(header):
                        problems.append(f'{name}:{lineno}: {len(rec)} fields, expected {len(header)}')
                        continue
                    rows[name].append((lineno, dict(zip(header, rec, strict=False))))
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f'{name}: cannot read ({exc})')
            rows[name] = []

    def check_codes(name, key):
        seen = set()
        for lineno, r in rows[name]:
            code = r[key]
            if not CODE_RE.match(code) or len(code) > 60:
                problems.append(f'{name}:{lineno}: bad code {code!r}')
            if code in seen:
                problems.append(f'{name}:{lineno}: duplicate code {code}')
            seen.add(code)
        return seen

    skill_codes = check_codes('skills.csv', 'code')
    occ_codes = check_codes('occupations.csv', 'code')

    for lineno, r in rows['skills.csv']:
        if not r['label_da'].strip():
            problems.append(f'skills.csv:{lineno}: empty label_da')
        if r['kind'] not in KINDS:
            problems.append(f'skills.csv:{lineno}: kind {r["kind"]!r} not in {sorted(KINDS)}')
        if r['esco_uri']:
            problems.append(f'skills.csv:{lineno}: esco_uri must be blank')

    for lineno, r in rows['occupations.csv']:
        if not r['title_da'].strip():
            problems.append(f'occupations.csv:{lineno}: empty title_da')
        if r['min_education_level'] not in LEVELS:
            level = r["min_education_level"]
            problems.append(f'occupations.csv:{lineno}: min_education_level {level!r} not in vocabulary')
        if r['isco08'] and not re.fullmatch(r'[1-9]\d{3}', r['isco08']):
            problems.append(f'occupations.csv:{lineno}: isco08 {r["isco08"]!r} is not a 4-digit unit group')
        if r['disco08'] or r['esco_uri']:
            problems.append(f'occupations.csv:{lineno}: disco08 and esco_uri must be blank')

    per_occ = defaultdict(Counter)
    used_skills = set()
    pairs = set()
    for lineno, r in rows['occupation_skills.csv']:
        o, s, rel = r['occupation_code'], r['skill_code'], r['relation']
        if o not in occ_codes:
            problems.append(f'occupation_skills.csv:{lineno}: unknown occupation {o}')
        if s not in skill_codes:
            problems.append(f'occupation_skills.csv:{lineno}: unknown skill {s}')
        if rel not in RELATIONS:
            problems.append(f'occupation_skills.csv:{lineno}: relation {rel!r} not in {sorted(RELATIONS)}')
        if (o, s) in pairs:
            problems.append(f'occupation_skills.csv:{lineno}: duplicate pair ({o}, {s})')
        pairs.add((o, s))
        per_occ[o][rel] += 1
        used_skills.add(s)

    for o in sorted(occ_codes):
        ess, opt = per_occ[o]['essential'], per_occ[o]['optional']
        if not ESSENTIAL_RANGE[0] <= ess <= ESSENTIAL_RANGE[1]:
            problems.append(f'{o}: {ess} essential skills (need {ESSENTIAL_RANGE[0]}-{ESSENTIAL_RANGE[1]})')
        if not OPTIONAL_RANGE[0] <= opt <= OPTIONAL_RANGE[1]:
            problems.append(f'{o}: {opt} optional skills (need {OPTIONAL_RANGE[0]}-{OPTIONAL_RANGE[1]})')

    if len(skill_codes) < MIN_SKILLS:
        problems.append(f'only {len(skill_codes)} skills (need >= {MIN_SKILLS})')
    if len(occ_codes) < MIN_OCCUPATIONS:
        problems.append(f'only {len(occ_codes)} occupations (need >= {MIN_OCCUPATIONS})')
    unused = sorted(skill_codes - used_skills)
    if skill_codes and len(unused) / len(skill_codes) > MAX_UNUSED_SHARE:
        problems.append(f'{len(unused)} skills unused by any occupation (> {MAX_UNUSED_SHARE:.0%})')

    levels = Counter(r['min_education_level'] for _, r in rows['occupations.csv'])
    kinds = Counter(r['kind'] for _, r in rows['skills.csv'])
    rels = Counter(r['relation'] for _, r in rows['occupation_skills.csv'])
    print(f'skills: {len(skill_codes)} {dict(kinds)}')
    print(f'occupations: {len(occ_codes)} (isco08 filled: '
          f'{sum(1 for _, r in rows["occupations.csv"] if r["isco08"])})')
    print(f'occupation_skills: {len(rows["occupation_skills.csv"])} {dict(rels)}')
    print('min_education_level: ' + ', '.join(f'{k}={v}' for k, v in levels.most_common()))
    print(f'unused skills: {len(unused)}' + (f' ({", ".join(unused)})' if unused else ''))
    if problems:
        print(f'\n{len(problems)} problem(s):')
        for p in problems:
            print('  - ' + p)
        return 1
    print('OK')
    return 0


if __name__ == '__main__':
    sys.exit(main())
