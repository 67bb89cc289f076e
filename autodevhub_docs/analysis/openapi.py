# OpenAPI and Swagger files in the repository, read as a cross-check of the endpoints found in code: an operation
# the spec declares that no code declares is listed as "declared in the spec only".
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from autodevhub_docs.analysis.endpoints.paths import join, normalise_path
from autodevhub_docs.log import get_logger
from autodevhub_docs.model import ApiDocument, Endpoint, SourceRef
from autodevhub_docs.parsing.formats import load_json, load_yaml
from autodevhub_docs.sources.paths import is_sample_path

log = get_logger(__name__)

ReadText = Callable[[str], "str | None"]
METHODS = ("get", "post", "put", "patch", "delete", "head", "options", "trace")


def _base_path(data: dict[str, Any]) -> str:
    """Swagger 2's `basePath`, or the path of OpenAPI 3's first server URL."""
    if isinstance(data.get("basePath"), str):
        return data["basePath"]
    servers = data.get("servers")
    if isinstance(servers, list) and servers and isinstance(servers[0], dict):
        url = str(servers[0].get("url", ""))
        try:
            return urlsplit(url).path if "://" in url else url
        except ValueError:
            return ""
    return ""


def _line(text: str, needle: str) -> int | None:
    for number, line in enumerate(text.split("\n"), start=1):
        if needle in line:
            return number
    return None


def read_specs(paths: Iterable[str], read_text: ReadText) -> tuple[list[ApiDocument], list[Endpoint]]:
    """OpenAPI/Swagger files (title, version, operation count) and every operation they declare.

    Operations carry the spec's base path; their handler is the `operationId` when there is one.
    """
    documents, operations = [], []
    for path in paths:
        if not path.endswith((".json", ".yaml", ".yml")) or "node_modules/" in path or is_sample_path(path):
            continue
        lowered = PurePosixPath(path).name.lower()
        if not any(word in lowered for word in ("openapi", "swagger", "api")):
            continue
        text = read_text(path) or ""
        head = text[:2000]
        if "openapi" not in head and "swagger" not in head:
            continue
        loaded = load_json(text) if path.endswith(".json") else load_yaml(text)
        if loaded.problem:
            log.warning("%s: %s; the file is skipped.", path, loaded.problem)
            continue
        data = loaded.data
        if not isinstance(data, dict) or not ("openapi" in data or "swagger" in data):
            continue
        info: dict[str, Any] = data["info"] if isinstance(data.get("info"), dict) else {}
        api_paths: dict[str, Any] = data["paths"] if isinstance(data.get("paths"), dict) else {}
        base = _base_path(data)
        count = 0
        for route, methods in api_paths.items():
            if not isinstance(methods, dict):
                continue
            line = _line(text, f"{route}:" if not path.endswith(".json") else f'"{route}"')
            for method, spec in methods.items():
                if str(method).lower() not in METHODS:
                    continue
                count += 1
                handler = str(spec.get("operationId", "")) if isinstance(spec, dict) else ""
                operations.append(Endpoint(method=str(method).upper(), path=normalise_path(join(base, str(route))),
                                           handler=handler or "(in the spec)", framework="OpenAPI",
                                           source=SourceRef(path=path, line=line)))
        kind = f"OpenAPI {data['openapi']}" if "openapi" in data else f"Swagger {data.get('swagger')}"
        documents.append(ApiDocument(path=path, kind=kind, title=str(info.get("title", "")),
                                     version=str(info.get("version", "")), operations=count))
    return documents, operations


def spec_only(operations: Sequence[Endpoint], code: Sequence[Endpoint]) -> list[Endpoint]:
    """The operations no code declares (compared by method and path, with and without the spec's base path)."""
    declared = {(e.method, e.path) for e in code}
    any_method = {e.path for e in code if e.method == "ANY"}
    kept: dict[tuple[str, str], Endpoint] = {}
    for operation in operations:
        key = (operation.method, operation.path)
        if key in declared or operation.path in any_method:
            continue
        if any(operation.path.endswith(path) and path != "/" and (operation.method, path) in declared
               for _, path in declared):
            continue  # the code declares it without the base path the spec adds
        kept.setdefault(key, operation)
    return sorted(kept.values(), key=lambda e: (e.path, e.method))
