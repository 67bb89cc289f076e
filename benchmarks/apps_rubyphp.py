"""Generated Ruby (Rails, ActiveRecord) and PHP (Laravel, Eloquent, Symfony) applications for bench_endpoints."""

from __future__ import annotations

from benchmarks.endpoint_app import App, deps

RUBY_ENDPOINTS = 30
"""Per unit: 3 x (5 resource routes + 2 nested + member + collection + verb route)."""
PHP_ENDPOINTS = 26
"""Per unit: 3 x (3 resource routes + 2 controller-group routes + 1 verb route) + 4 Symfony routes x 2 methods."""

def ruby(units: int) -> App:
    """Rails route files drawn from `config/routes.rb` (namespaces, nested resources with `only:`, member and
    collection routes, verb routes), controllers, ActiveRecord models with associations and a `db/schema.rb`."""
    files = {"config/routes.rb": "Rails.application.routes.draw do\n" + "".join(
        f"  draw :part{u}\n" for u in range(units)) + "end\n"}
    schema = ["ActiveRecord::Schema[7.1].define(version: 1) do"]
    for u in range(units):
        lines = [f"namespace :area{u} do"]
        for r in range(3):
            lines += [f"  resources :items{r}, only: %i[index show create update] do",
                      f"    resources :notes{r}, only: [:index, :create]",
                      "    member do", f"      post :approve{r}", "    end",
                      f"    get :search{r}, on: :collection", "  end",
                      f"  get 'reports/{r}', to: 'reports#show{r}'"]
        files[f"config/routes/part{u}.rb"] = "\n".join([*lines, "end", ""])
        for m in range(6):
            name = f"Thing{u}x{m}"
            files[f"app/models/thing{u}x{m}.rb"] = "\n".join([
                f"class {name} < ApplicationRecord", f"  belongs_to :owner{m}, class_name: 'User'",
                f"  has_many :parts{m}, dependent: :destroy", f"  has_many :tags, through: :parts{m}",
                "  validates :name, presence: true, length: { maximum: 120 }",
                "  scope :recent, -> { where('created_at > ?', 1.week.ago).order(created_at: :desc) }",
                "  before_save :normalise_name", "",
                *[f"  def helper{k}(value, options = {{}})\n    return if value.blank?\n\n"
                  f"    items = parts{m}.where(kind: options.fetch(:kind, {k})).map {{ |p| p.name.to_s.upcase }}\n"
                  f"    items.select {{ |i| i.start_with?(value.to_s) }}.first({k})\n  end\n" for k in range(18)],
                "  private", "", "  def normalise_name", "    self.name = name.to_s.strip", "  end", "end", ""])
            schema += [f'  create_table "thing{u}x{m}s", force: :cascade do |t|', '    t.string "name", null: false',
                       f'    t.references "owner{m}", null: false, foreign_key: {{ to_table: :users }}',
                       '    t.text "body"', '    t.integer "position", default: 0', "    t.timestamps",
                       '    t.index ["name"], unique: true', "  end"]
        files[f"app/controllers/area{u}/items_controller.rb"] = "\n".join([
            f"module Area{u}", "  class ItemsController < ApplicationController",
            *[f"    def action{k}\n      @items = Item.where(area: {u}).order(:name).limit({k})\n"
              f"      render json: @items.map {{ |i| {{ id: i.id, name: i.name }} }}\n    end" for k in range(40)],
            "  end", "end", ""])
    files["app/models/application_record.rb"] = "class ApplicationRecord < ActiveRecord::Base\n  primary_abstract_class\nend\n"
    files["db/schema.rb"] = "\n".join([*schema, "end", ""])
    return App(language="Ruby", stack="Rails, ActiveRecord", files=files,
               dependencies=deps("rubygems", "Gemfile", "rails"), endpoints=units * RUBY_ENDPOINTS,
               entities=units * 6)


