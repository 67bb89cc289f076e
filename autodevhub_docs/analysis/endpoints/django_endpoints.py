# The Django adapter: every URL pattern reached from the root URLconf whose view Django itself serves. Function
# views accept every method (`ANY`) unless a `require_http_methods`/`require_GET`/`require_POST`/`require_safe`
# decorator says otherwise; class-based views serve the handlers they define or inherit (generic views included).
# Views of Django REST framework are left to its adapter.
from __future__ import annotations

from collections.abc import Sequence

from autodevhub_docs.analysis import pyevidence, pysymbols
from autodevhub_docs.analysis.adapters import Found, PythonVisitor
from autodevhub_docs.analysis.codebase import Codebase
from autodevhub_docs.analysis.endpoints import django_urls


class DjangoAdapter:
    """Django URLconfs."""

    name = django_urls.DJANGO

    @staticmethod
    def visitors() -> Sequence[PythonVisitor]:
        """URL patterns, and the symbols that say what each view serves."""
        return (django_urls.VISITOR, pysymbols.VISITOR)

    def run(self, code: Codebase) -> Found | None:
        """Django's endpoints, or None when Django is not used."""
        dependency = code.dependency("pypi", ("django",))
        evidence = ([code.ref(dependency)] if dependency else []) + pyevidence.import_evidence(code.python, "django")
        if not evidence:
            return None
        leaves, _ = django_urls.resolve(code)
        symbols = pysymbols.Symbols(code.python)
        endpoints = tuple(e for leaf in leaves for e in django_urls.leaf_endpoints(symbols, leaf)
                          if e.framework == self.name)
        files = sorted(path for path, conf in django_urls.confs(code).items() if conf.patterns is not None)
        return Found(framework=self.name, evidence=tuple(evidence), files_read=tuple(files), endpoints=endpoints,
                     problems=pyevidence.unparsed(code.paths, code.python, lambda p: p.endswith("urls.py")))


ADAPTERS = (DjangoAdapter(),)
