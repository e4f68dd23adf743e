"""Compares the models of our usage specs with the official Python SDKs.

Usage: sdk_models.py SPECS_DIR

Prints a JSON array of differences, one object per difference:
{"spec", "where" (Schema.field), "kind", "ours", "sdk"}. The kinds are
`model` (a schema the SDK has no model for), `field` (a field only one side
has), `type`, `enum`, `required`, `nullable` and `default`.

The SDKs are read, not trusted blindly: a field's JSON name comes from the
SDK's attribute map or alias, its type from the declared annotation, its enum
from the SDK's validator or Enum class, nullability from the generator's
`(nullable)` marker in `to_dict`, and a default from the field's declared
default. Genesys' SDK declares neither required fields nor nullability, so
those two are compared only for the pydantic SDKs.

Each spec's schemas are matched with the SDK model of the same name; fields
that hold models are followed, so inline schemas are compared too.
"""

import enum
import importlib
import inspect
import json
import re
import sys
import typing
from pathlib import Path

import yaml

# spec file stem -> (models module, flavour)
SDKS = {
    "genesys-cloud-usage": ("PureCloudPlatformClientV2.models", "swagger"),
    "notehub-usage": ("notehub_py.models", "pydantic"),
    "thousandeyes-usage": ("thousandeyes_sdk.usage.models", "pydantic"),
}

SWAGGER_SCALARS = {"str": "string", "int": "integer", "float": "number", "bool": "boolean",
                   "datetime": "date-time", "date": "date", "object": "any"}


class Field:
    def __init__(self, type_, enum=None, required=None, nullable=None, default=None):
        self.type = type_          # "string", "integer", ..., "list[T]", "map[T]", "model:Name", "any"
        self.enum = enum           # sorted list or None
        self.required = required   # bool or None when unknown
        self.nullable = nullable   # bool or None when unknown
        self.default = default     # JSON value or None


# ---------------------------------------------------------------- the SDK side

def swagger_type(t):
    t = t.strip()
    if t.startswith("list[") and t.endswith("]"):
        return "list[" + swagger_type(t[5:-1]) + "]"
    if t.startswith("dict(") and t.endswith(")"):
        return "map[" + swagger_type(t[5:-1].split(",", 1)[1]) + "]"
    return SWAGGER_SCALARS.get(t, "model:" + t)


def swagger_model(cls):
    inst = cls.__new__(cls)
    cls.__init__(inst)
    fields = {}
    for attr, t in inst.swagger_types.items():
        enum_values = None
        prop = getattr(cls, attr, None)
        if isinstance(prop, property) and prop.fset is not None:
            m = re.search(r"allowed_values = \[(.*?)\]", inspect.getsource(prop.fset), re.S)
            if m:
                enum_values = sorted(json.loads("[" + m.group(1) + "]"))
        fields[inst.attribute_map[attr]] = Field(swagger_type(t), enum_values)
    return fields


