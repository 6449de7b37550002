#!/usr/bin/env python3
"""Validates a STIX 2.1 bundle (read from stdin) with the official OASIS validators.

- The bundle and every object in it against the OASIS STIX 2.1 JSON schemas
  (test/fixtures/third_party/stix/schemas, JSON Schema draft 2020-12) with format checking on.
- Every indicator pattern with the OASIS STIX pattern validator (stix2patterns, STIX 2.1 grammar).
- The value of every `[domain-name:value = '…']` and `[url:value = '…']` comparison, as the
  `domain-name` / `url` observable it names, against the observable schemas: `format:
  idn-hostname` and `format: uri` (RFC 3986).

jsonschema checks `format: uri` only when the optional rfc3987 package is installed; this script
registers its own strict checker written from the RFC 3986 Appendix A grammar instead, so the
check never silently turns into a no-op.

Prints one JSON object: {"errors": [...], "objects": n, "patterns": n, "observables": n}.
Exit status 0 whatever the result (the caller asserts on the errors); 2 when a dependency is
missing, with the reason on stderr.
"""

import ipaddress
import json
import os
import re
import sys
import uuid

try:
    import jsonschema
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012
    from stix2patterns.validator import run_validator
except ImportError as error:  # pragma: no cover - reported to the caller
    print(f"missing Python dependency: {error}", file=sys.stderr)
    sys.exit(2)

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMAS = os.path.join(HERE, "..", "fixtures", "third_party", "stix", "schemas")

# RFC 3986 Appendix A, ASCII only.
UNRESERVED = r"A-Za-z0-9\-._~"
SUB_DELIMS = r"!$&'()*+,;="
PCT = r"%[0-9A-Fa-f]{2}"
PCHAR = rf"(?:[{UNRESERVED}{SUB_DELIMS}:@]|{PCT})"
SEGMENT = rf"{PCHAR}*"
SEGMENT_NZ = rf"{PCHAR}+"
USERINFO = rf"(?:[{UNRESERVED}{SUB_DELIMS}:]|{PCT})*"
REG_NAME = rf"(?:[{UNRESERVED}{SUB_DELIMS}]|{PCT})*"
IP_LITERAL = r"\[(?P<ip>[^\]]*)\]"
AUTHORITY = rf"(?:{USERINFO}@)?(?:{IP_LITERAL}|{REG_NAME})(?::[0-9]*)?"
HIER_PART = (
    rf"(?://{AUTHORITY}(?:/{SEGMENT})*"
    rf"|/(?:{SEGMENT_NZ}(?:/{SEGMENT})*)?"
    rf"|{SEGMENT_NZ}(?:/{SEGMENT})*"
    r"|)"
)
QUERY = rf"(?:{PCHAR}|[/?])*"
URI = re.compile(rf"[A-Za-z][A-Za-z0-9+\-.]*:{HIER_PART}(?:\?{QUERY})?(?:#{QUERY})?")
IPV_FUTURE = re.compile(rf"v[0-9A-Fa-f]+\.[{UNRESERVED}{SUB_DELIMS}:]+")


def is_uri(value):
    """True when `value` is a URI by the RFC 3986 grammar (JSON Schema `format: uri`)."""
    if not isinstance(value, str):
        return True
    match = URI.fullmatch(value)
    if match is None:
        return False
    literal = match.group("ip")
    if literal is None:
        return True
    if IPV_FUTURE.fullmatch(literal):
        return True
    try:
        ipaddress.IPv6Address(literal)
    except ValueError:
        return False
    return True


def load_registry():
    resources = []
    for folder, _, files in os.walk(SCHEMAS):
        for name in files:
            if name.endswith(".json"):
                with open(os.path.join(folder, name), encoding="utf-8") as handle:
                    schema = json.load(handle)
                resources.append((schema["$id"], DRAFT202012.create_resource(schema)))
    return Registry().with_resources(resources)


def main():
    registry = load_registry()
    base = "http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/"
    format_checker = jsonschema.FormatChecker()
    format_checker.checks("uri")(is_uri)

    validators = {}

    def validator_for(path):
        if path not in validators:
            validators[path] = jsonschema.Draft202012Validator(
                registry.contents(base + path), registry=registry, format_checker=format_checker
            )
        return validators[path]

    folders = {"identity": "sdos", "indicator": "sdos", "domain-name": "observables", "url": "observables"}
    errors = []

    def check(path, instance, where):
        for error in validator_for(path).iter_errors(instance):
            message = error.message if len(error.message) <= 300 else error.message[:300] + "…"
            errors.append(f"{where}: {message} (at {'/'.join(map(str, error.absolute_path))})")

    bundle = json.load(sys.stdin)
    objects = bundle.get("objects", [])
    # The bundle schema checks each object against every object schema (oneOf): the envelope is
    # checked here with its first object, and every object below against its own type's schema,
    # which is the one branch of that oneOf it can match (each schema fixes `type`).
    check("common/bundle.json", {**bundle, "objects": objects[:1]}, "bundle")
    patterns = 0
    observables = 0
    comparison = re.compile(r"^\[(domain-name|url):value = '((?:[^'\\]|\\['\\])*)'\]$")
    for index, obj in enumerate(objects):
        kind = obj.get("type")
        where = f"objects[{index}] {obj.get('id')}"
        folder = folders.get(kind)
        if folder is None:
            errors.append(f"{where}: unexpected object type {kind}")
            continue
        check(f"{folder}/{kind}.json", obj, where)
        if kind != "indicator":
            continue
        patterns += 1
        for message in run_validator(obj.get("pattern", ""), stix_version="2.1"):
            errors.append(f"{where}: pattern {obj.get('pattern')!r}: {message}")
        found = comparison.match(obj.get("pattern", ""))
        if found is None:
            errors.append(f"{where}: not a single value comparison: {obj.get('pattern')!r}")
            continue
        sco_type = found.group(1)
        value = re.sub(r"\\(['\\])", r"\1", found.group(2))
        observables += 1
        sco = {
            "type": sco_type,
            "spec_version": "2.1",
            "id": f"{sco_type}--{uuid.uuid5(uuid.NAMESPACE_URL, value)}",
            "value": value,
        }
        check(f"observables/{sco_type}.json", sco, f"{where} {sco_type} {value!r}")
    print(json.dumps({"errors": errors, "objects": len(objects), "patterns": patterns, "observables": observables}))


if __name__ == "__main__":
    main()
