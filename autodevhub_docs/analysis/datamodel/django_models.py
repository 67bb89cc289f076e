# Django ORM models: classes that inherit `django.db.models.Model` (directly, through the repository's abstract
# bases, or through `AbstractUser`/`AbstractBaseUser`), their fields, the implicit `id` primary key, multi-table
# inheritance, and relations from ForeignKey (many-to-one), OneToOneField (one-to-one) and ManyToManyField
# (many-to-many, through the `through=` model or Django's auto-created join table), with Django's reverse names.
from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from autodevhub_docs.analysis import pyevidence, pysymbols
from autodevhub_docs.analysis.adapters import Found, PythonVisitor
from autodevhub_docs.analysis.codebase import Codebase, is_sample_path
from autodevhub_docs.analysis.pyconstants import Constants
from autodevhub_docs.analysis.pyscan import PyFile, call_name, dotted, keyword
from autodevhub_docs.analysis.pysymbols import ClassInfo, Symbols, literal, top_level
from autodevhub_docs.model import Entity, EntityField, Relation, SourceRef

KEY = "django_models"
"""Key of this visitor's facts in `PyFile.facts`."""
ORM = "Django ORM"
_RELATED = {"ForeignKey": "many-to-one", "OneToOneField": "one-to-one", "ManyToManyField": "many-to-many"}
_MODEL_BASES = frozenset({"Model", "AbstractUser", "AbstractBaseUser", "PermissionsMixin"})
# Fields of Django's own abstract user models (documented in django.contrib.auth), which a custom user inherits.
_AUTH_FIELDS = {
    "AbstractBaseUser": (("password", "CharField", None), ("last_login", "DateTimeField", None)),
    "PermissionsMixin": (("is_superuser", "BooleanField", None),),
    "AbstractUser": (("username", "CharField", "UK"), ("first_name", "CharField", None),
                     ("last_name", "CharField", None), ("email", "EmailField", None),
                     ("is_staff", "BooleanField", None), ("is_active", "BooleanField", None),
                     ("date_joined", "DateTimeField", None)),
}


def wants(text: str) -> bool:
    """Cheap test: could this file declare Django models?"""
    return "Field(" in text or "ForeignKey(" in text


@dataclass(frozen=True)
class DjangoField:
    """A model field declaration."""

    name: str
    kind: str
    """Field class (`CharField`, `ForeignKey`...)."""
    line: int
    target: str | None = None
    """Related model as written: `'app.Model'`, `'self'`, or `@dotted` for a class or setting."""
    through: str | None = None
    """`through=` model as written (same forms as `target`)."""
    options: dict[str, object] = field(default_factory=dict)
    """Literal keyword arguments (`null`, `unique`, `primary_key`, `related_name`, `symmetrical`)."""


def _reference(node: ast.expr | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Call) and call_name(node) == "get_user_model":
        return "@settings.AUTH_USER_MODEL"
    name = dotted(node)
    return "@" + name if name else None


def visit(info: PyFile, tree: ast.Module, text: str) -> None:
    """Collect the field declarations of the classes of one file."""
    del text
    found: dict[str, list[DjangoField]] = {}
    for stmt in top_level(tree.body):
        if not isinstance(stmt, ast.ClassDef):
            continue
        fields = []
        for item in stmt.body:
            if not (isinstance(item, ast.Assign) and len(item.targets) == 1 and isinstance(item.targets[0], ast.Name)
                    and isinstance(item.value, ast.Call)):
                continue
            call, kind = item.value, call_name(item.value)
            if not (kind.endswith("Field") or kind == "ForeignKey"):
                continue
            options = {k.arg: v for k in call.keywords
                       if k.arg and (v := literal(k.value)) is not pysymbols.NOT_LITERAL}
            target = _reference(call.args[0] if call.args else keyword(call, "to")) if kind in _RELATED else None
            fields.append(DjangoField(name=item.targets[0].id, kind=kind, line=item.lineno, target=target,
                                      through=_reference(keyword(call, "through")), options=options))
        if fields:
            found[stmt.name] = fields
    if found:
        info.facts[KEY] = found


