"""Generated JavaScript (Express, Mongoose) and TypeScript (NestJS, TypeORM) applications for bench_endpoints."""

from __future__ import annotations

from benchmarks.endpoint_app import App, deps

_JS_HANDLER = '''
exports.{name} = async (req, res, next) => {{
  try {{
    const limit = Math.min(Number(req.query.limit) || {k}, 100);
    const filter = {{ area: {u}, deleted: false }};
    if (req.params.id) {{
      filter._id = req.params.id;
    }}
    const rows = await Thing{u}x{m}.find(filter).sort({{ createdAt: -1 }}).limit(limit).lean();
    const out = rows.map((row) => ({{ id: row._id, name: normalise(row.name), tags: row.tags || [] }}));
    res.status(out.length ? 200 : 404).json({{ items: out, count: out.length }});
  }} catch (error) {{
    next(error);
  }}
}};
'''
_JS_HELPER = '''
function helper{k}(values, options = {{}}) {{
  const seen = new Set();
  const out = [];
  for (const value of values) {{
    const key = String(value).trim().toLowerCase();
    if (!key || seen.has(key)) {{
      continue;
    }}
    seen.add(key);
    out.push(options.upper ? key.toUpperCase() : key.padStart({k} % 7 + 1, '0'));
  }}
  return out;
}}
'''
_JS_ACTIONS = ("list", "create", "show", "update", "remove", "listNotes", "addNote")


def javascript(units: int) -> App:
    """Express routers mounted across files (`Router().use(prefix, router)`, `route(path).get().put()`, nested
    routers with `mergeParams`), handler modules, services and Mongoose models with references."""
    files = {"package.json": '{"dependencies": {"express": "^4.21.0", "mongoose": "^8.0.0"}}\n',
             "src/app.js": ("const express = require('express');\nconst routes = require('./routes');\n\n"
                            "const app = express();\napp.use(express.json());\napp.use(routes);\n"
                            "app.get('/health', (req, res) => res.sendStatus(200));\n\n"
                            "app.listen(process.env.PORT || 3000);\n")}
    requires = "".join(f"const area{u} = require('./area{u}');\n" for u in range(units))
    mounts = "".join(f"api.use('/area{u}', area{u});\n" for u in range(units))
    files["src/routes/index.js"] = ("const { Router } = require('express');\n" + requires
                                    + "\nconst api = Router();\n" + mounts
                                    + "\nmodule.exports = Router().use('/api/v1', api);\n")
    for u in range(units):
        files[f"src/routes/area{u}.js"] = "\n".join([
            "const express = require('express');", f"const handlers = require('../handlers/area{u}');",
            "const { requireUser } = require('../middleware/auth');", "",
            "const router = express.Router();", "const notes = express.Router({ mergeParams: true });", "",
            "router.get('/items', handlers.list);", "router.post('/items', requireUser, handlers.create);",
            "router", "  .route('/items/:id')", "  .get(handlers.show)", "  .put(requireUser, handlers.update)",
            "  .delete(requireUser, handlers.remove);", "notes.get('/', handlers.listNotes);",
            "notes.post('/', requireUser, handlers.addNote);", "router.use('/items/:id/notes', notes);", "",
            "module.exports = router;", ""])
        handlers = [f"const Thing{u}x{m} = require('../models/thing{u}x{m}');" for m in range(2)]
        handlers += ["const { normalise } = require('../services/text');", ""]
        handlers += [_JS_HANDLER.format(name=name, k=k + 5, u=u, m=k % 2) for k, name in enumerate(_JS_ACTIONS)]
        handlers += [_JS_HELPER.format(k=k) for k in range(8)]
        files[f"src/handlers/area{u}.js"] = "\n".join(handlers)
        for m in range(2):
            files[f"src/models/thing{u}x{m}.js"] = "\n".join([
                "const mongoose = require('mongoose');", "", "const schema = new mongoose.Schema(", "  {",
                "    name: { type: String, required: true, unique: true },", "    body: String,",
                "    area: { type: Number, default: 0 },",
                "    owner: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },",
                "    tags: [{ type: mongoose.Schema.Types.ObjectId, ref: 'Tag' }],", "  },",
                "  { timestamps: true },", ");", "",
                *[f"schema.methods.score{k} = function score{k}(weight = {k}) {{\n"
                  f"  const base = (this.body || '').length * weight;\n  return this.tags.length ? base / this.tags.length"
                  f" : base;\n}};\n" for k in range(6)],
                f"module.exports = mongoose.model('Thing{u}x{m}', schema);", ""])
        files[f"src/services/area{u}.js"] = "\n".join([_JS_HELPER.format(k=k) for k in range(12)]
                                                        + ["module.exports = { helper0, helper1 };", ""])
    for name in ("User", "Tag"):
        files[f"src/models/{name.lower()}.js"] = ("const mongoose = require('mongoose');\n\n"
                                                   f"module.exports = mongoose.model('{name}', new mongoose.Schema("
                                                   "{ name: String }));\n")
    files["src/services/text.js"] = "exports.normalise = (value) => String(value || '').trim();\n"
    files["src/middleware/auth.js"] = ("exports.requireUser = (req, res, next) => "
                                       "(req.user ? next() : res.sendStatus(401));\n")
    return App(language="JavaScript", stack="Express, Mongoose", files=files,
               dependencies=deps("npm", "package.json", "express", "mongoose"),
               endpoints=units * 7 + 1, entities=units * 2 + 2)


