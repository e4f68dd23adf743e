"""Validates each spec named on the command line with openapi-spec-validator
and prints one line per spec: `valid<TAB>path` or
`invalid<TAB>path<TAB>reason`. One process for all specs, going on after a
failure (the validator's own CLI stops at the first)."""
import sys

from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename

for path in sys.argv[1:]:
    try:
        spec, base_uri = read_from_filename(path)
        validate(spec, base_uri=base_uri)
        print(f"valid\t{path}", flush=True)
    except Exception as error:  # every failure is a verdict, not a crash
        reason = str(error).splitlines()[0][:200] if str(error) else type(error).__name__
        print(f"invalid\t{path}\t{type(error).__name__}: {reason}", flush=True)
