#!/usr/bin/env python3
"""Validate the curated occupation/skill taxonomy in course_catalog/.

Checks skills.csv, occupations.csv and occupation_skills.csv:
exact headers, unique codes matching ^[a-z0-9_]+$ (max 60 chars), controlled
vocabularies, referential integrity, no duplicate links, minimum counts and
4-10 essential / 2-6 optional skills per occupation. An occupation's ESCO URI,
when given, must have the form http://data.europa.eu/esco/occupation/<uuid> and its
DISCO-08 code 6 digits (scripts/match_esco.py fills both from the official files);
skills' ESCO URIs stay blank. ISCO-08, when given, must be a 4-digit unit group.
`regulated` (occupations) is `yes` or blank; a skill of kind `transversal` is never a
certificate (kind is one value).

When educations.csv and education_occupations.csv are present (both or neither), it
also checks them: headers, codes, levels from education_levels.csv, sources, that every
link resolves, that an education's level ranks at or above the min_education_level of
every occupation it qualifies for, and that every occupation above grundskole has at
least one qualifying education (a regulated occupation too, whatever its level).

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
                        'disco08', 'esco_uri', 'min_education_level', 'description_da', 'regulated'],
    'occupation_skills.csv': ['occupation_code', 'skill_code', 'relation'],
}
EDUCATION_HEADERS = {
    'educations.csv': ['code', 'title_da', 'level', 'title_en', 'aliases_da', 'aliases_en', 'source',
                       'source_url'],
    'education_occupations.csv': ['education_code', 'occupation_code'],
}
KINDS = {'skill', 'knowledge', 'certificate', 'transversal'}
# Occupations above grundskole that no education in educations.csv qualifies for, and why.
NO_QUALIFYING_EDUCATION = {
    'brandmand': 'reached through any EUD plus the emergency service\'s own firefighter training '
                 '(Beredskabsstyrelsen), which is not an education in the ordinary system',
}
MIN_EDUCATIONS = 80
RELATIONS = {'essential', 'optional'}
LEVELS = {'grundskole', 'eud', 'gymnasial', 'akademi', 'kvu', 'mvu_profbach', 'bachelor',
          'diplom', 'lvu_kandidat', 'master', 'phd'}
CODE_RE = re.compile(r'^[a-z0-9_]+$')
ESCO_OCCUPATION_RE = re.compile(
    r'http://data\.europa\.eu/esco/occupation/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}')
DISCO08_RE = re.compile(r'\d{6}')  # the DISCO-08 job code (level 5)
MIN_SKILLS, MIN_OCCUPATIONS = 520, 125
ESSENTIAL_RANGE, OPTIONAL_RANGE = (4, 10), (2, 6)
MAX_UNUSED_SHARE = 0.15


def main():
    base = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), '..', 'course_catalog')
    problems = []
    rows = {}
    present = [name for name in EDUCATION_HEADERS if os.path.exists(os.path.join(base, name))]
    if len(present) == 1:
        problems.append(f'{present[0]} without {(set(EDUCATION_HEADERS) - set(present)).pop()}')
    with_educations = len(present) == len(EDUCATION_HEADERS)
    headers = dict(HEADERS)
    if with_educations:
        headers.update(EDUCATION_HEADERS)
    for name, header in headers.items():
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
        if r['esco_uri'] and not ESCO_OCCUPATION_RE.fullmatch(r['esco_uri']):
            problems.append(f'occupations.csv:{lineno}: esco_uri {r["esco_uri"]!r} is not '
                            'http://data.europa.eu/esco/occupation/<uuid>')
        if r['disco08'] and not DISCO08_RE.fullmatch(r['disco08']):
            problems.append(f'occupations.csv:{lineno}: disco08 {r["disco08"]!r} is not a 6-digit '
                            'DISCO-08 code')
        if r['regulated'] not in ('', 'yes'):
            problems.append(f'occupations.csv:{lineno}: regulated {r["regulated"]!r} must be yes or blank')

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

    if with_educations:
        check_educations(base, rows, occ_codes, problems)

    levels = Counter(r['min_education_level'] for _, r in rows['occupations.csv'])
    kinds = Counter(r['kind'] for _, r in rows['skills.csv'])
    rels = Counter(r['relation'] for _, r in rows['occupation_skills.csv'])
    print(f'skills: {len(skill_codes)} {dict(kinds)}')
    print(f'occupations: {len(occ_codes)} (filled: ' + ', '.join(
        f'{col} {sum(1 for _, r in rows["occupations.csv"] if r[col])}'
        for col in ('isco08', 'disco08', 'esco_uri')) + ')')
    print(f'occupation_skills: {len(rows["occupation_skills.csv"])} {dict(rels)}')
    print('min_education_level: ' + ', '.join(f'{k}={v}' for k, v in levels.most_common()))
    print(f'unused skills: {len(unused)}' + (f' ({", ".join(unused)})' if unused else ''))
    print('transversal skills: ' + ', '.join(r['code'] for _, r in rows['skills.csv']
                                            if r['kind'] == 'transversal'))
    print('regulated occupations: ' + ', '.join(r['code'] for _, r in rows['occupations.csv']
                                               if r['regulated'] == 'yes'))
    if with_educations:
        edu_levels = Counter(r['level'] for _, r in rows['educations.csv'])
        print(f'educations: {len(rows["educations.csv"])} ('
              + ', '.join(f'{k}={v}' for k, v in edu_levels.most_common()) + ')')
        print(f'education_occupations: {len(rows["education_occupations.csv"])}')
    if problems:
        print(f'\n{len(problems)} problem(s):')
        for p in problems:
            print('  - ' + p)
        return 1
    print('OK')
    return 0


def read_ranks(base, problems):
    """Education level code -> rank, from education_levels.csv."""
    try:
        with open(os.path.join(base, 'education_levels.csv'), encoding='utf-8', newline='') as f:
            return {r['code']: int(r['rank']) for r in csv.DictReader(f)}
    except (OSError, KeyError, ValueError) as exc:
        problems.append(f'education_levels.csv: cannot read ranks ({exc})')
        return {}


def check_educations(base, rows, occ_codes, problems):
    ranks = read_ranks(base, problems)
    occupations = {r['code']: r for _, r in rows['occupations.csv']}
    level_of = {}
    seen_titles = set()
    for lineno, r in rows['educations.csv']:
        code = r['code']
        where = f'educations.csv:{lineno}'
        if not CODE_RE.match(code) or len(code) > 60:
            problems.append(f'{where}: bad code {code!r}')
        if code in level_of:
            problems.append(f'{where}: duplicate code {code}')
        if code in occ_codes:
            problems.append(f'{where}: code {code} is also an occupation code (keep them apart)')
        if not r['title_da'].strip() or not r['title_en'].strip():
            problems.append(f'{where}: title_da and title_en are required')
        if r['title_da'].casefold() in seen_titles:
            problems.append(f'{where}: duplicate title_da {r["title_da"]!r}')
        seen_titles.add(r['title_da'].casefold())
        if r['level'] not in ranks:
            problems.append(f'{where}: level {r["level"]!r} is not in education_levels.csv')
        if r['level'] in ('grundskole', '10kl', 'gymnasial'):
            problems.append(f'{where}: level {r["level"]} is covered by the levels, not an education')
        if r['source'] != 'ug.dk' or not r['source_url'].startswith('https://www.ug.dk/'):
            problems.append(f'{where}: source must be ug.dk with an https://www.ug.dk/ source_url')
        for alias in r['aliases_da'].split('|') + r['aliases_en'].split('|'):
            if alias != alias.strip():
                problems.append(f'{where}: alias {alias!r} has surrounding spaces')
        level_of[code] = r['level']
    qualified = defaultdict(set)
    pairs = set()
    for lineno, r in rows['education_occupations.csv']:
        e, o = r['education_code'], r['occupation_code']
        where = f'education_occupations.csv:{lineno}'
        if e not in level_of:
            problems.append(f"{where}: '{e}' is not a code in educations.csv")
            continue
        if o not in occupations:
            problems.append(f"{where}: '{o}' is not a code in occupations.csv")
            continue
        if (e, o) in pairs:
            problems.append(f'{where}: duplicate pair ({e}, {o})')
        pairs.add((e, o))
        need = occupations[o]['min_education_level']
        if level_of[e] in ranks and need in ranks and ranks[level_of[e]] < ranks[need]:
            problems.append(f'{where}: {e} ({level_of[e]}) ranks below {o}\'s min_education_level {need}')
        qualified[o].add(e)
    base_rank = ranks.get('grundskole', 1)
    for code, r in sorted(occupations.items()):
        need_one = ranks.get(r['min_education_level'], base_rank) > base_rank or r['regulated'] == 'yes'
        if need_one and not qualified[code] and code not in NO_QUALIFYING_EDUCATION:
            problems.append(f'{code}: needs {r["min_education_level"]} but no education qualifies for it')
        if code in NO_QUALIFYING_EDUCATION and r['regulated'] == 'yes':
            problems.append(f'{code}: regulated, so it needs a qualifying education')
    for code in NO_QUALIFYING_EDUCATION:
        if code not in occupations:
            problems.append(f'NO_QUALIFYING_EDUCATION: unknown occupation {code}')
        elif qualified[code]:
            problems.append(f'NO_QUALIFYING_EDUCATION: {code} has an education now; drop the exception')
    if len(level_of) < MIN_EDUCATIONS:
        problems.append(f'only {len(level_of)} educations (need >= {MIN_EDUCATIONS})')


if __name__ == '__main__':
    sys.exit(main())
