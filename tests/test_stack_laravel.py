# Laravel: endpoints from the route files in the groups that load them (Laravel 11 bootstrap/app.php, the older
# RouteServiceProvider, or the skeleton's /api convention), checked against a realworld-like API and against the
# documented resource tables; the Eloquent data model from models and migrations; the database from .env.example
# and config/database.php.
from __future__ import annotations

from pathlib import Path

import pytest

from autodevhub_docs.analysis.datamodel.eloquent import Eloquent
from autodevhub_docs.analysis.endpoints.laravel_routes import LaravelRoutes
from autodevhub_docs.model import SourceRef
from tests.stack_apps import analysed, app_files, pairs, repository, run_adapter

COMPOSER = '{"require": {"laravel/framework": "^11.0"}}\n'
HEAD = "<?php\n\nuse Illuminate\\Support\\Facades\\Route;\n\n"


@pytest.fixture(scope="module")
def realworld(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return repository(tmp_path_factory.mktemp("laravel") / "conduit", app_files("laravel_realworld"))


@pytest.fixture(scope="module")
def realworld_arch(realworld: Path):
    return analysed(realworld)


def _routes(tmp_path: Path, files: dict[str, str]) -> set[tuple[str, str, str]]:
    root = repository(tmp_path / "app", {"composer.json": COMPOSER, **files})
    found = run_adapter(LaravelRoutes(), root)
    assert found is not None
    return {(e.method, e.path, e.handler) for e in found.endpoints}


def _web(body: str) -> dict[str, str]:
    """A routes/web.php holding these statements (routes without a prefix)."""
    return {"routes/web.php": HEAD + body}


REALWORLD_ENDPOINTS = {
    ("POST", "/api/users/login"), ("POST", "/api/users"), ("GET", "/api/user"), ("PUT", "/api/user"),
    ("POST", "/api/profiles/{username}/follow"), ("DELETE", "/api/profiles/{username}/follow"),
    ("GET", "/api/profiles/{username}"), ("GET", "/api/articles/feed"),
    ("POST", "/api/articles"), ("PUT", "/api/articles/{article}"), ("PATCH", "/api/articles/{article}"),
    ("DELETE", "/api/articles/{article}"), ("GET", "/api/articles"), ("GET", "/api/articles/{article}"),
    ("POST", "/api/articles/{article}/comments"), ("DELETE", "/api/articles/{article}/comments/{comment}"),
    ("GET", "/api/articles/{article}/comments"),
    ("POST", "/api/articles/{article}/favorite"), ("DELETE", "/api/articles/{article}/favorite"),
    ("GET", "/api/tags"),
    ("GET", "/"), ("GET", "/about"), ("ANY", "/home"), ("GET", "/dashboard"),
    ("GET", "/admin/articles"), ("GET", "/admin/articles/create"), ("POST", "/admin/articles"),
    ("GET", "/admin/articles/{article}/edit"), ("PUT", "/admin/articles/{article}"),
    ("PATCH", "/admin/articles/{article}"), ("DELETE", "/admin/articles/{article}"),
    ("GET", "/admin/tags"), ("GET", "/admin/tags/{tag}/edit"), ("PUT", "/admin/tags/{tag}"),
    ("PATCH", "/admin/tags/{tag}"),
    ("GET", "/admin/users"), ("GET", "/admin/users/{user}/edit"), ("PUT", "/admin/users/{user}"),
    ("PATCH", "/admin/users/{user}"),
    ("GET", "/admin/settings"), ("POST", "/admin/settings"),
    ("GET", "/admin/profile"), ("GET", "/admin/profile/edit"), ("PUT", "/admin/profile"), ("PATCH", "/admin/profile"),
    ("DELETE", "/admin/profile"),
    ("GET", "/account/profile"), ("PATCH", "/account/profile"), ("DELETE", "/account/profile"),
    ("ANY", "/webhooks/mailgun"),
    ("GET", "/register"), ("POST", "/register"), ("GET", "/login"), ("POST", "/login"), ("POST", "/logout"),
    ("GET", "/up"),
}


def test_realworld_api_lists_every_route_and_nothing_else(realworld_arch) -> None:
    assert pairs(realworld_arch, "Laravel") == REALWORLD_ENDPOINTS


def test_realworld_handlers(realworld_arch) -> None:
    handlers = {(e.method, e.path): e.handler for e in realworld_arch.endpoints}
    assert handlers[("GET", "/api/user")] == "UserController@show"  # a controller group's method name
    assert handlers[("POST", "/api/articles/{article}/favorite")] == "FavoriteController@store"
    assert handlers[("GET", "/api/tags")] == "TagController"  # invokable
    assert handlers[("GET", "/admin/tags")] == "Admin\\TagController@index"
    assert handlers[("DELETE", "/api/articles/{article}/comments/{comment}")] == "CommentController@destroy"
    assert handlers[("GET", "/")] == "closure"
    assert handlers[("GET", "/about")] == "view pages.about"
    assert handlers[("GET", "/login")] == "AuthenticatedSessionController@create"


def test_realworld_sources_and_files_read(realworld_arch) -> None:
    by_pair = {(e.method, e.path): e.source for e in realworld_arch.endpoints}
    assert by_pair[("GET", "/account/profile")] == SourceRef(path="routes/account.php", line=6)
    assert by_pair[("GET", "/api/articles")] == SourceRef(path="routes/api.php", line=37)
    assert by_pair[("GET", "/up")] == SourceRef(path="bootstrap/app.php", line=12)
    report = next(r for r in realworld_arch.framework_reports if r.framework == "Laravel")
    assert set(report.files_read) == {"routes/web.php", "routes/account.php", "routes/auth.php", "routes/api.php"}
    assert report.problems == ()


# ---- the documented resource tables

PHOTOS = {
    ("GET", "/photos", "PhotoController@index"), ("GET", "/photos/create", "PhotoController@create"),
    ("POST", "/photos", "PhotoController@store"), ("GET", "/photos/{photo}", "PhotoController@show"),
    ("GET", "/photos/{photo}/edit", "PhotoController@edit"), ("PUT", "/photos/{photo}", "PhotoController@update"),
    ("PATCH", "/photos/{photo}", "PhotoController@update"), ("DELETE", "/photos/{photo}", "PhotoController@destroy"),
}


@pytest.mark.parametrize(("body", "expected"), [
    ("Route::resource('photos', PhotoController::class);", PHOTOS),
    ("Route::apiResource('photos', PhotoController::class);",
     {r for r in PHOTOS if not r[2].endswith(("@create", "@edit"))}),
    ("Route::resource('photos', PhotoController::class)->only(['index', 'show']);",
     {("GET", "/photos", "PhotoController@index"), ("GET", "/photos/{photo}", "PhotoController@show")}),
    ("Route::resource('photos', PhotoController::class)->except(['create', 'store', 'update', 'destroy']);",
     {("GET", "/photos", "PhotoController@index"), ("GET", "/photos/{photo}", "PhotoController@show"),
      ("GET", "/photos/{photo}/edit", "PhotoController@edit")}),
    ("Route::resource('photos.comments', C::class)->only('show');",
     {("GET", "/photos/{photo}/comments/{comment}", "C@show")}),
    ("Route::resource('photos.comments', C::class)->shallow();", {
        ("GET", "/photos/{photo}/comments", "C@index"), ("GET", "/photos/{photo}/comments/create", "C@create"),
        ("POST", "/photos/{photo}/comments", "C@store"), ("GET", "/comments/{comment}", "C@show"),
        ("GET", "/comments/{comment}/edit", "C@edit"), ("PUT", "/comments/{comment}", "C@update"),
        ("PATCH", "/comments/{comment}", "C@update"), ("DELETE", "/comments/{comment}", "C@destroy")}),
    ("Route::resource('users', C::class)->parameters(['users' => 'admin_user'])->only('show');",
     {("GET", "/users/{admin_user}", "C@show")}),
    ("Route::apiResource('user-profiles', C::class)->only('show');", {("GET", "/user-profiles/{user_profile}", "C@show")}),
    ("Route::singleton('profile', C::class);", {
        ("GET", "/profile", "C@show"), ("GET", "/profile/edit", "C@edit"), ("PUT", "/profile", "C@update"),
        ("PATCH", "/profile", "C@update")}),
    ("Route::singleton('photos.thumbnail', C::class)->creatable();", {
        ("GET", "/photos/{photo}/thumbnail", "C@show"), ("GET", "/photos/{photo}/thumbnail/edit", "C@edit"),
        ("PUT", "/photos/{photo}/thumbnail", "C@update"), ("PATCH", "/photos/{photo}/thumbnail", "C@update"),
        ("GET", "/photos/{photo}/thumbnail/create", "C@create"), ("POST", "/photos/{photo}/thumbnail", "C@store"),
        ("DELETE", "/photos/{photo}/thumbnail", "C@destroy")}),
    ("Route::apiSingleton('profile', C::class)->destroyable();", {
        ("GET", "/profile", "C@show"), ("PUT", "/profile", "C@update"), ("PATCH", "/profile", "C@update"),
        ("DELETE", "/profile", "C@destroy")}),
    ("Route::apiResources(['photos' => P::class, 'posts' => 'PostController'], ['only' => ['index']]);",
     {("GET", "/photos", "P@index"), ("GET", "/posts", "PostController@index")}),
])
def test_resources_follow_the_documented_tables(tmp_path: Path, body: str, expected: set[tuple[str, str, str]]) -> None:
    assert _routes(tmp_path, _web(body)) == expected


def test_groups_verbs_and_handlers(tmp_path: Path) -> None:
    body = ("Route::prefix('v1')->group(function () {\n"
            "    Route::group(['prefix' => 'admin', 'middleware' => 'auth'], function () {\n"
            "        Route::get('/users/{id?}', 'UserController@show');\n"
            "        Route::middleware('throttle')->post('/import', [ImportController::class, 'store']);\n"
            "    });\n"
            "    Route::controller(OrderController::class)->group(fn () => Route::patch('/orders/{order}', 'update'));\n"
            "    Route::match(['put', 'delete'], '/cart', CartController::class);\n"
            "    Route::options('/ping', fn () => response()->noContent());\n"
            "    if (config('app.legacy')) {\n        Route::get('/old', [LegacyController::class, 'index']);\n    }\n"
            "});\n"
            "Route::fallback(fn () => abort(404));\n")
    assert _routes(tmp_path, _web(body)) == {
        ("GET", "/v1/admin/users/{id}", "UserController@show"), ("POST", "/v1/admin/import", "ImportController@store"),
        ("PATCH", "/v1/orders/{order}", "OrderController@update"), ("PUT", "/v1/cart", "CartController"),
        ("DELETE", "/v1/cart", "CartController"), ("OPTIONS", "/v1/ping", "closure"),
        ("GET", "/v1/old", "LegacyController@index"),
    }


# ---- which files, under which prefix


def test_api_prefix_from_with_routing(tmp_path: Path) -> None:
    app = ("<?php\nreturn Application::configure(basePath: dirname(__DIR__))\n"
           "    ->withRouting(api: __DIR__.'/../routes/api.php', apiPrefix: 'api/v2')->create();\n")
    found = _routes(tmp_path, {"bootstrap/app.php": app, "routes/api.php": HEAD + "Route::get('/me', MeController::class);",
                               "routes/web.php": HEAD + "Route::get('/not-loaded', X::class);"})
    assert found == {("GET", "/api/v2/me", "MeController")}


def test_route_service_provider_groups_load_the_files_with_their_prefixes(tmp_path: Path) -> None:
    provider = ("<?php\nnamespace App\\Providers;\n\nuse Illuminate\\Support\\Facades\\Route;\n\n"
                "class RouteServiceProvider extends ServiceProvider\n{\n    public function boot(): void\n    {\n"
                "        $this->routes(function () {\n"
                "            Route::middleware('api')->prefix('api/v1')->group(base_path('routes/api.php'));\n"
                "            Route::middleware('web')->group(base_path('routes/web.php'));\n"
                "        });\n    }\n}\n")
    found = _routes(tmp_path, {
        "bootstrap/app.php": "<?php\n$app = new Illuminate\\Foundation\\Application(dirname(__DIR__));\nreturn $app;\n",
        "app/Providers/RouteServiceProvider.php": provider,
        "routes/api.php": HEAD + "Route::get('/me', [MeController::class, 'show']);",
        "routes/web.php": HEAD + "Route::get('/', HomeController::class);"})
    assert found == {("GET", "/api/v1/me", "MeController@show"), ("GET", "/", "HomeController")}


def test_without_configuration_api_php_takes_the_api_prefix(tmp_path: Path) -> None:
    found = _routes(tmp_path, {"routes/api.php": HEAD + "Route::get('/status', StatusController::class);"})
    assert found == {("GET", "/api/status", "StatusController")}


def test_broken_missing_and_self_loading_files_do_not_stop_the_build(tmp_path: Path) -> None:
    app = ("<?php\nreturn Application::configure(basePath: dirname(__DIR__))\n"
           "    ->withRouting(web: __DIR__.'/../routes/web.php', api: __DIR__.'/../routes/gone.php')->create();\n")
    root = repository(tmp_path / "app", {
        "composer.json": COMPOSER, "bootstrap/app.php": app,
        "routes/web.php": HEAD + "Route::get('/ok', OkController::class);\nrequire __DIR__.'/web.php';\n"
                          "Route::get('/broken', [X::class, 'y'\n"})
    found = run_adapter(LaravelRoutes(), root)
    assert found is not None
    assert ("GET", "/ok") in {(e.method, e.path) for e in found.endpoints}
    assert "routes/gone.php: missing" in found.problems
    assert any(p.startswith("routes/web.php: loaded again from itself") for p in found.problems)


def test_no_laravel_no_report(tmp_path: Path) -> None:
    root = repository(tmp_path / "app", {"composer.json": '{"require": {"slim/slim": "^4"}}',
                                         "routes/web.php": HEAD + "Route::get('/x', X::class);"})
    assert run_adapter(LaravelRoutes(), root) is None
    assert run_adapter(Eloquent(), root) is None


# ---- Eloquent

REALWORLD_ENTITIES = {("User", "users"), ("Article", "articles"), ("Comment", "article_comments"), ("Tag", "tags"),
                      ("password_reset_tokens", "password_reset_tokens"), ("sessions", "sessions")}
REALWORLD_RELATIONS = {
    ("Article", "User", "many-to-one", "author", "articles", None, False),
    ("Comment", "Article", "many-to-one", "article", "comments", None, False),
    ("Comment", "User", "many-to-one", "author", "", None, False),
    ("sessions", "User", "many-to-one", "user_id", "", None, True),
    ("Article", "Tag", "many-to-many", "tags", "articles", "article_tag", False),
    ("Article", "User", "many-to-many", "favoritedBy", "favorites", "article_favorite", False),
    ("User", "User", "many-to-many", "followers", "following", "followers", False),
}


def test_eloquent_entities_are_the_models_and_the_tables_no_model_maps(realworld_arch) -> None:
    assert {(e.name, e.table) for e in realworld_arch.entities} == REALWORLD_ENTITIES
    assert {e.orm for e in realworld_arch.entities} == {"Eloquent"}


def test_eloquent_relations_have_both_ends_cardinality_and_pivots(realworld_arch) -> None:
    found = {(r.left, r.right, r.cardinality, r.label, r.right_label, r.through, r.inferred)
             for r in realworld_arch.relations}
    assert found == REALWORLD_RELATIONS


def test_migration_columns_in_order_with_later_alterations(realworld_arch) -> None:
    user = next(e for e in realworld_arch.entities if e.name == "User")
    assert [(f.name, f.type, f.key, f.nullable) for f in user.fields] == [
        ("id", "bigint", "PK", None), ("username", "string", "UK", False), ("email", "string", "UK", False),
        ("email_verified_at", "timestamp", None, True), ("password", "string", None, False),
        ("bio", "text", None, True), ("remember_token", "string", None, True),
        ("created_at", "timestamp", None, True), ("updated_at", "timestamp", None, True),
        ("image", "string", None, True),
    ]
    comment = next(e for e in realworld_arch.entities if e.name == "Comment")
    assert {f.name: f.references for f in comment.fields if f.key == "FK"} == {
        "article_id": "articles.id", "author_id": "users.id"}


def test_database_from_env_example_and_config_default(realworld: Path) -> None:
    found = run_adapter(Eloquent(), realworld)
    assert found is not None
    assert set(found.technologies) == {("MySQL", SourceRef(path=".env.example", line=6)),
                                       ("SQLite", SourceRef(path="config/database.php", line=7))}


def test_migrations_drop_rename_and_foreign_id_for(tmp_path: Path) -> None:
    migration = ("<?php\nreturn new class extends Migration {\n    public function up(): void\n    {\n"
                 "        Schema::create('teams', fn (Blueprint $t) => $t->id());\n"
                 "        Schema::create('players', function (Blueprint $t) {\n            $t->uuid('id')->primary();\n"
                 "            $t->foreignIdFor(Team::class)->constrained();\n            $t->softDeletes();\n"
                 "            $t->morphs('owner');\n        });\n"
                 "        Schema::create('scratch', fn (Blueprint $t) => $t->id());\n"
                 "        Schema::dropIfExists('scratch');\n        Schema::rename('players', 'members');\n    }\n"
                 "    public function down(): void\n    {\n        Schema::drop('teams');\n    }\n};\n")
    root = repository(tmp_path / "app", {"composer.json": COMPOSER,
                                         "database/migrations/2024_01_01_000000_teams.php": migration})
    found = run_adapter(Eloquent(), root)
    assert found is not None
    assert {(e.name, tuple((f.name, f.type, f.key) for f in e.fields)) for e in found.entities} == {
        ("teams", (("id", "bigint", "PK"),)),
        ("members", (("id", "uuid", "PK"), ("team_id", "bigint", "FK"), ("deleted_at", "timestamp", None),
                     ("owner_type", "string", None), ("owner_id", "bigint", None))),
    }
    assert {(r.left, r.right, r.cardinality, r.label, r.inferred) for r in found.relations} == {
        ("members", "teams", "many-to-one", "team_id", False)}


def test_has_one_is_one_to_one_and_has_many_without_a_schema_is_one_to_many(tmp_path: Path) -> None:
    model = "<?php\nnamespace App\\Models;\n\nuse Illuminate\\Database\\Eloquent\\Model;\n\n"
    root = repository(tmp_path / "app", {
        "composer.json": COMPOSER,
        "app/Models/User.php": model + "class User extends Model\n{\n    public function profile()\n    {\n"
                               "        return $this->hasOne(Profile::class);\n    }\n"
                               "    public function posts()\n    {\n        return $this->hasMany(Post::class);\n    }\n}\n",
        "app/Models/Profile.php": model + "class Profile extends Model\n{\n}\n",
        "app/Models/Post.php": model + "class Post extends User\n{\n    protected $table = 'blog_posts';\n}\n",
    })
    found = run_adapter(Eloquent(), root)
    assert found is not None
    assert {(e.name, e.table) for e in found.entities} == {("User", "users"), ("Profile", "profiles"),
                                                           ("Post", "blog_posts")}
    assert {(r.left, r.right, r.cardinality, r.label, r.right_label) for r in found.relations} == {
        ("Profile", "User", "one-to-one", "user_id", "profile"), ("Post", "User", "many-to-one", "user_id", "posts")}


def test_required_paths_stay_inside_the_repository(tmp_path: Path) -> None:
    (tmp_path / "outside.php").write_text(HEAD + "Route::get('/stolen', X::class);", encoding="utf-8")
    root = repository(tmp_path / "app", {"composer.json": COMPOSER,
                                         "routes/web.php": HEAD + "require __DIR__.'/../../outside.php';"})
    found = run_adapter(LaravelRoutes(), root)
    assert found is not None and found.endpoints == ()
    assert found.problems == ("../outside.php: missing",)
