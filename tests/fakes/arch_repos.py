# Fixture repositories for the architecture analysis: real git repos with the shapes the analysis must read.
from __future__ import annotations

from pathlib import Path

from tests.helpers import Repo

FASTAPI_FILES = {
    "README.md": "# Shop\n\nShop is a web shop with a FastAPI backend and a React frontend.\n\n"
                 "## Development\n\n```bash\nmake test\n```\n\n## Deployment\n\n```bash\ndocker compose up -d\n```\n",
    "backend/pyproject.toml": "[project]\nname = 'shop-backend'\ndependencies = [\n    \"fastapi>=0.110\",\n"
                              "    \"sqlmodel\",\n    \"sqlalchemy>=2\",\n    \"psycopg[binary]\",\n    \"redis\",\n"
                              "    \"anthropic\",\n]\n\n[project.optional-dependencies]\ndev = [\"pytest\", \"ruff\", "
                              "\"mypy\"]\n\n[tool.ruff]\nline-length = 100\n",
    "backend/app/__init__.py": "",
    "backend/app/core/__init__.py": "",
    "backend/app/core/config.py": (
        "from pydantic_settings import BaseSettings, SettingsConfigDict\n\n\n"
        "class Settings(BaseSettings):\n"
        "    model_config = SettingsConfigDict(env_prefix=\"APP_\")\n\n"
        "    API_V1_STR: str = \"/api/v1\"\n"
        "    PROJECT_NAME: str = \"Shop\"\n"
        "    SECRET_KEY: str = \"not-for-pages\"\n"
        "    REDIS_URL: str = \"redis://cache:6379/0\"\n\n\n"
        "settings = Settings()\n"),
    "backend/app/main.py": (
        "from fastapi import FastAPI\n\n"
        "from app.api.main import api_router\n"
        "from app.core.config import settings\n\n"
        "app = FastAPI(title=settings.PROJECT_NAME)\n"
        "app.include_router(api_router, prefix=settings.API_V1_STR)\n\n\n"
        "@app.get(\"/health\")\n"
        "def health():\n"
        "    return {\"ok\": True}\n"),
    "backend/app/api/__init__.py": "",
    "backend/app/api/main.py": (
        "from fastapi import APIRouter\n\n"
        "from app.api.routes import items, users\n"
        "from .routes.admin import router as admin_router\n\n"
        "api_router = APIRouter()\n"
        "api_router.include_router(users.router, prefix=\"/users\", tags=[\"users\"])\n"
        "api_router.include_router(items.router)\n"
        "api_router.include_router(admin_router, prefix=\"/admin\")\n"),
    "backend/app/api/routes/__init__.py": "",
    "backend/app/api/routes/users.py": (
        "from fastapi import APIRouter\n\nfrom app.models import Hero\n\nrouter = APIRouter()\n\n\n"
        "@router.get(\"/\")\ndef list_users():\n    return []\n\n\n"
        "@router.post(\"/\")\ndef create_user():\n    return {}\n\n\n"
        "@router.get(\"/{user_id}\")\nasync def read_user(user_id: int):\n    return {}\n"),
    "backend/app/api/routes/items.py": (
        "from fastapi import APIRouter\n\nrouter = APIRouter(prefix=\"/items\", tags=[\"items\"])\n\n\n"
        "@router.get(\"/\")\ndef list_items():\n    return []\n\n\n"
        "@router.delete(\"/{item_id}\")\ndef delete_item(item_id: int):\n    return None\n\n\n"
        "@router.api_route(\"/{item_id}/tags\", methods=[\"PUT\", \"PATCH\"])\ndef set_tags(item_id: int):\n"
        "    return None\n"),
    "backend/app/api/routes/admin.py": (
        "from fastapi import APIRouter\n\nrouter = APIRouter()\nreports = APIRouter(prefix=\"/reports\")\n\n\n"
        "@reports.get(\"/daily\")\ndef daily_report():\n    return {}\n\n\n"
        "@router.post(\"/reindex\")\ndef reindex():\n    return None\n\n\n"
        "router.include_router(reports)\n"),
    "backend/app/models.py": (
        "from sqlmodel import Field, Relationship, SQLModel\n\n\n"
        "class TeamBase(SQLModel):\n    name: str = Field(index=True)\n\n\n"
        "class Team(TeamBase, table=True):\n"
        "    id: int | None = Field(default=None, primary_key=True)\n"
        "    heroes: list[\"Hero\"] = Relationship(back_populates=\"team\")\n\n\n"
        "class Hero(SQLModel, table=True):\n"
        "    id: int | None = Field(default=None, primary_key=True)\n"
        "    name: str\n"
        "    age: int | None = None\n"
        "    team_id: int | None = Field(default=None, foreign_key=\"team.id\")\n"
        "    team: Team | None = Relationship(back_populates=\"heroes\")\n\n\n"
        "class HeroPublic(SQLModel):\n    id: int\n"),
    "backend/app/orders.py": (
        "from sqlalchemy import Column, ForeignKey, Integer, String, Table\n"
        "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship\n\n\n"
        "class Base(DeclarativeBase):\n    pass\n\n\n"
        "order_tags = Table(\"order_tags\", Base.metadata, Column(\"order_id\", ForeignKey(\"orders.id\")),\n"
        "                   Column(\"tag_id\", ForeignKey(\"tags.id\")))\n\n\n"
        "class Customer(Base):\n"
        "    __tablename__ = \"customers\"\n"
        "    id: Mapped[int] = mapped_column(primary_key=True)\n"
        "    email: Mapped[str] = mapped_column(String(200), unique=True)\n"
        "    orders: Mapped[list[\"Order\"]] = relationship(back_populates=\"customer\")\n"
        "    profile: Mapped[\"Profile\"] = relationship(back_populates=\"customer\", uselist=False)\n\n\n"
        "class Order(Base):\n"
        "    __tablename__ = \"orders\"\n"
        "    id = Column(Integer, primary_key=True)\n"
        "    customer_id = Column(Integer, ForeignKey(\"customers.id\"), nullable=False)\n"
        "    customer = relationship(\"Customer\", back_populates=\"orders\")\n"
        "    tags: Mapped[list[\"Tag\"]] = relationship(secondary=order_tags)\n\n\n"
        "class Tag(Base):\n"
        "    __tablename__ = \"tags\"\n"
        "    id: Mapped[int] = mapped_column(primary_key=True)\n"
        "    label: Mapped[str | None]\n\n\n"
        "class Profile(Base):\n"
        "    __tablename__ = \"profiles\"\n"
        "    id: Mapped[int] = mapped_column(primary_key=True)\n"
        "    customer_id: Mapped[int] = mapped_column(ForeignKey(\"customers.id\"), unique=True)\n"
        "    customer: Mapped[Customer] = relationship(back_populates=\"profile\")\n"),
    "backend/alembic.ini": "[alembic]\nscript_location = migrations\n",
    "backend/migrations/env.py": "from alembic import context\n",
    "backend/migrations/versions/0001_init.py": "revision = '0001'\n",
    "backend/migrations/versions/0002_orders.py": "revision = '0002'\n",
    "backend/tests/test_api.py": "def test_health():\n    assert True\n",
    "backend/Dockerfile": "FROM python:3.12-slim AS base\nWORKDIR /app\nFROM base\nCOPY . .\nEXPOSE 8000\n"
                          "CMD [\"uvicorn\", \"app.main:app\"]\n",
    "frontend/package.json": '{\n  "name": "shop-web",\n  "scripts": {\n    "dev": "vite",\n    "build": "vite build"'
                             '\n  },\n  "dependencies": {\n    "react": "^18.3.0"\n  },\n  "devDependencies": {\n'
                             '    "vite": "^5.0.0",\n    "typescript": "^5.4.0"\n  }\n}\n',
    "frontend/src/main.tsx": "import React from 'react';\nimport { App } from './App';\nconsole.log(React, App);\n",
    "frontend/src/App.tsx": "import { api } from './api/client';\nexport const App = () => api;\n",
    "frontend/src/api/client.ts": "export const api = process.env.VITE_API_URL;\n",
    "frontend/Dockerfile": "FROM node:20 AS build\nRUN npm ci\nFROM nginx:1.27-alpine\nEXPOSE 80\n",
    "docker-compose.yml": (
        "services:\n"
        "  backend:\n    build: ./backend\n    ports: [\"8000:8000\"]\n    depends_on: [db, cache]\n"
        "    environment:\n      DATABASE_URL: postgresql://app@db:5432/app\n"
        "  frontend:\n    build:\n      context: ./frontend\n    ports: [\"3000:80\"]\n    depends_on: [backend]\n"
        "  db:\n    image: postgres:16\n    volumes: [\"pgdata:/var/lib/postgresql/data\"]\n    networks: [internal]\n"
        "  cache:\n    image: redis:7-alpine\n"
        "volumes:\n  pgdata:\nnetworks:\n  internal:\n"),
    "docker-compose.override.yml": (
        "services:\n  backend:\n    volumes: [\"./backend:/app\"]\n    ports: [\"5678:5678\"]\n"
        "  proxy:\n    image: traefik:v3.0\n    ports: [\"80:80\"]\n"),
    "k8s/backend.yaml": (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: backend\nspec:\n  template:\n    spec:\n"
        "      containers:\n        - name: api\n          image: ghcr.io/acme/shop-backend:1.0\n"
        "          ports:\n            - containerPort: 8000\n"
        "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: backend-svc\nspec:\n  ports:\n"
        "    - port: 80\n      targetPort: 8000\n"),
    ".github/workflows/ci.yml": (
        "name: CI\non:\n  push:\n  pull_request:\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n      - run: pip install -e backend[dev]\n      - run: ruff check backend\n"
        "      - run: mypy backend\n      - run: pytest backend/tests\n"
        "  image:\n    runs-on: ubuntu-latest\n    needs: test\n    steps:\n"
        "      - uses: docker/build-push-action@v6\n"),
    ".github/workflows/deploy.yml": (
        "name: Deploy\non:\n  push:\n    tags: ['v*']\n  workflow_dispatch:\njobs:\n  deploy:\n"
        "    runs-on: ubuntu-latest\n    steps:\n      - run: kubectl apply -f k8s/\n"),
    ".env.example": "APP_PROJECT_NAME=Shop\nAPP_SECRET_KEY=changeme\nDATABASE_URL=postgresql://app:pw@localhost/app\n",
    "Makefile": ".PHONY: test\ntest:\n\tpytest backend/tests\n\nup:\n\tdocker compose up -d\n",
}