VISITOR = (wants, visit)


@dataclass
class _Model:
    cls: ClassInfo
    fields: list[DjangoField]
    app: str
    table: str


def _app_label(cls: ClassInfo) -> str:
    parts = PurePosixPath(cls.path).parts
    return parts[-2] if parts[-1] == "models.py" and len(parts) > 1 else (parts[-3] if len(parts) > 2 else "app")


class _Reader:
    def __init__(self, code: Codebase) -> None:
        self.files = dict(code.python)
        self.symbols = Symbols(self.files)
        self.constants = Constants(self.files)
        self.declared = {p: i.facts.get(KEY, {}) for p, i in self.files.items() if not is_sample_path(p)}

    def is_model(self, cls: ClassInfo) -> bool:
        for base in self.symbols.external_bases(cls):
            module, _, last = base.rpartition(".")
            if last in _MODEL_BASES and (module.startswith("django.") or base == "models.Model"):
                return True
        return False

    def fields_of(self, cls: ClassInfo) -> list[DjangoField]:
        return list(self.declared.get(cls.path, {}).get(cls.name, []))

    def models(self) -> list[_Model]:
        found = []
        for cls in self.symbols.classes():
            meta = cls.inner.get("Meta", {})
            if meta.get("abstract") is True or meta.get("proxy") is True or not self.is_model(cls):
                continue
            app = str(meta.get("app_label") or _app_label(cls))
            table = meta.get("db_table")
            found.append(_Model(cls, self.fields_of(cls), app, table if isinstance(table, str) else
                                f"{app}_{cls.name.lower()}"))
        return found

    def inherited(self, cls: ClassInfo, concrete: set[str]
                  ) -> tuple[list[DjangoField], list[tuple[str, str]], str | None]:
        """Fields of abstract repository bases, Django's auth fields, and the concrete parent (multi-table)."""
        fields: list[DjangoField] = []
        auth: list[tuple[str, str]] = []
        parent = None
        for ancestor in list(self.symbols.ancestors(cls))[1:]:
            if isinstance(ancestor, str):
                for name, kind, _ in _AUTH_FIELDS.get(ancestor.rsplit(".", 1)[-1], ()) if ancestor.startswith(
                        "django.") else ():
                    auth.append((name, kind))
            elif ancestor.qualname in concrete:
                parent = parent or ancestor.name
            elif ancestor.inner.get("Meta", {}).get("abstract") is True or not self.is_model(ancestor):
                fields.extend(self.fields_of(ancestor))
        return fields, auth, parent

    def resolve(self, reference: str, model: _Model, by_label: dict[tuple[str, str], str], names: set[str]
                ) -> str | None:
        """The entity a relation target names: `'self'`, `'app.Model'`, `'Model'`, a class, or a setting."""
        text = reference
        info = self.files[model.cls.path]
        if text.startswith("@"):
            value = self.constants.lookup(text[1:], info)
            if value is None:
                cls = self.symbols.cls(self.symbols.qualify(text[1:], model.cls.module))
                return cls.name if cls is not None and cls.name in names else None
            text = value
        if text == "self":
            return model.cls.name
        app, _, name = text.rpartition(".")
        return by_label.get((app or model.app, name)) or (name if name in names else None)


def _reverse(options: dict[str, object], model: str, kind: str, app: str) -> str:
    related = options.get("related_name")
    if isinstance(related, str):
        related = related.replace("%(class)s", model.lower()).replace("%(app_label)s", app)
        return "" if related.endswith("+") else related
    return model.lower() if kind == "OneToOneField" else f"{model.lower()}_set"


