"""Makes each case's call through the official Python SDK.

Usage: sdk_calls.py BASE_URL CASES_JSON

Every case names a spec, an operationId and its arguments by their names in
the spec. The SDK method is the operationId in snake case, and each argument
goes to the keyword of the same name in snake case; an argument the method
does not take is an error, so a case can't silently test less than it says.
Arguments are converted with the method's own type annotations (dates,
enums), and a request body is built into the SDK's model class.

The calls are made one after another, in the order of the cases, against
BASE_URL with the bearer token `differential-token`. Prints a JSON array
with, for each case, the decoded reply in the API's JSON names, or
{"error": ...} when the SDK raised.
"""

import datetime
import inspect
import json
import re
import sys
import typing

TOKEN = "differential-token"


def snake(name):
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def genesys(base):
    import PureCloudPlatformClientV2 as sdk
    client = sdk.ApiClient(host=base)
    client.access_token = TOKEN
    api = sdk.UsageApi(client)

    def body(model, value):
        return client._ApiClient__deserialize(value, model)

    def decode(reply):
        return client.sanitize_for_serialization(reply)

    return api, body, decode


def pydantic_sdk(module_name, core_name, base):
    import importlib
    sdk = importlib.import_module(module_name)
    core = importlib.import_module(core_name)
    config = core.Configuration(host=base, access_token=TOKEN)
    api = sdk.UsageApi(core.ApiClient(config))

    def body(model, value):
        return getattr(sdk, model).from_dict(value)

    def decode(reply):
        return reply.to_dict()

    return api, body, decode


def notehub(base):
    return pydantic_sdk("notehub_py", "notehub_py", base)


def thousandeyes(base):
    # ThousandEyes keeps the client and its configuration in a core package.
    return pydantic_sdk("thousandeyes_sdk.usage", "thousandeyes_sdk.core", base)


SDKS = {"genesys-cloud-usage": genesys, "notehub-usage": notehub, "thousandeyes-usage": thousandeyes}


def convert(annotation, value):
    """Converts a JSON argument with the SDK's declared type."""
    if annotation is inspect.Parameter.empty:
        return value
    try:
        import pydantic
        return pydantic.TypeAdapter(annotation).validate_python(value)
    except Exception:
        return value


def jsonable(value):
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if hasattr(value, "value") and not isinstance(value, (str, int, float, bool)):
        return value.value
    return value


def accepted(method, signature):
    """The keywords a method takes: Genesys' methods take optional ones as
    **kwargs and check them against their `all_params` list."""
    names = set(signature.parameters)
    m = re.search(r"all_params = \[(.*?)\]", inspect.getsource(method), re.S)
    if m:
        names |= set(json.loads("[" + m.group(1).replace("'", '"') + "]"))
    return names


def call(api, body, decode, case):
    method = getattr(api, snake(case["operation"]))
    signature = inspect.signature(method)
    hints = {}
    try:
        hints = typing.get_type_hints(method, include_extras=True)
    except Exception:
        pass
    kwargs = {}
    for name, value in case["args"].items():
        keyword = snake(name)
        if name == "body":
            annotation = signature.parameters["body"].annotation
            model = annotation if isinstance(annotation, str) else annotation.__name__
            kwargs["body"] = body(model.strip("'"), value)
            continue
        if keyword not in accepted(method, signature):
            raise SystemExit(f"{case['name']}: the SDK method {method.__name__} has no parameter {keyword}")
        parameter = signature.parameters.get(keyword)
        annotation = parameter.annotation if parameter else inspect.Parameter.empty
        kwargs[keyword] = convert(hints.get(keyword, annotation), value)
    try:
        return jsonable(decode(method(**kwargs)))
    except Exception as e:  # the reply is part of what is compared
        return {"error": f"{type(e).__name__}: {e}"}


def main():
    base, cases_path = sys.argv[1], sys.argv[2]
    with open(cases_path) as f:
        cases = json.load(f)
    apis = {}
    replies = []
    for case in cases:
        if case["spec"] not in apis:
            apis[case["spec"]] = SDKS[case["spec"]](base)
        replies.append(call(*apis[case["spec"]], case))
    json.dump(replies, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
