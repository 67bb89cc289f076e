"""Rendering: Jinja2 templates, Markdown escaping and Mermaid diagrams built from data."""
