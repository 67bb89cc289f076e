# What a template reads of its context (`rendering.template_reads`), on real Jinja templates: an attribute read is
# recorded; anything else done with a value (output, a filter, a test, a call to code, an alias) reads it whole; a
# macro of the templates is followed into its parameter, wherever it is defined; included, extended and
# imported-with-context templates count; a template named by an expression makes every name read whole.
from __future__ import annotations

import jinja2
import pytest

from autodevhub_docs.rendering.env import make_env
from autodevhub_docs.rendering.template_reads import WHOLE, TemplateReads


def _env(loader: jinja2.BaseLoader) -> jinja2.Environment:
    return jinja2.Environment(loader=loader, autoescape=True)  # only parsed here: the escaping plays no part


def _reads(templates: dict[str, str], name: str = "page") -> dict[str, frozenset[str] | None] | None:
    env = _env(jinja2.DictLoader(templates))
    found = TemplateReads(env).of(name)
    return None if found is None else dict(found)


def test_attribute_reads_are_recorded_and_nothing_else_is() -> None:
    found = _reads({"page": "{{ facts.name }} {% for e in arch.endpoints %}{{ e.path }}{% endfor %}"
                            "{{ arch['entities'] | length }}"})
    assert found is not None
    assert found["facts"] == {"name"}
    assert found["arch"] == {"endpoints", "entities"}
    assert "commits" not in found["facts"]


@pytest.mark.parametrize("text", [
    "{{ facts }}",                              # written out
    "{{ facts | tojson }}",                     # handed to a filter
    "{% if facts is defined %}x{% endif %}",    # tested
    "{{ helper(facts) }}",                      # handed to code outside the templates
    "{% set alias = facts %}{{ alias.name }}",  # aliased
    "{{ facts[key] }}",                         # an attribute named by a value
    "{{ facts.name }}{{ facts | length }}",     # read whole anywhere: whole
    "{% macro m(a) %}{{ a.x }}{% endmacro %}{{ m(*facts) }}",    # unpacked into a macro
    "{% macro m(a) %}{{ a.x }}{% endmacro %}{{ m(**facts) }}",   # unpacked by keyword
])
def test_anything_but_an_attribute_read_reads_the_value_whole(text: str) -> None:
    found = _reads({"page": text})
    assert found is not None
    assert found["facts"] is WHOLE


def test_a_macro_is_followed_into_its_parameter_here_and_when_imported() -> None:
    templates = {
        "_macros": "{% macro left_out(a) %}{{ a.left_out }}{% endmacro %}"
                   "{% macro whole(a) %}{{ a }}{% endmacro %}"
                   "{% macro nested(a) %}{{ left_out(a) }}{{ a.more }}{% endmacro %}",
        "page": "{% from '_macros' import left_out, nested %}{% import '_macros' as m %}"
                "{% macro here(x, y) %}{{ y.local }}{% endmacro %}"
                "{{ left_out(arch) }}{{ nested(arch) }}{{ here(1, y=system) }}{{ m.whole(facts) }}{{ here(1, other) }}",
    }
    found = _reads(templates)
    assert found is not None
    assert found["arch"] == {"left_out", "more"}  # through `nested` into `left_out` too
    assert found["system"] == {"local"}            # by keyword
    assert found["facts"] is WHOLE                 # the macro writes it out
    assert found["other"] == {"local"}             # over-estimated: `here` reads `y.local`, `other` is passed as x


def test_a_recursive_macro_reads_its_parameter_whole() -> None:
    found = _reads({"page": "{% macro walk(n) %}{{ n.name }}{{ walk(n) }}{% endmacro %}{{ walk(tree) }}"})
    assert found is not None
    assert found["tree"] is WHOLE


def test_included_and_extended_templates_count_and_an_expression_reads_everything() -> None:
    templates = {"base": "{{ facts.name }}{% block body %}{% endblock %}", "part": "{{ arch.endpoints }}",
                 "page": "{% extends 'base' %}{% block body %}{% include 'part' %}{{ facts.head }}{% endblock %}"}
    found = _reads(templates)
    assert found is not None
    assert found["facts"] == {"name", "head"}
    assert found["arch"] == {"endpoints"}
    assert _reads({"page": "{% include which %}{{ facts.name }}"}) is None
    assert _reads({"page": "{{ x }}"}, name="missing") is None


def test_names_a_template_never_reads_are_not_in_the_reads() -> None:
    found = _reads({"page": "{{ title }}"})
    assert found == {"title": WHOLE}


def test_reads_round_trip_through_json_and_the_fingerprint_follows_the_templates() -> None:
    loader = jinja2.DictLoader({"page": "{{ facts.name }}{{ intro }}"})
    reads = TemplateReads(_env(loader))
    first = reads.of("page")
    again = TemplateReads(_env(loader))
    again.from_json(reads.as_json())
    assert again.known == {"page": first}
    fingerprint = reads.fingerprint()
    assert TemplateReads(_env(loader)).fingerprint() == fingerprint
    loader.mapping["page"] = "{{ facts.head }}"
    assert TemplateReads(_env(loader)).fingerprint() != fingerprint


def test_malformed_stored_reads_are_worked_out_again() -> None:
    reads = TemplateReads(_env(jinja2.DictLoader({"page": "{{ facts.name }}"})))
    reads.from_json({"page": {"facts": [1, 2]}})
    reads.from_json(["not", "a", "mapping"])
    assert reads.of("page") == {"facts": frozenset({"name"})}


def test_the_built_in_architecture_pages_read_only_their_own_facts() -> None:
    reads = TemplateReads(make_env())
    schema = reads.of("architecture/database-schema.md.jinja")
    api = reads.of("architecture/api-specification.md.jinja")
    assert schema is not None and api is not None
    assert schema["arch"] == {"entities", "relations", "migrations", "left_out"}  # `left_out` through the macro
    assert "facts" not in schema  # a commit changes `facts.commits`: the schema page is not rendered again
    assert api["arch"] == {"endpoints", "spec_only_endpoints", "api_documents", "left_out"}
