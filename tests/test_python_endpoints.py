# Python endpoints from the fixture apps under tests/fixtures/apps/: every (method, path) each app serves and
# nothing else. Flask blueprints nested across files, FastAPI routers included under a settings prefix, Django
# URLconfs with include() across files, and Django REST framework routers, viewsets, generics and APIViews.
from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autodevhub_docs.analysis.endpoints.paths import normalise_path
from tests.fakes import arch_repos as fx

APPS = Path(__file__).parent / "fixtures" / "apps"
DRF = "Django REST framework"


def analysed_app(name: str, root: Path):  # noqa: ANN201 - ArchitectureFacts
    """Copy a fixture app into a throwaway git repository and run the real analysis over it."""
    source = APPS / name
    files = {str(p.relative_to(source)): p.read_text(encoding="utf-8") for p in source.rglob("*") if p.is_file()}
    return fx.analysed(fx.make(root / name, files).root)[1]


@pytest.fixture(scope="module")
def flask_app(tmp_path_factory: pytest.TempPathFactory):
    return analysed_app("flask_sqlalchemy", tmp_path_factory.mktemp("apps"))


@pytest.fixture(scope="module")
def fastapi_app(tmp_path_factory: pytest.TempPathFactory):
    return analysed_app("fastapi_alembic", tmp_path_factory.mktemp("apps"))


@pytest.fixture(scope="module")
def django_app(tmp_path_factory: pytest.TempPathFactory):
    return analysed_app("django_drf", tmp_path_factory.mktemp("apps"))


def _pairs(arch, framework: str | None = None) -> set[tuple[str, str]]:
    return {(e.method, e.path) for e in arch.endpoints if framework is None or e.framework == framework}


def test_flask_blueprints_nested_across_files(flask_app) -> None:
    assert _pairs(flask_app) == {
        ("POST", "/api/users"), ("POST", "/api/users/login"), ("GET", "/api/user"), ("PUT", "/api/user"),
        # the profile blueprint keeps its own /profiles prefix under the /api blueprint that nests it
        ("GET", "/api/profiles/{username}"), ("POST", "/api/profiles/{username}/follow"),
        ("DELETE", "/api/profiles/{username}/follow"),
        ("GET", "/api/articles"), ("POST", "/api/articles"), ("GET", "/api/articles/feed"),
        ("GET", "/api/articles/{slug}"), ("PUT", "/api/articles/{slug}"), ("DELETE", "/api/articles/{slug}"),
        ("POST", "/api/articles/{slug}/favorite"), ("DELETE", "/api/articles/{slug}/favorite"),
        ("GET", "/api/articles/{slug}/comments"), ("POST", "/api/articles/{slug}/comments"),
        ("DELETE", "/api/articles/{slug}/comments/{cid}"),
        ("GET", "/api/tags"),  # a MethodView: the handlers it defines
        ("GET", "/health"),  # add_url_rule without methods: GET
    }
    assert {e.framework for e in flask_app.endpoints} == {"Flask"}
    tags = next(e for e in flask_app.endpoints if e.path == "/api/tags")
    assert (tags.handler, tags.source.path, tags.source.line) == ("article_views.TagsAPI.get", "conduit/api.py", 10)


def test_fastapi_routers_included_across_files_under_a_settings_prefix(fastapi_app) -> None:
    assert _pairs(fastapi_app) == {
        ("POST", "/api/users/login"), ("POST", "/api/users"), ("GET", "/api/user"), ("PUT", "/api/user"),
        ("GET", "/api/profiles/{username}"), ("POST", "/api/profiles/{username}/follow"),
        ("DELETE", "/api/profiles/{username}/follow"),
        ("GET", "/api/articles/feed"), ("POST", "/api/articles/{slug}/favorite"),
        ("DELETE", "/api/articles/{slug}/favorite"),
        ("GET", "/api/articles"), ("POST", "/api/articles"), ("GET", "/api/articles/{slug}"),
        ("PUT", "/api/articles/{slug}"), ("DELETE", "/api/articles/{slug}"),
        ("GET", "/api/articles/{slug}/comments"), ("POST", "/api/articles/{slug}/comments"),
        ("DELETE", "/api/articles/{slug}/comments/{comment_id}"),
        ("GET", "/api/tags"),
    }
    assert {e.framework for e in fastapi_app.endpoints} == {"FastAPI"}
    # FastAPI imports Starlette, but builds no Starlette router: no Starlette report, so no false warning
    assert {r.framework for r in fastapi_app.framework_reports if r.kind == "endpoints"} == {"FastAPI"}


