"""The matching engine: pure functions over frozen dataclasses.

Nothing in this package imports Flask, SQLAlchemy, WTForms or Jinja2, or touches files or
the network: the data layer hands it plain values and gets plain values back, so it is
fast, deterministic and testable on its own. tests/engine/test_purity.py keeps it so.
"""

__all__: list[str] = []
