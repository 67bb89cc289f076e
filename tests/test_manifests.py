# The one manifest reader: every format read with a real parser, every dependency with its scope and line.
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from autodevhub_docs.sources.manifests import is_manifest, read_manifest


def deps(path: str, text: str) -> list[tuple[str, str, str, int]]:
    manifest = read_manifest(path, text)
    assert manifest is not None
    assert manifest.problem == ""
    return [(d.name, d.spec, d.scope, d.line) for d in manifest.dependencies]


def test_pep621_arrays_keep_every_item_after_an_extras_spec() -> None:
    # The old line reader stopped at the first `]` (inside `[standard]`) and lost httpx: "Stop using HTTPX".
    text = ('[project]\nname = "app"\ndependencies = [\n    "fastapi[standard]<1.0.0,>=0.114.2",\n'
            '    "httpx<1.0.0,>=0.25.1",\n    "GitPython",\n]\n')
    assert deps("pyproject.toml", text) == [("fastapi", "<1.0.0,>=0.114.2", "runtime", 4),
                                           ("httpx", "<1.0.0,>=0.25.1", "runtime", 5),
                                           ("gitpython", "", "runtime", 6)]


def test_poetry_to_uv_keeps_the_dev_tools() -> None:
    # The same tools before and after a Poetry -> uv move: nothing was removed.
    poetry = ('[tool.poetry]\nname = "app"\n\n[tool.poetry.dependencies]\npython = "^3.10"\nfastapi = "^0.110"\n\n'
              '[tool.poetry.group.dev.dependencies]\npytest = "^8"\nruff = "*"\nmypy = {version = "^1.8"}\n')
    uv = ('[project]\nname = "app"\ndependencies = ["fastapi>=0.110"]\n\n[tool.uv]\n'
          'dev-dependencies = ["pytest>=8", "ruff", "mypy>=1.8"]\n')
    groups = '[project]\nname = "app"\ndependencies = ["fastapi"]\n\n[dependency-groups]\ndev = ["pytest", "ruff", ' \
             '"mypy", {include-group = "lint"}]\nlint = ["ruff"]\n'
    for text in (poetry, uv, groups):
        names = {(name, scope) for name, _, scope, _ in deps("pyproject.toml", text)}
        assert {("fastapi", "runtime"), ("pytest", "dev"), ("ruff", "dev"), ("mypy", "dev")} <= names
    assert deps("pyproject.toml", poetry)[1] == ("pytest", "^8", "dev", 9)


def test_optional_dependencies_hatch_envs_and_build_system() -> None:
    text = ('[build-system]\nrequires = ["hatchling>=1.21"]\n\n[project]\nname = "x"\ndependencies = []\n\n'
            '[project.optional-dependencies]\ntest = ["pytest-cov"]\nredis = ["redis>=5"]\n\n'
            '[tool.hatch.envs.lint]\ndependencies = ["black"]\n')
    assert deps("pyproject.toml", text) == [("pytest-cov", "", "test", 9), ("redis", ">=5", "runtime", 10),
                                           ("black", "", "dev", 13), ("hatchling", ">=1.21", "build", 2)]


def test_requirements_files_options_continuations_and_editables() -> None:
    text = "-r base.txt\n--index-url https://x\npytest==8 \\\n    --hash=sha256:abc\n-e git+https://x/y.git#egg=Foo_Bar\n" \
           "Django>=4 ; python_version > '3.8'  # web\nhttps://example.com/pkg.whl\n"
    assert deps("requirements/dev.txt", text) == [("pytest", "==8", "dev", 3), ("foo-bar", "", "dev", 5),
                                                  ("django", ">=4", "dev", 6)]
    assert deps("requirements.txt", "requests\n")[0][2] == "runtime"
    assert deps("requirements-test.txt", "pytest\n")[0][2] == "test"


