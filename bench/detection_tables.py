#!/usr/bin/env python3
"""Tables of bench/detection_figures.sh (docs/RESULTS.md, issues 13 and 14).

    bench/detection_tables.py OUT_DIR > tables.md

Reads the `gaitlstm cv --json` files the script wrote (OUT_DIR/<run>_s<seed>.json)
and prints markdown: mean over the seeds found, (min-max) where it matters.
Runs that are missing are left out of the tables, never guessed.
"""
import glob
import json
import os
import re
import sys

OUT = sys.argv[1] if len(sys.argv) > 1 else "detection-figures"
DAPHNET, PDFE = "daphnet", "pdfe-turning"


def load(name):
    """{seed: json} of OUT/name_s<seed>.json."""
    runs = {}
    for path in glob.glob(os.path.join(OUT, f"{name}_s*.json")):
        m = re.fullmatch(re.escape(name) + r"_s(\d+)\.json", os.path.basename(path))
        if m:
            with open(path) as f:
                runs[int(m.group(1))] = json.load(f)
    return dict(sorted(runs.items()))


def mean(xs):
    xs = [x for x in xs if x is not None]
    return sum(xs) / len(xs) if xs else None


def f3(x):
    return "–" if x is None else f"{x:.3f}"


def f2(x):
    return "–" if x is None else f"{x:.2f}"


def pp(x):
    return "–" if x is None else f"{100 * x:+.1f}"


def spread(xs, fmt=f3):
    """mean (min–max) of a list."""
    xs = [x for x in xs if x is not None]
    if not xs:
        return "–"
    if len(xs) == 1:
        return fmt(xs[0])
    return f"{fmt(mean(xs))} ({fmt(min(xs))}–{fmt(max(xs))})"


def fold_by_name(run, name):
    for fold in run["folds"]:
        if fold.get("fold") == name:
            return fold
    return None


def quantized_entries(run):
    """[(label, entry)] of the quantized evaluations of one cv JSON."""
    q = run.get("quantized")
    if not q:
        return []
    if "evaluated" in q:
        return [(e["label"], e) for e in q["evaluated"]]
    if "bits" in q:
        return [("bits", q["bits"])]
    return []


def survivor(run):
    for label, entry in quantized_entries(run):
        if label.startswith("cheapest within"):
            return entry
    return None


def start(run):
    for label, entry in quantized_entries(run):
        if label.startswith("start"):
            return entry
    return None


def seeds_note(runs):
    return "seeds " + ",".join(str(s) for s in runs) if runs else "no runs"


def acceptance():
    d, p, lodo = load("daphnet"), load("pdfe"), load("lodo")
    lodo8 = load("lodo_shift8")
    if not (d or p or lodo):
        return
    print("### The chip preset on the acceptance axes (" + seeds_note(d) + ")\n")
    print("| figure | float | quantized (1 pp search) | 8-bit start | acceptance |")
    print("|---|---:|---:|---:|---|")
    rows = [
        ("Daphnet LOSO pooled AUC", [r["pooled"]["auc"] for r in d.values()],
         [survivor(r)["pooled"]["auc"] for r in d.values() if survivor(r)],
         [start(r)["pooled"]["auc"] for r in d.values() if start(r)], "≥ 0.90"),
        ("Daphnet LOSO mean fold AUC", [r["mean_fold_auc"] for r in d.values()],
         [survivor(r)["mean_fold_auc"] for r in d.values() if survivor(r)],
         [start(r)["mean_fold_auc"] for r in d.values() if start(r)], "≥ 0.92"),
        ("PDFE LOSO pooled AUC", [r["pooled"]["auc"] for r in p.values()], [], [], "reported"),
        ("PDFE LOSO mean fold AUC", [r["mean_fold_auc"] for r in p.values()], [], [], "reported"),
    ]
    for test, label, aim in ((PDFE, "Daphnet → PDFE AUC", "≥ 0.75"), (DAPHNET, "PDFE → Daphnet AUC", "≥ 0.80")):
        fl, qu = [], []
        for r in lodo.values():
            fold = fold_by_name(r, test)
            fl.append(fold["auc"] if fold else None)
            s = survivor(r)
            if s:
                qf = [f for f in s["folds"] if f.get("fold") == test]
                qu.append(qf[0]["auc"] if qf else None)
        q8 = []
        for r in lodo8.values():
            b = dict(quantized_entries(r)).get("bits")
            qf = [f for f in b["folds"] if f.get("fold") == test] if b else []
            q8.append(qf[0]["auc"] if qf else None)
        rows.append((label, fl, qu, q8, aim))
    for label, fl, qu, q8, aim in rows:
        print(f"| {label} | {spread(fl)} | {spread(qu)} | {spread(q8)} | {aim} |")
    print()
    print("Per seed:\n")
    print("| seed | Daphnet float pooled / mean fold | Daphnet 1 pp pooled / mean fold (bits cost µm²) | "
          "PDFE pooled / mean fold | D → P float / 1 pp | P → D float / 1 pp |")
    print("|---|---|---|---|---|---|")
    for s in sorted(set(d) | set(p) | set(lodo)):
        cells = [str(s)]
        if s in d:
            q = survivor(d[s])
            cells.append(f"{f3(d[s]['pooled']['auc'])} / {f3(d[s]['mean_fold_auc'])}")
            cells.append(f"{f3(q['pooled']['auc'])} / {f3(q['mean_fold_auc'])} ({q['cost']:.0f})" if q else "–")
        else:
            cells += ["–", "–"]
        cells.append(f"{f3(p[s]['pooled']['auc'])} / {f3(p[s]['mean_fold_auc'])}" if s in p else "–")
        for test in (PDFE, DAPHNET):
            if s in lodo:
                fold = fold_by_name(lodo[s], test)
                q = survivor(lodo[s])
                qf = [f for f in q["folds"] if f.get("fold") == test] if q else []
                cells.append(f"{f3(fold['auc'] if fold else None)} / {f3(qf[0]['auc'] if qf else None)}")
            else:
                cells.append("–")
        print("| " + " | ".join(cells) + " |")
    print()


