"""Independent request values for the request check of a generated client.

`values SPEC`: reads operations ({"id", "pointer", "media"}) as JSON on
stdin, where `pointer` is the operation's place in SPEC (`/paths/.../get`)
and `media` the request body's media type the client sends (or null). For
each parameter of the operation (the path item's and its own) and for the
body, a value the spec allows: its example where the spec gives one that is
valid against its schema, else one drawn from the schema by
hypothesis-jsonschema (derandomized, so a run repeats). Writes
{"id": {"params": {"in:name": value}, "body": value, "sources": {...},
"notes": [...]}} to stdout; a required value that cannot be had makes
{"skipped": why}.

Values only HTTP can carry: a header's or cookie's text is visible ASCII
(RFC 9110 field values), a path segment is not empty.

Nothing here reads apigen's IR: the parameters and schemas come from the
spec file.
"""

import base64
import json
import re
import sys
import time

from conformance import BUDGET_SECONDS, Converter, draw, failure_text, follow, load, pointer_get

# Formats the values are drawn to meet, since a server (Prism) checks them.
REQUEST_FORMATS = {"date-time", "date", "time", "email", "hostname", "ipv4", "ipv6", "uri", "uri-reference", "uuid",
                   "byte", "json-pointer", "relative-json-pointer", "regex", "iri", "iri-reference", "idn-email",
                   "idn-hostname", "uri-template"}
FIELD_TEXT = re.compile(r"^(?:[!-~](?:[ -~]*[!-~])?)?$")
COOKIE_TEXT = re.compile(r"^[!#-+\--:<-\[\]-~]*$")


def leaves(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from leaves(v)
    elif isinstance(value, list):
        for v in value:
            yield from leaves(v)
    else:
        yield value


def carried(place, value):
    """Whether HTTP can carry `value` in `place` as the spec describes it."""
    strings = [v for v in leaves(value) if isinstance(v, str)]
    if place == "header":
        return all(FIELD_TEXT.match(s) for s in strings)
    if place == "cookie":
        return all(COOKIE_TEXT.match(s) for s in strings)
    if place == "path":
        return value not in ("", [], {}) and all(s != "" for s in strings)
    return True


class Drawer:
    def __init__(self, doc):
        self.doc = doc
        self.is31 = str(doc.get("openapi", "")).startswith("3.1")
        self.cache = {}

    def schema(self, node):
        converter = Converter(self.doc, self.is31, REQUEST_FORMATS)
        schema = converter.convert(node)
        if isinstance(schema, bool):
            schema = {} if schema else {"not": {}}
        schema["definitions"] = converter.definitions
        return schema

    def validator(self, schema):
        import jsonschema
        checker = jsonschema.Draft7Validator.FORMAT_CHECKER
        return jsonschema.Draft7Validator(schema, format_checker=checker)

    def example(self, candidates, schema, place):
        """The first example that is valid and carried; and why others were not."""
        notes = []
        validator = self.validator(schema)
        for where, value in candidates:
            error = next(iter(validator.iter_errors(value)), None)
            if error is not None:
                notes.append("the example at %s is not valid: %s" % (where, error.message[:160]))
            elif not carried(place, value):
                notes.append("the example at %s cannot travel in a %s" % (where, place))
            else:
                return value, notes
        return None, notes

    def draw(self, schema, place):
        from hypothesis import strategies as st
        from hypothesis_jsonschema import from_schema

        key = (json.dumps(schema, sort_keys=True), place)
        if key in self.cache:
            return self.cache[key]
        formats = {
            "uuid": st.uuids().map(str),
            "byte": st.binary(max_size=24).map(lambda b: base64.b64encode(b).decode()),
        }
        text = {"codec": "ascii", "allow_x00": False} if place in ("header", "cookie") else {}
        drawn = draw(from_schema(schema, custom_formats=formats, **text), 25)
        validator = self.validator(schema)
        # Not the smallest value (hypothesis starts with `""` and `0`), when
        # a larger one is there: the later draws are more like real values.
        found = [v for v in drawn if validator.is_valid(v) and carried(place, v)]
        value = found[len(found) // 2] if found else None
        self.cache[key] = (found != [], value)
        return self.cache[key]


def examples_of(node, where):
    """An object's example and examples, as (where, value) pairs."""
    out = []
    if isinstance(node, dict):
        if "example" in node:
            out.append((where + "/example", node["example"]))
        examples = node.get("examples")
        if isinstance(examples, dict):
            for name, ex in examples.items():
                if isinstance(ex, dict) and "value" in ex:
                    out.append((where + "/examples/" + name, ex["value"]))
    return out


def value_for(drawer, schema_node, candidates, place, label, required, out):
    schema = drawer.schema(schema_node)
    value, notes = drawer.example(candidates, schema, place)
    out["notes"].extend("%s: %s" % (label, n) for n in notes)
    if value is not None:
        out["sources"][label] = "example"
        return True, value
    ok, value = drawer.draw(schema, place)
    if ok:
        out["sources"][label] = "drawn"
        return True, value
    if required:
        raise LookupError("%s: no value could be drawn from its schema" % label)
    return False, None


def operation_values(drawer, doc, op):
    pointer = op["pointer"]
    path_pointer = pointer.rsplit("/", 1)[0]
    path_item = pointer_get(doc, path_pointer)
    operation = pointer_get(doc, pointer)
    params = {}
    for node in (path_item.get("parameters") or []) + (operation.get("parameters") or []):
        p = follow(doc, node)
        if isinstance(p, dict) and "name" in p and "in" in p:
            params[(p["in"], p["name"])] = p
    out = {"params": {}, "sources": {}, "notes": []}
    for (place, name), p in params.items():
        label = "%s:%s" % (place, name)
        schema_node = p.get("schema")
        if schema_node is None and isinstance(p.get("content"), dict) and p["content"]:
            schema_node = next(iter(p["content"].values())).get("schema")
        if schema_node is None:
            schema_node = {}
        required = bool(p.get("required")) or place == "path"
        candidates = examples_of(p, "parameter") + examples_of(follow(doc, schema_node), "schema")
        ok, value = value_for(drawer, schema_node, candidates, place, label, required, out)
        if ok:
            out["params"][label] = value
    media = op.get("media")
    if media:
        body = follow(doc, operation.get("requestBody") or {})
        content = (body.get("content") or {}).get(media) or {}
        schema_node = content.get("schema")
        if schema_node is None:
            schema_node = {"type": "string"}
        candidates = examples_of(content, "media type") + examples_of(follow(doc, schema_node), "schema")
        ok, value = value_for(drawer, schema_node, candidates, "body", "body", True, out)
        if ok:
            out["body"] = value
    return out


def main():
    mode, spec = sys.argv[1], sys.argv[2]
    request = json.load(sys.stdin)
    assert mode == "values", mode
    doc = load(spec)
    drawer = Drawer(doc)
    results = {}
    started = time.monotonic()
    for op in request:
        if time.monotonic() - started > BUDGET_SECONDS:
            results[op["id"]] = {"skipped": "the spec's %d s for drawing were spent" % BUDGET_SECONDS}
            continue
        try:
            results[op["id"]] = operation_values(drawer, doc, op)
        except Exception as e:  # noqa: BLE001 - one operation's failure is reported, not fatal
            results[op["id"]] = {"skipped": failure_text(e)}
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    sys.setrecursionlimit(10000)
    main()
