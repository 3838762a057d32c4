#!/usr/bin/env python3
"""Validate a CMDB import document (default seed-data/demo/cmdb.json) against the reference data
seed-data/reference/cmdb-classes.yaml and cmdb-relationship-types.yaml (and the group names of assignment.yaml).

    python3 tools/demo-cmdb/check.py [file.json]

A developer tool, not part of the product. Uses PyYAML when it is installed (apt-get install -y python3-yaml,
or pip install pyyaml); otherwise a small reader of the YAML subset those reference files use (block maps and
lists, flow lists [a, b] and flow maps { k: v }, quoted and plain scalars, comments). Exit code 0 when valid,
1 with one line per problem otherwise.
"""
import json
import os
import re
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
REF = os.path.join(ROOT, "seed-data", "reference")
STATUSES = {"Planned", "Operational", "Under Maintenance", "Retired"}
COMMON = {"key", "class", "name", "status", "environment", "criticality", "ownerGroup", "supportGroup",
          "restricted", "redundancy", "attributes"}


# ------------------------------------------------------------------ a reader for the YAML subset (fallback)
def _strip_comment(line):
    out, q = [], None
    for i, ch in enumerate(line):
        if q:
            if ch == q:
                q = None
        elif ch in "\"'":
            q = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            break
        out.append(ch)
    return "".join(out).rstrip()


def _split_flow(s):
    parts, depth, q, cur = [], 0, None, []
    for ch in s:
        if q:
            cur.append(ch)
            if ch == q:
                q = None
            continue
        if ch in "\"'":
            q = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append("".join(cur).strip())
            cur = []
            continue
        cur.append(ch)
    if "".join(cur).strip():
        parts.append("".join(cur).strip())
    return parts


def _scalar(s):
    s = s.strip()
    if s.startswith("[") and s.endswith("]"):
        return [_scalar(p) for p in _split_flow(s[1:-1])]
    if s.startswith("{") and s.endswith("}"):
        d = {}
        for p in _split_flow(s[1:-1]):
            k, _, v = p.partition(":")
            d[k.strip()] = _scalar(v)
        return d
    if len(s) >= 2 and s[0] == s[-1] and s[0] in "\"'":
        return s[1:-1]
    if s in ("true", "false"):
        return s == "true"
    if s in ("null", "~", ""):
        return None
    if re.fullmatch(r"-?\d+", s):
        return int(s)
    return s


def _parse_block(lines, i, indent):
    """Parse the block starting at lines[i] whose indent is `indent`; returns (value, next index)."""
    if lines[i][1].startswith("- "):
        out = []
        while i < len(lines) and lines[i][0] == indent and lines[i][1].startswith("- "):
            rest = lines[i][1][2:]
            # a list item: either a scalar or a map whose first key is on the dash line
            if re.match(r"^[\w-]+:(\s|$)", rest):
                lines[i] = (indent + 2, rest)
                v, i = _parse_block(lines, i, indent + 2)
                out.append(v)
            else:
                out.append(_scalar(rest))
                i += 1
        return out, i
    out = {}
    while i < len(lines) and lines[i][0] == indent and not lines[i][1].startswith("- "):
        k, _, v = lines[i][1].partition(":")
        i += 1
        if v.strip():
            out[k.strip()] = _scalar(v)
        elif i < len(lines) and (lines[i][0] > indent or (lines[i][0] == indent and lines[i][1].startswith("- "))):
            out[k.strip()], i = _parse_block(lines, i, lines[i][0])
        else:
            out[k.strip()] = None
    return out, i


def load_yaml(path):
    text = open(path, encoding="utf-8").read()
    try:
        import yaml
        return yaml.safe_load(text)
    except ImportError:
        pass
    lines = []
    for raw in text.splitlines():
        line = _strip_comment(raw)
        if line.strip():
            lines.append((len(line) - len(line.lstrip(" ")), line.strip()))
    value, _ = _parse_block(lines, 0, lines[0][0])
    return value