FASTAPI_ENDPOINTS = {
    ("GET", "/health", "health", "backend/app/main.py"),
    ("GET", "/api/v1/users", "list_users", "backend/app/api/routes/users.py"),
    ("POST", "/api/v1/users", "create_user", "backend/app/api/routes/users.py"),
    ("GET", "/api/v1/users/{user_id}", "read_user", "backend/app/api/routes/users.py"),
    ("GET", "/api/v1/items", "list_items", "backend/app/api/routes/items.py"),
    ("DELETE", "/api/v1/items/{item_id}", "delete_item", "backend/app/api/routes/items.py"),
    ("PUT", "/api/v1/items/{item_id}/tags", "set_tags", "backend/app/api/routes/items.py"),
    ("PATCH", "/api/v1/items/{item_id}/tags", "set_tags", "backend/app/api/routes/items.py"),
    ("POST", "/api/v1/admin/reindex", "reindex", "backend/app/api/routes/admin.py"),
    ("GET", "/api/v1/admin/reports/daily", "daily_report", "backend/app/api/routes/admin.py"),
}

DJANGO_FILES = {
    "README.md": "# Polls\n\nPolls is a Django site with a small Flask companion service.\n",
    "requirements.txt": "Django>=5.0\npsycopg2-binary\nflask==3.0\n",
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n",
    "mysite/__init__.py": "",
    "mysite/settings.py": "ROOT_URLCONF = 'mysite.urls'\nDATABASES = {'default': {'ENGINE': "
                          "'django.db.backends.postgresql'}}\n",
    "mysite/views.py": "def health(request):\n    return None\n",
    "mysite/urls.py": (
        "from django.contrib import admin\nfrom django.urls import include, path\n\nfrom mysite import views\n\n"
        "urlpatterns = [\n"
        "    path('admin/', admin.site.urls),\n"
        "    path('polls/', include('polls.urls')),\n"
        "    path('api/', include([path('health/', views.health, name='health')])),\n"
        "]\n"),
    "polls/__init__.py": "",
    "polls/views.py": "def detail(request, question_id):\n    return None\n",
    "polls/urls.py": (
        "from django.urls import path, re_path\n\nfrom . import views\n\napp_name = 'polls'\n"
        "urlpatterns = [\n"
        "    path('', views.IndexView.as_view(), name='index'),\n"
        "    path('<int:question_id>/', views.detail, name='detail'),\n"
        "    re_path(r'^(?P<pk>[0-9]+)/results/$', views.ResultsView.as_view(), name='results'),\n"
        "]\n"),
    "polls/models.py": (
        "from django.db import models\n\n\n"
        "class Question(models.Model):\n"
        "    question_text = models.CharField(max_length=200)\n"
        "    pub_date = models.DateTimeField('date published')\n\n\n"
        "class Choice(models.Model):\n"
        "    question = models.ForeignKey(Question, on_delete=models.CASCADE)\n"
        "    choice_text = models.CharField(max_length=200)\n"
        "    votes = models.IntegerField(default=0)\n\n\n"
        "class Tag(models.Model):\n"
        "    name = models.SlugField(unique=True)\n"
        "    questions = models.ManyToManyField('polls.Question', related_name='tags')\n\n"
        "    class Meta:\n        db_table = 'poll_tags'\n"),
    "polls/migrations/__init__.py": "",
    "polls/migrations/0001_initial.py": "from django.db import migrations\n",
    "flaskapp/app.py": (
        "from flask import Blueprint, Flask\n\n"
        "bp = Blueprint('auth', __name__, url_prefix='/auth')\n\n\n"
        "@bp.route('/login', methods=['GET', 'POST'])\ndef login():\n    return ''\n\n\n"
        "app = Flask(__name__)\napp.register_blueprint(bp, url_prefix='/v2/auth')\n\n\n"
        "@app.route('/')\ndef index():\n    return ''\n"),
    "Procfile": "web: gunicorn mysite.wsgi\nworker: python manage.py qcluster\n",
}

