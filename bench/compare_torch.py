#!/usr/bin/env python3
"""PyTorch vs gaitlstm LSTM throughput on the same shapes, in the same run.

Shapes (issue 3): H = 32, 128-step windows, 3 and 9 inputs, 2 threads;
training = forward + backward + Adam on a batch of 64 (BCE loss on the last
step's sigmoid output); inference = a batch of 64, and one window at a time.

Usage: bench/compare_torch.py [--bench build/bench/bench_model] [--seconds 3]
Needs Debian's python3-torch; it is not a build or test dependency.
"""
import argparse
import json
import subprocess
import sys
import time

HIDDEN, STEPS, BATCH, THREADS = 32, 128, 64, 2


def windows_per_second(fn, windows_per_call, seconds):
    fn()  # warm-up
    calls, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        fn()
        calls += 1
    return calls * windows_per_call / (time.perf_counter() - start)


def torch_figures(inputs, seconds):
    import torch

    torch.manual_seed(1)
    lstm = torch.nn.LSTM(inputs, HIDDEN, batch_first=True)
    dense = torch.nn.Linear(HIDDEN, 1)
    params = list(lstm.parameters()) + list(dense.parameters())
    optimizer = torch.optim.Adam(params, lr=1e-4)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    x = torch.randn(BATCH, STEPS, inputs)
    y = (torch.arange(BATCH) % 2).float().unsqueeze(1)
    one = torch.randn(1, STEPS, inputs)

    def train():
        optimizer.zero_grad()
        out, _ = lstm(x)
        loss = loss_fn(dense(out[:, -1]), y)
        loss.backward()
        optimizer.step()

    def infer_batch():
        with torch.no_grad():
            torch.sigmoid(dense(lstm(x)[0][:, -1]))

    def infer_one():
        with torch.no_grad():
            torch.sigmoid(dense(lstm(one)[0][:, -1]))

    return {
        "train": windows_per_second(train, BATCH, seconds),
        "infer_batch": windows_per_second(infer_batch, BATCH, seconds),
        "infer_one": windows_per_second(infer_one, 1, seconds),
    }


def gaitlstm_figures(bench, seconds):
    out = subprocess.run(
        [bench, "--benchmark_format=json", f"--benchmark_min_time={seconds}"],
        check=True, capture_output=True, text=True).stdout
    names = {"BM_TrainBatch64": "train", "BM_InferBatch64": "infer_batch",
             "BM_InferOneWindow": "infer_one"}
    figures = {}
    for b in json.loads(out)["benchmarks"]:
        base, inputs = b["name"].split("/")[0], int(b["name"].split("/")[1])
        figures.setdefault(inputs, {})[names[base]] = b["items_per_second"]
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", default="build/bench/bench_model")
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    try:
        import torch
    except ImportError:
        sys.exit("compare_torch.py: PyTorch missing (apt-get install python3-torch)")
    torch.set_num_threads(THREADS)
    ours = gaitlstm_figures(args.bench, args.seconds)
    print(f"PyTorch {torch.__version__}, {THREADS} threads, H={HIDDEN}, {STEPS}-step windows; windows/s")
    print(f"{'inputs':>6} {'measure':<12} {'pytorch':>10} {'gaitlstm':>10} {'ratio':>7}")
    for inputs in (3, 9):
        theirs = torch_figures(inputs, args.seconds)
        for measure in ("train", "infer_batch", "infer_one"):
            t, g = theirs[measure], ours[inputs][measure]
            print(f"{inputs:>6} {measure:<12} {t:>10.0f} {g:>10.0f} {g / t:>6.1f}x")


if __name__ == "__main__":
    main()
