"""`fastflow.dask` on a real `LocalCluster` with worker processes: handlers run in other processes, the page is live
over SSE, a cancel leaves nothing running on the workers, a killed worker or a lost scheduler ends the run, and a
60 MB intermediate never reaches the app."""
import asyncio, json, os, signal, socket, subprocess, sys, time
from pathlib import Path
import httpx, pytest
from fastflow.core import parse_sse, to_json
from fastflow.callbacks import CancelFlowException, FlowCallback, ProgressCallback, TimingCallback, describe
from fastflow.execution import ExecutionStep, FlowExecutor

def test_fastflow_never_imports_dask():
    code = ("import sys, fastflow, fastflow.core, fastflow.callbacks, fastflow.execution, fastflow.types\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed'))\n"
            "assert not bad, bad")
    subprocess.run([sys.executable, '-c', code], check=True)

def test_fastflow_dask_without_dask_says_what_to_install():
    code = ("import sys; sys.modules['distributed'] = None  # as if Dask were not installed\n"
            "try: import fastflow.dask\n"
            "except ImportError as e: print(e)")
    out = subprocess.run([sys.executable, '-c', code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == 'fastflow.dask needs Dask: pip install "fastflow[dask]"'

# ---------------------------------------------------------------- a cluster of two worker processes for the module

@pytest.fixture(scope='module')
def dask_cluster():
    distributed = pytest.importorskip('distributed')
    import cloudpickle
    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the workers cannot import this test module
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host='127.0.0.1',
                                       dashboard_address=None)
    client = distributed.Client(cluster)
    yield cluster, client
    client.close()
    cluster.close()

@pytest.fixture
def client(dask_cluster):
    cluster, client = dask_cluster
    client.wait_for_workers(2, timeout=60)
    return client

def worker_pids(client) -> dict: return client.run(os.getpid)

def idle(client, wait=15.0) -> bool:
    "Does every worker come to have no task executing, and the scheduler none processing?"
    end = time.monotonic() + wait
    while time.monotonic() < end:
        busy = sum(client.run(lambda dask_worker: dask_worker.state.executing_count).values())
        processing = client.run_on_scheduler(lambda dask_scheduler: sum(ts.state == 'processing' for ts in dask_scheduler.tasks.values()))
        if not busy and not processing: return True
        time.sleep(0.05)
    return False

def wire(ev) -> dict: return parse_sse(ev.sse())[0].data  # an event as the page gets it

# ---------------------------------------------------------------- the spec's pipeline, sync handlers, on worker processes

def load(context, inputs): return {"records": 500, "source": "users_table", "pid": os.getpid()}
def process(context, inputs): return {"records": inputs["load"]["records"], "processed": True, "pid": os.getpid()}
def save(context, inputs): return {"saved": inputs["process"]["records"], "status": "success", "pid": os.getpid()}

class Watch(FlowCallback):
    "What the hooks saw: the node each hook was about, and the node times after each node."
    def __init__(self): self.seen = []
    def before_node(self, state): self.seen.append(('before', state.current_step.node_id))
    def after_node(self, state): self.seen.append(('after', state.current_step.node_id, state.node_times[state.node_id] > 0))

def pipeline(runner=None):
    return FlowExecutor("my-pipeline", [ExecutionStep("load", handler=load),
                                        ExecutionStep("process", depends_on=["load"], handler=process),
                                        ExecutionStep("save", depends_on=["process"], handler=save)],
                        callbacks=[TimingCallback(), ProgressCallback(), Watch()], runner=runner)

def test_spec_pipeline_runs_in_worker_processes(client):
    from fastflow.dask import DaskRunner, DaskResult
    runner = DaskRunner(client)
    local, remote = asyncio.run(pipeline().execute()), asyncio.run(pipeline(runner).execute())
    assert remote.status == local.status == 'success'
    # the same events, plus one `running` per node that names its worker
    def shape(r): return [(e.kind, e.get('nodeId') or e.get('sourceId'), e.get('status'), e.get('message'))
                          for e in r.events if e.kind != 'complete']
    where = {e['nodeId']: e['message'] for e in remote.events if e.kind == 'nodeStatus' and (e.get('message') or '').startswith('on ')}
    assert shape(local) == [s for s in shape(remote) if not (s[3] or '').startswith('on ')]
    assert sorted(where) == ['load', 'process', 'save']
    # callbacks see the same run
    watched = lambda r: next(cb for cb in r.callbacks if isinstance(cb, Watch)).seen
    assert watched(remote) == watched(local) and len(watched(local)) == 6
    assert [e['percent'] for e in remote.events if e.kind == 'progress'] == [e['percent'] for e in local.events if e.kind == 'progress']
    assert sorted(remote.state.timeline) == ['load', 'process', 'save']
    # each handler ran in a worker process, and its result stayed there
    pids = worker_pids(client)
    for k, r in remote.results.items():
        assert isinstance(r, DaskResult) and where[k] == f"on {r.worker}"
        value = r.result()
        assert value['pid'] != os.getpid() and value['pid'] == pids[r.worker]
    # on the wire, small results are the values themselves, as after a local run
    strip = lambda res: {k: {a: b for a, b in v.items() if a != 'pid'} for k, v in res.items()}
    assert strip(wire(remote.events[-1])['results']) == strip(wire(local.events[-1])['results'])
    runner.close()

# ---------------------------------------------------------------- the live page over SSE, and closing it

APP = '''
import os, sys, time
import cloudpickle
from fasthtml.common import *
from distributed import Client  # after fasthtml.common, whose `Client` is a test client
from fastflow.execution import FlowExecutor, ExecutionStep
from fastflow.dask import DaskRunner
cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the workers cannot import this module
app, rt = fast_app(default_hdrs=False)
client = Client(os.environ["SCHEDULER"])
runner = DaskRunner(client, keep=10)
MARK = os.environ["MARK"]

def load(c, i): return {"records": 500, "pid": os.getpid()}
def process(c, i): return {"records": i["load"]["records"], "processed": True}
def blob(c, i): return b"x" * 5_000_000
def slow(c, i):
    open(MARK, "a").write(f"start {os.getpid()}\\n")
    for _ in range(400): time.sleep(0.01)
    open(MARK, "a").write("end\\n")
    return 1

pipeline = FlowExecutor("my-pipeline", [ExecutionStep("load", handler=load), ExecutionStep("process", depends_on=["load"], handler=process),
                                        ExecutionStep("blob", handler=blob)], runner=runner)
slow_flow = FlowExecutor.from_spec("slow", {"a": slow, "b": slow}, runner=runner)

@rt("/run")
async def get(): return EventStream(pipeline.run())
@rt("/slow")
async def get(): return EventStream(slow_flow.run())
@rt("/result/{key}")
async def get(key:str): return Response(await runner.fetch(key), media_type="application/octet-stream")
'''

def test_live_page_over_sse_and_closing_it_stops_the_workers(client, serve, tmp_path):
    mark = tmp_path/'mark.txt'
    srv = serve(APP, env={'SCHEDULER': client.scheduler.address, 'MARK': str(mark)})
    with httpx.stream('GET', srv.url + '/run', timeout=60) as r:
        assert r.headers['content-type'].startswith('text/event-stream')
        evs = parse_sse(r.read().decode())
    nodes = [(e['nodeId'], e['status']) for e in evs if e.kind == 'nodeStatus' and not (e.get('message') or '').startswith('on ')]
    assert sorted(nodes[:3]) == [('blob', 'pending'), ('load', 'pending'), ('process', 'pending')]
    assert {n for n, s in nodes if s == 'success'} == {'load', 'process', 'blob'}
    where = {e['nodeId']: e['message'][3:] for e in evs if e.kind == 'nodeStatus' and (e.get('message') or '').startswith('on ')}
    assert set(where.values()) <= set(worker_pids(client))
    assert [e.kind for e in evs].count('complete') == 1 and evs[-1].kind == 'complete'
    res = evs[-1]['results']
    assert res['process'] == {'records': 500, 'processed': True} and res['load']['pid'] in worker_pids(client).values()
    assert res['blob']['type'] == 'bytes' and res['blob']['size'] >= 5_000_000 and res['blob']['worker'] == where['blob']
    assert res['blob']['preview'].startswith("b'xxxx") and len(json.dumps(res['blob'])) < 1000  # a summary, not 5 MB
    full = httpx.get(f"{srv.url}/result/{res['blob']['key']}", timeout=30)  # in full, on request
    assert full.status_code == 200 and full.content == b'x' * 5_000_000

    # the page closes the stream while both handlers run on the workers: both stop there
    with httpx.stream('GET', srv.url + '/slow', timeout=60) as r:
        seen = ''
        for chunk in r.iter_text():
            seen += chunk
            if seen.count('"message":"on ') == 2: break
    assert idle(client), 'a handler is still running on a worker'
    time.sleep(1)
    text = mark.read_text()
    assert text.count('start') == 2 and 'end' not in text, text

# ---------------------------------------------------------------- cancel and timeout reach the cluster

def slow(context, inputs):
    with open(context['mark'], 'a') as f: f.write(f"start {os.getpid()}\n")
    for _ in range(300): time.sleep(0.01)
    with open(context['mark'], 'a') as f: f.write("end\n")
    return 'done'

class CancelWhenBothRun(FlowCallback):
    "Cancel the run once both slow handlers have started on their workers."
    def on_event(self, state, ev):
        if ev.kind == 'nodeStatus' and (ev.get('message') or '').startswith('on '):
            self.n = getattr(self, 'n', 0) + 1
            if self.n == 2: raise CancelFlowException('enough')

def test_cancel_flow_exception_and_timeouts_stop_the_handlers_on_the_workers(client, tmp_path):
    from fastflow.dask import DaskRunner
    runner, mark = DaskRunner(client), tmp_path/'mark.txt'
    res = asyncio.run(FlowExecutor.from_spec('c', {'a': slow, 'b': slow, 'after': (['a'], slow)}, runner=runner,
                           callbacks=[CancelWhenBothRun()]).execute({'mark': str(mark)}))
    assert res.status == 'cancelled' and res.statuses == {'a': 'cancelled', 'b': 'cancelled', 'after': 'cancelled'}
    assert res.events[-1]['message'] == 'Flow cancelled: enough'
    assert idle(client)
    time.sleep(0.5)
    assert mark.read_text().count('start') == 2 and 'end' not in mark.read_text()

    mark.unlink()
    res = asyncio.run(FlowExecutor.from_spec('t', {'a': slow}, runner=runner, timeout=0.5, retries=1).execute({'mark': str(mark)}))
    assert res.statuses == {'a': 'error'} and describe(res.errors['a']) == 'NodeTimeoutError: timed out after 0.5s'
    assert [e['message'] for e in res.events if e.kind == 'nodeStatus' and e['status'] == 'running' and 'retry' in (e.get('message') or '')] \
        == ['retry 1/1 after NodeTimeoutError: timed out after 0.5s']
    assert idle(client)
    time.sleep(0.5)
    assert mark.read_text().count('start') == 2 and 'end' not in mark.read_text()
    runner.close()

# ---------------------------------------------------------------- a worker that dies mid-task

def pid_then_work(context, inputs):
    with open(context['mark'], 'a') as f: f.write(f"{os.getpid()}\n")
    for _ in range(300): time.sleep(0.01)
    return os.getpid()

async def run_and_kill_first(ex, mark):
    "Run `ex`, killing the worker process of the first handler once the page has heard where it runs; its events."
    evs, killed = [], False
    async for ev in ex.events({'mark': str(mark)}):
        evs.append(ev)
        if not killed and ev.kind == 'nodeStatus' and (ev.get('message') or '').startswith('on '):
            while not (mark.exists() and mark.read_text().strip()): await asyncio.sleep(0.01)
            os.kill(int(mark.read_text().split()[0]), signal.SIGKILL); killed = True
    return evs

def test_a_killed_worker_ends_the_node_in_error_or_dask_reruns_it(dask_cluster, client, tmp_path):
    from fastflow.dask import DaskRunner, WorkerLostError
    cluster, runner = dask_cluster[0], DaskRunner(client)
    sched, before = cluster.scheduler, cluster.scheduler.allowed_failures
    sched.allowed_failures = 0  # Dask gives up on the first death
    try: evs = asyncio.run(run_and_kill_first(FlowExecutor.from_spec('k', {'a': pid_then_work, 'b': (['a'], pid_then_work)}, runner=runner), tmp_path/'m1'))
    finally: sched.allowed_failures = before
    final = {e['nodeId']: e for e in evs if e.kind == 'nodeStatus'}
    assert (final['a']['status'], final['b']['status']) == ('error', 'cancelled')
    ran_on = next(e['message'][3:] for e in evs if e.kind == 'nodeStatus' and (e.get('message') or '').startswith('on '))
    assert final['a']['message'].startswith(f"WorkerLostError: the Dask worker running node 'a' died ({ran_on})")
    assert evs[-1].kind == 'error' and evs[-1]['nodeId'] == 'a'

    client.wait_for_workers(2, timeout=60)  # the nanny brings the killed worker back
    evs = asyncio.run(run_and_kill_first(FlowExecutor.from_spec('k', {'a': pid_then_work}, runner=runner), tmp_path/'m2'))
    assert evs[-1].kind == 'complete'  # Dask reran the task on a live worker
    ons = [e['message'][3:] for e in evs if e.kind == 'nodeStatus' and (e.get('message') or '').startswith('on ')]
    first, last = (tmp_path/'m2').read_text().split()[:2]
    assert len(ons) == 2 and ons[0] != ons[1] and evs[-1]['results']['a'].worker == ons[1]
    assert evs[-1]['results']['a'].result() == int(last) != int(first)
    runner.close()

# ---------------------------------------------------------------- 60 MB between two nodes, never in the app

def make(context, inputs): return bytes(60_000_000)
def measure(context, inputs): return len(inputs['make'])

def test_a_60mb_intermediate_stays_on_the_workers(client):
    import gc, psutil
    from fastflow.dask import DaskRunner
    runner, me = DaskRunner(client), psutil.Process()
    ex = FlowExecutor.from_spec('big', {'make': make, 'measure': (['make'], measure)}, runner=runner)
    asyncio.run(ex.execute())  # warm up: imports, connections, first tasks
    gc.collect()
    rss0 = me.memory_info().rss
    res = asyncio.run(ex.execute())
    text = asyncio.run(_collect(ex.run()))
    gc.collect()
    grown = me.memory_info().rss - rss0
    assert res.ok and res.results['measure'].result() == 60_000_000
    assert grown < 20e6, f"the app grew by {grown/1e6:.0f} MB"
    assert len(text) < 10_000 and parse_sse(text)[-1]['results']['make']['size'] >= 60_000_000
    value = res.results['make'].result()  # fetching it on purpose is what brings it here
    assert me.memory_info().rss - rss0 > 50e6 and len(value) == 60_000_000
    runner.close()

async def _collect(gen): return ''.join([m async for m in gen])

# ---------------------------------------------------------------- a scheduler that goes away

def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]

