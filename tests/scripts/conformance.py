"""Independent data for the conformance check of a generated client.

`generate SPEC`: reads targets ({"id", "pointer"}) as JSON on stdin; for each,
the schema at `pointer` in SPEC (following `$ref`s on the way) is turned from
OpenAPI's dialect into plain JSON Schema (draft 7) here, and valid instances
are drawn from it by hypothesis-jsonschema, derandomized so a run repeats.
Writes {"id": {"instances": [...]} or {"skipped": why}} to stdout.

`compare SPEC`: reads {"id": {"instances": [...], "outputs": [...]}} on stdin,
where each output is what the generated Rust type made of the instance
({"ok": value} after decoding and encoding again, or {"error": message}),
and writes the failures: a valid instance refused, a member the spec
declares dropped, or a value changed. Equal means equal as JSON: key order,
number spelling (1 and 1.0), a number held at 32-bit precision (`format:
float`), a `null` member read as absent, and date-time spelling (Z and
+00:00, fraction digits) do not count. A member no schema of the spec declares (JSON Schema
allows extra members unless `additionalProperties: false`) may be dropped.

Nothing here reads apigen's IR: the schemas come from the spec file.
"""

import datetime
import json
import struct
import sys
import warnings

import yaml

FLOAT_MAX = 3.4028234663852886e38
INT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
# Keywords that only annotate, or that JSON Schema does not have.
DROPPED = {"nullable", "discriminator", "xml", "externalDocs", "example", "examples", "deprecated",
           "readOnly", "writeOnly", "title", "description", "default", "$schema", "$id", "contentEncoding",
           "contentMediaType", "$comment"}
SCHEMA_MAPS = {"properties", "patternProperties", "definitions", "$defs", "dependentSchemas"}
SCHEMA_ONE = {"items", "additionalProperties", "not", "contains", "propertyNames", "if", "then", "else",
              "additionalItems", "unevaluatedProperties", "unevaluatedItems"}
SCHEMA_LIST = {"allOf", "oneOf", "anyOf", "prefixItems"}
# Seconds of drawing per spec: the schemas of a very large spec (GitHub's)
# take hypothesis tens of minutes; the rest of its schemas are listed as
# not drawn.
BUDGET_SECONDS = 300
# Formats whose values the generated types read as more than text.
KEPT_FORMATS = {"date-time", "date"}


