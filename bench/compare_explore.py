#!/usr/bin/env python3
"""Compare two explore output folders' results.json, key by key.

Used for the executor acceptance (issue 18): the same config run with
`--executor local` and `--executor slurm` must give the same results.
Wall and CPU times, the worker, the output folder's own path and the run
line differ by nature and are left out; everything else must be equal.

usage: bench/compare_explore.py OUT_A OUT_B
"""
import json
import re
import sys

# Keys whose values are times, loads or where the work ran, not results.
VOLATILE = re.compile(r"(seconds|per_second|^started$|^finished$|^worker$|^log$|^host$|^executor$|^load_average)")


def strip(value, root_a, root_b):
    if isinstance(value, dict):
        return {k: strip(v, root_a, root_b) for k, v in value.items() if not VOLATILE.search(k)}
    if isinstance(value, list):
        return [strip(v, root_a, root_b) for v in value]
    if isinstance(value, str):
        return value.replace(root_a, "<out>").replace(root_b, "<out>")
    return value


def diff(a, b, path, out):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                out.append(f"{path}/{k}: only in {'B' if k not in a else 'A'}")
            else:
                diff(a[k], b[k], f"{path}/{k}", out)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append(f"{path}: {len(a)} vs {len(b)} entries")
        for i, (x, y) in enumerate(zip(a, b)):
            diff(x, y, f"{path}[{i}]", out)
    elif a != b:
        out.append(f"{path}: {a!r} vs {b!r}")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    a_dir, b_dir = sys.argv[1].rstrip("/"), sys.argv[2].rstrip("/")
    a = json.load(open(f"{a_dir}/results.json"))
    b = json.load(open(f"{b_dir}/results.json"))
    a, b = strip(a, a_dir, b_dir), strip(b, a_dir, b_dir)
    # Points in key order: the executors may finish them in another order.
    for doc in (a, b):
        if isinstance(doc.get("points"), list):
            doc["points"].sort(key=lambda p: p.get("key", ""))
    differences = []
    diff(a, b, "", differences)
    for d in differences[:200]:
        print(d)
    print(f"{len(differences)} differences; {len(a.get('points', []))} points")
    sys.exit(1 if differences else 0)


if __name__ == "__main__":
    main()
