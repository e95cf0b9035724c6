"""Store benchmark: what recording a run in the SQLite store costs, on the 1 → 1,000 → 1 fan-out.

Usage: python bench/bench_store.py [--repeat N] [--n NODES]
Times the same run served by `fastflow.runs` (start_run + follow, as the route helper does) three ways,
alternating them so that noise on a shared machine hits all alike, best of N each:
  no store       store=None: nothing recorded
  memory store   RunStore(None): an in-memory SQLite database
  disk store     RunStore(path): SQLite on disk, WAL mode (the default)
Two times per way: until the viewer has the whole stream (what a run's viewer waits for), and until the run
is also in the database (its last batch written with `store.flush()`, which the writer thread otherwise does
in the background right after). Prints each time and the overhead against no store (target: ≤ 15%), and
`executor.run()` (the spec's stream: no ids, no store) for reference.
"""
import asyncio, argparse, gc, logging, sys, tempfile, time
from pathlib import Path
from fastflow.execution import FlowExecutor, ExecutionStep
from fastflow.callbacks import TimingCallback, LoggingCallback, ProgressCallback
from fastflow.store import RunStore
from fastflow.runs import start_run

async def noop(context, inputs): return None

def fan(n): return {'src': []} | {f'n{i}': ['src'] for i in range(n)} | {'sink': [f'n{i}' for i in range(n)]}

def executor(n):
    null = logging.getLogger("bench.null"); null.handlers = [logging.NullHandler()]; null.propagate = False
    cbs = [TimingCallback(), LoggingCallback(logger=null), ProgressCallback()]
    return FlowExecutor('bench', [ExecutionStep(k, depends_on=v, handler=noop) for k,v in fan(n).items()], callbacks=cbs)

async def served(ex, store, written=True):
    run = start_run(ex, store=store)
    size = 0
    async for msg in run.follow(): size += len(msg)
    if written and store is not None: store.flush()
    assert run.status == 'success', run.status
    return size

async def spec_stream(ex):
    return sum([len(m) async for m in ex.run()])

def timed(f, stores=()):
    gc.collect(); t = time.perf_counter(); asyncio.run(f()); t = time.perf_counter()-t
    for s in stores: s.flush()  # untimed: no background write overlaps the next sample
    return t

def main(repeat=15, n=1000):
    ex = executor(n)
    tmp = Path(tempfile.mkdtemp())
    disk, mem = RunStore(tmp/'bench.db'), RunStore(None)
    ways = {'no store': lambda: served(ex, None),
            'memory store': lambda: served(ex, mem, False), 'disk store': lambda: served(ex, disk, False),
            'memory, written': lambda: served(ex, mem), 'disk, written': lambda: served(ex, disk),
            'executor.run()': lambda: spec_stream(ex)}
    for f in ways.values(): timed(f, (mem, disk))  # warm up
    times = {k: [] for k in ways}
    for _ in range(repeat):
        for k,f in ways.items(): times[k].append(timed(f, (mem, disk)))
    best = {k: min(v) for k,v in times.items()}
    base = best['no store']
    evs = len(disk.events(disk.runs(limit=1)[0].id))
    print(f"1 → {n:,} → 1 fan-out, {evs:,} events per run, best of {repeat}:")
    for k,t in best.items():
        extra = '' if k in ('no store', 'executor.run()') else f"  overhead {100*(t/base-1):+.1f}%"
        print(f"  {k:<16} {t*1000:8.1f} ms{extra}")
    print("  (stream ends: the viewer has every event; written: and the run is in the database; target ≤ 15%)")
    disk.flush()
    runs = disk.runs(limit=1000)
    assert len(runs) == 2*(repeat+1) and all(r.status == 'success' and r.last_seq == evs for r in runs), 'a run was not recorded completely'
    disk.close(); mem.close()
    return best

if __name__ == '__main__':
    p = argparse.ArgumentParser()
    p.add_argument('--repeat', type=int, default=15)
    p.add_argument('--n', type=int, default=1000)
    a = p.parse_args()
    main(a.repeat, a.n)