def battery_table(runs, pick, title):
    """One battery table: rows = shifts, mean over seeds."""
    per_shift = {}
    order = ["unshifted"]
    for run in runs.values():
        source = pick(run)
        if source is None:
            continue
        per_shift.setdefault("unshifted", []).append(
            (source["pooled"]["auc"], 0.0, source["mean_fold_auc"], 0.0,
             source["pooled"]["sensitivity"], source["pooled"]["specificity"]))
        for sh in source.get("shifts", []):
            if sh["shift"] not in order:
                order.append(sh["shift"])
            per_shift.setdefault(sh["shift"], []).append(
                (sh["pooled"]["auc"], sh["delta_auc"], sh["mean_fold_auc"], sh["delta_mean_fold_auc"],
                 sh["pooled"]["sensitivity"], sh["pooled"]["specificity"]))
    if len(order) < 2:
        return
    print(title + "\n")
    print("| shift | pooled AUC | Δ pooled (pp) | mean fold AUC | Δ mean fold (pp) | sens | spec |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name in order:
        rows = per_shift.get(name, [])
        col = lambda i: [r[i] for r in rows]
        def delta(i):
            if name == "unshifted":
                return ""
            xs = col(i)
            text = f"{pp(mean(xs))} ({pp(min(xs))}…{pp(max(xs))})"
            return f"**{text}**" if abs(mean(xs)) > 0.02 else text
        print(f"| {name} | {f3(mean(col(0)))} | {delta(1)} | {f3(mean(col(2)))} | {delta(3)} | "
              f"{f2(mean(col(4)))} | {f2(mean(col(5)))} |")
    print()


def batteries():
    d = load("daphnet_shift")
    if d:
        battery_table(d, lambda r: r, f"Float, Daphnet LOSO ({seeds_note(d)}):")
        battery_table(d, lambda r: dict(quantized_entries(r)).get("bits"),
                      f"Golden model with each seed's 1 pp bits, Daphnet LOSO ({seeds_note(d)}):")
    d8 = load("daphnet_shift8")
    if d8:
        battery_table(d8, lambda r: dict(quantized_entries(r)).get("bits"),
                      f"Golden model with the 8-bit start bits (before the search), Daphnet LOSO ({seeds_note(d8)}):")
    lodo = load("lodo_shift")
    if lodo:
        battery_table(lodo, lambda r: r, f"Float, leave-one-dataset-out, both test sets pooled ({seeds_note(lodo)}):")
        battery_table(lodo, lambda r: dict(quantized_entries(r)).get("bits"),
                      f"Golden, leave-one-dataset-out, each seed's 1 pp bits ({seeds_note(lodo)}):")
    lodo8 = load("lodo_shift8")
    if lodo8:
        battery_table(lodo8, lambda r: dict(quantized_entries(r)).get("bits"),
                      f"Golden, leave-one-dataset-out, the 8-bit start bits ({seeds_note(lodo8)}):")


def search_shift():
    """The 1 pp search without and with --search-shift (same float folds)."""
    variants = [("1 pp search", "daphnet", "daphnet_shift", "lodo"),
                ("1 pp search, `--search-shift gain:0.5,gain:2`", "daphnet_ss", "daphnet_ss_shift", "lodo_ss")]
    loaded = [(label, load(d), load(b), load(l)) for label, d, b, l in variants]
    if not loaded[1][1]:
        return
    print("### The 1 pp search with level-shifted copies (mean of seeds, (min–max))\n")
    print("| search | seeds | cost µm² | Daphnet pooled | mean fold | battery Δ gain:0.5 / gain:2 / noise (pp) "
          "| D → P | P → D |")
    print("|---|---|---:|---:|---:|---|---:|---:|")
    for label, d, b, l in loaded:
        q = [survivor(r) for r in d.values() if survivor(r)]
        deltas = {}
        for r in b.values():
            entry = dict(quantized_entries(r)).get("bits")
            for sh in (entry or {}).get("shifts", []):
                deltas.setdefault(sh["shift"], []).append(sh["delta_auc"])
        lodo = {}
        for r in l.values():
            sv = survivor(r)
            for f in (sv or {}).get("folds", []):
                lodo.setdefault(f["fold"], []).append(f["auc"])
        battery = " / ".join(pp(mean(deltas.get(k, []))) for k in ("gain:0.5", "gain:2", "noise:20"))
        print(f"| {label} | {','.join(str(x) for x in d)} | {mean([x['cost'] for x in q]):.0f} | "
              f"{spread([x['pooled']['auc'] for x in q])} | {spread([x['mean_fold_auc'] for x in q])} | {battery} | "
              f"{spread(lodo.get(PDFE, []))} | {spread(lodo.get(DAPHNET, []))} |")
    print()


def episode_row(label, eps_list, auc_list, sens, spec):
    g = lambda k: [e[k] for e in eps_list]
    det = [e["detected"] / e["count"] for e in eps_list]
    within = [e["detected_within"] / e["count"] for e in eps_list]
    print(f"| {label} | {f3(mean(auc_list))} | {f2(mean(sens))} / {f2(mean(spec))} | {spread(det)} | "
          f"{spread(within)} | {f2(mean(g('latency_median_s')))} | {f2(mean(g('latency_p90_s')))} | "
          f"{spread(g('false_alarms_per_hour'), lambda x: f'{x:.1f}')} | {f3(mean(g('duty_cycle')))} | "
          f"{f3(mean(g('coverage')))} |")


def episodes():
    variants = [("cue off", "daphnet"), ("`--cue` (defaults)", "daphnet_cue"),
                ("`--choose-cue` (per fold, held-out)", "daphnet_choosecue")]
    loaded = [(label, load(name)) for label, name in variants]
    if not any(runs for _, runs in loaded):
        return
    header = ("| {} | AUC | dec. sens / spec | episodes detected | within 2 s | latency median (s) | p90 (s) "
              "| false alarms / h | duty | coverage |")
    print("### Episodes of the chip preset, Daphnet LOSO (issue 14)\n")
    for kind in ("float", "golden, 1 pp bits"):
        print(header.format(kind))
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for label, runs in loaded:
            if not runs:
                continue
            srcs = [r if kind == "float" else (survivor(r) or dict(quantized_entries(r)).get("bits"))
                    for r in runs.values()]
            srcs = [s for s in srcs if s]
            if not srcs:
                continue
            episode_row(label + f" ({len(srcs)} seeds)", [s["pooled"]["episodes"] for s in srcs],
                        [s["pooled"]["auc"] for s in srcs], [s["pooled"]["sensitivity"] for s in srcs],
                        [s["pooled"]["specificity"] for s in srcs])
        print()


def rates(folds, pooled):
    """pooled sens, spec, worst fold sens, worst fold spec, folds below 0.70 on either.

    A fold's sensitivity is judged only with freeze decisions, its specificity
    only with non-freeze decisions."""
    has_pos = lambda f: f["confusion"]["tp"] + f["confusion"]["fn"] > 0
    has_neg = lambda f: f["confusion"]["tn"] + f["confusion"]["fp"] > 0
    worst_sens = min((f["sensitivity"] for f in folds if has_pos(f)), default=None)
    worst_spec = min((f["specificity"] for f in folds if has_neg(f)), default=None)
    below = sum(1 for f in folds if (has_neg(f) and f["specificity"] < 0.70) or (has_pos(f) and f["sensitivity"] < 0.70))
    return pooled["sensitivity"], pooled["specificity"], worst_sens, worst_spec, below, len(folds)


def calibration_rows(runs, pick):
    fixed, cal = [], []
    for r in runs.values():
        src = pick(r)
        if not src or "calibrated" not in src:
            continue
        fixed.append(rates(src["folds"], src["pooled"]))
        cal.append(rates(src["calibrated"]["folds"], src["calibrated"]["pooled"]))
    return fixed, cal


def calibration():
    sets = [("daphnet_cal", "Daphnet LOSO"), ("pdfe_cal", "PDFE LOSO"), ("lodo_cal", "leave-one-dataset-out")]
    loaded = [(title, load(name)) for name, title in sets]
    if not any(runs for _, runs in loaded):
        return
    print("### Wearer self-calibration: fixed vs self-calibrated threshold (mean of seeds)\n")
    print("| data | model | threshold | pooled sens | pooled spec | worst subject sens | worst subject spec "
          "| subjects < 0.70 on either |")
    print("|---|---|---|---:|---:|---:|---:|---:|")
    for title, runs in loaded:
        if not runs:
            continue
        params = next(iter(runs.values()))["calibrated"]["params"]
        for model, pick in (("float", lambda r: r), ("golden, 1 pp bits", lambda r: dict(quantized_entries(r)).get("bits"))):
            fixed, cal = calibration_rows(runs, pick)
            if not fixed:
                continue
            for label, rows in (("fixed", fixed), ("self-calibrated", cal)):
                col = lambda i: [row[i] for row in rows]
                below = f"{mean(col(4)):.1f} of {rows[0][5]}"
                print(f"| {title} ({len(rows)} seeds) | {model} | {label} | {spread(col(0), f2)} | {spread(col(1), f2)} "
                      f"| {f2(mean(col(2)))} | {f2(mean(col(3)))} | {below} |")
    print(f"\nCalibration parameters: rate 2^-{params['rate_shift']}, k {params['k']}, floor {params['floor']}.\n")
    d = load("daphnet_cal")
    if d:
        print("Per Daphnet test subject, self-calibrated sens / spec (float; golden), mean of seeds:\n")
        subjects = [f["fold"] for f in next(iter(d.values()))["calibrated"]["folds"]]
        print("| subject | fixed float | calibrated float | fixed golden | calibrated golden |")
        print("|---|---:|---:|---:|---:|")
        for i, subject in enumerate(subjects):
            cells = []
            for pick in (lambda r: r, lambda r: dict(quantized_entries(r)).get("bits")):
                for key in ("fixed", "calibrated"):
                    vals = []
                    for r in d.values():
                        src = pick(r)
                        if not src:
                            continue
                        f = src["folds"][i] if key == "fixed" else src["calibrated"]["folds"][i]
                        vals.append((f["sensitivity"], f["specificity"]))
                    cells.append(f"{f2(mean([v[0] for v in vals]))} / {f2(mean([v[1] for v in vals]))}" if vals else "–")
            print(f"| S{int(subject):02d} | " + " | ".join(cells[i] for i in (0, 1, 2, 3)) + " |")
        print()


def calibrated_battery():
    """The battery's operating points: fixed vs self-calibrated, per shift."""
    runs = load("daphnet_calshift")
    if not runs:
        return
    rows, order = {}, ["unshifted"]
    for r in runs.values():
        for model, src in (("float", r), ("golden", dict(quantized_entries(r)).get("bits"))):
            if not src or "calibrated" not in src:
                continue
            fixed = rates(src["folds"], src["pooled"])
            cal = rates(src["calibrated"]["folds"], src["calibrated"]["pooled"])
            rows.setdefault(("unshifted", model), []).append((fixed[0], fixed[1], cal[0], cal[1], cal[2], cal[3]))
            for sh in src.get("shifts", []):
                if sh["shift"] not in order:
                    order.append(sh["shift"])
                c = sh["calibrated"]
                rows.setdefault((sh["shift"], model), []).append(
                    (sh["pooled"]["sensitivity"], sh["pooled"]["specificity"], c["pooled"]["sensitivity"],
                     c["pooled"]["specificity"], c["worst_sensitivity"], c["worst_specificity"]))
    print(f"Battery with the self-calibration, Daphnet LOSO ({seeds_note(runs)}; sens / spec pooled, "
          "worst subject's calibrated sens / spec):\n")
    print("| shift | float fixed | float self-calibrated | worst subject | golden 1 pp fixed | golden self-calibrated "
          "| worst subject |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name in order:
        cells = []
        for model in ("float", "golden"):
            rs = rows.get((name, model), [])
            col = lambda i: mean([x[i] for x in rs])
            cells += [f"{f2(col(0))} / {f2(col(1))}", f"{f2(col(2))} / {f2(col(3))}", f"{f2(col(4))} / {f2(col(5))}"]
        print(f"| {name} | " + " | ".join(cells) + " |")
    print()


def ablation_variants():
    """{tag: (name, flags)} of bench/detection_figures.sh's ABLATION list."""
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "detection_figures.sh")
    variants = {}
    with open(script) as f:
        text = f.read()
    block = text[text.index("ABLATION=("):]
    block = block[:block.index("\n)")]
    for name, flags in re.findall(r'^\s*"([^"|]+)\|([^"]+)"', block, re.M):
        tag = "abl_" + re.sub(r"_+", "_", re.sub(r"[^a-zA-Z0-9]", "_", name))
        variants[tag] = (name, flags)
    return variants


def ablation():
    first_written = {}  # tag -> mtime of its first run: the script's order
    for path in glob.glob(os.path.join(OUT, "abl_*_s*.json")):
        tag = re.sub(r"_(daphnet|pdfe|lodo)_s\d+\.json$", "", os.path.basename(path))
        first_written[tag] = min(first_written.get(tag, float("inf")), os.path.getmtime(path))
    tags = sorted(first_written, key=first_written.get)
    if not tags:
        return
    print("### Ablation against the preset (float, mean of seeds; Δ vs the preset in pp)\n")
    print("\"helps everywhere\": Daphnet and PDFE pooled and both leave-one-dataset-out directions all rise.\n")
    print("| variant | Daphnet LOSO pooled | mean fold | PDFE LOSO pooled | mean fold | D → P | P → D | "
          "helps everywhere |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")

    def figures(d, p, lodo):
        def lodo_auc(test):
            xs = [fold_by_name(r, test)["auc"] for r in lodo.values() if fold_by_name(r, test)]
            return mean(xs)
        return [mean([r["pooled"]["auc"] for r in d.values()]) if d else None,
                mean([r["mean_fold_auc"] for r in d.values()]) if d else None,
                mean([r["pooled"]["auc"] for r in p.values()]) if p else None,
                mean([r["mean_fold_auc"] for r in p.values()]) if p else None,
                lodo_auc(PDFE) if lodo else None, lodo_auc(DAPHNET) if lodo else None]

    names = ablation_variants()
    base = figures(load("daphnet"), load("pdfe"), load("lodo"))
    print("| **preset** | " + " | ".join(f3(x) for x in base) + " | |")
    for tag in tags:
        d, p, lodo = load(f"{tag}_daphnet"), load(f"{tag}_pdfe"), load(f"{tag}_lodo")
        fig = figures(d, p, lodo)
        cells = []
        for x, b in zip(fig, base):
            cells.append("–" if x is None else (f3(x) if b is None else f"{f3(x)} ({pp(x - b)})"))
        # pooled Daphnet, pooled PDFE and both LODO directions must all rise
        judged = [i for i in (0, 2, 4, 5) if fig[i] is not None and base[i] is not None]
        # beyond the seeds' spread only when every one rises by >= 0.5 pp
        up = [fig[i] - base[i] for i in judged]
        verdict = ("no" if len(judged) < 4 or min(up) <= 0 else "yes" if min(up) >= 0.005 else "≈ (< 0.5 pp)")
        n = min(len(d), len(p), len(lodo))
        name, flags = names.get(tag, (tag[4:].replace("_", " ").strip(), ""))
        label = f"{name}: `{flags}`" if flags else name
        print(f"| {label}{'' if n == 3 else f' ({n} seeds)'} | " + " | ".join(cells) + f" | {verdict} |")
    print()


def timing():
    secs = {}
    for path in glob.glob(os.path.join(OUT, "*.seconds")):
        name = re.sub(r"_s\d+\.seconds$", "", os.path.basename(path))
        with open(path) as f:
            secs.setdefault(name, []).append(int(f.read().strip() or 0))
    if secs:
        print("Wall seconds per run (mean): " +
              ", ".join(f"{k} {mean(v):.0f}" for k, v in sorted(secs.items()) if not k.startswith("abl_")) + "\n")


acceptance()
batteries()
search_shift()
episodes()
calibration()
calibrated_battery()
ablation()
timing()
