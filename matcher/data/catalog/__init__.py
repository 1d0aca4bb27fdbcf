"""The catalogue folder (design.md §4): validated as a whole, then synced into the database.

`check_catalog` reads and validates a folder without touching the database;
`load_catalog` does the same and, only if every file is valid, makes the catalogue
tables equal to the folder in the caller's transaction.
"""

from matcher.data.catalog.reader import Catalog, CatalogInvalid, Problem, read_catalog
from matcher.data.catalog.sync import LoadReport, TableChange, load_catalog

__all__ = ["Catalog", "CatalogInvalid", "LoadReport", "Problem", "TableChange", "load_catalog",
           "read_catalog"]