def test_setup_cfg_setup_py_and_pipfile() -> None:
    cfg = "[metadata]\nname = x\n\n[options]\ninstall_requires =\n    celery>=5\n    openai\n"
    assert deps("setup.cfg", cfg) == [("celery", ">=5", "runtime", 6), ("openai", "", "runtime", 7)]
    py = "from setuptools import setup\nsetup(name='x', install_requires=['flask>=3'], " \
         "extras_require={'test': ['pytest']})\n"
    assert deps("setup.py", py) == [("flask", ">=3", "runtime", 2), ("pytest", "", "test", 2)]
    pipfile = '[packages]\nrequests = "*"\n\n[dev-packages]\nblack = {version = "*"}\n'
    assert deps("Pipfile", pipfile) == [("requests", "*", "runtime", 2), ("black", "*", "dev", 5)]


def test_package_json_sections_scripts_and_workspaces() -> None:
    text = ('{\n  "name": "web",\n  "description": "The shop front",\n  "workspaces": ["packages/*"],\n'
            '  "scripts": {"build": "webpack --mode production"},\n  "dependencies": {"express": "^4"},\n'
            '  "peerDependencies": {"react": "^18"},\n  "devDependencies": {"jest": "^29"}\n}\n')
    manifest = read_manifest("package.json", text)
    assert manifest is not None
    assert (manifest.name, manifest.description, manifest.workspaces) == ("web", "The shop front", ("packages/*",))
    assert manifest.scripts == (("build", "webpack --mode production"),)
    assert [(d.name, d.scope, d.line) for d in manifest.dependencies] == [
        ("express", "runtime", 6), ("react", "runtime", 7), ("jest", "dev", 8)]


def test_go_mod_keeps_indirect_requirements_apart() -> None:
    text = "module example.com/app\n\ngo 1.22\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.9.1\n" \
           "\tgithub.com/lib/pq v1.10.9 // indirect\n)\n\nrequire gorm.io/gorm v1.25.0\n"
    assert deps("go.mod", text) == [("github.com/gin-gonic/gin", "v1.9.1", "runtime", 6),
                                    ("github.com/lib/pq", "v1.10.9", "indirect", 7),
                                    ("gorm.io/gorm", "v1.25.0", "runtime", 10)]


def test_gemfile_groups_and_gemspec() -> None:
    text = "source 'https://rubygems.org'\ngem 'rails', '~> 7.1'\ngroup :development, :test do\n  gem 'rspec-rails'\n" \
           "end\ngroup :test do\n  gem 'capybara'\nend\ngem 'devise', group: :production\n"
    assert deps("Gemfile", text) == [("rails", "~> 7.1", "runtime", 2), ("rspec-rails", "", "dev", 4),
                                     ("capybara", "", "test", 7), ("devise", "", "runtime", 9)]
    spec = 'Gem::Specification.new do |s|\n  s.name = "gem"\n  s.summary = "A gem"\n' \
           '  s.add_dependency "rack", ">= 2"\n  s.add_development_dependency "rake"\nend\n'
    manifest = read_manifest("gem.gemspec", spec)
    assert manifest is not None and (manifest.name, manifest.description) == ("gem", "A gem")
    assert [(d.name, d.scope) for d in manifest.dependencies] == [("rack", "runtime"), ("rake", "dev")]


