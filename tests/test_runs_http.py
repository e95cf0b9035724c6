"Runs over real HTTP: uvicorn serving `executor.stream(req)` with the SQLite store on disk, read by raw HTTP clients."
import asyncio, os, shutil, signal, sqlite3, subprocess, sys, time
from collections import Counter
from pathlib import Path
import httpx, pytest
from conftest import Server, free_port
from fastflow.core import parse_sse
from fastflow.store import RunStore, parse_event_id

HERE = Path(__file__).resolve().parent

@pytest.fixture
def app_dir(tmp_path):
    shutil.copy(HERE/'runs_app.py', tmp_path/'runs_app.py')
    return tmp_path

def env(d, **kw): return {'FF_DB': str(d/'runs.db'), 'FF_CALLS': str(d/'calls.txt'), **kw}

def calls(d) -> Counter:
    p = d/'calls.txt'
    return Counter(l.split()[1] for l in p.read_text().splitlines()) if p.exists() else Counter()

def read(url, headers=None, timeout=30):
    with httpx.stream('GET', url, headers=headers or {}, timeout=timeout) as r:
        return r.status_code, r.headers.get('x-worker'), parse_sse(r.read().decode()) if r.status_code == 200 else []

def read_through(lines, marker) -> str:
    "SSE text from `lines` up to the end of the message whose data contains `marker`."
    seen, found = '', False
    for line in lines:
        seen += line + '\n'
        found = found or marker in line
        if found and line == '': return seen
    raise AssertionError(f'{marker} never came')

def run_id(evs): return next(e['runId'] for e in evs if e.kind == 'run')

def integrity(db): 
    with sqlite3.connect(db) as c: return c.execute('pragma integrity_check').fetchone()[0]

def test_fifty_concurrent_runs_all_recorded(app_dir):
    srv = Server(app_dir, 'runs_app', env=env(app_dir))
    try:
        async def main():
            async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=60)) as cli:
                async def one():
                    r = await cli.get(srv.url + '/run?slow=0.5')
                    return parse_sse(r.text)
                return await asyncio.gather(*[one() for _ in range(50)])
        streams = asyncio.run(main())
    finally: srv.stop()
    assert all(evs[-1].kind == 'complete' for evs in streams)
    assert calls(app_dir) == {'load': 50, 'clean': 50, 'save': 50}
    store = RunStore(app_dir/'runs.db')
    runs = {r.id: r for r in store.runs('flow')}
    assert len(runs) == 50 and {r.status for r in runs.values()} == {'success'}, srv.log.read_text()[-4000:]  # the server's log says why
    for evs in streams:
        rec = runs[run_id(evs)]
        got = [e for e in evs if e.kind != 'run']
        assert rec.last_seq == len(got) and [e.event for e in store.events(rec.id)] == got
        assert rec.node_statuses == {'load': 'success', 'clean': 'success', 'save': 'success'}
        assert rec.results['save'] == {'node': 'save', 'after': ['clean']} and rec.elapsed > 0.45
    store.close()
    assert integrity(app_dir/'runs.db') == 'ok'

