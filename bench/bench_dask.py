"""The Dask runner, measured on a LocalCluster of 2 worker processes (1 thread each).

1. Speed-up: 8 CPU-bound pure-Python nodes, run by the default runner (threads in this process, one GIL) and by
   `DaskRunner` (one task per node on the workers); the same 8 tasks through plain `client.submit` show what the
   machine allows at that moment.
2. Per-node overhead: a chain of N trivial nodes through `DaskRunner`, against the same chain written with plain
   `client.submit`, each step waiting for the previous one (what the executor does: a node starts once its
   dependencies have succeeded), and against a chain submitted all at once (Dask's own pipelining, for reference).

Prints numbers, asserts nothing. Run it on a quiet machine: `python bench/bench_dask.py`."""
import asyncio, os, statistics, time
from distributed import Client, LocalCluster, wait
from fastflow.execution import ExecutionStep, FlowExecutor
from fastflow.dask import DaskRunner

N_CPU, CHAIN, REPEAT, WORK = 8, 60, 5, 3_000_000

def burn(context, inputs):
    "Pure-Python work that holds the GIL throughout (a fixed amount: about 0.3 s on an idle core)."
    n, x = context['n'], 0
    for i in range(n): x = (x * 31 + i) % 1_000_003
    return x

def step(context, inputs): return 1 + sum(inputs.values())
def inc(x=0): return x + 1

def cpu_flow(runner=None):
    return FlowExecutor('cpu', [ExecutionStep(f'n{i}', handler=burn) for i in range(N_CPU)], runner=runner)

def chain_flow(runner):
    return FlowExecutor('chain', [ExecutionStep('c0', handler=step)] +
                        [ExecutionStep(f'c{i}', depends_on=[f'c{i-1}'], handler=step) for i in range(1, CHAIN)], runner=runner)

def interleaved(fs:dict, repeat:int)->dict:
    "Time each of `fs` `repeat` times, taking turns (so a burst of load elsewhere hits them all alike): name -> (best, median, best CPU time of this process)."
    ts, cs = {k: [] for k in fs}, {k: [] for k in fs}
    for _ in range(repeat):
        for k, f in fs.items():
            t, c = time.perf_counter(), time.process_time(); f()
            ts[k].append(time.perf_counter() - t); cs[k].append(time.process_time() - c)
    return {k: (min(v), statistics.median(v), min(cs[k])) for k, v in ts.items()}

def main():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, Client(cluster) as client:
        runner = DaskRunner(client)
        ctx = {'n': WORK}
        t = time.perf_counter(); burn(ctx, {}); one = time.perf_counter() - t
        local, dask = cpu_flow(), cpu_flow(runner)
        assert asyncio.run(local.execute(ctx)).ok and asyncio.run(dask.execute(ctx)).ok  # warm up
        plain = lambda: client.gather([client.submit(burn, ctx, {}, pure=False) for _ in range(N_CPU)])
        r = interleaved({'local': lambda: asyncio.run(local.execute(ctx)), 'dask': lambda: asyncio.run(dask.execute(ctx)), 'plain': plain}, REPEAT)
        (t_local, *_), (t_dask, *_), (t_plain, *_) = r['local'], r['dask'], r['plain']
        print(f"{N_CPU} CPU-bound nodes ({one:.2f} s each here, just now), 2 worker processes (os.cpu_count()={os.cpu_count()}, load average {os.getloadavg()[0]:.1f}), best of {REPEAT}:")
        print(f"  default runner (threads, one GIL) {t_local:6.2f} s")
        print(f"  DaskRunner                        {t_dask:6.2f} s   speed-up {t_local/t_dask:.2f}x (target >= 1.6x)")
        print(f"  plain client.submit + gather      {t_plain:6.2f} s   speed-up {t_local/t_plain:.2f}x (what the machine allows right now)")

        chain = chain_flow(runner)
        assert asyncio.run(chain.execute()).ok
        def awaited():
            f = client.submit(inc, pure=False)
            for _ in range(CHAIN - 1):
                wait(f); f = client.submit(inc, f, pure=False)
            assert f.result() == CHAIN
        def pipelined():
            f = client.submit(inc, pure=False)
            for _ in range(CHAIN - 1): f = client.submit(inc, f, pure=False)
            assert f.result() == CHAIN
        awaited(); pipelined()
        r = interleaved({'chain': lambda: asyncio.run(chain.execute()), 'awaited': awaited, 'pipelined': pipelined}, 5)
        (t_chain, m_chain, c_chain), (t_await, m_await, c_await), (t_pipe, m_pipe, c_pipe) = r['chain'], r['awaited'], r['pipelined']
        ms = lambda t: 1000 * t / CHAIN
        print(f"a chain of {CHAIN} trivial nodes, per node: wall best of 5 (median), and CPU time of the app's process "
              "(which holds the LocalCluster's scheduler too):")
        print(f"  plain client.submit, each step awaited  {ms(t_await):6.2f} ms ({ms(m_await):.2f})   cpu {ms(c_await):.2f} ms")
        print(f"  DaskRunner through FlowExecutor         {ms(t_chain):6.2f} ms ({ms(m_chain):.2f})   cpu {ms(c_chain):.2f} ms   "
              f"ratio {t_chain/t_await:.2f}x wall, {c_chain/c_await:.2f}x cpu (target <= 1.3x)")
        print(f"  plain client.submit, all at once        {ms(t_pipe):6.2f} ms ({ms(m_pipe):.2f})   cpu {ms(c_pipe):.2f} ms   "
              f"(Dask pipelining the chain by itself: DaskRunner / this = {t_chain/t_pipe:.2f}x wall)")
        runner.close()

if __name__ == '__main__': main()
