# A repository at the size of the large ones issue 18 was measured on, made by a script (never downloaded): the
# decision-mining history of `history_gen` (dependency bumps, replacements, manifests moved, lockfiles deleted and
# restored, merged feature branches) stretched to tens of thousands of commits, with a code base that grows inside
# that history. The code base is a FastAPI + SQLAlchemy service and an Express + TypeORM server with a React/TypeScript
# front end, so the route and model adapters have work, and plain modules around them carry most of the lines.
from __future__ import annotations

import json
import random
import subprocess
from dataclasses import dataclass
from pathlib import Path

from benchmarks.history_gen import ENV
from benchmarks.history_gen import generate as generate_history

GROWTH_SHARE = 0.4
"""The code base is written during the first 40% of the history, then edited now and then."""
EDIT_EVERY = 40
"""After that, every 40th commit rewrites one code file (a new revision constant)."""
REPLACEMENTS = 0.002
"""One commit in 500 replaces a dependency (about 120 real decisions in 60,000 commits; history_gen's default of one
in 20 suits audits, not a long history)."""
_DOMAIN_WORDS = ("orders", "billing", "users", "inventory", "shipping", "reports", "catalog", "payments", "support",
                 "audit")

_PY_ROUTES = '''"""HTTP routes of the {domain} domain."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from app.{domain} import service
from app.{domain}.schemas import {model}In, {model}Out

router = APIRouter(prefix="/{domain}", tags=["{domain}"])


@router.get("/", response_model=list[{model}Out])
def list_{domain}(limit: int = 50) -> list[{model}Out]:
    return service.list_items(limit)


@router.post("/", response_model={model}Out, status_code=201)
def create_{domain}(payload: {model}In) -> {model}Out:
    return service.create(payload)


@router.get("/{{item_id}}", response_model={model}Out)
def read_{domain}(item_id: int) -> {model}Out:
    found = service.get(item_id)
    if found is None:
        raise HTTPException(status_code=404)
    return found


@router.put("/{{item_id}}", response_model={model}Out)
def update_{domain}(item_id: int, payload: {model}In) -> {model}Out:
    return service.update(item_id, payload)


@router.delete("/{{item_id}}", status_code=204)
def delete_{domain}(item_id: int) -> None:
    service.delete(item_id)


@router.get("/{{item_id}}/history")
def history_{domain}(item_id: int) -> list[dict[str, str]]:
    return service.history(item_id)
'''

_PY_MODELS = '''"""Tables of the {domain} domain."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import relationship

from app.db import Base


class {model}(Base):
    __tablename__ = "{domain}"
    id = Column(Integer, primary_key=True)
    name = Column(String(120), nullable=False, unique=True)
    created_at = Column(DateTime)
    owner_id = Column(Integer, ForeignKey("{owner}.id"))
    owner = relationship("{owner_model}")
    notes = relationship("{model}Note", back_populates="{domain}")


class {model}Note(Base):
    __tablename__ = "{domain}_notes"
    id = Column(Integer, primary_key=True)
    body = Column(Text)
    {domain}_id = Column(Integer, ForeignKey("{domain}.id"))
    {domain} = relationship("{model}", back_populates="notes")
'''

_PY_CLASS = '''

class {name}:
    """Keeps the {domain} records of one batch."""

    def __init__(self, size: int = {n}) -> None:
        self.size = size
        self.rows: dict[str, list[int]] = defaultdict(list)

    def add(self, key: str, value: int) -> None:
        if value % 2 == 0:
            self.rows[key].append(value * self.size)
        else:
            self.rows[key].append(value - self.size)

    def total(self) -> int:
        result = 0
        for values in self.rows.values():
            for value in values:
                result += value if value > 0 else -value
        return result

    def describe(self) -> str:
        parts = [f"{{key}}={{len(values)}}" for key, values in sorted(self.rows.items()) if values]
        return ", ".join(parts) or "empty"

    def dump(self) -> str:
        return json.dumps({{"size": self.size, "rows": self.rows, "sep": os.sep}})
'''

_PY_FUNC = '''

def step_{n}(values: list[int], factor: int = {n}) -> list[int]:
    """Scale, filter and sort one batch."""
    scaled = [v * factor for v in values if v > {n}]
    lookup = {{v: str(v) for v in scaled}}
    try:
        return sorted(scaled, key=lambda v: (lookup.get(v, ""), v))
    except TypeError:
        return scaled
'''