def test_reconnects_resume_and_start_nothing(app_dir):
    srv = Server(app_dir, 'runs_app', env=env(app_dir))
    try:
        # one live run; 200 clients reconnect to it at once, each naming the 3rd event it saw
        with httpx.stream('GET', srv.url + '/run?slow=2', timeout=30) as first:
            lines = first.iter_lines()
            head = []
            while not (sum(l.startswith('id: ') for l in head) == 3 and head[-1] == ''): head.append(next(lines))
            rid = run_id(parse_sse('\n'.join(head) + '\n\n'))
            async def reconnect_all(last, k=200):
                async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=250)) as cli:
                    async def one():
                        r = await cli.get(srv.url + '/run', headers={'Last-Event-ID': last})
                        return r.status_code, parse_sse(r.text)
                    return await asyncio.gather(*[one() for _ in range(k)])
            resumed = asyncio.run(reconnect_all(f'{rid}:3'))
            rest = parse_sse('\n'.join(lines))
        assert {s for s, _ in resumed} == {200}
        full = [e for e in rest if e.kind != 'run']
        for _, evs in resumed:
            assert run_id(evs) == rid and [e for e in evs if e.kind != 'run'] == full  # everything after event 3
        assert full[-1].kind == 'complete'
        n = 3 + len(full)
        # the run ended: reconnects naming its last event (or an unknown run, or garbage) get 204
        ended = asyncio.run(reconnect_all(f'{rid}:{n}', 20))
        assert {s for s, _ in ended} == {204}
        for last in ('nosuchrun:4', 'garbage'):
            assert read(srv.url + '/run', {'Last-Event-ID': last})[0] == 204
        # a page reattaching after a reload asks with the query parameter and gets the whole run
        status, _, again = read(srv.url + f'/run?lastEventId={rid}:0')
        assert status == 200 and len([e for e in again if e.kind != 'run']) == n
    finally: srv.stop()
    assert calls(app_dir) == {'load': 1, 'clean': 1, 'save': 1}  # 400 reconnects, one run

def test_kill9_mid_run_reads_interrupted(app_dir):
    srv = Server(app_dir, 'runs_app', env=env(app_dir))
    try:
        with httpx.stream('GET', srv.url + '/run?slow=4', timeout=30) as r:
            seen = read_through(r.iter_lines(), '"nodeId":"clean","status":"running"')
            time.sleep(0.6)  # the store's writer has written what the client saw (a batch every 0.2 s)
            os.kill(srv.proc.pid, signal.SIGKILL)
            srv.proc.wait(10)
    finally: srv.stop()
    evs = parse_sse(seen + '\n')
    rid, last = run_id(evs), max(parse_event_id(l[4:])[1] for l in seen.splitlines() if l.startswith('id: '))
    time.sleep(0.3)
    srv2 = Server(app_dir, 'runs_app', env=env(app_dir))  # a restart: its store sweeps the dead process's run
    try:
        status, _, tail = read(srv2.url + '/run', {'Last-Event-ID': f'{rid}:{last}'})
    finally: srv2.stop()
    assert status == 200 and [e.kind for e in tail][-1] == 'error', tail
    assert [(e['nodeId'], e['status']) for e in tail if e.kind == 'nodeStatus'] == [('clean', 'cancelled'), ('save', 'cancelled')]
    assert tail[-1]['message'] == 'Run interrupted: the process running it stopped'
    assert integrity(app_dir/'runs.db') == 'ok'
    store = RunStore(app_dir/'runs.db')
    rec = store.run(rid)
    assert rec.status == 'interrupted' and rec.node_statuses == {'load': 'success', 'clean': 'cancelled', 'save': 'cancelled'}
    store.close()
    assert calls(app_dir) == {'load': 1, 'clean': 1}  # the reconnect started nothing

def test_reconnect_on_another_process_follows_the_store(app_dir):
    "Two servers on one database, as two uvicorn workers are: the run starts on A, the reconnect lands on B."
    a = Server(app_dir, 'runs_app', env=env(app_dir, FF_GRACE='1'))
    b = Server(app_dir, 'runs_app', env=env(app_dir, FF_GRACE='1'))
    try:
        with httpx.stream('GET', a.url + '/run?slow=3', timeout=30) as r:  # 0.9 s per step
            seen = read_through(r.iter_lines(), '"nodeId":"load","status":"running"')
        evs = parse_sse(seen + '\n')
        rid, last = run_id(evs), max(parse_event_id(l[4:])[1] for l in seen.splitlines() if l.startswith('id: '))
        status, worker, rest = read(b.url + '/run', {'Last-Event-ID': f'{rid}:{last}'})
        assert status == 200 and worker == str(b.proc.pid)
        assert rest[-1].kind == 'complete' and rest[-1]['results']['save']['node'] == 'save'
        ids = [parse_event_id(l[4:])[1] for l in seen.splitlines() if l.startswith('id: ')]
        # A kept the run going (B marked it watched, so A's 1 s grace did not cancel it), and B streamed it to the end
        assert ids == list(range(1, last+1))
        store = RunStore(app_dir/'runs.db')
        assert [e.event for e in store.events(rid, after=last)] == [e for e in rest if e.kind != 'run']
        store.close()
    finally: a.stop(); b.stop()
    assert calls(app_dir) == {'load': 1, 'clean': 1, 'save': 1}