def test_maven_and_gradle_in_both_dsls() -> None:
    pom = ("<project xmlns='http://maven.apache.org/POM/4.0.0'>\n<parent><groupId>org.springframework.boot</groupId>"
           "<artifactId>spring-boot-starter-parent</artifactId></parent>\n<dependencies>\n<dependency><groupId>"
           "org.xerial</groupId><artifactId>sqlite-jdbc</artifactId><scope>runtime</scope></dependency>\n"
           "<dependency><groupId>junit</groupId><artifactId>junit</artifactId><scope>test</scope></dependency>\n"
           "</dependencies>\n</project>\n")
    assert deps("pom.xml", pom) == [("org.springframework.boot:spring-boot-starter-parent", "", "runtime", 2),
                                    ("org.xerial:sqlite-jdbc", "", "runtime", 4), ("junit:junit", "", "test", 5)]
    groovy = "plugins { id 'org.springframework.boot' version '3.2.0' }\ndependencies {\n" \
             " implementation 'org.springframework.boot:spring-boot-starter-web'\n" \
             " testImplementation(\"org.junit.jupiter:junit-jupiter:5.10\")\n" \
             " implementation group: 'org.x', name: 'y', version: '1'\n implementation project(':core')\n}\n"
    assert deps("build.gradle", groovy) == [("org.springframework.boot", "", "build", 1),
                                            ("org.springframework.boot:spring-boot-starter-web", "", "runtime", 3),
                                            ("org.junit.jupiter:junit-jupiter", "5.10", "test", 4),
                                            ("org.x:y", "1", "runtime", 5)]
    kotlin = 'dependencies {\n  implementation("org.springframework.boot:spring-boot-starter-data-jpa")\n' \
             '  testImplementation(kotlin("test"))\n}\n'
    assert deps("build.gradle.kts", kotlin) == [
        ("org.springframework.boot:spring-boot-starter-data-jpa", "", "runtime", 2),
        ("org.jetbrains.kotlin:kotlin-test", "", "test", 3)]


def test_dotnet_projects_composer_and_cargo() -> None:
    web = '<Project Sdk="Microsoft.NET.Sdk.Web">\n<ItemGroup>\n' \
          '<PackageReference Include="Microsoft.EntityFrameworkCore.Sqlite" Version="8.0.0" />\n</ItemGroup>\n</Project>\n'
    assert deps("App/App.csproj", web) == [("Microsoft.NET.Sdk.Web", "", "runtime", 1),
                                           ("Microsoft.EntityFrameworkCore.Sqlite", "8.0.0", "runtime", 3)]
    tests = '<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="xunit" /></ItemGroup></Project>'
    assert {scope for _, _, scope, _ in deps("App.Tests/App.Tests.csproj", tests)} == {"test"}
    composer = '{"name": "acme/app", "require": {"php": "^8.2", "ext-json": "*", "Laravel/Framework": "^11"},' \
               ' "require-dev": {"phpunit/phpunit": "^10"}}'
    assert deps("composer.json", composer) == [("laravel/framework", "^11", "runtime", 1),
                                              ("phpunit/phpunit", "^10", "dev", 1)]
    cargo = '[package]\nname = "svc"\n\n[dependencies]\nactix-web = "4"\n\n[dev-dependencies]\ntokio = { version = "1" }\n'
    assert deps("Cargo.toml", cargo) == [("actix-web", "4", "runtime", 5), ("tokio", "1", "dev", 8)]


def test_broken_files_give_a_problem_never_an_exception() -> None:
    for path, text in (("pyproject.toml", "[project\nname ="), ("package.json", "{not json"),
                       ("pom.xml", "<project><dependencies>"), ("composer.json", "[1, 2"),
                       ("pom.xml", '<!DOCTYPE x [<!ENTITY a "b">]><project/>'),
                       ("package.json", "[" * 10_000 + "]" * 10_000)):
        manifest = read_manifest(path, text)
        assert manifest is not None and manifest.problem and manifest.dependencies == ()
    assert read_manifest("README.md", "x") is None
    assert not is_manifest("node_modules/x/package.json") and is_manifest("web/package.json")


_NAMES = st.lists(st.from_regex(r"[a-z][a-z0-9]{1,10}(-[a-z0-9]{1,5})?", fullmatch=True), min_size=1, max_size=8,
                  unique=True)


@given(_NAMES)
def test_the_same_requirements_read_the_same_in_every_python_format(names: list[str]) -> None:
    pep621 = "[project]\nname = 'x'\ndependencies = [\n" + "".join(f'  "{n}>=1",\n' for n in names) + "]\n"
    poetry = "[tool.poetry.dependencies]\npython = '^3.10'\n" + "".join(f'{n} = ">=1"\n' for n in names)
    requirements = "".join(f"{n}>=1\n" for n in names)
    found = [{name for name, _, _, _ in deps(path, text)} for path, text in
             (("pyproject.toml", pep621), ("pyproject.toml", poetry), ("requirements.txt", requirements))]
    assert found[0] == found[1] == found[2] == set(names)
