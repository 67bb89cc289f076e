# The one tree-sitter query a JavaScript or TypeScript file is read with when an adapter reads it whole (see
# `jsmodule`): functions, declarators, the calls that pass a name, method checks. Its pattern groups with text
# predicates are left out of the query of a file that does not hold the words they compare with, where they could not
# match. What every file's summary reads (imports, exports, environment reads, classes, member calls, connection
# options) comes from the places its words occur (`jsanchors`), with no query; its patterns here are the tests' spec.
from __future__ import annotations

from functools import cache

CALLED_METHODS = frozenset({
    "get", "post", "put", "patch", "delete", "del", "options", "head", "all", "use", "route", "register", "on",
    "basePath", "prefix", "routes", "middleware", "setGlobalPrefix", "define", "init", "belongsTo", "hasMany",
    "hasOne", "belongsToMany", "model",
})
"""Method names of the calls framework and ORM adapters read (routes, mounts, prefixes, model definitions and
associations). The file's one query captures these calls, so no adapter walks the tree again."""
OPTION_KEYS = ("dialect", "type", "provider")
"""Object keys that name a database in an ORM's connection options."""

INDEX_PATTERNS: tuple[tuple[tuple[bytes, ...], str], ...] = (
    ((), """
[(function_declaration) (generator_function_declaration) (function_expression) (generator_function)
 (arrow_function) (method_definition)] @function
(variable_declarator name: (_) value: (_)) @declarator
(call_expression function: [(identifier) (call_expression) (parenthesized_expression)]
  arguments: (arguments (identifier))) @plain_call
"""),
    ((b"model",), """
(call_expression function: (identifier) @_model (#eq? @_model "model")) @plain_call
"""),
    ((b"method",), """
(binary_expression left: (member_expression property: (property_identifier) @_method) right: (string) @method_check
  (#eq? @_method "method"))
(binary_expression left: (string) @method_check right: (member_expression property: (property_identifier) @_method)
  (#eq? @_method "method"))
(switch_statement value: (parenthesized_expression (member_expression property: (property_identifier) @_method))
  body: (switch_body (switch_case value: (string) @method_check)) (#eq? @_method "method"))
"""),
)
"""The file's query, in groups: what only a walk of the tree gives (scopes, declarators, calls passing a name,
method checks). A group with words has text predicates that need one of them in the source (`#eq? @_model
"model"` needs the bytes `model`): it is left out of the query of a file that holds none of them, where it could
not match (every pattern costs time at every node the query visits). Groups without words are always in."""
ANCHORED_PATTERNS = """
(import_statement source: (string) @source) @import
(export_statement) @export
(call_expression function: (identifier) @_require arguments: (arguments . (string) @source)
  (#eq? @_require "require")) @require
(call_expression function: (import) arguments: (arguments . (string) @source)) @require
(assignment_expression left: (member_expression) right: (_)) @assign
(member_expression object: (member_expression object: (identifier) @_process property: (property_identifier) @_env)
  property: (property_identifier) @env (#eq? @_process "process") (#eq? @_env "env"))
(subscript_expression object: (member_expression object: (identifier) @_process property: (property_identifier) @_env)
  index: (string) @env (#eq? @_process "process") (#eq? @_env "env"))
(member_expression object: (member_expression object: (meta_property) property: (property_identifier) @_env)
  property: (property_identifier) @env (#eq? @_env "env"))
(variable_declarator name: (object_pattern) @env_pattern
  value: (member_expression object: (identifier) @_process property: (property_identifier) @_env)
  (#eq? @_process "process") (#eq? @_env "env"))
(call_expression function: (member_expression property: (property_identifier) @_called)
  (#any-of? @_called CALLED)) @member_call
(arguments (object (pair key: (property_identifier) @_option value: (string))) (#any-of? @_option OPTIONS)) @options
""".replace("CALLED", " ".join(f'"{m}"' for m in sorted(CALLED_METHODS))).replace(
    "OPTIONS", " ".join(f'"{k}"' for k in OPTION_KEYS))
"""What `jsanchors` reads from the places a word occurs instead (imports, requires, exports, CommonJS assignments,
environment reads, member calls, connection options), as the query that would capture it: the specification the
anchors are tested against (`tests/test_jsanchors.py`), never run on a build."""
CLASS_PATTERNS = {
    "javascript": "(class_declaration) @class\n(class) @class\n",
    "typescript": "[(class_declaration) (abstract_class_declaration) (class)] @class\n",
}
"""Classes as a query would capture them (`jsanchors.classes` reads them from the word `class`), for the tests."""


def file_query(source: bytes) -> str:
    """The file's one query: every pattern, less those that need words the file does not hold.

    The byte test only leaves out patterns that cannot match; the query still decides what matches.
    """
    return _joined(tuple(not words or any(w in source for w in words) for words, _ in INDEX_PATTERNS))


@cache
def _joined(kept: tuple[bool, ...]) -> str:
    # One string per combination of groups: the compiled-query cache then finds it by identity, not by hashing and
    # comparing a few kilobytes of query text for every file.
    return "".join(patterns for (_, patterns), keep in zip(INDEX_PATTERNS, kept, strict=True) if keep)