def test_a_stopped_server_writes_what_its_store_queued(app_dir):
    "uvicorn ends a process it stops with SIGTERM by that signal (no atexit): the app's shutdown writes the store's last batch"
    srv = Server(app_dir, 'runs_app', env=env(app_dir, FF_FLUSH_EVERY='3600'))   # the writer thread would write nothing in time
    try:
        status, worker, evs = read(srv.url + '/run?slow=0.1')
        assert status == 200 and evs[-1].kind == 'complete'
    finally: srv.stop()
    assert srv.proc.returncode == -signal.SIGTERM   # killed by the re-raised signal: atexit did not run
    store = RunStore(app_dir/'runs.db')
    rec = store.run(run_id(evs))
    assert rec is not None and rec.status == 'success' and store.swept == [], srv.output
    assert [e.event for e in store.events(rec.id)] == [e for e in evs if e.kind != 'run']
    store.close()

def test_two_workers_twenty_runs_each(app_dir):
    port = free_port()
    log = open(app_dir/'workers.log', 'w')
    proc = subprocess.Popen([sys.executable, '-m', 'uvicorn', 'runs_app:app', '--host', '127.0.0.1', '--port', str(port),
                             '--workers', '2', '--app-dir', str(app_dir), '--log-level', 'warning'],
                            stdout=log, stderr=subprocess.STDOUT, cwd=app_dir, env={**os.environ, **env(app_dir)})
    url = f'http://127.0.0.1:{port}'
    try:
        async def main():
            async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=50)) as cli:
                for _ in range(100):  # both workers up: each answers /run?... with its pid
                    try: await cli.get(url + '/'); break
                    except httpx.TransportError: await asyncio.sleep(0.1)
                async def one():
                    r = await cli.get(url + '/run?slow=0.2')
                    return r.headers['x-worker'], parse_sse(r.text)
                return await asyncio.gather(*[one() for _ in range(40)])
        got = asyncio.run(main())
    finally:
        proc.send_signal(signal.SIGTERM); proc.wait(20); log.close()
    assert all(evs[-1].kind == 'complete' for _, evs in got)
    store = RunStore(app_dir/'runs.db')
    runs = {r.id: r for r in store.runs('flow')}
    assert len(runs) == 40 and {r.status for r in runs.values()} == {'success'}, (app_dir/'workers.log').read_text()
    for worker, evs in got:
        rec = runs[run_id(evs)]
        assert rec.owner.split(':')[1] == worker
        assert [e.event for e in store.events(rec.id)] == [e for e in evs if e.kind != 'run']
    store.close()
    print('runs per worker:', Counter(w for w, _ in got))
    assert integrity(app_dir/'runs.db') == 'ok'
    assert calls(app_dir) == {'load': 40, 'clean': 40, 'save': 40}