_TS_METHOD = '''
  @{verb}({path})
  async {name}({params}): Promise<Item{u}[]> {{
    const rows = await this.items.find({{ where: {{ area: {u} }}, take: {k}, order: {{ createdAt: 'DESC' }} }});
    if (rows.length === 0) {{
      throw new NotFoundException(`nothing in area {u}`);
    }}
    return rows.filter((row) => row.name.length > 2).map((row) => ({{ ...row, name: row.name.trim() }}));
  }}
'''
_TS_SERVICE = '''
  async summarise{k}(ids: number[], options: {{ upper?: boolean }} = {{}}): Promise<string[]> {{
    const rows = await this.items.findBy({{ id: In(ids) }});
    const names = new Map<number, string>();
    for (const row of rows) {{
      const name = options.upper ? row.name.toUpperCase() : row.name.toLowerCase();
      names.set(row.id, name.padEnd({k} % 9 + 1, '.'));
    }}
    return [...names.values()].sort();
  }}
'''
_TS_ROUTES = ((("Get", ""), "list", ""), (("Get", "':id'"), "show", "@Param('id') id: string"),
              (("Post", ""), "create", "@Body() body: Partial<Item{u}>"),
              (("Put", "':id'"), "update", "@Param('id') id: string, @Body() body: Partial<Item{u}>"),
              (("Delete", "':id'"), "remove", "@Param('id') id: string"),
              (("Get", "['search', 'find']"), "search", "@Query('q') q: string"))
"""(decorator, path argument), handler, parameters: 7 endpoints (the array maps two paths)."""


