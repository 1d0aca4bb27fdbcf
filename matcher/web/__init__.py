"""The web layer: blueprints per user group, forms, templates helpers and error pages."""
