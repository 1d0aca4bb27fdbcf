"""The data layer: models, sessions, catalogue loading and read functions for the web layer."""
