"""Site engines beside MkDocs with the plugin: Zensical, Backstage TechDocs and organisation-wide builds.

Zensical has no plugin API, so `generate --out DIR --nav` (pages plus a nav fragment) is its pre-build step;
TechDocs builds with the plugin next to `techdocs-core`; an organisation fans out one GitHub Actions job per
repository and publishes one combined site.
"""
