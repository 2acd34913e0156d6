#!/usr/bin/env python3
"""Cut openapi-supplement.json from GitHub's REST description.

The fake GitHub validates against ../shared/github/openapi-subset.json,
which lacks the operations the reconciler needs. This script cuts those
operations, and every component they reference (transitively), out of the
same carrier the shared subset came from: the npm package
@octokit/openapi@23.0.2, file generated/api.github.com.json.

    npm pack @octokit/openapi@23.0.2
    tar xzf octokit-openapi-23.0.2.tgz
    python3 cut-supplement.py package/generated/api.github.com.json > openapi-supplement.json

As for the shared subset, octokit's x-octokit keys are removed. None of
the operations cut here is one octokit rewrites (see README.md).
"""
import hashlib
import json
import sys

# (path, method, operationId) in upstream order of the path item.
OPERATIONS = [
    ("/app/hook/deliveries", "get", "apps/list-webhook-deliveries"),
    ("/app/hook/deliveries/{delivery_id}", "get", "apps/get-webhook-delivery"),
    ("/app/hook/deliveries/{delivery_id}/attempts", "post", "apps/redeliver-webhook-delivery"),
    ("/installation/repositories", "get", "apps/list-repos-accessible-to-installation"),
    ("/repos/{owner}/{repo}/pulls", "get", "pulls/list"),
]


def strip_octokit(v):
    if isinstance(v, dict):
        return {k: strip_octokit(x) for k, x in v.items() if k != "x-octokit"}
    if isinstance(v, list):
        return [strip_octokit(x) for x in v]
    return v


def refs(v, out):
    if isinstance(v, dict):
        r = v.get("$ref")
        if isinstance(r, str) and r.startswith("#/components/"):
            out.add(r)
        for x in v.values():
            refs(x, out)
    elif isinstance(v, list):
        for x in v:
            refs(x, out)


def main():
    src = sys.argv[1]
    raw = open(src, "rb").read()
    doc = json.loads(raw)
    paths = {}
    for path, method, op in OPERATIONS:
        item = doc["paths"][path]
        got = item[method].get("operationId")
        if got != op:
            sys.exit(f"{method.upper()} {path} is {got}, want {op}")
        paths.setdefault(path, {})[method] = strip_octokit(item[method])
    seen, todo = set(), set()
    refs(paths, todo)
    while todo:
        r = todo.pop()
        if r in seen:
            continue
        seen.add(r)
        _, _, kind, name = r.split("/", 3)
        refs(doc["components"][kind][name], todo)
    comps = {}
    for r in sorted(seen):
        _, _, kind, name = r.split("/", 3)
        comps.setdefault(kind, {})[name] = strip_octokit(doc["components"][kind][name])
    tags = sorted({t for item in paths.values() for o in item.values() for t in o.get("tags", [])})
    out = {
        "openapi": doc["openapi"],
        "info": {
            "title": "githubtest supplement to openapi-subset.json",
            "version": doc["info"]["version"],
            "description": "Operations cut from @octokit/openapi@23.0.2 generated/api.github.com.json "
            f"(sha256 {hashlib.sha256(raw).hexdigest()}) by cut-supplement.py; see README.md.",
        },
        "tags": [t for t in doc.get("tags", []) if t["name"] in tags],
        "paths": paths,
        "components": comps,
    }
    json.dump(out, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