def test_django_rest_framework_routers_viewsets_generics_and_api_views(django_app) -> None:
    assert _pairs(django_app, DRF) == {
        ("GET", "/api"),  # DefaultRouter's API root
        # ArticleViewSet: mixins Create/List/Retrieve, its own update(), lookup_field = "slug", two @action routes
        ("GET", "/api/articles"), ("POST", "/api/articles"), ("GET", "/api/articles/{slug}"),
        ("PUT", "/api/articles/{slug}"), ("POST", "/api/articles/{slug}/favorite"),
        ("DELETE", "/api/articles/{slug}/favorite"), ("GET", "/api/articles/feed"),
        # drf-nested-routers: lookup "article" + the parent's lookup_field
        ("GET", "/api/articles/{article_slug}/reactions"), ("POST", "/api/articles/{article_slug}/reactions"),
        # generics and APIViews in url patterns
        ("GET", "/api/articles/{article_slug}/comments"), ("POST", "/api/articles/{article_slug}/comments"),
        ("DELETE", "/api/articles/{article_slug}/comments/{comment_pk}"),
        ("PUT", "/api/articles/{slug}/image"), ("DELETE", "/api/articles/{slug}/image"),  # delete() from the base
        ("GET", "/api/tags"), ("GET", "/api/tags/popular"),  # ListAPIView, @api_view(["GET"])
        ("GET", "/api/user"), ("PUT", "/api/user"), ("PATCH", "/api/user"),  # RetrieveUpdateAPIView
        ("POST", "/api/users"), ("POST", "/api/users/login"),
        ("GET", "/api/profiles/{username}"), ("POST", "/api/profiles/{username}/follow"),
        ("DELETE", "/api/profiles/{username}/follow"),
        # a SimpleRouter subclass; ModelViewSet limited by http_method_names, lookup_url_kwarg = "username"
        ("GET", "/api/authors"), ("POST", "/api/authors"), ("GET", "/api/authors/{username}"),
        ("DELETE", "/api/authors/{username}"),
    }
    assert _pairs(django_app, "Django") == {("ANY", "/admin"), ("GET", "/health"), ("ANY", "/")}
    assert not [e for e in django_app.endpoints if e.framework == DRF and e.method == "ANY"]
    assert "/only-in-tests" not in {e.path for e in django_app.endpoints}  # a URLconf under tests/ is not the app's


def test_drf_handlers_name_the_method_that_serves_each_route(django_app) -> None:
    handlers = {(e.method, e.path): (e.handler, e.source.path, e.source.line) for e in django_app.endpoints}
    assert handlers[("DELETE", "/api/articles/{slug}/favorite")] == (
        "ArticleViewSet.unfavorite", "conduit/apps/articles/views.py", 28)
    assert handlers[("PUT", "/api/articles/{slug}")] == ("ArticleViewSet.update", "conduit/apps/articles/urls.py", 11)
    assert handlers[("DELETE", "/api/authors/{username}")][0] == "views.AuthorViewSet.destroy"
    assert handlers[("PATCH", "/api/user")][0] == "UserRetrieveUpdateAPIView.patch"


def test_each_python_file_is_parsed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[str] = []
    real_parse = ast.parse

    def counting_parse(source, filename="<unknown>", *args, **kwargs):  # noqa: ANN001, ANN202 - ast.parse's
        parsed.append(str(filename))
        return real_parse(source, filename, *args, **kwargs)

    monkeypatch.setattr(ast, "parse", counting_parse)
    arch = analysed_app("django_drf", tmp_path)
    python_files = sorted(str(p.relative_to(APPS / "django_drf")) for p in (APPS / "django_drf").rglob("*.py"))
    assert sorted(name for name in parsed if name.endswith(".py")) == python_files
    assert arch.endpoints  # the adapters did their work inside that one pass