def unwrap(annotation):
    """Strips Optional, Annotated and pydantic's Strict* wrappers."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return unwrap(typing.get_args(annotation)[0])
    if origin is typing.Union:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return unwrap(args[0])
        kinds = {pydantic_type(a) for a in args}
        if kinds <= {"number", "integer"}:
            return float
        return typing.Any
    return annotation


def pydantic_type(annotation):
    import datetime
    a = unwrap(annotation)
    origin = typing.get_origin(a)
    if origin in (list, typing.List):
        return "list[" + pydantic_type(typing.get_args(a)[0]) + "]"
    if origin in (dict, typing.Dict):
        return "map[" + pydantic_type(typing.get_args(a)[1]) + "]"
    if a is typing.Any or a is object:
        return "any"
    if inspect.isclass(a):
        if issubclass(a, enum.Enum):
            return "string"
        if issubclass(a, bool):
            return "boolean"
        if issubclass(a, int):
            return "integer"
        if issubclass(a, float):
            return "number"
        if issubclass(a, str):
            return "string"
        if issubclass(a, datetime.datetime):
            return "date-time"
        if issubclass(a, datetime.date):
            return "date"
        return "model:" + a.__name__
    return "any"


def pydantic_enum(annotation):
    a = unwrap(annotation)
    origin = typing.get_origin(a)
    if origin in (list, typing.List):
        return pydantic_enum(typing.get_args(a)[0])
    if inspect.isclass(a) and issubclass(a, enum.Enum):
        return sorted(m.value for m in a)
    return None


def pydantic_model(cls):
    source = inspect.getsource(cls)
    validated = {}
    for name, values in re.findall(r"def (\w+)_validate_enum\(cls, value\):.*?set\(\[(.*?)\]\)", source, re.S):
        validated[name] = sorted(json.loads("[" + values + "]"))
    nullable = set(re.findall(r"# set to None if (\w+) \(nullable\) is None", source))
    fields = {}
    for name, info in cls.model_fields.items():
        default = info.default
        if default is None or type(default).__name__ == "PydanticUndefinedType":
            default = None
        elif isinstance(default, enum.Enum):
            default = default.value
        fields[info.alias or name] = Field(
            pydantic_type(info.annotation),
            validated.get(name) or pydantic_enum(info.annotation),
            info.is_required(),
            name in nullable,
            default,
        )
    return fields


def sdk_models(module_name, flavour):
    module = importlib.import_module(module_name)

    def load(name):
        cls = getattr(module, name, None)
        if cls is None or not inspect.isclass(cls):
            return None
        if issubclass(cls, enum.Enum):
            return sorted(m.value for m in cls)
        return swagger_model(cls) if flavour == "swagger" else pydantic_model(cls)

    return load


# ---------------------------------------------------------------- our side

def spec_field(schema, spec, required):
    schema = resolve(schema, spec)
    t = schema_type(schema, spec)
    values = enum_of(schema, spec)
    return Field(t, values, required, bool(schema.get("nullable", False)), schema.get("default"))


def resolve(schema, spec):
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def ref_name(schema):
    return schema["$ref"].rsplit("/", 1)[1] if "$ref" in schema else None


def schema_type(schema, spec):
    name = ref_name(schema)
    target = resolve(schema, spec)
    if name and target.get("type", "object") == "object" and "properties" in target:
        return "model:" + name
    schema = target
    t = schema.get("type")
    if t == "array":
        return "list[" + schema_type(schema.get("items", {}), spec) + "]"
    if t == "object" or (t is None and "properties" in schema):
        if "properties" in schema:
            return "model:<inline>"
        extra = schema.get("additionalProperties", True)
        if isinstance(extra, dict) and extra:
            return "map[" + schema_type(extra, spec) + "]"
        return "any" if t is None else "map[any]"
    if t == "string" and schema.get("format") in ("date-time", "date"):
        return schema["format"]
    if t is None:
        return "any"
    return t


def enum_of(schema, spec):
    schema = resolve(schema, spec)
    if schema.get("type") == "array":
        return enum_of(schema.get("items", {}), spec)
    return sorted(schema["enum"]) if "enum" in schema else None


def spec_model(schema, spec):
    schema = resolve(schema, spec)
    required = set(schema.get("required", []))
    return {name: spec_field(prop, spec, name in required)
            for name, prop in schema.get("properties", {}).items()}


# ---------------------------------------------------------------- comparison

def normalise_type(t):
    # Both `dict(str, object)` and an untyped map mean "any JSON object".
    return t.replace("map[any]", "any")


def compare(stem, spec, load):
    diffs = []

    def add(where, kind, ours, sdk):
        diffs.append({"spec": stem, "where": where, "kind": kind, "ours": ours, "sdk": sdk})

    seen = set()
    compared = set()  # labels compared with some SDK model
    unmatched = []    # named schemas without an SDK model of the same name
    work = [(name, schema, name) for name, schema in spec["components"]["schemas"].items()]
    while work:
        label, schema, sdk_name = work.pop(0)
        if (label, sdk_name) in seen:
            continue
        seen.add((label, sdk_name))
        sdk = load(sdk_name)
        resolved = resolve(schema, spec)
        if isinstance(sdk, list):  # an SDK enum class
            if enum_of(resolved, spec) != sdk:
                add(label, "enum", enum_of(resolved, spec), sdk)
            continue
        if "properties" not in resolved:
            continue
        if sdk is None:
            unmatched.append(label)
            continue
        compared.add(label)
        ours = spec_model(resolved, spec)
        for field in sorted(set(ours) | set(sdk)):
            where = f"{label}.{field}"
            if field not in sdk:
                add(where, "field", "present", None)
                continue
            if field not in ours:
                add(where, "field", None, "present")
                continue
            o, s = ours[field], sdk[field]
            prop = resolved["properties"][field]
            # The schema the field holds, or its items' for an array.
            held = resolve(prop, spec)
            target = held.get("items", {}) if held.get("type") == "array" else prop
            target_name = ref_name(target)
            sdk_model = re.search(r"model:(\w+)", s.type)
            # A field holding a model: compare the models, not the names.
            if sdk_model and "model:" in o.type:
                work.append((target_name or f"{where}<inline>", target, sdk_model.group(1)))
                o_type = re.sub(r"model:[\w<>]+", "model", o.type)
                s_type = re.sub(r"model:\w+", "model", s.type)
            else:
                o_type, s_type = o.type, normalise_type(s.type)
            sdk_enum = s.enum
            if sdk_model and isinstance(load(sdk_model.group(1)), list):
                # The SDK types the field with an enum class: a string enum.
                sdk_enum = load(sdk_model.group(1))
                s_type = s.type.replace("model:" + sdk_model.group(1), "string")
            if normalise_type(o_type) != s_type:
                add(where, "type", o.type, s.type)
            if o.enum != sdk_enum:
                add(where, "enum", o.enum, sdk_enum)
            if s.required is not None and o.required != s.required:
                add(where, "required", o.required, s.required)
            if s.nullable is not None and o.nullable != s.nullable:
                add(where, "nullable", o.nullable, s.nullable)
            if s.default is not None and o.default != s.default:
                add(where, "default", o.default, s.default)
    # A schema the SDK names differently is compared where a field reaches it.
    for label in unmatched:
        if label not in compared:
            add(label, "model", "object", None)
    return diffs


def main():
    specs_dir = Path(sys.argv[1])
    diffs = []
    for stem, (module, flavour) in SDKS.items():
        spec = yaml.safe_load((specs_dir / f"{stem}.yaml").read_text())
        diffs += compare(stem, spec, sdk_models(module, flavour))
    json.dump(diffs, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
