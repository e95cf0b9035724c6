"""Store benchmark: what recording a run in the SQLite store costs, on the 1 → 1,000 → 1 fan-out.

Usage: python bench/bench_store.py [--repeat N] [--n NODES]
Serves the same run with `fastflow.runs` (start_run + follow, as the route helper does) three ways,
alternating them so that noise on a shared machine hits all alike, best of N each:
  no store       store=None: nothing recorded
  memory store   RunStore(None): an in-memory SQLite database
  disk store     RunStore(path): SQLite on disk, WAL mode (the default)
Two numbers per way, each with its overhead against no store (target: ≤ 15%):
  wall   until the viewer has the whole stream (what a run's viewer waits for; the store's writer
         thread writes the last batch right after)
  CPU    process CPU time (all threads) of the run *and* its last batch written (`store.flush()`):
         all the work the store adds, and far less disturbed by other processes than wall time
`executor.run()` (the spec's stream, the engine's text path) is printed for reference, and so is the
`old path`: the engine's events framed one by one, as the route helper read them before it used
`executor.run(run_id=...)`.
"""
import asyncio, argparse, gc, logging, sys, tempfile, time
from pathlib import Path
from fastflow.execution import FlowExecutor, ExecutionStep
from fastflow.callbacks import TimingCallback, LoggingCallback, ProgressCallback
from fastflow.store import RunStore, new_run_id, frame
from fastflow.runs import start_run

async def noop(context, inputs): return None

def fan(n): return {'src': []} | {f'n{i}': ['src'] for i in range(n)} | {'sink': [f'n{i}' for i in range(n)]}

def executor(n):
    null = logging.getLogger('bench.null'); null.handlers = [logging.NullHandler()]; null.propagate = False
    cbs = [TimingCallback(), LoggingCallback(logger=null), ProgressCallback()]
    return FlowExecutor('bench', [ExecutionStep(k, depends_on=v, handler=noop) for k,v in fan(n).items()], callbacks=cbs)

async def served(ex, store):
    run = start_run(ex, store=store)
    size = 0
    async for msg in run.follow(): size += len(msg)
    assert run.status == 'success', run.status
    return size

async def spec_stream(ex): return sum([len(m) async for m in ex.run()])

async def events_framed(ex):
    "What the route helper did before it read the engine's text path: an event object per message, framed again."
    rid,n,size = new_run_id(),0,0
    async for ev in ex.events(run_id=rid): n += 1; size += len(frame(ev, rid, n))
    return size

def timed(f, store=None):
    "(wall seconds until the stream ended, CPU seconds of the run and its write)"
    gc.collect()
    c, t = time.process_time(), time.perf_counter()
    asyncio.run(f())
    t = time.perf_counter() - t
    if store is not None: store.flush()
    return t, time.process_time() - c

def main(repeat=15, n=1000):
    ex = executor(n)
    tmp = Path(tempfile.mkdtemp())
    disk, mem = RunStore(tmp/'bench.db'), RunStore(None)
    ways = {'no store': (lambda: served(ex, None), None), 'memory store': (lambda: served(ex, mem), mem),
            'disk store': (lambda: served(ex, disk), disk), 'executor.run()': (lambda: spec_stream(ex), None),
            'old path': (lambda: events_framed(ex), None)}
    for f,s in ways.values(): timed(f, s)  # warm up
    times = {k: [] for k in ways}
    for _ in range(repeat):
        for k,(f,s) in ways.items(): times[k].append(timed(f, s))
    wall = {k: min(w for w,_ in v) for k,v in times.items()}
    cpu = {k: min(c for _,c in v) for k,v in times.items()}
    evs = len(disk.events(disk.runs(limit=1)[0].id))
    print(f"1 → {n:,} → 1 fan-out, {evs:,} events per run, best of {repeat}:")
    print(f"  {'':<15} {'wall':>9} {'':>9} {'CPU':>9}")
    for k in ways:
        ow = '' if k in ('no store', 'executor.run()', 'old path') else f"{100*(wall[k]/wall['no store']-1):+.1f}%"
        oc = '' if k in ('no store', 'executor.run()', 'old path') else f"{100*(cpu[k]/cpu['no store']-1):+.1f}%"
        print(f"  {k:<15} {wall[k]*1000:7.1f}ms {ow:>9} {cpu[k]*1000:7.1f}ms {oc:>9}")
    print("  (overheads against no store; target ≤ 15%)")
    print(f"  the route helper (no store) costs {cpu['no store']/cpu['executor.run()']:.2f}× executor.run() in CPU; "
          f"the old path (events framed again) {cpu['old path']/cpu['executor.run()']:.2f}×")
    rid = disk.runs(limit=1)[0].id
    log_b = disk._q('select sum(length(cast(sse as blob))) as n from events where run_id=?', [rid])[0]['n']
    row_b = disk._q('select coalesce(length(cast(flow as blob)),0)+coalesce(length(nodes),0)+coalesce(length(spans),0)+coalesce(length(result),0)'
                    '+coalesce(length(error),0) as n from runs where id=?', [rid])[0]['n']
    shared = disk._q('select coalesce(sum(length(sse)),0) as n from blocks')[0]['n'] if disk._q("select name from sqlite_master where name='blocks'") else 0
    print(f"  bytes per run in the store: event log {log_b:,}, row (flow, nodes, spans, result) {row_b:,}; kept once for all runs: {shared:,}")
    runs = disk.runs(limit=1000)
    assert len(runs) == repeat+1 and all(r.status == 'success' and r.last_seq == evs for r in runs), 'a run was not recorded completely'
    disk.close(); mem.close()
    return wall, cpu

if __name__ == '__main__':
    p = argparse.ArgumentParser()
    p.add_argument('--repeat', type=int, default=15)
    p.add_argument('--n', type=int, default=1000)
    a = p.parse_args()
    main(a.repeat, a.n)