_JS_ROUTES = '''const express = require('express');
const {{ find{model}, save{model} }} = require('../services/{domain}');

const router = express.Router();

router.get('/', async (req, res) => res.json(await find{model}(req.query)));
router.post('/', async (req, res) => res.status(201).json(await save{model}(req.body)));
router.get('/:id', async (req, res) => res.json(await find{model}({{ id: req.params.id }})));
router.patch('/:id', async (req, res) => res.json(await save{model}({{ ...req.body, id: req.params.id }})));
router.delete('/:id', async (req, res) => res.status(204).end());

module.exports = router;
'''

_TS_ENTITY = '''import {{ Column, Entity, ManyToOne, OneToMany, PrimaryGeneratedColumn }} from 'typeorm';
import {{ {owner_model}Record }} from './{owner_model}Record';

@Entity('{domain}_records')
export class {model}Record {{
  @PrimaryGeneratedColumn()
  id: number;

  @Column()
  title: string;

  @Column({{ nullable: true }})
  summary: string;

  @ManyToOne(() => {owner_model}Record, (owner) => owner.children)
  owner: {owner_model}Record;

  @OneToMany(() => {model}Record, (record) => record.owner)
  children: {model}Record[];
}}
'''

_TSX_COMPONENT = '''

export function {name}Panel({{ items, onSelect }}: {{ items: {name}Item[]; onSelect: (id: number) => void }}) {{
  const [filter, setFilter] = useState('');
  const visible = useMemo(
    () => items.filter((item) => item.label.toLowerCase().includes(filter.toLowerCase())),
    [items, filter],
  );
  useEffect(() => {{
    if (visible.length === 1) {{
      onSelect(visible[0].id);
    }}
  }}, [visible, onSelect]);
  return (
    <section className="panel">
      <input value={{filter}} onChange={{(event) => setFilter(event.target.value)}} />
      <ul>
        {{visible.map((item) => (
          <li key={{item.id}} onClick={{() => onSelect(item.id)}}>
            {{item.label}} ({{item.count}})
          </li>
        ))}}
      </ul>
    </section>
  );
}}

export interface {name}Item {{
  id: number;
  label: string;
  count: number;
}}

export function summarise{name}(items: {name}Item[]): Record<string, number> {{
  const out: Record<string, number> = {{}};
  for (const item of items) {{
    out[item.label] = (out[item.label] ?? 0) + item.count;
  }}
  return out;
}}
'''

_TS_HELPER = '''

export function transform{n}(values: number[], factor = {n}): number[] {{
  const scaled = values.filter((v) => v > {n}).map((v) => v * factor);
  const seen = new Set<number>();
  const out: number[] = [];
  for (const value of scaled) {{
    if (!seen.has(value)) {{
      seen.add(value);
      out.push(value);
    }}
  }}
  return out.sort((a, b) => a - b);
}}
'''


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def _python_module(domain: str, index: int, rng: random.Random) -> str:
    text = f'"""Domain logic of {domain}, part {index}."""\n\nfrom __future__ import annotations\n\nimport json\nimport os\n' \
           "from collections import defaultdict\n"
    text += "".join(_PY_CLASS.format(name=f"{_camel(domain)}Batch{index}x{c}", domain=domain, n=rng.randint(2, 99))
                    for c in range(3))
    text += "".join(_PY_FUNC.format(n=index * 10 + f) for f in range(rng.randint(5, 8)))
    return text


def _ts_module(domain: str, index: int, rng: random.Random) -> str:
    name = f"{_camel(domain)}{index}"
    text = "import { useEffect, useMemo, useState } from 'react';\nimport axios from 'axios';\n"
    text += f"\nexport const ENDPOINT = process.env.API_URL ?? '/api/{domain}';\n"
    text += _TSX_COMPONENT.format(name=name)
    text += "".join(_TS_HELPER.format(n=index * 10 + f) for f in range(rng.randint(2, 4)))
    return text


