# Deployment: Dockerfiles (base images, EXPOSE), compose files merged with their overrides, Kubernetes manifests,
# Helm charts, Procfile processes and GitHub Actions workflows (triggers, jobs, and what each job tests or ships).
from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from autodevhub_docs.log import get_logger
from autodevhub_docs.model import ContainerImage, HelmChart, HostReference, Service, SourceRef, Workflow, WorkflowJob
from autodevhub_docs.parsing.formats import load_yaml

log = get_logger(__name__)

ReadText = Callable[[str], "str | None"]
_WORKLOADS = {"Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod", "ReplicaSet"}
_PURPOSES = (
    ("test", re.compile(r"\b(pytest|tox|nox|jest|vitest|mocha|go test|cargo test|npm (run )?test|yarn test|pnpm test|"
                        r"rspec|phpunit|unittest|scripts/test|make test|coverage)\b", re.I)),
    ("lint", re.compile(r"\b(ruff|flake8|pylint|eslint|black|prettier|golangci|rubocop|clippy|pre-commit|lint)\b",
                        re.I)),
    ("type-check", re.compile(r"\b(mypy|pyright|tsc|type-?check)\b", re.I)),
    ("build", re.compile(r"\b(docker build|docker/build-push-action|npm run build|yarn build|python -m build|"
                         r"cargo build|go build|mkdocs build|hatch build|poetry build)\b", re.I)),
    ("deploy", re.compile(r"\b(deploy|kubectl|helm upgrade|helm install|terraform apply|flyctl|heroku|"
                          r"gcloud|aws |az webapp|gh-pages|pages)\b", re.I)),
    ("publish", re.compile(r"\b(twine|pypi-publish|npm publish|docker push|cargo publish|gh release|release)\b",
                           re.I)),
)


def _load(path: str, text: str | None, *, all_documents: bool = False) -> Any:
    """Parse a YAML file with the bounded loader; a file that cannot be read is skipped with a warning naming it."""
    if not text:
        return None
    loaded = load_yaml(text, all_documents=all_documents)
    if loaded.problem:
        log.warning("%s: %s; the file is skipped.", path, loaded.problem)
        return None
    return loaded.data


def _mapping(value: Any) -> dict[Any, Any]:
    """The value when it is a mapping, else an empty one (a hostile file may put a list or a number anywhere)."""
    return value if isinstance(value, dict) else {}


def _items(value: Any) -> list[Any]:
    """The value when it is a list, else an empty one."""
    return value if isinstance(value, list) else []


def line_of(text: str, needle: str, start_line: int = 1) -> int | None:
    """1-based line of the first line containing `needle` at or after `start_line`."""
    for number, line in enumerate(text.split("\n"), start=1):
        if number >= start_line and needle in line:
            return number
    return None


def dockerfile(path: str, text: str) -> ContainerImage:
    """Base images (stage aliases excluded) and exposed ports of a Dockerfile."""
    bases: list[str] = []
    stages: set[str] = set()
    ports: list[str] = []
    first = None
    joined = re.sub(r"\\\n", " ", text)
    for number, raw in enumerate(joined.split("\n"), start=1):
        line = raw.strip()
        words = line.split()
        if not words:
            continue
        op = words[0].upper()
        if op == "FROM":
            args = [w for w in words[1:] if not w.startswith("--")]
            if args:
                image = args[0]
                if image.lower() not in stages and image not in bases:
                    bases.append(image)
                if len(args) >= 3 and args[1].upper() == "AS":
                    stages.add(args[2].lower())
                first = first or line_of(text, raw.strip()) or number
        elif op == "EXPOSE":
            ports.extend(w for w in words[1:] if w not in ports)
    return ContainerImage(path=path, bases=tuple(bases), ports=tuple(ports), line=first)