DJANGO_ENDPOINTS = {
    ("ANY", "/admin", "admin.site.urls", "mysite/urls.py"),
    ("ANY", "/polls", "views.IndexView", "polls/urls.py"),
    ("ANY", "/polls/{question_id}", "views.detail", "polls/urls.py"),
    ("ANY", "/polls/{pk}/results", "views.ResultsView", "polls/urls.py"),
    ("ANY", "/api/health", "views.health", "mysite/urls.py"),
    ("GET", "/v2/auth/login", "login", "flaskapp/app.py"),
    ("POST", "/v2/auth/login", "login", "flaskapp/app.py"),
    ("GET", "/", "index", "flaskapp/app.py"),
}

EXPRESS_FILES = {
    "README.md": "# Blog API\n\nAn Express API over Prisma.\n",
    "package.json": '{\n  "name": "blog",\n  "scripts": {\n    "start": "node src/server.js",\n    "test": "jest"\n'
                    '  },\n  "dependencies": {\n    "express": "^4.19.0",\n    "@prisma/client": "^5.0.0"\n  },\n'
                    '  "devDependencies": {\n    "prisma": "^5.0.0",\n    "jest": "^29.0.0"\n  }\n}\n',
    "src/server.js": "const app = require('./app');\napp.listen(process.env.PORT || 3000);\n",
    "src/app.js": (
        "const express = require('express');\n"
        "const usersRouter = require('./routes/users');\n\n"
        "const app = express();\n"
        "app.use(express.json());\n"
        "app.use('/api/users', usersRouter);\n"
        "app.use('/api/orders', require('./routes/orders'));\n"
        "app.get('/health', (req, res) => res.send('ok'));\n\n"
        "module.exports = app;\n"),
    "src/routes/users.js": (
        "const express = require('express');\n"
        "const controller = require('../controllers/users');\n"
        "const { auth } = require('../middleware/auth');\n\n"
        "const router = express.Router();\n"
        "router.get('/', controller.list);\n"
        "router.post('/', auth, controller.create);\n"
        "router.route('/:id').get(controller.show).delete(controller.remove);\n\n"
        "module.exports = router;\n"),
    "src/routes/orders.js": (
        "const { Router } = require('express');\n\n"
        "const router = Router();\n"
        "router.get('/:id', async (req, res) => {\n  res.json({ id: req.params.id });\n});\n\n"
        "module.exports = router;\n"),
    "src/controllers/users.js": "exports.list = () => [];\nexports.create = () => ({});\n",
    "src/middleware/auth.js": "exports.auth = (req, res, next) => next();\n",
    "prisma/schema.prisma": (
        "datasource db {\n  provider = \"postgresql\"\n  url      = env(\"DATABASE_URL\")\n}\n\n"
        "model User {\n  id      Int      @id @default(autoincrement())\n  email   String   @unique\n"
        "  posts   Post[]\n  profile Profile?\n}\n\n"
        "model Post {\n  id       Int    @id @default(autoincrement())\n  title    String\n"
        "  author   User   @relation(fields: [authorId], references: [id])\n  authorId Int\n}\n\n"
        "model Profile {\n  id     Int  @id\n  user   User @relation(fields: [userId], references: [id])\n"
        "  userId Int  @unique\n}\n"),
    "prisma/migrations/20240101000000_init/migration.sql": "CREATE TABLE \"User\" (id SERIAL PRIMARY KEY);\n",
    "db/schema.sql": (
        "CREATE TABLE IF NOT EXISTS audit_log (\n  id BIGSERIAL PRIMARY KEY,\n  user_id INTEGER NOT NULL,\n"
        "  action VARCHAR(40) NOT NULL,\n  FOREIGN KEY (user_id) REFERENCES accounts(id)\n);\n"
        "CREATE TABLE accounts (\n  id INTEGER PRIMARY KEY,\n  email TEXT UNIQUE\n);\n"),
}

