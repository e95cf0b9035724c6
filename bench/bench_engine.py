"""Engine benchmark: fastflow's executor against a bare asyncio scheduler (graphlib + tasks), same run.

Usage: python bench/bench_engine.py [--repeat N]
Each workload prints one line: fastflow time, bare time, their ratio, and the target.
Peak memory of the 10,000-node workload is measured in a fresh subprocess (VmHWM: ru_maxrss would
inherit the parent's peak across fork + exec).
"""
import asyncio, argparse, gc, json, logging, random, resource, subprocess, sys, time
from graphlib import TopologicalSorter
from fastflow.execution import FlowExecutor, ExecutionStep
from fastflow.callbacks import TimingCallback, LoggingCallback, ProgressCallback

async def noop(context, inputs): return None
def sleeper(t):
    async def h(context, inputs): await asyncio.sleep(t)
    return h

def fan(n):       return {'src': []} | {f'n{i}': ['src'] for i in range(n)} | {'sink': [f'n{i}' for i in range(n)]}
def wide(n):      return {f'n{i}': [] for i in range(n)}
def random_dag(n, seed=0):
    rnd = random.Random(seed)
    return {f'n{i}': sorted({f'n{rnd.randrange(i)}' for _ in range(rnd.randint(0, 3))}) if i else [] for i in range(n)}

async def bare(deps, handler):
    "A careful hand-written scheduler: graphlib for readiness, one task per node, done-callbacks, no events."
    ts = TopologicalSorter(deps); ts.prepare()
    results, loop = {}, asyncio.get_running_loop()
    finished = loop.create_future(); left = [len(deps)]
    async def one(n):
        results[n] = await handler({}, {d: results[d] for d in deps[n]})
        ts.done(n); left[0] -= 1
        if left[0] == 0: finished.set_result(None)
        else: launch()
    def launch():
        for n in ts.get_ready(): loop.create_task(one(n))
    launch()
    await finished
    return results

def executor(deps, handler, callbacks=True, log_level=logging.NOTSET):
    null = logging.getLogger(f'bench.null.{log_level}'); null.handlers = [logging.NullHandler()]; null.propagate = False
    null.setLevel(log_level)
    cbs = [TimingCallback(), LoggingCallback(logger=null), ProgressCallback()] if callbacks else []
    return FlowExecutor('bench', [ExecutionStep(k, depends_on=v, handler=handler) for k,v in deps.items()], callbacks=cbs)

async def stream(ex):
    n = 0
    async for msg in ex.run(): n += len(msg)
    return n

def timed(f, cpu=False):
    "Wall time of one run (or its CPU time: steadier when other processes share the machine)."
    clock = time.process_time if cpu else time.perf_counter
    gc.collect(); t = clock(); asyncio.run(f()); return clock()-t

def pair(ours, base, repeat, cpu=True):
    "Best of `repeat` for each, alternating the two so that noise on this shared machine hits both alike."
    a, b, ca, cb = [], [], [], []
    for _ in range(repeat):
        a.append(timed(ours)); b.append(timed(base))
        if cpu: ca.append(timed(ours, True)); cb.append(timed(base, True))
    return min(a), min(b), (min(ca)/min(cb) if cpu else None)

def line(name, times, target):
    ours, base, cpu = times
    extra = f"   (CPU-time ratio {cpu:4.2f}x)" if cpu else ''
    print(f"{name:<58} fastflow {ours*1e3:8.1f} ms   bare {base*1e3:8.1f} ms   ratio {ours/base:5.2f}x   target: {target}{extra}")

def peak_rss_mb(n):
    "Peak RSS (MB) of a fresh process: after imports, and after streaming a random `n`-node DAG."
    code = (f"import asyncio, resource, sys; sys.path.insert(0, {sys.path[0]!r}); import bench_engine as b; "
            "rss = lambda: int(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1])/1024; before = rss(); "
            f"ex = b.executor(b.random_dag({n}), b.noop); asyncio.run(b.stream(ex)); print(before, rss())")
    before, after = map(float, subprocess.check_output([sys.executable, '-c', code], text=True).split())
    return after, before

def tutorial_pipeline():
    "The spec's executor: load 1.0 s -> process 0.8 s -> save 0.5 s, with its four callbacks (printing muted)."
    import contextlib, io
    from fastflow.callbacks import FlowCallback
    class Metrics(FlowCallback):
        order = 50
        def before_node(self, state): print(f"-> Starting {state.current_step.node_id}")
        def after_node(self, state): print(f"Completed {state.node_id} in {state.node_times.get(state.node_id, 0):.2f}s")
    steps = [ExecutionStep('load', handler=sleeper(1.0)), ExecutionStep('process', depends_on=['load'], handler=sleeper(0.8)),
             ExecutionStep('save', depends_on=['process'], handler=sleeper(0.5))]
    ex = FlowExecutor('my-pipeline', steps, callbacks=[TimingCallback(), LoggingCallback(), ProgressCallback(), Metrics()])
    async def go():
        with contextlib.redirect_stdout(io.StringIO()): await stream(ex)
    t = timed(go)
    print(f"{'tutorial pipeline (1.0 + 0.8 + 0.5 s of sleeps), SSE + 4 callbacks':<58} fastflow {t*1e3:8.1f} ms   "
          f"over the sleeps: {(t-2.3)*1e3:5.1f} ms   target: <= 50 ms over")

def main(repeat=5):
    tutorial_pipeline()
    deps = fan(1000)
    ex = executor(deps, noop)
    line('1 -> 1,000 no-op -> 1, SSE + Timing/Logging/Progress',
         pair(lambda: stream(ex), lambda: bare(deps, noop), repeat*3), '<= 2.5x bare')
    ex = executor(deps, noop, log_level=logging.INFO)
    line('  the same, null logger at INFO (records made, then dropped)',
         pair(lambda: stream(ex), lambda: bare(deps, noop), repeat*3), '(for reference)')
    deps = wide(200); h = sleeper(0.05)
    ex = executor(deps, h, callbacks=False)
    line('200 independent nodes, each asyncio.sleep(0.05), SSE',
         pair(lambda: stream(ex), lambda: bare(deps, h), repeat, cpu=False), '< 57 ms in all')
    deps = random_dag(10_000)
    ex = executor(deps, noop)
    line('random DAG, 10,000 nodes (<=3 parents), SSE + callbacks',
         pair(lambda: stream(ex), lambda: bare(deps, noop), repeat), '<= 2.5x bare, < 1 s in all')
    ours, interp = peak_rss_mb(10_000)
    print(f"{'random DAG, 10,000 nodes: peak RSS of a fresh process':<58} {ours:8.1f} MB   (of which python + imports: {interp:.1f} MB)   target: < 150 MB")

if __name__ == '__main__':
    p = argparse.ArgumentParser(); p.add_argument('--repeat', type=int, default=5)
    main(p.parse_args().repeat)
