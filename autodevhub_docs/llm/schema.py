# A small validator for the subset of JSON Schema our prose requests use (jsonschema is not a dependency):
# type, properties, required, additionalProperties, items, enum, const, min/maxItems, min/maxLength,
# minimum/maximum. Unknown keywords are ignored, as JSON Schema does.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,), "array": (list,), "string": (str,), "boolean": (bool,), "null": (type(None),),
    "integer": (int,), "number": (int, float),
}


def _type_ok(value: Any, name: str) -> bool:
    if name in ("integer", "number") and isinstance(value, bool):
        return False
    if name == "integer" and isinstance(value, float):
        return value.is_integer()
    return isinstance(value, _TYPES.get(name, (object,)))


def validate(instance: Any, schema: Mapping[str, Any], path: str = "$") -> list[str]:  # noqa: PLR0912 - one branch per keyword
    """Check an answer against a schema.

    Args:
        instance: The decoded JSON answer.
        schema: The request's JSON schema.
        path: Location of `instance` in the answer (for messages).

    Returns:
        Human-readable problems, empty when the answer is valid.
    """
    errors: list[str] = []
    expected = schema.get("type")
    if expected is not None:
        names = [expected] if isinstance(expected, str) else list(expected)
        if not any(_type_ok(instance, n) for n in names):
            return [f"{path}: expected {' or '.join(names)}, got {type(instance).__name__}"]
    if "enum" in schema and instance not in schema["enum"]:
        errors.append(f"{path}: {instance!r} is not one of {list(schema['enum'])!r}")
    if "const" in schema and instance != schema["const"]:
        errors.append(f"{path}: must be {schema['const']!r}")
    if isinstance(instance, str):
        if len(instance) < schema.get("minLength", 0):
            errors.append(f"{path}: shorter than {schema['minLength']} characters")
        if "maxLength" in schema and len(instance) > schema["maxLength"]:
            errors.append(f"{path}: longer than {schema['maxLength']} characters")
    if isinstance(instance, (int, float)) and not isinstance(instance, bool):
        if "minimum" in schema and instance < schema["minimum"]:
            errors.append(f"{path}: below the minimum {schema['minimum']}")
        if "maximum" in schema and instance > schema["maximum"]:
            errors.append(f"{path}: above the maximum {schema['maximum']}")
    if isinstance(instance, list):
        if len(instance) < schema.get("minItems", 0):
            errors.append(f"{path}: fewer than {schema['minItems']} items")
        if "maxItems" in schema and len(instance) > schema["maxItems"]:
            errors.append(f"{path}: more than {schema['maxItems']} items")
        items = schema.get("items")
        if isinstance(items, Mapping):
            for index, item in enumerate(instance):
                errors.extend(validate(item, items, f"{path}[{index}]"))
    if isinstance(instance, dict):
        properties = schema.get("properties") or {}
        errors.extend(f"{path}: missing required field '{name}'" for name in schema.get("required", ())
                      if name not in instance)
        for name, value in instance.items():
            if name in properties:
                errors.extend(validate(value, properties[name], f"{path}.{name}"))
            elif schema.get("additionalProperties") is False:
                errors.append(f"{path}: unexpected field '{name}'")
            elif isinstance(schema.get("additionalProperties"), Mapping):
                errors.extend(validate(value, schema["additionalProperties"], f"{path}.{name}"))
    return errors


def strict_schema(schema: Mapping[str, Any]) -> dict[str, Any]:
    """Return a copy with `additionalProperties: false` on every object (required by `output_config` json_schema)."""
    copy: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "properties" and isinstance(value, Mapping):
            copy[key] = {name: strict_schema(sub) for name, sub in value.items()}
        elif key == "items" and isinstance(value, Mapping):
            copy[key] = strict_schema(value)
        else:
            copy[key] = value
    if copy.get("type") == "object" and "additionalProperties" not in copy:
        copy["additionalProperties"] = False
    return copy
