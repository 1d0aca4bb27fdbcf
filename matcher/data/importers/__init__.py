"""Importers of official labour-market data (issue 14): ESCO, the balance, positive lists,
rates. Each module reads its files, writes into a session, and returns an ImportReport;
`run.run_import` decides whether the writes are kept (design.md §6)."""