def typescript(units: int) -> App:
    """NestJS modules with controllers (`@Controller` paths, verb decorators, path arrays), a global prefix and
    `RouterModule.register` module paths, services, and TypeORM entities with relations both ways."""
    files = {"package.json": '{"dependencies": {"@nestjs/common": "^10", "@nestjs/core": "^10", "typeorm": "^0.3"}}\n',
             "src/main.ts": ("import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\n\n"
                             "async function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n"
                             "  app.setGlobalPrefix('api');\n  await app.listen(3000);\n}\nbootstrap();\n")}
    imports = "".join(f"import {{ Area{u}Module }} from './area{u}/area{u}.module';\n" for u in range(units))
    modules = "".join(f"    Area{u}Module,\n" for u in range(units))
    zones = "".join(f"      {{ path: 'zone{u % 10}', module: Area{u}Module }},\n" for u in range(units))
    files["src/app.module.ts"] = (
        "import { Module } from '@nestjs/common';\nimport { RouterModule } from '@nestjs/core';\n" + imports
        + f"\n@Module({{\n  imports: [\n{modules}    RouterModule.register([\n{zones}    ]),\n  ],\n}})\n"
        "export class AppModule {}\n")
    for u in range(units):
        folder = f"src/area{u}"
        files[f"{folder}/area{u}.module.ts"] = (
            "import { Module } from '@nestjs/common';\nimport { TypeOrmModule } from '@nestjs/typeorm';\n"
            f"import {{ Items{u}Controller }} from './items.controller';\nimport {{ Item{u} }} from './item.entity';\n"
            f"import {{ Part{u} }} from './part.entity';\nimport {{ Items{u}Service }} from './items.service';\n\n"
            f"@Module({{\n  imports: [TypeOrmModule.forFeature([Item{u}, Part{u}])],\n"
            f"  controllers: [Items{u}Controller],\n  providers: [Items{u}Service],\n}})\n"
            f"export class Area{u}Module {{}}\n")
        methods = [_TS_METHOD.format(verb=verb, path=path, name=name, params=params.format(u=u), u=u, k=k + 3)
                   for k, ((verb, path), name, params) in enumerate(_TS_ROUTES)]
        files[f"{folder}/items.controller.ts"] = (
            "import { Body, Controller, Delete, Get, NotFoundException, Param, Post, Put, Query } "
            "from '@nestjs/common';\nimport { InjectRepository } from '@nestjs/typeorm';\n"
            f"import {{ Repository }} from 'typeorm';\nimport {{ Item{u} }} from './item.entity';\n\n"
            f"@Controller('area{u}/items')\nexport class Items{u}Controller {{\n"
            f"  constructor(@InjectRepository(Item{u}) private readonly items: Repository<Item{u}>) {{}}\n"
            + "".join(methods) + "}\n")
        files[f"{folder}/items.service.ts"] = (
            "import { Injectable } from '@nestjs/common';\nimport { InjectRepository } from '@nestjs/typeorm';\n"
            f"import {{ In, Repository }} from 'typeorm';\nimport {{ Item{u} }} from './item.entity';\n\n"
            f"@Injectable()\nexport class Items{u}Service {{\n"
            f"  constructor(@InjectRepository(Item{u}) private readonly items: Repository<Item{u}>) {{}}\n"
            + "".join(_TS_SERVICE.format(k=k) for k in range(14)) + "}\n")
        files[f"{folder}/item.entity.ts"] = (
            "import { Column, CreateDateColumn, Entity, ManyToOne, OneToMany, PrimaryGeneratedColumn } "
            f"from 'typeorm';\nimport {{ Part{u} }} from './part.entity';\n\n@Entity('area{u}_items')\n"
            f"export class Item{u} {{\n  @PrimaryGeneratedColumn()\n  id: number;\n\n  @Column({{ unique: true }})\n"
            "  name: string;\n\n  @Column({ default: 0 })\n  area: number;\n\n  @Column({ nullable: true })\n"
            "  notes?: string;\n\n  @CreateDateColumn()\n  createdAt: Date;\n\n"
            f"  @OneToMany(() => Part{u}, (part) => part.item)\n  parts: Part{u}[];\n}}\n")
        files[f"{folder}/part.entity.ts"] = (
            "import { Column, Entity, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';\n"
            f"import {{ Item{u} }} from './item.entity';\n\n@Entity()\nexport class Part{u} {{\n"
            "  @PrimaryGeneratedColumn()\n  id: number;\n\n  @Column()\n  label: string;\n\n"
            f"  @ManyToOne(() => Item{u}, (item) => item.parts, {{ onDelete: 'CASCADE' }})\n  item: Item{u};\n}}\n")
    return App(language="TypeScript", stack="NestJS, TypeORM", files=files,
               dependencies=deps("npm", "package.json", "@nestjs/common", "@nestjs/core", "typeorm"),
               endpoints=units * 7, entities=units * 2)