def test_a_lost_scheduler_ends_the_run_with_an_error_naming_it(tmp_path):
    distributed = pytest.importorskip('distributed')
    from fastflow.dask import DaskRunner, SchedulerLostError
    addr, procs = f"tcp://127.0.0.1:{free_port()}", []
    try:
        procs.append(subprocess.Popen([sys.executable, '-m', 'distributed.cli.dask_scheduler', '--host', '127.0.0.1',
                                       '--port', addr.rsplit(':', 1)[1], '--no-dashboard'], stderr=subprocess.DEVNULL))
        procs.append(subprocess.Popen([sys.executable, '-m', 'distributed.cli.dask_worker', addr, '--nthreads', '1',
                                       '--no-nanny', '--no-dashboard'], stderr=subprocess.DEVNULL))
        client = distributed.Client(addr, timeout=30)
        client.wait_for_workers(1, timeout=60)
        runner = DaskRunner(client)
        async def main():
            async def kill_scheduler():
                while not any(e.get('message', '').startswith('on ') for e in seen): await asyncio.sleep(0.02)
                procs[0].kill()
            seen, k = [], asyncio.create_task(kill_scheduler())
            async for ev in FlowExecutor.from_spec('lost', {'a': slow, 'b': (['a'], slow)}, runner=runner).events({'mark': str(tmp_path/'m')}):
                seen.append(ev)
            return seen
        evs = asyncio.run(main())
        final = {e['nodeId']: e for e in evs if e.kind == 'nodeStatus'}
        assert final['a']['status'] == 'error' and final['b']['status'] == 'cancelled'
        assert final['a']['message'] == f"SchedulerLostError: lost the connection to the Dask scheduler at {addr} while node 'a' ran"
        assert evs[-1].kind == 'error' and addr in evs[-1]['message']
        # a run started once the scheduler is gone fails at once, naming it too
        res = asyncio.run(FlowExecutor.from_spec('after', {'a': slow}, runner=runner).execute({'mark': str(tmp_path/'m')}))
        assert res.statuses == {'a': 'error'} and addr in str(res.errors['a'])
        client.close(timeout=5)
    finally:
        for p in procs:
            if p.poll() is None: p.kill()
            p.wait(10)
