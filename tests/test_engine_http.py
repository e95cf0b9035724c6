"The engine over a real HTTP stream: uvicorn serving `EventStream(executor.run())`, read by an HTTP client."
import re, time
import httpx, pytest
from fastflow.core import parse_sse
from spec import block

def read_stream(url, timeout=30):
    with httpx.stream('GET', url, timeout=timeout) as r:
        assert r.status_code == 200
        assert r.headers['content-type'].startswith('text/event-stream')
        return parse_sse(r.read().decode())

# Steps 2-5 of the spec, verbatim, make a working app once FastHTML and the app object exist.
def tutorial_app():
    return '\n\n'.join(['from fasthtml.common import *\napp, rt = fast_app(default_hdrs=False)',
                        block('Step 2'), block('Step 3'), block('Step 4'), block('Step 5')])

def test_tutorial_steps_stream_over_http(serve):
    srv = serve(tutorial_app())
    evs = read_stream(srv.url + '/execute/pipeline')
    node = [(e['nodeId'], e['status']) for e in evs if e.kind == 'nodeStatus']
    assert node == [('load', 'pending'), ('process', 'pending'), ('save', 'pending'),
                    ('load', 'running'), ('load', 'success'), ('process', 'running'), ('process', 'success'),
                    ('save', 'running'), ('save', 'success')]
    edges = [(e['sourceId'], e['targetId'], e['status'], e['animated']) for e in evs if e.kind == 'edgeStatus']
    assert edges == [('load', 'process', 'pending', False), ('process', 'save', 'pending', False),  # a rerun starts clean
                     ('load', 'process', 'success', True), ('process', 'save', 'success', True),  # data flows
                     ('load', 'process', 'success', False), ('process', 'save', 'success', False)]  # and the edges calm down
    ids = [e.id for e in evs]  # `run_id:seq`, one run, counting from 1
    assert len({i.split(':')[0] for i in ids}) == 1 and [int(i.split(':')[1]) for i in ids] == list(range(1, len(evs)+1))
    assert evs[0].retry == 2000 and evs[-1].retry == 86400000 and all(e.retry is None for e in evs[1:-1])
    assert [e.kind for e in evs].count('complete') == 1 and evs[-1].kind == 'complete'
    assert evs[-1]['results'] == {'load': {'records': 500, 'source': 'users_table'},
                                  'process': {'records': 500, 'processed': True},
                                  'save': {'saved': 500, 'status': 'success'}}
    assert all(e['graphId'] == 'my-pipeline' for e in evs if e.kind in ('nodeStatus', 'edgeStatus'))

FAILING_APP = '''
import asyncio
from fasthtml.common import *
from fastflow.execution import FlowExecutor, ExecutionStep
from fastflow.callbacks import SkipNodeException
app, rt = fast_app(default_hdrs=False)
async def ok(c, i): await asyncio.sleep(0.01); return 1
async def bad(c, i): raise ValueError("disk full")
async def skip(c, i): raise SkipNodeException("nothing to do")
ex = FlowExecutor("g", [ExecutionStep("a", handler=ok), ExecutionStep("b", depends_on=["a"], handler=bad),
                        ExecutionStep("c", depends_on=["b"], handler=ok), ExecutionStep("s", handler=skip),
                        ExecutionStep("t", depends_on=["s"], handler=ok), ExecutionStep("d", handler=ok)])
@rt("/run")
async def get(): return EventStream(ex.run())
'''

def test_failure_over_http(serve):
    evs = read_stream(serve(FAILING_APP).url + '/run')
    final = {e['nodeId']: e for e in evs if e.kind == 'nodeStatus'}
    assert {k: v['status'] for k, v in final.items()} == {'a': 'success', 'b': 'error', 'c': 'cancelled',
                                                          's': 'skipped', 't': 'skipped', 'd': 'success'}
    assert final['b']['message'] == 'ValueError: disk full'
    assert [e.kind for e in evs][-1] == 'error' and [e.kind for e in evs].count('error') == 1
    assert 'complete' not in [e.kind for e in evs]
    assert evs[-1]['nodeId'] == 'b' and evs[-1]['message'] == "Node 'b' failed: ValueError: disk full"

DISCONNECT_APP = '''
import asyncio, os
from fasthtml.common import *
from fastflow.execution import FlowExecutor, ExecutionStep
app, rt = fast_app(default_hdrs=False)
MARK = os.environ["MARK"]
async def slow(c, i):
    open(MARK, "a").write("started\\n")
    try: await asyncio.sleep(3)
    except asyncio.CancelledError:
        open(MARK, "a").write("cancelled\\n"); raise
    open(MARK, "a").write("finished\\n")
ex = FlowExecutor("g", [ExecutionStep(f"n{k}", handler=slow) for k in range(4)])
@rt("/run")
async def get(): return EventStream(ex.run())
'''

def test_client_disconnect_cancels_the_run(serve, tmp_path):
    mark = tmp_path/'mark.txt'
    srv = serve(DISCONNECT_APP, env={'MARK': str(mark)})
    with httpx.stream('GET', srv.url + '/run', timeout=10) as r:
        for chunk in r.iter_text():
            if 'running' in chunk: break
    for _ in range(60):  # the server notices the closed connection and cancels the handlers
        if mark.exists() and mark.read_text().count('cancelled') == 4: break
        time.sleep(0.1)
    time.sleep(3.2)  # longer than the handlers' sleep: had they gone on, they would have finished by now
    text = mark.read_text()
    assert text.count('started') == 4 and text.count('cancelled') == 4 and 'finished' not in text, text
