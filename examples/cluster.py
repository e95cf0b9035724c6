"The cluster tutorial's complete program: the same flow in one process, then on a LocalCluster of two worker processes."
import asyncio, os, time
from distributed import Client, LocalCluster
from fastflow.execution import FlowExecutor, ExecutionStep
from fastflow.dask import DaskRunner

def count_primes(lo, hi):
    return sum(all(n % d for d in range(2, int(n**0.5) + 1)) for n in range(max(lo, 2), hi))

def chunk(k):
    def handler(context, inputs):
        size = context["size"]
        return {"primes": count_primes(k*size, (k+1)*size), "pid": os.getpid()}
    return handler

def total(context, inputs): return sum(r["primes"] for r in inputs.values())

def make_flow(runner=None):
    return FlowExecutor("primes", [ExecutionStep(f"chunk{k}", handler=chunk(k)) for k in range(4)]
                        + [ExecutionStep("total", depends_on=[f"chunk{k}" for k in range(4)], handler=total)], runner=runner)

async def main(context):
    t = time.perf_counter()
    local = await make_flow().execute(context)
    print(f"one process: {local.results['total']} primes in {time.perf_counter() - t:.2f}s")

    with LocalCluster(n_workers=2, threads_per_worker=1) as cluster, Client(cluster) as client:
        runner = DaskRunner(client)
        await make_flow(runner).execute({"size": 100})  # a first small run: the new workers import what the handlers need
        t = time.perf_counter()
        res = await make_flow(runner).execute(context)
        print(f"two worker processes: {await res.results['total']} primes in {time.perf_counter() - t:.2f}s")
        pids = {(await r)["pid"] for k, r in res.results.items() if k != "total"}
        print("the chunks ran in this process:", os.getpid() in pids)
        runner.close()

if __name__ == "__main__":  # worker processes import this file: only the main process runs the flow
    asyncio.run(main({"size": 40_000}))