def test_detached_run_outlives_viewers_and_is_cancelled_from_another_process(app_dir):
    a = Server(app_dir, 'runs_app', env=env(app_dir, FF_GRACE='0.5'))
    b = Server(app_dir, 'runs_app', env=env(app_dir, FF_GRACE='0.5'))
    try:
        rid = httpx.post(a.url + '/start?slow=10').text  # 3 s per step, nobody watching
        time.sleep(2)  # longer than the grace a viewed run gets: a detached run goes on
        with httpx.stream('GET', a.url + f'/watch/{rid}', timeout=30) as here, \
             httpx.stream('GET', b.url + f'/watch/{rid}', timeout=30) as there:  # a late viewer in each process
            lines = here.iter_lines()
            first = read_through(lines, '"nodeId":"clean","status":"running"')
            assert '"nodeId":"load","status":"success"' in first  # the state so far, then live events
            assert httpx.post(b.url + f'/cancel/{rid}').text == 'yes'  # asked where the run is not
            rest_here, rest_there = '\n'.join(lines) + '\n', there.read().decode()
        for text in (first + rest_here, rest_there):
            evs = parse_sse(text)
            assert evs[-1].kind == 'error' and evs[-1]['message'] == 'Flow cancelled: cancelled from another process'
            assert {e['nodeId']: e['status'] for e in evs if e.kind == 'nodeStatus'} == {'load': 'success', 'clean': 'cancelled', 'save': 'cancelled'}
        assert httpx.post(b.url + f'/cancel/{rid}').text == 'no'
        store = RunStore(app_dir/'runs.db')
        rec = store.run(rid)
        assert rec.status == 'cancelled' and rec.detached == 1
        store.close()
    finally: a.stop(); b.stop()
    assert calls(app_dir) == {'load': 1, 'clean': 1}

def test_rerun_from_a_node_on_another_worker_reads_the_store(app_dir):
    "A run on A; its rerun from `clean` lands on B, which does not have it in memory: the results come from the store."
    a = Server(app_dir, 'runs_app', env=env(app_dir))
    b = Server(app_dir, 'runs_app', env=env(app_dir))
    try:
        _, _, first = read(a.url + '/run?slow=0.2')
        rid = run_id(first)
        time.sleep(0.6)  # A's writer has written the run's end (a batch every 0.2 s)
        status, worker, again = read(b.url + f'/run?slow=0.2&from={rid}&node=clean')
        _, _, bad = read(b.url + f'/run?from={rid}&node=nope')
        _, _, half = read(b.url + f'/run?from={rid}')
    finally: a.stop(); b.stop()
    assert status == 200 and worker == str(b.proc.pid)
    final = {e['nodeId']: e['status'] for e in again if e.kind == 'nodeStatus'}
    assert final == {'load': 'cached', 'clean': 'success', 'save': 'success'}
    assert again[-1]['results'] == {'load': {'node': 'load', 'after': []}, 'clean': {'node': 'clean', 'after': ['load']},
                                    'save': {'node': 'save', 'after': ['clean']}}  # load's, decoded from the store, went on to clean
    assert calls(app_dir) == {'load': 1, 'clean': 2, 'save': 2}
    assert [e.kind for e in bad] == ['error'] and "no node 'nope' in flow 'flow'" in bad[0]['message']
    assert [e.kind for e in half] == ['error'] and 'name both the run and the node' in half[0]['message']

def test_step_cache_in_the_store_survives_a_restart(tmp_path):
    "A `StepCache` is a table of the run store: a new process on the same file finds the results of cached steps."
    code = '''
import asyncio, sys
from fastflow.execution import FlowExecutor, ExecutionStep
from fastflow.store import RunStore, StepCache
def fetch(c, i):
    open(sys.argv[2], 'a').write('fetch\\n')
    return {'rows': [1, 2, 3]}
async def count(c, i): return len(i['fetch']['rows'])
ex = FlowExecutor('g', [ExecutionStep('fetch', handler=fetch, cache=True), ExecutionStep('count', depends_on=['fetch'], handler=count)],
                  step_cache=StepCache(RunStore(sys.argv[1])))
r = asyncio.run(ex.execute())
print(r.statuses['fetch'], r.results['count'])
'''
    (tmp_path/'job.py').write_text(code)
    run = lambda: subprocess.run([sys.executable, str(tmp_path/'job.py'), str(tmp_path/'runs.db'), str(tmp_path/'calls.txt')],
                                 capture_output=True, text=True, timeout=60, check=True).stdout.split()
    assert run() == ['success', '3']
    assert run() == ['cached', '3']  # another process: the result came from the database
    assert (tmp_path/'calls.txt').read_text() == 'fetch\n'