def php(units: int) -> App:
    """Laravel route files required from `routes/api.php` (prefix and controller groups, resources, verb routes),
    Eloquent models with relation methods, migrations, and Symfony controllers with `#[Route]` attributes."""
    head = "<?php\n\nuse Illuminate\\Support\\Facades\\Route;\n\n"
    files = {"routes/api.php": head + "".join(f"require __DIR__.'/part{u}.php';\n" for u in range(units))}
    for u in range(units):
        lines = [f"Route::prefix('area{u}')->middleware('auth')->group(function () {{"]
        for r in range(3):
            lines += [f"    Route::apiResource('items{r}', Item{r}Controller::class)->only(['index', 'show', 'store']);",
                      f"    Route::controller(Report{r}Controller::class)->prefix('reports{r}')->group(function () {{",
                      "        Route::get('/', 'index');", "        Route::post('/{id}', 'update');", "    });",
                      f"    Route::get('feed{r}', [Feed{r}Controller::class, 'show'])->name('feed{r}');"]
        files[f"routes/part{u}.php"] = head + "\n".join([*lines, "});", ""])
        for m in range(4):
            name = f"Thing{u}x{m}"
            files[f"app/Models/{name}.php"] = "\n".join([
                "<?php", "", "namespace App\\Models;", "", "use Illuminate\\Database\\Eloquent\\Model;", "",
                f"class {name} extends Model", "{", "    protected $fillable = ['name', 'body'];", "",
                "    public function owner()", "    {", "        return $this->belongsTo(User::class, 'owner_id');",
                "    }", "", "    public function tags()", "    {", "        return $this->belongsToMany(Tag::class);",
                "    }", *[f"    public function helper{k}($value, array $options = [])\n    {{\n"
                         "        if ($value === null) {\n            return [];\n        }\n"
                         f"        return $this->tags()->where('kind', $options['kind'] ?? {k})->get()\n"
                         "            ->map(fn ($tag) => strtoupper($tag->name))->all();\n    }" for k in range(14)],
                "}", ""])
            files[f"database/migrations/2024_01_01_{u:04d}{m:02d}_create_things.php"] = "\n".join([
                "<?php", "", "return new class extends Migration", "{", "    public function up(): void", "    {",
                f"        Schema::create('thing{u}x{m}s', function (Blueprint $table) {{", "            $table->id();",
                "            $table->foreignId('owner_id')->constrained('users');",
                "            $table->string('name')->unique();", "            $table->text('body')->nullable();",
                "            $table->timestamps();", "        });", "    }", "};", ""])
            files[f"app/Http/Controllers/Thing{u}x{m}Controller.php"] = "\n".join([
                "<?php", "", "namespace App\\Http\\Controllers;", "", f"class Thing{u}x{m}Controller extends Controller",
                "{", *[f"    public function action{k}(Request $request)\n    {{\n        $items = Thing::query()"
                       f"->where('area', {u})->limit({k})->get();\n        return response()->json($items);\n    }}"
                       for k in range(20)], "}", ""])
        files[f"src/Controller/Area{u}Controller.php"] = "\n".join([
            "<?php", "", "namespace App\\Controller;", "", "use Symfony\\Component\\Routing\\Attribute\\Route;", "",
            f"#[Route('/area{u}')]", f"class Area{u}Controller", "{",
            *[f"    #[Route('/a{k}/{{id}}', methods: ['GET', 'POST'])]\n    public function a{k}(int $id): array\n"
              f"    {{\n        $rows = $this->repository->findBy(['area' => {u}, 'id' => $id]);\n"
              f"        return array_map(fn ($row) => $row->toArray(), $rows);\n    }}" for k in range(4)],
            *[f"    private function helper{k}(array $rows): array\n    {{\n"
              "        return array_filter($rows, fn ($row) => $row !== null);\n    }" for k in range(10)], "}", ""])
    return App(language="PHP", stack="Laravel, Eloquent, Symfony", files=files,
               dependencies=deps("composer", "composer.json", "laravel/framework", "symfony/framework-bundle"),
               endpoints=units * PHP_ENDPOINTS, entities=units * 4)
