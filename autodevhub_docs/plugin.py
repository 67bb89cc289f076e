# The MkDocs adapter: options in, generated pages out. All the work happens in `pipeline.run_build`.
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config.base import ValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from autodevhub_docs import reuse
from autodevhub_docs.config import PluginConfig, to_settings
from autodevhub_docs.engines.nav import sections
from autodevhub_docs.errors import AutodevhubError, ConfigError
from autodevhub_docs.log import get_logger
from autodevhub_docs.report import BuildResult, summary_line
from autodevhub_docs.settings import OPTION_NAMES, Settings

if TYPE_CHECKING:  # the server module (watchdog, http.server) is imported by `mkdocs serve` only
    from mkdocs.livereload import LiveReloadServer

log = get_logger(__name__)

MERMAID_FENCE_YAML = """markdown_extensions:
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format"""

MERMAID_ASSET = "assets/javascripts/autodevhub/mermaid.min.js"
"""Where a `mermaid_js` file from outside docs_dir is published in the site."""


class AutodevhubPlugin(BasePlugin[PluginConfig]):
    """Generates architecture pages, ADRs and user stories from the repository."""

    def __init__(self) -> None:
        self.is_serve = False
        self.settings: Settings | None = None
        self.result: BuildResult | None = None
        self._result_key: reuse.Fingerprint | None = None
        self._mermaid_file: Path | None = None

    def load_config(self, options: dict[str, Any], config_file_path: str | None = None) -> tuple[Any, Any]:
        """Validate options with mkdocs, adding a '--> fix' line to every error and unknown-option warning."""
        errors, warnings = super().load_config(options, config_file_path)
        fix = "--> Fix '{key}' under 'plugins: - autodevhub:' in mkdocs.yml (valid options: {names})."
        names = ", ".join(sorted(OPTION_NAMES))
        errors = [(key, ValidationError(f"{message}\n{fix.format(key=key, names=names)}")) for key, message in errors]
        warnings = [(item[0], f"{item[1]}\n{fix.format(key=item[0], names=names)}") if isinstance(item, tuple) else item
                    for item in warnings]
        return errors, warnings

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Remember whether we serve; defining this hook keeps the instance (and its results) across reloads."""
        del dirty
        self.is_serve = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        """Validate options into Settings and check that Mermaid fences will render."""
        if self.config["enabled"] is False:  # not written (None) means the default, true
            self.settings = None  # under serve the instance outlives a config that turned the plugin off
            return config
        try:
            self.settings = to_settings(self.config, config, serve=self.is_serve)
        except AutodevhubError as error:
            raise PluginError(str(error)) from error
        if not _has_mermaid_fence(config):
            log.warning("mkdocs.yml has no mermaid fence, so diagrams will show as code. Add:\n%s",
                        MERMAID_FENCE_YAML)
        self._mermaid_file = self._self_host_mermaid(config, self.settings.mermaid_js)
        return config

    def _self_host_mermaid(self, config: MkDocsConfig, mermaid_js: str | None) -> Path | None:
        """Load a self-hosted mermaid before mkdocs-material's own loader looks for one.

        Material fetches mermaid from unpkg only when no global `mermaid` exists; a classic (non-module)
        script in `extra_javascript` runs before the page's DOMContentLoaded, so the global is there first.

        Returns:
            A file outside `docs_dir` to publish at `MERMAID_ASSET`, or None.
        """
        if not mermaid_js:
            return None
        if mermaid_js.startswith(("https://", "http://", "//")):
            script = mermaid_js
            outside = None
        elif _inside(Path(config.docs_dir), mermaid_js):
            script, outside = mermaid_js, None  # already part of the site
        else:
            outside = (Path(config.config_file_path).parent / mermaid_js).resolve()
            if not outside.is_file():
                raise PluginError(str(ConfigError(
                    f"mermaid_js '{mermaid_js}' is neither a URL nor a file (looked in {config.docs_dir} and "
                    f"{outside.parent}).",
                    "Give a URL, a path inside docs_dir, or a path relative to mkdocs.yml of mermaid.min.js.")))
            script = MERMAID_ASSET
        if script not in [str(js) for js in config.extra_javascript]:
            config.extra_javascript.insert(0, script)
        return outside

    # Run early so plugins that act on files later (search, tags, i18n) see our pages.
    @event_priority(50)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Run the pipeline (or reuse its result under serve) and add the pages with `File.generated`."""
        if self.settings is None:  # disabled
            return files
        result = self._build(self.settings)
        # Markdown pages and the other generated files (changes/feed.xml, llms.txt) alike; generated files have
        # no edit link (File.edit_uri is None for them), the user's own pages keep theirs.
        for uri, markdown in result.pages.items():
            existing = files.get_file_from_path(uri)
            if existing is not None:
                if existing.generated_by is None:
                    log.info("keeping your own %s instead of the generated page", uri)
                    continue
                files.remove(existing)
            files.append(File.generated(config, uri, content=markdown))
        if self._mermaid_file is not None and files.get_file_from_path(MERMAID_ASSET) is None:
            files.append(File.generated(config, MERMAID_ASSET, abs_src_path=str(self._mermaid_file)))
        _extend_nav(config, result.pages)
        for warning in result.report.get("warnings", []):
            log.debug("report warning: %s", warning)
        log.info(summary_line(result.report))
        return files

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        """Also reload when a custom template changes (cache_dir is never watched: the build writes there)."""
        del config, builder
        if self.settings is not None and self.settings.custom_templates is not None:
            server.watch(str(self.settings.custom_templates), recursive=True)
        return server

    def _build(self, settings: Settings) -> BuildResult:
        """Return the pages for this build, deciding by the one fingerprint of `reuse`.

        The last result when the fingerprint still holds (a serve reload); the same documents rendered again when
        only a custom template changed; else `reuse.build` (the disk copy, or the pipeline).
        """
        key = reuse.fingerprint(settings)
        last, last_key = self.result, self._result_key
        if last is not None and key is not None and last_key is not None and key.inputs == last_key.inputs:
            if key.templates == last_key.templates:
                return last
            if last.facts is not None:
                from autodevhub_docs import pipeline  # loaded only when there is work to do

                try:
                    pages = pipeline.render_pages(settings, last.facts, last.documents,
                                                  str(last.report.get("mode", "offline")))
                except AutodevhubError as error:
                    raise PluginError(str(error)) from error
                self.result = BuildResult(pages=pages, report=last.report, facts=last.facts, analysis=last.analysis,
                                          documents=last.documents)
                self._result_key = key
                return self.result
        try:
            self.result = reuse.build(settings, key)
        except AutodevhubError as error:
            raise PluginError(str(error)) from error
        self._result_key = key
        return self.result


