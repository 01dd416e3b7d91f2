"""What the Python columns of `resumo bench compare` share: the Java side's input ids, peak-RSS
reset and read-out, and the warm-up-then-median timing (one warm-up: no JIT on this side)."""
import statistics
import sys
import time

SOURCE, TARGET, NEW_TOKENS, TRAIN_BATCH = 256, 64, 64, 8


def ids(count, vocab, salt):
    return [2 + ((i * 7919 + 13 + salt * 104729) % (vocab - 2)) for i in range(count)]


def reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def peak_mib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return -1.0


def timed(side, name, repeats, work, sync=lambda: None):
    """One warm-up, then `repeats` timed runs of work(); (median, best) seconds. sync() waits for a GPU."""
    times = []
    for i in range(-1, repeats):
        sync()
        t0 = time.perf_counter()
        work()
        sync()  # GPU work is asynchronous: wait for it inside the timed span
        s = time.perf_counter() - t0
        print(f"{side} {name} {'warm-up' if i < 0 else 'run %d' % (i + 1)}: {s:.3f} s", file=sys.stderr, flush=True)
        if i >= 0:
            times.append(s)
    return statistics.median(times), min(times)