@pytest.mark.parametrize(("written", "shown"), [
    ("^articles/(?P<article_slug>[-\\w]+)/comments/?$", "/articles/{article_slug}/comments"),  # Django re_path
    ("archive/(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/", "/archive/{year}/{month}"),
    ("articles/(?P<slug>[^/.]+)/favorite/", "/articles/{slug}/favorite"),  # DRF router lookup
    ("<int:question_id>/results/", "/{question_id}/results"),  # Django path converters
    ("files/<path:file_path>", "/files/{file_path}"),  # Flask converters
    ("/users/<username>", "/users/{username}"),
    ("/items/{item_id}", "/items/{item_id}"),  # FastAPI
    ("/files/{file_path:path}", "/files/{file_path}"),
    ("/u/{id:int}", "/u/{id}"),  # Starlette convertors
    ("^$", "/"), ("", "/"), ("api/", "/api"), ("a//b/", "/a/b"),
])
def test_normalise_path_reads_every_python_framework_syntax(written: str, shown: str) -> None:
    assert normalise_path(written) == shown


_NAMES = st.from_regex(r"[a-z_][a-z0-9_]{0,12}", fullmatch=True)


@given(name=_NAMES, prefix=st.sampled_from(["", "api/", "/v1/"]),
       form=st.sampled_from(["<{}>", "<int:{}>", "<slug:{}>", "<path:{}>", "(?P<{}>[^/.]+)", "(?P<{}>[-\\w]+)",
                             "(?P<{}>[0-9]{{4}})", "{{{}}}", "{{{}:path}}", "{{{}:int}}"]),
       slash=st.sampled_from(["", "/", "/?"]))
def test_any_path_parameter_becomes_name_in_braces(name: str, prefix: str, form: str, slash: str) -> None:
    shown = normalise_path(prefix + "items/" + form.format(name) + slash)
    assert shown == ("/" + prefix.strip("/") + "/items/{" + name + "}").replace("//", "/")


def test_strange_code_is_read_without_crashing(tmp_path: Path) -> None:
    repo = fx.make(tmp_path / "odd", {
        "requirements.txt": "django\ndjangorestframework\nflask\nflask-sqlalchemy\nalembic\n",
        "urls.py": ("from django.urls import include, path, re_path\nfrom rest_framework.routers import DefaultRouter\n"
                    "router = DefaultRouter()\nrouter.register()\nrouter.register(prefix=None, viewset=1)\n"
                    "urlpatterns = 5\nurlpatterns += [path(), path('x/', include()), re_path(r'^(?P<a>', None),\n"
                    "    path('y/', include(('nowhere.urls', 'ns'))), path('z/', {1: 2}), path('me/', include('urls'))]\n"
                    "urlpatterns.append(path('w/', lambda r: None))\nconfig = {{1: 2}: 3} if False else {}\n"),
        "views.py": ("from rest_framework.decorators import action, api_view\nfrom rest_framework import viewsets\n"
                     "class A(B, viewsets.ViewSet, A):\n    http_method_names = 5\n"
                     "    @action(detail=None, methods='post', url_path=3)\n    def x(self): pass\n"
                     "    @x.mapping.get\n    def y(self): pass\n@api_view(5)\ndef f(r): pass\n"),
        "models.py": ("from flask_sqlalchemy import SQLAlchemy\nfrom sqlalchemy import Table, Column\ndb = SQLAlchemy()\n"
                      "t = Table()\nu = Table('u', Column())\ndef ref(a, *, b=1, **k):\n    return db.Column(db.ForeignKey("
                      "'%0999999999d' % a), **k)\n"
                      "class M(db.Model, M):\n    __tablename__ = 5\n    a = relationship()\n    b = db.Column()\n"
                      "    c = ref()\n    d = ref('x', 'y', 'z', q=1)\n    e: 'not valid(' = 1\n"),
        "migrations/versions/0001.py": ("from alembic import op\nimport sqlalchemy as sa\nrevision = 1\n"
                                        "down_revision = ('0001',)\ndef upgrade():\n    op.create_table()\n"
                                        "    op.create_table('t', sa.Column(), sa.ForeignKeyConstraint(1))\n"
                                        "    op.add_column('missing', 5)\n    op.create_foreign_key(None, None)\n"
                                        "    upgrade()\n"),
    })
    arch = fx.analysed(repo.root)[1]
    assert ("ANY", "/w") in _pairs(arch)  # what could be read was read


