"The built-in status display (`window.fastflow.connectExecution`) on pages with no JavaScript of their own."
import json
from conftest import screenshot

APP = '''
import asyncio, itertools
from fasthtml.common import *
from fastflow import FlowEditor, DAGNode, Edge, fastflow_headers
from fastflow.execution import FlowExecutor, ExecutionStep
from fastflow.callbacks import SkipNodeException

app, rt = fast_app(hdrs=fastflow_headers(), default_hdrs=False)
calls = {}

def handler(name, result=None, fail=False, skip=False, delay=0.05):
    async def h(context, inputs):
        calls[name] = calls.get(name, 0) + 1
        await asyncio.sleep(delay * context.get('slow', 1))
        if fail: raise ValueError(f'{name} broke <b>badly</b>')
        if skip: raise SkipNodeException('nothing to do')
        return {'node': name, 'who': context.get('who'), 'inputs': sorted(inputs)}
    return h

executor = FlowExecutor('flow', [
    ExecutionStep('load', handler=handler('load')),
    ExecutionStep('clean', depends_on=['load'], handler=handler('clean', fail=True)),
    ExecutionStep('report', depends_on=['clean'], handler=handler('report')),
    ExecutionStep('audit', depends_on=['load'], handler=handler('audit', skip=True)),
    ExecutionStep('stats', depends_on=['load'], handler=handler('stats')),
])
ok_executor = FlowExecutor('flow', [
    ExecutionStep('load', handler=handler('load', delay=0.3)),
    ExecutionStep('stats', depends_on=['load'], handler=handler('stats', delay=0.3)),
])

def editor(*nodes, edges):
    return FlowEditor(*[DAGNode(n, label=l, icon=ic) for n, l, ic in nodes],  # no x/y: laid out by the editor
                      *[Edge(source=s, target=t) for s, t in edges], id='flow', height=420)

@rt
def index():
    return Titled('Flow', editor(('load', 'Load', '📥'), ('clean', 'Clean', '🧹'), ('report', 'Report', '📄'),
                                 ('audit', '<img src=x onerror=alert(1)>', '🔍'), ('stats', 'Stats', '📊'),
                  edges=[('load', 'clean'), ('clean', 'report'), ('load', 'audit'), ('load', 'stats')]))

@rt
def ok():
    return Titled('Flow', editor(('load', 'Load', '📥'), ('stats', 'Stats', '📊'), edges=[('load', 'stats')]))

@rt('/run')
async def get(): return EventStream(executor.run())

@rt('/run-ok')
async def get(who:str=None, slow:float=1): return EventStream(ok_executor.run({'who': who, 'slow': slow}))

@rt('/calls')
def get(): return calls
'''

CONNECT = '''([url]) => new Promise(resolve => {
  window.ffEvents = []
  window.fastflow.connectExecution('flow', url, {
    onEvent: (kind, data) => window.ffEvents.push([kind, data]),
    onComplete: data => resolve({complete: data}),
    onError: data => resolve({error: data}),
  })
})'''

NODE = '''id => {
  const body = document.querySelector(`.fastflow-canvas g[data-cell-id="${id}"] foreignObject body`)
  const node = body.querySelector('.ff-node')
  return {cls: node.className, text: body.textContent, html: body.innerHTML,
          bar: getComputedStyle(node.querySelector('.ff-bar')).backgroundColor,
          status: window.fastflow.flow.getCellById(id).getData().status}
}'''

RED, GREEN, ORANGE, GREY = 'rgb(255, 77, 79)', 'rgb(82, 196, 26)', 'rgb(250, 173, 20)', 'rgb(140, 140, 140)'

def test_failing_and_skipped_nodes(serve, page):
    srv = serve(APP)
    page.goto(srv.url + '/')
    page.wait_for_selector('.fastflow-canvas g[data-cell-id="stats"] .ff-node')
    # a label is text, never markup
    audit = page.evaluate(NODE, 'audit')
    assert '<img src=x onerror=alert(1)>' in audit['text'] and '<img' not in audit['html'].replace('&lt;img', '')

    out = page.evaluate(CONNECT, ['/run'])
    assert out['error']['nodeId'] == 'clean' and 'clean broke <b>badly</b>' in out['error']['message']
    page.wait_for_timeout(100)
    screenshot(page, 'execution-error')
    looks = {n: page.evaluate(NODE, n) for n in ('load', 'clean', 'report', 'audit', 'stats')}
    assert looks['load']['status'] == 'success' and looks['load']['bar'] == GREEN
    assert looks['clean']['status'] == 'error' and looks['clean']['bar'] == RED
    assert 'clean broke <b>badly</b>' in looks['clean']['text']  # the message shows, as text
    assert looks['report']['status'] == 'cancelled' and looks['report']['bar'] == GREY
    assert looks['audit']['status'] == 'skipped' and looks['audit']['bar'] == ORANGE
    assert looks['stats']['status'] == 'success'
    calls = json.loads(srv.get('/calls'))
    assert 'report' not in calls  # dependants of a failed node do not run
    # the source is closed: no reconnect re-runs the flow
    page.wait_for_timeout(10_000)
    assert json.loads(srv.get('/calls')) == calls == {'load': 1, 'clean': 1, 'audit': 1, 'stats': 1}

def test_complete_closes_and_resets(serve, page):
    srv = serve(APP)
    page.goto(srv.url + '/ok')
    page.wait_for_selector('.fastflow-canvas g[data-cell-id="stats"] .ff-node')
    out = page.evaluate(CONNECT, ['/run-ok'])
    assert out['complete']['results']['stats']['inputs'] == ['load']
    assert page.evaluate(NODE, 'stats')['status'] == 'success'
    edge = page.evaluate("() => { const e = fastflow.flow.getEdges()[0]; return [e.attr('line/stroke'), e.attr('line/style/animation')] }")
    assert edge == ['#52c41a', None]  # data passed (green), and the run is over: the edge is still
    page.evaluate("fastflow.resetAllStatus('flow')")
    assert page.evaluate(NODE, 'stats')['status'] == 'pending'
    assert page.evaluate("fastflow.flow.getEdges()[0].attr('line/stroke')") == '#94a3b8'

def test_two_pages_see_their_own_runs(serve, new_page):
    srv = serve(APP)
    pages = [new_page(), new_page()]
    for p in pages:
        p.goto(srv.url + '/ok')
        p.wait_for_selector('.fastflow-canvas g[data-cell-id="stats"] .ff-node')
    # start both runs, then wait for both: they overlap on the server
    for who, p in zip(('ann', 'bob'), pages):
        p.evaluate(f"() => {{ window.ffDone = null; window.ffEvents = []; fastflow.connectExecution('flow', '/run-ok?who={who}&slow=2', "
                   "{onEvent: (k, d) => ffEvents.push([k, d]), onComplete: d => window.ffDone = d}) }")
    for who, p in zip(('ann', 'bob'), pages):
        p.wait_for_function('window.ffDone', timeout=15_000)
        done = p.evaluate('window.ffDone')
        assert {r['who'] for r in done['results'].values()} == {who}
        events = p.evaluate('window.ffEvents')
        running = [d['nodeId'] for k, d in events if k == 'nodeStatus' and d['status'] == 'running']
        assert running == ['load', 'stats']
        assert [k for k, _ in events].count('complete') == 1
    assert json.loads(srv.get('/calls')) == {'load': 2, 'stats': 2}