# ------------------------------------------------------------------ the checks
def main(path):
    classes_doc = load_yaml(os.path.join(REF, "cmdb-classes.yaml"))
    types_doc = load_yaml(os.path.join(REF, "cmdb-relationship-types.yaml"))
    groups = {g["name"] for g in load_yaml(os.path.join(REF, "assignment.yaml"))["groups"]}
    environments = set(classes_doc["environments"])
    classes = {c["code"]: c for c in classes_doc["classes"]}
    types = {t["code"]: t for t in types_doc["relationship-types"]}

    def ancestry(code):
        out = []
        while code:
            out.append(code)
            code = classes[code].get("parent")
        return out

    def attributes_of(code):
        attrs = {}
        for c in reversed(ancestry(code)):
            for a in classes[c].get("attributes") or []:
                attrs[a["name"]] = a
        return attrs

    def allows(allowed, cls):
        return "any" in allowed or any(a in allowed for a in ancestry(cls))

    doc = json.load(open(path, encoding="utf-8"))
    errors = []
    for field in ("source", "cis", "relationships"):
        if field not in doc:
            errors.append(f"document: missing '{field}'")
    keys, names, hostnames = {}, set(), {}
    for n, ci in enumerate(doc.get("cis", [])):
        where = f"cis[{n}] {ci.get('key')!r}"
        for f in set(ci) - COMMON:
            errors.append(f"{where}: unknown field {f!r}")
        key = ci.get("key")
        if not key:
            errors.append(f"{where}: no key")
        elif key in keys:
            errors.append(f"{where}: duplicate key")
        cls = ci.get("class")
        if cls not in classes:
            errors.append(f"{where}: unknown class {cls!r}")
            continue
        if classes[cls].get("abstract"):
            errors.append(f"{where}: class {cls} is abstract")
        keys[key] = cls
        if not ci.get("name"):
            errors.append(f"{where}: no name")
        elif (cls, ci["name"]) in names:
            errors.append(f"{where}: name {ci['name']!r} not unique in class {cls}")
        names.add((cls, ci.get("name")))
        if ci.get("status", "Operational") not in STATUSES:
            errors.append(f"{where}: status {ci.get('status')!r}")
        if ci.get("environment") is not None and ci["environment"] not in environments:
            errors.append(f"{where}: environment {ci['environment']!r}")
        crit = ci.get("criticality", 3)
        if not isinstance(crit, int) or isinstance(crit, bool) or not 1 <= crit <= 4:
            errors.append(f"{where}: criticality {crit!r}")
        for g in ("ownerGroup", "supportGroup"):
            if ci.get(g) is not None and ci[g] not in groups:
                errors.append(f"{where}: {g} {ci[g]!r} is not a group of assignment.yaml")
        if not isinstance(ci.get("restricted", False), bool):
            errors.append(f"{where}: restricted must be true or false")
        red = ci.get("redundancy")
        if red is not None:
            if not any(classes[c].get("redundancy") for c in ancestry(cls)):
                errors.append(f"{where}: class {cls} does not allow redundancy")
            m = re.fullmatch(r"needs (\d+)|(\d+)%", str(red))
            if not m or (m.group(2) and not 0 < int(m.group(2)) <= 100) or (m.group(1) and int(m.group(1)) < 1):
                errors.append(f"{where}: redundancy {red!r} is neither 'needs N' nor 'N%'")
        attrs = attributes_of(cls)
        values = ci.get("attributes") or {}
        for name, a in attrs.items():
            if a.get("required") and values.get(name) in (None, ""):
                errors.append(f"{where}: required attribute {name} missing")
        for name, v in values.items():
            a = attrs.get(name)
            if a is None:
                errors.append(f"{where}: attribute {name} not defined for class {cls}")
                continue
            t = a.get("type", "string")
            s = str(v)
            ok = {
                "string": isinstance(v, str),
                "integer": re.fullmatch(r"-?\d+", s) is not None and not isinstance(v, bool),
                "decimal": re.fullmatch(r"-?\d+(\.\d+)?", s) is not None and not isinstance(v, bool),
                "boolean": isinstance(v, bool) or s.lower() in ("true", "false"),
                "date": re.fullmatch(r"\d{4}-\d{2}-\d{2}", s) is not None,
                "enum": s in [str(x) for x in a.get("values") or []],
            }.get(t, False)
            if not ok:
                errors.append(f"{where}: attribute {name}={v!r} is not a valid {t}")
        h = values.get("hostname")
        if h is not None:
            if h in hostnames:
                errors.append(f"{where}: hostname {h!r} also on {hostnames[h]!r}")
            hostnames[h] = key
    seen = set()
    for n, r in enumerate(doc.get("relationships", [])):
        where = f"relationships[{n}] {r.get('source')} -{r.get('type')}-> {r.get('target')}"
        t = types.get(r.get("type"))
        if t is None:
            errors.append(f"{where}: unknown relationship type")
            continue
        ends = []
        for end in ("source", "target"):
            k = r.get(end)
            if isinstance(k, str) and k.startswith("#"):
                ends.append(None)            # a CI already in the CMDB: its class is not known here
            elif k not in keys:
                errors.append(f"{where}: {end} {k!r} is not a CI of this document")
                ends.append(None)
            else:
                ends.append(keys[k])
        if ends[0] and not allows(t["sources"], ends[0]):
            errors.append(f"{where}: {ends[0]} may not be the source of {t['code']}")
        if ends[1] and not allows(t["targets"], ends[1]):
            errors.append(f"{where}: {ends[1]} may not be the target of {t['code']}")
        if r.get("source") == r.get("target"):
            errors.append(f"{where}: source and target are the same CI")
        trip = (r.get("source"), r.get("type"), r.get("target"))
        if trip in seen:
            errors.append(f"{where}: duplicate relationship")
        seen.add(trip)
    for e in errors:
        print(e)
    print(f"{path}: {len(doc.get('cis', []))} CIs, {len(doc.get('relationships', []))} relationships, "
          f"{len(errors)} problem(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "seed-data", "demo", "cmdb.json")))
