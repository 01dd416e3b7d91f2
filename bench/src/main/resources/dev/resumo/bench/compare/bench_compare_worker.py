"""The loop both paired workers of `resumo bench compare --paired` run (bench_compare_torch_worker.py,
bench_compare_ct2_worker.py): one command per line on stdin, one JSON object per line in reply on
the original stdout (fd 1 is pointed at stderr once the channel is kept aside, so nothing a library
prints can corrupt it). Waiting for a command is a blocking read: the idle side uses no CPU.
  (start)          -> {"ready": true, ...versions, "threads": T}
  prepare NAME     -> {"prepared": NAME, "units": U, "warmup_seconds": S}   builds the inputs (and the
                      optimizer), resets the peak resident set, runs the one warm-up;
                      {"skipped": NAME} when the side does not run that workload
  run              -> {"seconds": S}                                        one timed run
  finish           -> {"peak_rss_mib": M}                                   VmHWM since prepare; drops the workload
  quit (or EOF)    -> exits 0
Any failure -> {"error": "one line"} and exit status 1.
"""
import gc
import json
import os
import sys
import time

from bench_compare_common import peak_mib, reset_peak


def serve(side, start):
    """start() -> (ready fields, workload(name) -> (work, units, done) or None, sync)."""
    channel = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    def reply(**fields):
        channel.write(json.dumps(fields) + "\n")
        channel.flush()

    try:
        loop(side, start, reply)
    except SystemExit as e:
        if e.code not in (None, 0):
            reply(error=str(e.code))
            raise SystemExit(1)
    except BaseException as e:  # noqa: BLE001 - any failure becomes one line for the Java side
        reply(error=f"{type(e).__name__}: {e}".splitlines()[0])
        raise SystemExit(1)


def loop(side, start, reply):
    ready, workload, sync = start()
    reply(ready=True, **ready)

    def timed_once(work):
        sync()
        t0 = time.perf_counter()
        work()
        sync()  # GPU work is asynchronous: wait for it inside the timed span
        return time.perf_counter() - t0

    current = None  # (name, work, done)
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "prepare" and len(words) == 2:
            if current is not None:
                raise SystemExit(f"prepare {words[1]}: {current[0]} was not finished")
            w = workload(words[1])
            if w is None:
                reply(skipped=words[1])
                continue
            work, units, done = w
            current = (words[1], work, done)
            gc.collect()
            reset_peak()
            s = timed_once(work)
            print(f"{side} {words[1]} warm-up: {s:.3f} s", file=sys.stderr, flush=True)
            reply(prepared=words[1], units=units, warmup_seconds=s)
        elif words[0] == "run" and current is not None:
            reply(seconds=timed_once(current[1]))
        elif words[0] == "finish" and current is not None:
            peak = peak_mib()
            current[2]()
            current = None
            gc.collect()  # the workload's inputs and optimizer state go before the next one's peak reset
            reply(peak_rss_mib=peak)
        elif words[0] == "quit":
            return
        else:
            raise SystemExit(f"unexpected command {line.strip()!r}")
