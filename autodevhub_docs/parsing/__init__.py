"""Readers of file formats that every stage may use: tree-sitter grammars for code, and bounded TOML/JSON/YAML."""