def _as_list(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [str(k) for k in value]
    if isinstance(value, list):
        out = []
        for item in value:
            if isinstance(item, dict):
                target = item.get("target") or item.get("source") or item.get("published")
                published = item.get("published")
                out.append(f"{published}:{item.get('target')}" if published and item.get("target") else str(target))
            else:
                out.append(str(item))
        return out
    return [str(value)] if value not in (None, "") else []


def is_compose(path: str) -> bool:
    """Compose files and their overrides (`docker-compose.override.yml`, `compose.prod.yaml`, ...)."""
    name = path.rsplit("/", 1)[-1]
    return "compose" in name and fnmatch.fnmatch(name, "*compose*.y*ml")


def _compose_order(path: str) -> tuple[str, int, str]:
    name = PurePosixPath(path).name
    base = name in {"docker-compose.yml", "docker-compose.yaml", "compose.yml", "compose.yaml"}
    return (str(PurePosixPath(path).parent), 0 if base else (1 if "override" in name else 2), name)


def compose_services(paths: Iterable[str], read_text: ReadText) -> list[Service]:
    """Services of every compose file, overrides merged into the service they extend (base file first)."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for path in sorted((p for p in paths if is_compose(p)), key=_compose_order):
        text = read_text(path)
        data = _load(path, text)
        services = data.get("services") if isinstance(data, dict) else None
        if not isinstance(services, dict):
            continue
        folder = str(PurePosixPath(path).parent)
        for name, raw_spec in services.items():
            spec = raw_spec if isinstance(raw_spec, dict) else {}
            key = (folder, str(name))
            entry = merged.setdefault(key, {"name": str(name), "files": [], "image": None, "build": None, "ports": [],
                                            "depends_on": [], "volumes": [], "networks": [],
                                            "source": SourceRef(path=path, line=line_of(text or "", f"{name}:"))})
            entry["files"].append(path)
            if spec.get("image"):
                entry["image"] = str(spec["image"])
            build = spec.get("build")
            if build:
                entry["build"] = str(build.get("context", ".") if isinstance(build, dict) else build)
            for field in ("ports", "depends_on", "volumes", "networks"):
                for item in _as_list(spec.get(field)):
                    if item not in entry[field]:
                        entry[field].append(item)
            start = entry["source"].line if entry["source"].path == path else line_of(text or "", f"{name}:")
            entry.setdefault("hosts", []).extend(host_references(spec.get("environment"), text or "", start or 1))
            entry.setdefault("routes", []).extend(_proxy_rules(spec.get("labels"), text or "", start or 1))
    return [Service(name=e["name"], kind="compose", source=e["source"], image=e["image"], build=e["build"],
                    ports=tuple(e["ports"]), depends_on=tuple(e["depends_on"]), volumes=tuple(e["volumes"]),
                    networks=tuple(e["networks"]), files=tuple(dict.fromkeys(e["files"])),
                    hosts=tuple(dict.fromkeys(e.get("hosts", []))), routes=tuple(dict.fromkeys(e.get("routes", []))))
            for e in merged.values()]


_DEFAULTED = re.compile(r"\$\{\w+:?-([^}]*)\}")
_HOST_KEYS = ("_HOST", "_SERVER", "_HOSTNAME", "_ADDR", "_ADDRESS")


def _pairs(value: Any) -> list[tuple[str, str]]:
    if isinstance(value, dict):
        return [(str(k), "" if v is None else str(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [(str(item).split("=", 1)[0], str(item).split("=", 1)[1] if "=" in str(item) else "")
                for item in value if isinstance(item, (str, int, float))]
    return []


def host_references(environment: Any, text: str, start: int) -> list[HostReference]:
    """Hosts named by environment values: URLs (credentials dropped) and bare `*_HOST`/`*_SERVER` values."""
    found = []
    for key, raw in _pairs(environment):
        value = _DEFAULTED.sub(lambda m: m.group(1), raw).strip().strip("\"'")
        line = line_of(text, key, start)
        if "://" in value:
            try:
                parts = urlsplit(value)
                host, port = (parts.hostname or "").lower(), str(parts.port or "")
            except ValueError:
                continue
            if host and "$" not in host:
                found.append(HostReference(variable=key, scheme=parts.scheme.lower(), host=host, port=port,
                                           line=line))
        elif key.upper().endswith(_HOST_KEYS) and re.fullmatch(r"[A-Za-z0-9][\w.-]*(:\d+)?", value):
            host, _, port = value.partition(":")
            found.append(HostReference(variable=key, scheme="", host=host.lower(), port=port, line=line))
    return found


def _proxy_rules(labels: Any, text: str, start: int) -> list[tuple[str, int]]:
    """Traefik router rules (`traefik.http.routers.<name>.rule=Host(...)`) a service's labels declare."""
    return [(value[:200], line_of(text, key, start) or start) for key, value in _pairs(labels)
            if key.startswith("traefik.http.routers.") and key.endswith(".rule")]


def kubernetes(paths: Iterable[str], read_text: ReadText) -> tuple[list[Service], list[str]]:
    """Workloads and Services of plain Kubernetes manifests (Helm templates are skipped: they are not YAML)."""
    services: list[Service] = []
    manifests: list[str] = []
    for path in paths:
        if not path.endswith((".yml", ".yaml")) or "/templates/" in f"/{path}" or is_compose(path) \
                or path.startswith(".github/"):
            continue
        text = read_text(path)
        if not text or "apiVersion" not in text or "kind" not in text:
            continue
        docs = [d for d in _items(_load(path, text, all_documents=True)) if isinstance(d, dict)]
        found = False
        for doc in docs:
            kind, meta = doc.get("kind"), doc.get("metadata") or {}
            if not isinstance(kind, str) or "apiVersion" not in doc or not isinstance(meta, dict):
                continue
            found = True
            name = str(meta.get("name", "?"))
            if kind in _WORKLOADS:
                containers = _containers(doc)
                images = [str(c.get("image")) for c in containers if c.get("image")]
                ports = [str(p.get("containerPort")) for c in containers for p in _items(c.get("ports"))
                         if isinstance(p, dict) and p.get("containerPort")]
                start = line_of(text, f"name: {name}") or 1
                hosts = [h for c in containers for h in host_references(
                    {e.get("name"): e.get("value") for e in c.get("env") or [] if isinstance(e, dict)}, text, start)]
                services.append(Service(name=name, kind=f"kubernetes {kind}",
                                        source=SourceRef(path=path, line=start),
                                        image=", ".join(images) or None, ports=tuple(ports), files=(path,),
                                        hosts=tuple(hosts), labels=tuple(_pairs(_pod_labels(doc)))))
            elif kind == "Service":
                spec = _mapping(doc.get("spec"))
                ports = [f"{p.get('port')}" + (f":{p.get('targetPort')}" if p.get("targetPort") else "")
                         for p in _items(spec.get("ports")) if isinstance(p, dict)]
                services.append(Service(name=name, kind="kubernetes Service",
                                        source=SourceRef(path=path, line=line_of(text, f"name: {name}")),
                                        ports=tuple(ports), files=(path,),
                                        selector=tuple(_pairs(spec.get("selector")))))
        if found:
            manifests.append(path)
    return services, manifests


def _containers(doc: dict[str, Any]) -> list[dict[str, Any]]:
    spec = doc.get("spec") or {}
    for _ in range(4):  # Pod -> Deployment.template -> CronJob.jobTemplate.spec.template
        if not isinstance(spec, dict):
            return []
        if "containers" in spec:
            return [c for c in _items(spec.get("containers")) if isinstance(c, dict)]
        spec = _mapping(spec.get("template") or spec.get("jobTemplate")).get("spec") or {}
    return []


def _pod_labels(doc: dict[str, Any]) -> Any:
    spec = doc.get("spec") or {}
    template = spec.get("template") if isinstance(spec, dict) else None
    meta = template.get("metadata") if isinstance(template, dict) else doc.get("metadata")
    return meta.get("labels") if isinstance(meta, dict) else None


def helm_charts(paths: Iterable[str], read_text: ReadText) -> list[HelmChart]:
    """Helm charts (Chart.yaml)."""
    charts = []
    for path in paths:
        if not path.endswith("Chart.yaml") or path.rsplit("/", 1)[-1] != "Chart.yaml":
            continue
        data = _load(path, read_text(path))
        if isinstance(data, dict):
            charts.append(HelmChart(name=str(data.get("name", PurePosixPath(path).parent.name)), path=path,
                                    version=str(data.get("version", ""))))
    return charts


def procfile(paths: Iterable[str], read_text: ReadText) -> list[Service]:
    """Processes of Procfiles (`web: gunicorn app:app`)."""
    found = []
    for path in paths:
        if path.rsplit("/", 1)[-1] != "Procfile":
            continue
        for number, line in enumerate((read_text(path) or "").split("\n"), start=1):
            m = re.match(r"^([A-Za-z0-9_-]+):\s*(.+)$", line.strip())
            if m:
                found.append(Service(name=m.group(1), kind="procfile", source=SourceRef(path=path, line=number),
                                     command=m.group(2).strip(), files=(path,)))
    return found


def _triggers(data: dict[Any, Any]) -> tuple[str, ...]:
    on = data.get("on", data.get(True))  # YAML 1.1 reads the bare key `on` as True
    if isinstance(on, str):
        return (on,)
    if isinstance(on, list):
        return tuple(str(t) for t in on)
    if isinstance(on, dict):
        return tuple(str(t) for t in on)
    return ()


def workflows(paths: Iterable[str], read_text: ReadText) -> list[Workflow]:
    """GitHub Actions workflows with their triggers and jobs."""
    found = []
    for path in paths:
        if not (path.startswith(".github/workflows/") and path.endswith((".yml", ".yaml"))):
            continue
        data = _load(path, read_text(path))
        if not isinstance(data, dict):
            continue
        if data.get("jobs") is not None and not isinstance(data["jobs"], dict):
            log.warning("%s: 'jobs' is not a mapping of job ids to jobs; the jobs are skipped.", path)
        jobs = []
        for job_id, job in _mapping(data.get("jobs")).items():
            if not isinstance(job, dict):
                continue
            if job.get("steps") is not None and not isinstance(job["steps"], list):
                log.warning("%s: the steps of job '%s' are not a list; they are skipped.", path, job_id)
            commands = []
            for step in _items(job.get("steps")):
                if isinstance(step, dict):
                    if step.get("run"):
                        commands.append(" ".join(str(step["run"]).split())[:120])
                    elif step.get("uses"):
                        commands.append(str(step["uses"]))
            if job.get("uses"):
                commands.append(str(job["uses"]))
            text = " ".join([str(job_id), str(job.get("name", "")), *commands])
            purposes = tuple(name for name, pattern in _PURPOSES if pattern.search(text))
            runs_on = job.get("runs-on", "")
            jobs.append(WorkflowJob(name=str(job_id), runs_on=", ".join(map(str, runs_on)) if isinstance(
                runs_on, list) else str(runs_on), purposes=purposes, commands=tuple(commands[:12])))
        found.append(Workflow(path=path, name=str(data.get("name") or PurePosixPath(path).stem),
                              triggers=_triggers(data), jobs=tuple(jobs)))
    return found
