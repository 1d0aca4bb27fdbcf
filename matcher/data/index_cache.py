"""The engine index, built once per process and rebuilt only when the catalogue changes."""

from __future__ import annotations

import threading

from sqlalchemy.orm import Session

from matcher.data.snapshot import load_snapshot
from matcher.data.status import catalog_status
from matcher.engine.index import CatalogIndex, build_index
from matcher.engine.lookup import LookupIndex, build_lookup

_lock = threading.Lock()
_cache: dict[str, CatalogIndex] = {}
_lookups: dict[str, tuple[int, LookupIndex]] = {}


def get_index(session: Session, cache_key: str, version: int | None = None) -> CatalogIndex:
    """The index for the database behind session: one version check, a rebuild on change.

    version: the catalogue version when the caller has just read it (saves a query).
    """
    if version is None:
        version = catalog_status(session).version
    cached = _cache.get(cache_key)
    if cached is not None and cached.snapshot.version == version:
        return cached
    with _lock:
        cached = _cache.get(cache_key)
        if cached is None or cached.snapshot.version != version:
            cached = build_index(load_snapshot(session))
            _cache[cache_key] = cached
    return cached


def get_lookup(index: CatalogIndex, cache_key: str) -> LookupIndex:
    """The typeahead index for this catalogue version, built on first use."""
    cached = _lookups.get(cache_key)
    if cached is not None and cached[0] == index.snapshot.version:
        return cached[1]
    lookup = build_lookup(index.occupations, index.skills, index.courses,
                          index.snapshot.educations)
    _lookups[cache_key] = (index.snapshot.version, lookup)
    return lookup


def clear() -> None:
    """Forget every cached index and lookup: for tests that empty the database, whose
    catalogue version then starts again from the beginning."""
    with _lock:
        _cache.clear()
        _lookups.clear()
