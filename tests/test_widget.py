"FlowWidget without a frontend: traits, the messages a view would get, building from executors and JSON."
import asyncio, json, time
import pytest
from fastflow.widget import FlowWidget
from fastflow.components import DAGNode, Edge, STATIC
from fastflow.core import node_status, edge_status, complete_event
from fastflow.execution import FlowExecutor, ExecutionStep, flow

def catch(w):
    sent = []
    w.send = lambda msg, buffers=None: sent.append(msg)
    return sent

def layered(n, width=50, handler=lambda c, i: 1):
    return FlowExecutor(f'g{n}', [ExecutionStep(f'n{i}', depends_on=[f'n{i-width}'] if i >= width else [], handler=handler)
                                  for i in range(n)])

def test_bundle_shipped_and_synced_traits():
    assert (STATIC/'widget.js').stat().st_size > 100_000
    w = FlowWidget(DAGNode('a'), id='x')
    state = w.get_state()
    for k in ('graph', 'status', 'edge_status', 'progress', 'message', 'running', 'selection', 'height', '_uid', '_esm'):
        assert k in state, k
    assert 'createGraph' in state['_esm'] or len(state['_esm']) > 100_000
    assert FlowWidget(id='y')._uid != w._uid

def test_from_executor_typed_nodes_and_rules():
    from fastflow.types import InputNode, TransformNode, OutputNode
    ex = FlowExecutor('p', [ExecutionStep('load', node=InputNode(id='load', label='Load Data'), handler=lambda c, i: 1),
                            ExecutionStep('save', node=OutputNode(id='save'), depends_on=['load'], handler=lambda c, i: 2)])
    w = FlowWidget.from_executor(ex)
    load = w.graph['nodes'][0]
    assert (load['label'], load['nodeType'], load['inputs'], load['data']) == ('Load Data', 'input', 0, {'step': 'load'})
    assert 'x' not in load  # laid out by the editor, left to right
    assert w.graph['options']['connectRules']['input'] == ['output']
    assert w.executor is ex

def test_from_json_roundtrip():
    w = FlowWidget(DAGNode('a', x=1, y=2, label='A'), DAGNode('b'), Edge('a', 'b', label='rows'), id='g')
    w2 = FlowWidget.from_json(json.dumps(w.graph))
    assert w2.graph['nodes'] == w.graph['nodes'] and w2.graph['edges'] == w.graph['edges']

async def _run_big(n=1000, interval=0.05):
    ex = layered(n)
    w = FlowWidget.from_executor(ex, interval=interval)
    sent = catch(w)
    res = await w.run()
    return w, sent, res

def test_big_run_few_messages_exact_state():
    w, sent, res = asyncio.run(_run_big())
    assert res.kind == 'complete'
    assert len(sent) < 20, len(sent)   # batched, not one per event (~4,000 events)
    assert all('pending' != s['status'] for m in sent for s in m.get('nodes', {}).values())  # reset implies pending
    assert len(w.status) == 1000 and all(s['status'] == 'success' for s in w.status.values())
    assert w.progress == {'completed': 1000, 'total': 1000, 'percent': 100.0}
    # what a view ends with: the batches it got, then the traits set at the end
    seen = {}
    for m in sent:
        if m.get('reset'): seen = {}
        seen.update(m.get('nodes', {}))
    seen.update(w.status)
    assert seen == w.status

def test_batches_keep_latest_state_per_node():
    async def go():
        w = FlowWidget(DAGNode('a'), DAGNode('b'), Edge('a', 'b'), id='g', interval=10)
        sent = catch(w)
        w._last_send = time.monotonic()
        for ev in [node_status('g', 'a', 'running'), node_status('g', 'a', 'success', elapsed=0.1),
                   edge_status('g', 'a', 'b', 'success', True), node_status('g', 'b', 'error', message='bad'),
                   complete_event({}, 'done')]: w.update(ev)
        assert sent == []
        w.flush()
        return w, sent
    w, sent = asyncio.run(go())
    assert sent == [{'type': 'status', 'nodes': {'a': {'status': 'success', 'elapsed': 0.1}, 'b': {'status': 'error', 'message': 'bad'}},
                     'edges': {'a->b': {'source': 'a', 'target': 'b', 'status': 'success', 'animated': True}},
                     'message': 'done', 'progress': {'completed': 2, 'total': 2, 'percent': 100.0}}]
    assert w._timer is None

def test_ready_snapshot_and_clicks():
    w = FlowWidget(DAGNode('a'), id='g')
    asyncio.run(w.run(flow('g', {'a': lambda c, i: 7})))
    sent, clicks = catch(w), []
    w.on_node_click(clicks.append)
    w._on_msg({'type': 'ready', 'view': 'v'})
    w._on_msg({'type': 'click', 'id': 'a'})
    assert sent[0]['to'] == 'v' and sent[0]['reset'] and sent[0]['nodes']['a']['status'] == 'success'
    assert sent[0]['running'] is False and sent[0]['progress']['percent'] == 100.0
    assert clicks == ['a']

def test_view_edits_arrive_as_graph_and_run():
    ex = flow('g', {'a': lambda c, i: 1, 'b': (['a'], lambda c, i: i['a'] + 1), 'c': (['b'], lambda c, i: i['b'] * 10)})
    w = FlowWidget.from_executor(ex)
    # what the view sends after the user deleted `b` and connected a -> c: ipywidgets' set_state, as from a frontend
    g = w.graph
    w.set_state({'graph': {**g, 'nodes': [g['nodes'][0], g['nodes'][2]], 'edges': [{'source': 'a', 'target': 'c'}]},
                 'selection': ['c']})
    assert w.edges == [('a', 'c')] and w.selection == ['c']
    w.handlers['c'] = lambda c, i: i['a'] * 100
    res = asyncio.run(w.run())
    assert res['results'] == {'a': 1, 'c': 100}

def test_interrupted_run_ends_cleanly():
    async def slow(c, i): await asyncio.sleep(10)
    w = FlowWidget.from_executor(flow('g', {'a': slow}))
    async def go():
        t = asyncio.create_task(w.run())
        await asyncio.sleep(0.05)
        assert w.running
        t.cancel()
        with pytest.raises(asyncio.CancelledError): await t
    asyncio.run(go())
    assert w.running is False and w.message == 'Run interrupted'