EXPRESS_ENDPOINTS = {
    ("GET", "/health", "(inline handler)", "src/app.js"),
    ("GET", "/api/users", "controller.list", "src/routes/users.js"),
    ("POST", "/api/users", "controller.create", "src/routes/users.js"),
    ("GET", "/api/users/{id}", "controller.show", "src/routes/users.js"),
    ("DELETE", "/api/users/{id}", "controller.remove", "src/routes/users.js"),
    ("GET", "/api/orders/{id}", "(inline handler)", "src/routes/orders.js"),
}


def make(root: Path, files: dict[str, str]) -> Repo:
    """Create a git repository with one commit holding `files`."""
    repo = Repo(root)
    repo.commit("Initial import", files, date="2024-05-01T10:00:00+00:00")
    return repo


def analysed(root: Path):  # noqa: ANN201 - returns (RepoFacts, ArchitectureFacts)
    """Collect the files of a fixture repository and run the real analysis over them."""
    from autodevhub_docs.analysis import analyse
    from autodevhub_docs.model import RepoFacts
    from autodevhub_docs.sources import git
    from autodevhub_docs.sources.checkout import Checkout

    data = git.read_repository(root, ())
    facts = RepoFacts(name=root.name, root=str(data.root), head=data.head, files=data.files, commits=data.commits,
                      web_url="https://github.com/acme/" + root.name)
    return facts, analyse(facts, Checkout(Path(facts.root)).read_text).architecture