def model(code: Codebase) -> tuple[list[Entity], list[Relation]]:
    """Every Django model and the relations its fields declare."""
    reader = _Reader(code)
    models = reader.models()
    names = {m.cls.name for m in models}
    by_label = {(m.app, m.cls.name): m.cls.name for m in models}
    concrete = {m.cls.qualname for m in models}
    auto = (reader.constants.unique.get("DEFAULT_AUTO_FIELD") or "AutoField").rsplit(".", 1)[-1]
    entities, relations = [], []
    for m in models:
        inherited, auth, parent = reader.inherited(m.cls, concrete)
        declared = inherited + m.fields
        fields: list[EntityField] = [EntityField(name=n, type=k) for n, k in auth]
        if parent is not None:
            ptr = f"{parent.lower()}_ptr"
            fields.insert(0, EntityField(name=ptr, type="OneToOneField", key="PK", references=parent, unique=True))
            relations.append(Relation(left=m.cls.name, right=parent, cardinality="one-to-one", label=ptr,
                                      right_label=m.cls.name.lower(), source=SourceRef(path=m.cls.path,
                                                                                      line=m.cls.line)))
        elif not any(f.options.get("primary_key") is True for f in declared):
            fields.insert(0, EntityField(name="id", type=auto, key="PK"))
        for f in declared:
            source = SourceRef(path=m.cls.path, line=f.line if f in m.fields else m.cls.line)
            target = reader.resolve(f.target, m, by_label, names) if f.target else None
            null = f.options.get("null")
            if f.kind == "ManyToManyField":
                if target is not None:
                    through = reader.resolve(f.through, m, by_label, names) if f.through else f"{m.table}_{f.name}"
                    symmetrical = target == m.cls.name and f.options.get("symmetrical", True) is not False
                    relations.append(Relation(left=m.cls.name, right=target, cardinality="many-to-many", label=f.name,
                                              right_label="" if symmetrical else _reverse(f.options, m.cls.name,
                                                                                           f.kind, m.app),
                                              through=through, source=source))
                continue
            if f.kind in _RELATED:
                fields.append(EntityField(name=f.name, type=f.kind, key="FK", nullable=null if isinstance(null, bool)
                                          else None, references=target or (f.target or "").rsplit(".", 1)[-1],
                                          unique=f.kind == "OneToOneField"))
                if target is not None:
                    relations.append(Relation(left=m.cls.name, right=target, cardinality=_RELATED[f.kind],
                                              label=f.name, right_label=_reverse(f.options, m.cls.name, f.kind, m.app),
                                              source=source))
                continue
            key = "PK" if f.options.get("primary_key") is True else ("UK" if f.options.get("unique") is True else None)
            fields.append(EntityField(name=f.name, type=f.kind, key=key, nullable=null if isinstance(null, bool)
                                      else None, unique=key == "UK"))
        entities.append(Entity(name=m.cls.name, table=m.table, orm=ORM, source=SourceRef(path=m.cls.path,
                                                                                         line=m.cls.line),
                               fields=tuple(fields)))
    return entities, relations


class DjangoOrm:
    """Django ORM models."""

    name = ORM

    @staticmethod
    def visitors() -> Sequence[PythonVisitor]:
        """Field declarations, and the symbols model bases resolve through."""
        return (VISITOR, pysymbols.VISITOR)

    def run(self, code: Codebase) -> Found | None:
        """The models, or None when application code does not use the Django ORM."""
        evidence = pyevidence.import_evidence(code.python, "django.db")
        if not evidence:
            return None
        entities, relations = model(code)
        files = sorted({e.source.path for e in entities} | {p for p, i in code.python.items()
                                                            if i.facts.get(KEY) and not is_sample_path(p)})
        return Found(framework=self.name, evidence=tuple(evidence), files_read=tuple(files),
                     entities=tuple(entities), relations=tuple(relations),
                     problems=pyevidence.unparsed(code.paths, code.python, lambda p: "models" in p.rsplit("/", 2)[-2:]
                                                 or p.endswith("models.py")),
                     technologies=tuple((self.name, ref) for ref in evidence))


ADAPTERS = (DjangoOrm(),)