def code_base(lines: int, seed: int = 5) -> dict[str, str]:
    """The files of a code base of about `lines` lines: path -> text, in the order they are written.

    Args:
        lines: Lines wanted (the result is within a few percent above).
        seed: Random seed.
    """
    rng = random.Random(seed)
    count = max(4, lines // 20_000)
    domains = [f"{_DOMAIN_WORDS[n % len(_DOMAIN_WORDS)]}{n // len(_DOMAIN_WORDS) or ''}" for n in range(count)]
    files: dict[str, str] = {
        "services/api/pyproject.toml": "[project]\nname = 'api'\ndependencies = ['fastapi>=0.110', 'sqlalchemy>=2',"
                                       " 'uvicorn']\n",
        "services/api/app/__init__.py": "",
        "services/api/app/db.py": "from sqlalchemy.orm import DeclarativeBase\n\n\nclass Base(DeclarativeBase):\n"
                                  "    pass\n",
        "server/package.json": json.dumps({"name": "server", "dependencies": {"express": "^4.19.0",
                                                                            "typeorm": "^0.3.20"}}, indent=2) + "\n",
    }
    main = "from fastapi import FastAPI\n\n" + "".join(f"from app.{d} import routes as {d}_routes\n" for d in domains)
    main += "\napp = FastAPI()\n" + "".join(f'app.include_router({d}_routes.router, prefix="/api")\n' for d in domains)
    files["services/api/app/main.py"] = main
    app_js = "const express = require('express');\n\nconst app = express();\napp.use(express.json());\n"
    app_js += "".join(f"app.use('/api/{d}', require('./routes/{d}'));\n" for d in domains)
    files["server/src/app.js"] = app_js + "\nmodule.exports = app;\n"
    for number, domain in enumerate(domains):
        model, owner = _camel(domain), domains[(number + 1) % len(domains)]
        package = f"services/api/app/{domain}"
        files[f"{package}/__init__.py"] = ""
        files[f"{package}/routes.py"] = _PY_ROUTES.format(domain=domain, model=model)
        files[f"{package}/models.py"] = _PY_MODELS.format(domain=domain, model=model, owner=owner,
                                                          owner_model=_camel(owner))
        files[f"{package}/schemas.py"] = (f"from pydantic import BaseModel\n\n\nclass {model}In(BaseModel):\n"
                                          f"    name: str\n\n\nclass {model}Out({model}In):\n    id: int\n")
        files[f"{package}/service.py"] = "def list_items(limit):\n    return []\n"
        files[f"server/src/routes/{domain}.js"] = _JS_ROUTES.format(domain=domain, model=model)
        files[f"server/src/entities/{model}Record.ts"] = _TS_ENTITY.format(domain=domain, model=model,
                                                                          owner_model=_camel(owner))
    written = sum(text.count("\n") for text in files.values())
    index = 0
    while written < lines:
        domain = domains[index % len(domains)]
        if index % 5 < 3:
            path, text = f"services/api/app/{domain}/logic_{index}.py", _python_module(domain, index, rng)
        else:
            path, text = f"web/src/{domain}/Panel{index}.tsx", _ts_module(domain, index, rng)
        files[path] = text
        written += text.count("\n")
        index += 1
    return files


@dataclass(frozen=True)
class ScaleRepo:
    """What `generate` wrote."""

    root: Path
    commits: int
    """Commits reachable from HEAD (the main line plus merged branches)."""
    file_changes: int
    """Paths listed by `git log --name-only` over the whole history."""
    files: int
    """Tracked files at HEAD."""
    code_lines: int
    """Lines of the code base at HEAD."""


def revised(text: str, path: str, revision: int) -> str:
    """A code file with one more revision line at the end (how the history edits it later)."""
    line = f"REVISION = {revision}\n" if path.endswith(".py") else f"export const REVISION = {revision};\n"
    return text.rsplit("\nREVISION = ", 1)[0].rsplit("\nexport const REVISION = ", 1)[0].rstrip("\n") + "\n\n" + line


def generate(root: Path, *, commits: int, code_lines: int, seed: int = 13) -> ScaleRepo:
    """Write the repository at `root`.

    Args:
        root: Folder to create.
        commits: Commits on the main line (merged branches add about 4% more).
        code_lines: Lines of the code base at HEAD.
        seed: Random seed (the same arguments give the same repository).
    """
    code = code_base(code_lines, seed)
    paths = list(code)
    current = dict(code)
    growth = max(1, int(commits * GROWTH_SHARE))
    per_commit = -(-len(paths) // growth)
    rng = random.Random(seed)

    def more_files(index: int) -> dict[str, str]:
        if index < growth:
            return {path: code[path] for path in paths[index * per_commit:(index + 1) * per_commit]}
        if index % EDIT_EVERY:
            return {}
        path = rng.choice(paths)
        current[path] = revised(current[path], path, index)
        return {path: current[path]}

    generate_history(root, commits, seed=seed, files_per_commit=2, modules=2_000,
                     module_path="src/lib{group}/module{n}.py", replacements=REPLACEMENTS, more_files=more_files)
    log = subprocess.run(["git", "-C", str(root), "log", "--name-only", "--format=%x1e"], capture_output=True,
                         check=True, env=ENV).stdout.decode()
    records = log.split("\x1e")[1:]
    tracked = subprocess.run(["git", "-C", str(root), "ls-files"], capture_output=True, check=True,
                             env=ENV).stdout.decode().splitlines()
    return ScaleRepo(root=root, commits=len(records),
                     file_changes=sum(1 for record in records for line in record.split("\n") if line.strip()),
                     files=len(tracked), code_lines=sum(text.count("\n") for text in current.values()))
