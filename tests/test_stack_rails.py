# Rails: endpoints from config/routes.rb (and the files it draws) as ActionDispatch's Mapper builds them, checked
# against a realworld-like API and against the Rails routing guide's tables; Devise's documented routes; the
# ActiveRecord data model from db/schema.rb and the models' associations; the database from config/database.yml.
from __future__ import annotations

from pathlib import Path

import pytest

from autodevhub_docs.analysis.datamodel.activerecord import ActiveRecord
from autodevhub_docs.analysis.endpoints.inflect import pluralize, singularize
from autodevhub_docs.analysis.endpoints.rails_routes import RailsRoutes
from autodevhub_docs.model import SourceRef
from tests.stack_apps import analysed, app_files, pairs, repository, run_adapter

GEMFILE = 'source "https://rubygems.org"\n\ngem "rails", "~> 7.1"\n'
API_ONLY = "module App\n  class Application < Rails::Application\n    config.api_only = true\n  end\nend\n"


@pytest.fixture(scope="module")
def realworld(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return repository(tmp_path_factory.mktemp("rails") / "conduit", app_files("rails_realworld"))


@pytest.fixture(scope="module")
def realworld_arch(realworld: Path):
    return analysed(realworld)


def _routes(tmp_path: Path, routes: str, **files: str) -> set[tuple[str, str, str]]:
    """(method, path, handler) of a Rails app with these routes (and other files: `config/application.rb`...)."""
    extra = {name.replace("__", "/").replace("_rb", ".rb"): text for name, text in files.items()}
    root = repository(tmp_path / "app", {"Gemfile": GEMFILE, "config/routes.rb": routes, **extra})
    found = run_adapter(RailsRoutes(), root)
    assert found is not None
    return {(e.method, e.path, e.handler) for e in found.endpoints}


def _draw(body: str) -> str:
    return "Rails.application.routes.draw do\n" + body + "\nend\n"


REALWORLD_ENDPOINTS = {
    ("GET", "/up"), ("GET", "/"),
    ("GET", "/api/users/login"), ("POST", "/api/users/login"), ("DELETE", "/api/users/logout"),
    ("GET", "/api/users/sign_up"), ("POST", "/api/users"), ("GET", "/api/users/edit"), ("PATCH", "/api/users"),
    ("PUT", "/api/users"), ("DELETE", "/api/users"), ("GET", "/api/users/cancel"),
    ("GET", "/api/user"), ("PATCH", "/api/user"), ("PUT", "/api/user"),
    ("GET", "/api/profiles/{username}"),
    ("POST", "/api/profiles/{profile_username}/follow"), ("DELETE", "/api/profiles/{profile_username}/follow"),
    ("GET", "/api/articles"), ("POST", "/api/articles"), ("GET", "/api/articles/{slug}"),
    ("PATCH", "/api/articles/{slug}"), ("PUT", "/api/articles/{slug}"), ("DELETE", "/api/articles/{slug}"),
    ("GET", "/api/articles/feed"),
    ("POST", "/api/articles/{slug}/favorite"), ("DELETE", "/api/articles/{slug}/favorite"),
    ("GET", "/api/articles/{article_slug}/comments"), ("POST", "/api/articles/{article_slug}/comments"),
    ("DELETE", "/api/articles/{article_slug}/comments/{id}"),
    ("GET", "/api/tags"), ("GET", "/api/search"), ("POST", "/api/search"),
    ("GET", "/admin/users"), ("POST", "/admin/users"), ("GET", "/admin/users/{id}"), ("PATCH", "/admin/users/{id}"),
    ("PUT", "/admin/users/{id}"),
    ("GET", "/admin/users/{user_id}/annotations"), ("POST", "/admin/users/{user_id}/annotations"),
    ("GET", "/admin/annotations/{id}"), ("PATCH", "/admin/annotations/{id}"), ("PUT", "/admin/annotations/{id}"),
    ("DELETE", "/admin/annotations/{id}"),
    ("GET", "/admin/reports/daily"), ("GET", "/admin/reports/exports"), ("POST", "/admin/reports/exports"),
    ("GET", "/admin"),
    ("GET", "/dev/mailers/{id}"),
}


def test_realworld_api_lists_every_route_and_nothing_else(realworld_arch) -> None:
    assert pairs(realworld_arch, "Rails") == REALWORLD_ENDPOINTS


def test_realworld_handlers_carry_the_namespace_module_and_controller_options(realworld_arch) -> None:
    handlers = {(e.method, e.path): e.handler for e in realworld_arch.endpoints}
    assert handlers[("GET", "/api/user")] == "api/users#show"  # a singular resource maps to a plural controller
    assert handlers[("POST", "/api/profiles/{profile_username}/follow")] == "api/follows#create"
    assert handlers[("DELETE", "/api/articles/{slug}/favorite")] == "api/articles#unfavorite"
    assert handlers[("GET", "/api/articles/{article_slug}/comments")] == "api/comments#index"
    assert handlers[("GET", "/admin/reports/exports")] == "admin/reports/downloads#index"
    assert handlers[("GET", "/admin")] == "admin/dashboard#index"
    assert handlers[("GET", "/up")] == "rails/health#show"
    assert handlers[("POST", "/api/users/login")] == "api/sessions#create"
    assert handlers[("GET", "/api/users/sign_up")] == "api/registrations#new"


def test_realworld_sources_point_at_the_declaring_line(realworld_arch) -> None:
    by_pair = {(e.method, e.path): e.source for e in realworld_arch.endpoints}
    assert by_pair[("GET", "/api/articles/feed")] == SourceRef(path="config/routes.rb", line=26)
    assert by_pair[("GET", "/admin/users")] == SourceRef(path="config/routes/admin.rb", line=4)
    assert by_pair[("DELETE", "/api/users/logout")] == SourceRef(path="config/routes.rb", line=12)
    report = next(r for r in realworld_arch.framework_reports if r.framework == "Rails")
    assert report.files_read == ("config/routes.rb", "config/routes/admin.rb")
    assert report.problems == ()


# ---- the Rails routing guide's tables


def test_resources_follow_the_guide_table(tmp_path: Path) -> None:
    assert _routes(tmp_path, _draw("  resources :photos")) == {
        ("GET", "/photos", "photos#index"), ("GET", "/photos/new", "photos#new"),
        ("POST", "/photos", "photos#create"), ("GET", "/photos/{id}", "photos#show"),
        ("GET", "/photos/{id}/edit", "photos#edit"), ("PATCH", "/photos/{id}", "photos#update"),
        ("PUT", "/photos/{id}", "photos#update"), ("DELETE", "/photos/{id}", "photos#destroy"),
    }


def test_singular_resource_has_no_index_and_no_id_and_a_plural_controller(tmp_path: Path) -> None:
    assert _routes(tmp_path, _draw("  resource :geocoder")) == {
        ("GET", "/geocoder/new", "geocoders#new"), ("POST", "/geocoder", "geocoders#create"),
        ("GET", "/geocoder", "geocoders#show"), ("GET", "/geocoder/edit", "geocoders#edit"),
        ("PATCH", "/geocoder", "geocoders#update"), ("PUT", "/geocoder", "geocoders#update"),
        ("DELETE", "/geocoder", "geocoders#destroy"),
    }


def test_api_only_applications_have_no_new_and_edit(tmp_path: Path) -> None:
    found = _routes(tmp_path, _draw("  resources :photos\n  resource :profile"), config__application_rb=API_ONLY)
    assert {(m, p) for m, p, _ in found} == {
        ("GET", "/photos"), ("POST", "/photos"), ("GET", "/photos/{id}"), ("PATCH", "/photos/{id}"),
        ("PUT", "/photos/{id}"), ("DELETE", "/photos/{id}"),
        ("POST", "/profile"), ("GET", "/profile"), ("PATCH", "/profile"), ("PUT", "/profile"), ("DELETE", "/profile"),
    }


def test_nested_resources_take_the_parent_param(tmp_path: Path) -> None:
    found = _routes(tmp_path, _draw("  resources :magazines, only: [] do\n    resources :ads\n  end"))
    assert found == {
        ("GET", "/magazines/{magazine_id}/ads", "ads#index"), ("GET", "/magazines/{magazine_id}/ads/new", "ads#new"),
        ("POST", "/magazines/{magazine_id}/ads", "ads#create"), ("GET", "/magazines/{magazine_id}/ads/{id}", "ads#show"),
        ("GET", "/magazines/{magazine_id}/ads/{id}/edit", "ads#edit"),
        ("PATCH", "/magazines/{magazine_id}/ads/{id}", "ads#update"),
        ("PUT", "/magazines/{magazine_id}/ads/{id}", "ads#update"),
        ("DELETE", "/magazines/{magazine_id}/ads/{id}", "ads#destroy"),
    }


def test_shallow_nesting_follows_the_guide(tmp_path: Path) -> None:
    found = _routes(tmp_path, _draw("  resources :articles, only: [] do\n    resources :comments, shallow: true\n  end"))
    assert found == {
        ("GET", "/articles/{article_id}/comments", "comments#index"),
        ("POST", "/articles/{article_id}/comments", "comments#create"),
        ("GET", "/articles/{article_id}/comments/new", "comments#new"),
        ("GET", "/comments/{id}/edit", "comments#edit"), ("GET", "/comments/{id}", "comments#show"),
        ("PATCH", "/comments/{id}", "comments#update"), ("PUT", "/comments/{id}", "comments#update"),
        ("DELETE", "/comments/{id}", "comments#destroy"),
    }


@pytest.mark.parametrize(("routes", "expected"), [
    ('  scope shallow_path: "sekret" do\n    resources :posts, only: [] do\n'
     "      resources :comments, shallow: true, only: [:index, :show]\n    end\n  end",
     {("GET", "/posts/{post_id}/comments"), ("GET", "/sekret/comments/{id}")}),
    ("  shallow do\n    resources :posts, only: :show do\n      resources :comments, only: :show do\n"
     "        resources :likes, only: :index\n      end\n    end\n  end",
     {("GET", "/posts/{id}"), ("GET", "/comments/{id}"), ("GET", "/comments/{comment_id}/likes")}),
    ("  namespace :api do\n    resources :posts, shallow: true, only: [] do\n      resources :comments, only: :show\n"
     "    end\n  end", {("GET", "/api/comments/{id}")}),
])
def test_shallow_path_and_shallow_blocks(tmp_path: Path, routes: str, expected: set[tuple[str, str]]) -> None:
    assert {(m, p) for m, p, _ in _routes(tmp_path, _draw(routes))} == expected


@pytest.mark.parametrize(("routes", "expected"), [
    ("  namespace :admin do\n    resources :articles, only: :index\n  end", ("GET", "/admin/articles",
                                                                              "admin/articles#index")),
    ('  scope module: "admin" do\n    resources :articles, only: :index\n  end', ("GET", "/articles",
                                                                                "admin/articles#index")),
    ('  resources :articles, module: "admin", only: :index', ("GET", "/articles", "admin/articles#index")),
    ('  scope "/admin" do\n    resources :articles, only: :index\n  end', ("GET", "/admin/articles",
                                                                            "articles#index")),
    ('  resources :articles, path: "/admin/articles", only: :index', ("GET", "/admin/articles", "articles#index")),
    ('  resources :photos, controller: "images", only: :index', ("GET", "/photos", "images#index")),
    ('  namespace :admin, path: "sekret" do\n    resources :posts, only: :index\n  end',
     ("GET", "/sekret/posts", "admin/posts#index")),
    ("  resources :users, param: :username, only: :show", ("GET", "/users/{username}", "users#show")),
])
def test_namespaces_scopes_and_resource_options(tmp_path: Path, routes: str, expected: tuple[str, str, str]) -> None:
    assert _routes(tmp_path, _draw(routes)) == {expected}


def test_path_names_only_except_member_collection_and_new_routes(tmp_path: Path) -> None:
    found = _routes(tmp_path, _draw(
        '  resources :photos, path_names: { new: "make", edit: "change" }, except: [:index, :destroy] do\n'
        "    member do\n      get 'preview'\n    end\n    collection do\n      get 'search'\n    end\n"
        "    get 'thumbnail', on: :member\n    post :import, on: :collection\n    get :draft, on: :new\n"
        "    get :likes\n  end"))
    assert found == {
        ("GET", "/photos/make", "photos#new"), ("POST", "/photos", "photos#create"),
        ("GET", "/photos/{id}", "photos#show"), ("GET", "/photos/{id}/change", "photos#edit"),
        ("PATCH", "/photos/{id}", "photos#update"), ("PUT", "/photos/{id}", "photos#update"),
        ("GET", "/photos/{id}/preview", "photos#preview"), ("GET", "/photos/search", "photos#search"),
        ("GET", "/photos/{id}/thumbnail", "photos#thumbnail"), ("POST", "/photos/import", "photos#import"),
        ("GET", "/photos/make/draft", "photos#draft"), ("GET", "/photos/{photo_id}/likes", "photos#likes"),
    }


def test_verb_routes_match_root_redirect_globs_and_optional_segments(tmp_path: Path) -> None:
    found = _routes(tmp_path, _draw(
        "  root to: 'pages#main'\n"
        "  get 'photos/:id/with_user/:user_id', to: 'photos#show'\n"
        "  get 'exit', to: 'sessions#destroy', as: :logout\n"
        "  get 'photos/search'\n"
        "  match 'search', to: 'search#run', via: [:get, :post]\n"
        "  match 'anything', to: 'catch#all', via: :all\n"
        "  get 'photos(/:page)', to: 'photos#display'\n"
        "  get 'files/*path', to: 'files#show'\n"
        "  get '/stories', to: redirect('/articles')\n"
        "  post 'login' => 'sessions#create'\n"
        "  match 'no_via', to: 'x#y'\n"
        "  controller :pages do\n    get 'about', action: :about\n  end"))
    assert found == {
        ("GET", "/", "pages#main"), ("GET", "/photos/{id}/with_user/{user_id}", "photos#show"),
        ("GET", "/exit", "sessions#destroy"), ("GET", "/photos/search", "photos#search"),
        ("GET", "/search", "search#run"), ("POST", "/search", "search#run"), ("ANY", "/anything", "catch#all"),
        ("GET", "/photos", "photos#display"), ("GET", "/photos/{page}", "photos#display"),
        ("GET", "/files/{path}", "files#show"), ("GET", "/stories", "redirect('/articles')"),
        ("POST", "/login", "sessions#create"), ("GET", "/about", "pages#about"),
    }


def test_concerns_constraints_defaults_and_drawn_files(tmp_path: Path) -> None:
    found = _routes(tmp_path, _draw(
        "  concern :commentable do\n    resources :comments, only: :index\n  end\n"
        "  resources :messages, only: [], concerns: :commentable\n"
        "  resources :posts, only: [] do\n    concerns :commentable\n  end\n"
        "  constraints(subdomain: 'api') do\n    defaults format: :json do\n      draw :v1\n    end\n  end"),
        config__routes__v1_rb="namespace :v1 do\n  resources :tags, only: :index\nend\n")
    assert found == {
        ("GET", "/messages/{message_id}/comments", "comments#index"),
        ("GET", "/posts/{post_id}/comments", "comments#index"), ("GET", "/v1/tags", "v1/tags#index"),
    }


# ---- Devise

DEVISE_ALL = ("class User < ApplicationRecord\n  devise :database_authenticatable, :registerable, :recoverable,\n"
              "         :rememberable, :validatable, :confirmable, :lockable, :omniauthable\nend\n")


def test_devise_for_lists_devise_documented_routes_for_every_module(tmp_path: Path) -> None:
    found = _routes(tmp_path, _draw("  devise_for :users"), app__models__user_rb=DEVISE_ALL)
    s, p, r, c, u, o = ("devise/sessions", "devise/passwords", "devise/registrations", "devise/confirmations",
                        "devise/unlocks", "devise/omniauth_callbacks")
    assert found == {
        ("GET", "/users/sign_in", f"{s}#new"), ("POST", "/users/sign_in", f"{s}#create"),
        ("DELETE", "/users/sign_out", f"{s}#destroy"),
        ("GET", "/users/password/new", f"{p}#new"), ("GET", "/users/password/edit", f"{p}#edit"),
        ("PATCH", "/users/password", f"{p}#update"), ("PUT", "/users/password", f"{p}#update"),
        ("POST", "/users/password", f"{p}#create"),
        ("GET", "/users/cancel", f"{r}#cancel"), ("GET", "/users/sign_up", f"{r}#new"),
        ("GET", "/users/edit", f"{r}#edit"), ("PATCH", "/users", f"{r}#update"), ("PUT", "/users", f"{r}#update"),
        ("DELETE", "/users", f"{r}#destroy"), ("POST", "/users", f"{r}#create"),
        ("GET", "/users/confirmation/new", f"{c}#new"), ("GET", "/users/confirmation", f"{c}#show"),
        ("POST", "/users/confirmation", f"{c}#create"),
        ("GET", "/users/unlock/new", f"{u}#new"), ("GET", "/users/unlock", f"{u}#show"),
        ("POST", "/users/unlock", f"{u}#create"),
        ("GET", "/users/auth/{provider}", f"{o}#passthru"), ("POST", "/users/auth/{provider}", f"{o}#passthru"),
        ("GET", "/users/auth/{provider}/callback", f"{o}#{{provider}}"),
        ("POST", "/users/auth/{provider}/callback", f"{o}#{{provider}}"),
    }


def test_devise_options_only_path_module_sign_out_via_and_unlock_strategy(tmp_path: Path) -> None:
    model = ("module Admin\n  class Account < ApplicationRecord\n"
             "    devise :database_authenticatable, :lockable, unlock_strategy: :time\n  end\nend\n")
    initializer = "Devise.setup do |config|\n  config.sign_out_via = [:get, :delete]\nend\n"
    found = _routes(tmp_path, _draw(
        "  devise_for :admins, class_name: 'Admin::Account', path: 'staff', module: 'staff'\n"
        "  devise_for :users, only: :sessions, path: ''"),
        app__models__admin__account_rb=model, config__initializers__devise_rb=initializer,
        app__models__user_rb=DEVISE_ALL)
    assert found == {
        ("GET", "/staff/sign_in", "staff/sessions#new"), ("POST", "/staff/sign_in", "staff/sessions#create"),
        ("GET", "/staff/sign_out", "staff/sessions#destroy"), ("DELETE", "/staff/sign_out", "staff/sessions#destroy"),
        ("GET", "/sign_in", "devise/sessions#new"), ("POST", "/sign_in", "devise/sessions#create"),
        ("GET", "/sign_out", "devise/sessions#destroy"), ("DELETE", "/sign_out", "devise/sessions#destroy"),
    }


def test_devise_for_without_a_devise_model_lists_nothing_and_says_why(tmp_path: Path) -> None:
    root = repository(tmp_path / "app", {"Gemfile": GEMFILE, "config/routes.rb": _draw("  devise_for :members")})
    found = run_adapter(RailsRoutes(), root)
    assert found is not None and found.endpoints == ()
    assert found.problems == ("config/routes.rb:2: devise_for :members: no model Member with a `devise` call was "
                              "found under app/models, so its routes cannot be told",)


# ---- hostile and absent


def test_broken_missing_and_recursive_route_files_do_not_stop_the_build(tmp_path: Path) -> None:
    routes = _draw("  resources :ok, only: :index\n  draw :missing\n  draw :self_drawn\n"
                   "  concern :loop do\n    concerns :loop\n    resources :inner, only: :index\n  end\n"
                   "  concerns :loop\n  resources :broken, only: [:index do\n")
    root = repository(tmp_path / "app", {"Gemfile": GEMFILE, "config/routes.rb": routes,
                                         "config/routes/self_drawn.rb": "draw :self_drawn\n"})
    found = run_adapter(RailsRoutes(), root)
    assert found is not None
    assert {(e.method, e.path) for e in found.endpoints} >= {("GET", "/ok"), ("GET", "/inner")}
    assert "config/routes/missing.rb: missing" in found.problems
    assert any(p.startswith("config/routes/self_drawn.rb: draws itself") for p in found.problems)


def test_deeply_nested_blocks_are_bounded(tmp_path: Path) -> None:
    depth = 300
    routes = _draw("  scope 'a' do\n" * depth + "  get 'deep', to: 'd#e'\n" + "  end\n" * depth)
    root = repository(tmp_path / "app", {"Gemfile": GEMFILE, "config/routes.rb": routes})
    found = run_adapter(RailsRoutes(), root)
    assert found is not None and found.endpoints == ()
    assert any("nested deeper than 64 levels" in p for p in found.problems)


def test_a_routes_file_that_is_not_rails_is_not_read_as_rails(tmp_path: Path) -> None:
    hanami = 'module Bookshelf\n  class Routes < Hanami::Routes\n    get "/books", to: "books.index"\n  end\nend\n'
    root = repository(tmp_path / "app", {"Gemfile": 'gem "hanami"\n', "config/routes.rb": hanami})
    assert run_adapter(RailsRoutes(), root) is None
    assert run_adapter(ActiveRecord(), root) is None


def test_spec_folders_are_not_read(realworld_arch) -> None:
    report = next(r for r in realworld_arch.framework_reports if r.framework == "ActiveRecord")
    assert not any(p.startswith("spec/") for p in report.files_read)


# ---- ActiveRecord

REALWORLD_ENTITIES = {
    ("User", "users"), ("Article", "articles"), ("Comment", "comments"), ("Favorite", "favorites"),
    ("Follow", "follows"), ("Tag", "tags"), ("Tagging", "taggings"), ("Category", "categories"),
    ("NotificationSetting", "notification_settings"), ("audit_events", "audit_events"),
}
REALWORLD_RELATIONS = {
    ("Article", "User", "many-to-one", "author", "articles", None, False),
    ("Comment", "Article", "many-to-one", "article", "comments", None, False),
    ("Comment", "User", "many-to-one", "user", "comments", None, False),
    ("Favorite", "User", "many-to-one", "user", "favorites", None, False),
    ("Favorite", "Article", "many-to-one", "article", "favorites", None, False),
    ("Follow", "User", "many-to-one", "follower", "active_follows", None, False),
    ("Follow", "User", "many-to-one", "followed", "passive_follows", None, False),
    ("Tagging", "Tag", "many-to-one", "tag", "taggings", None, False),
    ("Tagging", "Article", "many-to-one", "article", "taggings", None, False),
    ("NotificationSetting", "User", "one-to-one", "user", "notification_setting", None, False),
    ("audit_events", "User", "many-to-one", "user_id", "", None, True),
    ("Article", "User", "many-to-many", "favorited_by", "favorite_articles", "favorites", False),
    ("Article", "Tag", "many-to-many", "tags", "articles", "taggings", False),
    ("Article", "Category", "many-to-many", "categories", "articles", "articles_categories", False),
    ("User", "User", "many-to-many", "following", "followers", "follows", False),
}


def test_activerecord_entities_are_the_models_and_the_tables_no_model_maps(realworld_arch) -> None:
    assert {(e.name, e.table) for e in realworld_arch.entities} == REALWORLD_ENTITIES
    assert {e.orm for e in realworld_arch.entities} == {"ActiveRecord"}


def test_activerecord_relations_have_both_ends_cardinality_and_join_tables(realworld_arch) -> None:
    found = {(r.left, r.right, r.cardinality, r.label, r.right_label, r.through, r.inferred)
             for r in realworld_arch.relations}
    assert found == REALWORLD_RELATIONS


def test_schema_columns_keys_and_nullability(realworld_arch) -> None:
    article = next(e for e in realworld_arch.entities if e.name == "Article")
    fields = {f.name: (f.type, f.key, f.references, f.nullable) for f in article.fields}
    assert fields == {
        "id": ("bigint", "PK", None, None), "title": ("string", None, None, False),
        "slug": ("string", "UK", None, False), "description": ("text", None, None, True),
        "body": ("text", None, None, True), "author_id": ("bigint", "FK", "users.id", False),
        "favorites_count": ("integer", None, None, False), "created_at": ("datetime", None, None, False),
        "updated_at": ("datetime", None, None, False),
    }
    audit = next(e for e in realworld_arch.entities if e.name == "audit_events")
    assert [(f.name, f.type, f.key) for f in audit.fields][0] == ("id", "uuid", "PK")


def test_database_per_environment_comes_from_database_yml(realworld: Path) -> None:
    found = run_adapter(ActiveRecord(), realworld)
    assert found is not None
    assert set(found.technologies) == {("SQLite", SourceRef(path="config/database.yml", line=7)),
                                       ("PostgreSQL", SourceRef(path="config/database.yml", line=17))}


def test_models_alone_give_entities_and_relations_without_a_schema(tmp_path: Path) -> None:
    root = repository(tmp_path / "app", {
        "Gemfile": GEMFILE,
        "app/models/application_record.rb": "class ApplicationRecord < ActiveRecord::Base\n"
                                            "  self.abstract_class = true\nend\n",
        "app/models/post.rb": "class Post < ApplicationRecord\n  self.table_name = 'blog_posts'\n"
                              "  has_many :comments\n  has_one :cover, class_name: 'Image'\nend\n",
        "app/models/comment.rb": "class Comment < ApplicationRecord\n  belongs_to :post\nend\n",
        "app/models/image.rb": "class Image < ApplicationRecord\nend\n",
        "app/models/admin.rb": "class Admin < Comment\nend\n",
    })
    arch = analysed(root)
    assert {(e.name, e.table) for e in arch.entities} == {("Post", "blog_posts"), ("Comment", "comments"),
                                                          ("Image", "images")}
    assert {(r.left, r.right, r.cardinality, r.label, r.right_label) for r in arch.relations} == {
        ("Comment", "Post", "many-to-one", "post", "comments"), ("Image", "Post", "one-to-one", "post_id", "cover")}


@pytest.mark.parametrize(("singular", "plural"), [
    ("article", "articles"), ("person", "people"), ("category", "categories"), ("status", "statuses"),
    ("address", "addresses"), ("box", "boxes"), ("knife", "knives"), ("child", "children"), ("sheep", "sheep"),
    ("quiz", "quizzes"), ("mouse", "mice"), ("analysis", "analyses"), ("blog_post", "blog_posts"),
    ("index", "indices"), ("series", "series"), ("tomato", "tomatoes"), ("half", "halves"), ("news", "news"),
])
def test_inflections_follow_activesupport(singular: str, plural: str) -> None:
    assert pluralize(singular) == plural
    assert singularize(plural) == singular


def test_drawn_paths_stay_inside_the_repository(tmp_path: Path) -> None:
    (tmp_path / "outside.rb").write_text("get 'stolen', to: 'x#y'\n", encoding="utf-8")
    root = repository(tmp_path / "app", {"Gemfile": GEMFILE, "config/routes.rb": _draw("  draw '../../../outside'")})
    found = run_adapter(RailsRoutes(), root)
    assert found is not None and found.endpoints == ()
    assert found.problems == ("config/routes/../../../outside.rb: missing",)