def test_django_class_views_decorators_and_explicit_viewset_mappings(tmp_path: Path) -> None:
    repo = fx.make(tmp_path / "site", {
        "requirements.txt": "Django>=5\ndjangorestframework\n",
        "site/__init__.py": "",
        "site/settings.py": "ROOT_URLCONF = 'site.urls'\n",
        "site/urls.py": ("from django.urls import include, path\nfrom django.views.generic import RedirectView, "
                         "TemplateView\n\nfrom pages import urls as page_urls\nfrom pages import views\n\n"
                         "urlpatterns = [\n    path('', TemplateView.as_view(template_name='home.html')),\n"
                         "    path('old/', RedirectView.as_view(url='/')),\n    path('pages/', include(page_urls)),\n"
                         "    path('contact/', views.ContactView.as_view()),\n"
                         "    path('ping/', views.ping),\n    path('feed/', views.feed),\n]\n"),
        "pages/__init__.py": "",
        "pages/views.py": ("from django.views import View\nfrom django.views.decorators.http import "
                           "require_http_methods, require_safe\nfrom rest_framework import viewsets\n\n\n"
                           "class ContactView(View):\n    def get(self, request):\n        return None\n\n"
                           "    def post(self, request):\n        return None\n\n\n"
                           "@require_http_methods(['GET', 'POST'])\ndef ping(request):\n    return None\n\n\n"
                           "@require_safe\ndef feed(request):\n    return None\n\n\n"
                           "class NoteViewSet(viewsets.ModelViewSet):\n    pass\n"),
        "pages/urls.py": ("from django.urls import path\nfrom rest_framework.routers import SimpleRouter\n"
                          "from rest_framework.urlpatterns import format_suffix_patterns\n\nfrom .views import "
                          "NoteViewSet\n\nrouter = SimpleRouter()\nrouter.register('notes', NoteViewSet)\n"
                          "urlpatterns = [path('archive/<int:year>/', NoteViewSet.as_view({'get': 'list'}))]\n"
                          "urlpatterns = format_suffix_patterns(urlpatterns)\nurlpatterns += router.urls\n"),
    })
    arch = fx.analysed(repo.root)[1]
    assert {(e.method, e.path, e.framework) for e in arch.endpoints} == {
        ("GET", "/", "Django"), ("ANY", "/old", "Django"),  # TemplateView; RedirectView answers every method
        ("GET", "/contact", "Django"), ("POST", "/contact", "Django"),  # the handlers a View defines
        ("GET", "/ping", "Django"), ("POST", "/ping", "Django"), ("GET", "/feed", "Django"), ("HEAD", "/feed", "Django"),
        ("GET", "/pages/archive/{year}", DRF),  # as_view({"get": "list"})
        ("GET", "/pages/notes", DRF), ("POST", "/pages/notes", DRF), ("GET", "/pages/notes/{pk}", DRF),
        ("PUT", "/pages/notes/{pk}", DRF), ("PATCH", "/pages/notes/{pk}", DRF), ("DELETE", "/pages/notes/{pk}", DRF),
    }  # a SimpleRouter has no API root view


def test_a_url_file_that_does_not_parse_is_reported_not_skipped_silently(tmp_path: Path) -> None:
    repo = fx.make(tmp_path / "broken", {
        "requirements.txt": "Django>=5\n",
        "mysite/__init__.py": "",
        "mysite/settings.py": "ROOT_URLCONF = 'mysite.urls'\n",
        "mysite/urls.py": "from django.urls import path\n\nurlpatterns = [path('a/', view,]\n",
    })
    arch = fx.analysed(repo.root)[1]
    report = next(r for r in arch.framework_reports if r.framework == "Django")
    assert (report.found, report.problems) == (0, (
        "mysite/urls.py: not parsed as Python (a syntax error, another Python version, or not readable)",))