def _inside(docs_dir: Path, relative: str) -> bool:
    """Whether a path names a file inside docs_dir (then MkDocs already publishes it)."""
    docs = docs_dir.resolve()
    candidate = (docs / relative).resolve()
    return candidate.is_file() and candidate.is_relative_to(docs) and not Path(relative).is_absolute()


def _has_mermaid_fence(config: MkDocsConfig) -> bool:
    """Whether a `mermaid` custom fence is configured, directly or inside `pymdownx.extra`.

    techdocs-core (Backstage TechDocs) adds `pymdownx.extra` in its own `on_config` and moves the user's
    `pymdownx.superfences` options under `pymdownx.extra`, where superfences then reads them.
    """
    extensions, options = config.markdown_extensions, config.mdx_configs
    superfences = [options.get("pymdownx.superfences") or {}] if "pymdownx.superfences" in extensions else []
    if "pymdownx.extra" in extensions:
        superfences.append((options.get("pymdownx.extra") or {}).get("pymdownx.superfences") or {})
    return any(isinstance(fence, dict) and fence.get("name") == "mermaid"
               for found in superfences for fence in found.get("custom_fences") or [])


def _nav_uris(nav: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(nav, str):
        found.add(nav)
    elif isinstance(nav, dict):
        for value in nav.values():
            found |= _nav_uris(value)
    elif isinstance(nav, list):
        for item in nav:
            found |= _nav_uris(item)
    return found


def _extend_nav(config: MkDocsConfig, pages: dict[str, str]) -> None:
    """Append a section per generated area when the user's explicit `nav` lists none of its pages."""
    if config.nav is None:
        return  # mkdocs builds the nav from all files, ours included
    listed = _nav_uris(config.nav)
    for title, uris in sections(pages):
        if not listed.intersection(uris):
            config.nav.append({title: uris})