class Yaml12Loader(yaml.SafeLoader):
    """YAML as 1.2 reads it: only `true` and `false` are booleans, so a
    property called `on`, `off`, `yes` or `no` stays a string."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", __import__("re").compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=Yaml12Loader)


def unescape(token):
    return token.replace("~1", "/").replace("~0", "~")


def pointer_get(doc, pointer):
    node = doc
    for token in pointer.split("/")[1:]:
        node = follow(doc, node)
        token = unescape(token)
        node = node[int(token)] if isinstance(node, list) else node[token]
    return follow(doc, node)


def follow(doc, node):
    for _ in range(64):
        if isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#"):
            node = pointer_get_raw(doc, node["$ref"][1:])
        else:
            return node
    raise ValueError("a $ref chain too long")


def pointer_get_raw(doc, pointer):
    from urllib.parse import unquote
    node = doc
    for token in unquote(pointer).split("/")[1:]:
        token = unescape(token)
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


class Converter:
    """OpenAPI 3.0/3.1 schemas to draft-7 JSON Schema, every $ref a definition."""

    def __init__(self, doc, is31, kept_formats=None):
        self.doc = doc
        self.is31 = is31
        self.kept_formats = KEPT_FORMATS if kept_formats is None else kept_formats
        self.names = {}
        self.definitions = {}

    def ref(self, target):
        if target not in self.names:
            name = "d%d" % len(self.names)
            self.names[target] = name
            self.definitions[name] = True
            self.definitions[name] = self.convert(pointer_get_raw(self.doc, target[1:]))
        return {"$ref": "#/definitions/" + self.names[target]}

    def convert(self, node):
        if isinstance(node, bool) or not isinstance(node, dict):
            return node
        if isinstance(node.get("$ref"), str):
            return self.ref(node["$ref"])
        out = {}
        for key, value in node.items():
            if key in DROPPED or key.startswith("x-"):
                continue
            if key in SCHEMA_MAPS and isinstance(value, dict):
                out[key] = {k: self.convert(v) for k, v in value.items()}
            elif key in SCHEMA_ONE:
                out[key] = [self.convert(v) for v in value] if isinstance(value, list) else self.convert(value)
            elif key in SCHEMA_LIST and isinstance(value, list):
                out[key] = [self.convert(v) for v in value]
            elif key == "format":
                if value in self.kept_formats:
                    out[key] = value
            else:
                out[key] = value
        fmt = node.get("format")
        if node.get("type") == "integer" and fmt in INT_RANGES:
            low, high = INT_RANGES[fmt]
            out["minimum"] = max(out.get("minimum", low), low)
            out["maximum"] = min(out.get("maximum", high), high)
        if node.get("type") == "number" and fmt == "float":
            # A 32-bit float: larger magnitudes are not such a value.
            out["minimum"] = max(out.get("minimum", -FLOAT_MAX), -FLOAT_MAX)
            out["maximum"] = min(out.get("maximum", FLOAT_MAX), FLOAT_MAX)
        if not self.is31:
            for exclusive, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
                flag = out.pop(exclusive, None)
                if flag is True and bound in out:
                    out[exclusive] = out.pop(bound)
                elif isinstance(flag, (int, float)) and not isinstance(flag, bool):
                    out[exclusive] = flag
        # An object's keywords without `type` mean an object, as every
        # generator and SDK reads them (JSON Schema alone would let such a
        # schema match a string or a list too); `items` likewise an array.
        if "type" not in node and not any(k in node for k in ("oneOf", "anyOf", "not", "enum", "const")):
            if any(k in node for k in ("properties", "additionalProperties", "required")):
                out["type"] = "object"
            elif "items" in node:
                out["type"] = "array"
        if node.get("nullable") is True:
            out = {"anyOf": [out, {"type": "null"}]}
        return out


def draw(strategy, count):
    """Up to `count` values of a hypothesis strategy, the same on every run."""
    from hypothesis import HealthCheck, Phase, given, settings

    drawn = []

    @settings(max_examples=count, database=None, derandomize=True, deadline=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(strategy)
    def collect(value):
        drawn.append(value)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        collect()
    return drawn


def failure_text(error):
    """An exception as one short line: its type and first line."""
    text = str(error).splitlines()[0][:200] if str(error) else ""
    return "%s: %s" % (type(error).__name__, text)


def generate(spec, targets, count):
    from hypothesis_jsonschema import from_schema
    import jsonschema

    import time

    doc = load(spec)
    is31 = str(doc.get("openapi", "")).startswith("3.1")
    results = {}
    started = time.monotonic()
    for target in targets:
        if time.monotonic() - started > BUDGET_SECONDS:
            results[target["id"]] = {"skipped": "not drawn: the spec's %d s for drawing were spent" % BUDGET_SECONDS}
            continue
        try:
            converter = Converter(doc, is31)
            schema = converter.convert(pointer_get(doc, target["pointer"]))
            schema["definitions"] = converter.definitions
            jsonschema.Draft7Validator.check_schema(schema)
            drawn = draw(from_schema(schema), count)
            validator = jsonschema.Draft7Validator(schema)
            seen, instances = set(), []
            for value in drawn:
                key = json.dumps(value, sort_keys=True)
                if key not in seen and validator.is_valid(value):
                    seen.add(key)
                    instances.append(value)
            results[target["id"]] = {"instances": instances}
        except Exception as e:  # noqa: BLE001 - any failure to draw is reported, not fatal
            results[target["id"]] = {"skipped": failure_text(e)}
    return results


def declared_names(node, names):
    if isinstance(node, dict):
        props = node.get("properties")
        if isinstance(props, dict):
            names.update(props.keys())
        for value in node.values():
            declared_names(value, names)
    elif isinstance(node, list):
        for value in node:
            declared_names(value, names)
    return names


def single(number):
    """`number` at 32-bit precision, as a `format: float` member holds it."""
    try:
        return struct.unpack("<f", struct.pack("<f", float(number)))[0]
    except (OverflowError, struct.error):
        return None


def as_datetime(text):
    if not isinstance(text, str) or len(text) < 10:
        return None
    try:
        if len(text) == 10:
            return datetime.date.fromisoformat(text)
        value = text.replace("z", "Z").replace("Z", "+00:00").replace("t", "T")
        return datetime.datetime.fromisoformat(value)
    except ValueError:
        return None


def differences(sent, got, path, declared, out):
    if isinstance(sent, dict) and isinstance(got, dict):
        for key, value in sent.items():
            if key not in got:
                # An optional member's `null` reads as its absence.
                if key in declared and value is not None:
                    out.append(("dropped", path + "/" + key))
            else:
                differences(value, got[key], path + "/" + key, declared, out)
        for key in got:
            if key not in sent:
                out.append(("changed", path + "/" + key + " (added)"))
    elif isinstance(sent, list) and isinstance(got, list):
        if len(sent) != len(got):
            out.append(("changed", path + " (length)"))
        for i, (a, b) in enumerate(zip(sent, got)):
            differences(a, b, "%s/%d" % (path, i), declared, out)
    elif isinstance(sent, bool) or isinstance(got, bool):
        if sent is not got:
            out.append(("changed", path))
    elif isinstance(sent, (int, float)) and isinstance(got, (int, float)):
        if float(sent) != float(got) and float(got) != single(sent):
            out.append(("changed", path))
    elif sent != got:
        a, b = as_datetime(sent), as_datetime(got)
        if a is None or b is None or a != b:
            out.append(("changed", path))


def compare(spec, runs):
    declared = declared_names(load(spec), set())
    failures = []
    for target, run in runs.items():
        for sent, output in zip(run["instances"], run["outputs"]):
            if "error" in output:
                failures.append({"id": target, "kind": "refused", "at": "", "detail": output["error"], "instance": sent})
                continue
            found = []
            differences(sent, output["ok"], "", declared, found)
            for kind, at in found:
                failures.append({"id": target, "kind": kind, "at": at, "instance": sent, "got": output["ok"]})
    return failures


def main():
    mode, spec = sys.argv[1], sys.argv[2]
    request = json.load(sys.stdin)
    if mode == "generate":
        count = int(sys.argv[3]) if len(sys.argv) > 3 else 25
        json.dump(generate(spec, request, count), sys.stdout)
    else:
        json.dump(compare(spec, request), sys.stdout)


if __name__ == "__main__":
    sys.setrecursionlimit(10000)
    main()
