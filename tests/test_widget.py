"FlowWidget without a frontend: traits, the messages a view would get, building from executors and JSON."
import asyncio, gc, json, threading, time
import pytest
from fastflow.widget import FlowWidget, _unwire
from fastflow.components import DAGNode, Edge, STATIC
from fastflow.core import node_status, edge_status, complete_event
from fastflow.execution import FlowExecutor, ExecutionStep

def catch(w):
    sent = []
    w.send = lambda msg, buffers=None: sent.append(_unwire(msg, buffers))  # what a view reads (batches come as JSON bytes, nodes packed)
    return sent

def layered(n, width=50, handler=lambda c, i: 1):
    return FlowExecutor(f'g{n}', [ExecutionStep(f'n{i}', depends_on=[f'n{i-width}'] if i >= width else [], handler=handler)
                                  for i in range(n)])

def test_bundle_shipped_and_synced_traits():
    assert (STATIC/'widget.js').stat().st_size > 100_000
    w = FlowWidget(DAGNode('a'), id='x')
    state = w.get_state()
    for k in ('graph', '_snapshot', 'selection', 'height', '_uid', '_esm'):
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
    # what a view ends with: the batches it got while the run went, then the snapshot trait set at its end
    assert all(m.get('running') is not False for m in sent)   # the end comes as the trait, not as a batch
    snap = _unwire(json.loads(w._snapshot))
    assert {k: v['status'] for k, v in snap['nodes'].items()} == statuses(w) and snap['running'] is False and snap['progress'] == w.progress
    assert all(abs(v['elapsed'] - w.status[k]['elapsed']) <= 5e-7 for k, v in snap['nodes'].items())   # times travel in whole µs

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
    asyncio.run(w.run(FlowExecutor.from_spec('g', {'a': lambda c, i: 7})))
    sent, clicks = catch(w), []
    w.on_node_click(clicks.append)
    w._on_msg({'type': 'ready', 'view': 'v'})
    w._on_msg({'type': 'click', 'id': 'a'})
    assert sent[0]['to'] == 'v' and sent[0]['reset'] and sent[0]['nodes']['a']['status'] == 'success'
    assert sent[0]['running'] is False and sent[0]['progress']['percent'] == 100.0
    assert clicks == ['a']

def test_view_edits_arrive_as_graph_and_run():
    ex = FlowExecutor.from_spec('g', {'a': lambda c, i: 1, 'b': (['a'], lambda c, i: i['a'] + 1), 'c': (['b'], lambda c, i: i['b'] * 10)})
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
    w = FlowWidget.from_executor(FlowExecutor.from_spec('g', {'a': slow}))
    async def go():
        t = asyncio.create_task(w.run())
        await asyncio.sleep(0.05)
        assert w.running
        t.cancel()
        with pytest.raises(asyncio.CancelledError): await t
    asyncio.run(go())
    assert w.running is False and w.message == 'Run interrupted'


# ---------------------------------------------------------------- a widget follows runs through the executor's callbacks

def pipeline(graph_id='p', delay=0.0, fail=False, gated=False):
    "load → process → save; `load` sleeps `delay`, or when `gated` waits for the run context's `gate` event"
    async def load(c, i):
        await (c['gate'].wait() if gated else asyncio.sleep(delay))
        return 1
    async def process(c, i):
        if fail: raise ValueError('no data')
        return i['load'] + 1
    async def save(c, i): return i['process'] * 10
    return FlowExecutor.from_spec(graph_id, {'load': load, 'process': (['load'], process), 'save': (['process'], save)})

def statuses(w): return {k: v['status'] for k, v in w.status.items()}
OK3 = {'load': 'success', 'process': 'success', 'save': 'success'}

def test_every_way_of_running_shows():
    async def go():
        ex = pipeline()
        w = FlowWidget.from_executor(ex, follow=True)
        sent, seen = catch(w), []
        res = await ex.execute(); w.flush()
        seen.append((res.status, statuses(w), w.running))
        async for msg in ex.run(): pass
        w.flush(); seen.append(statuses(w))
        async for ev in ex.events(): pass
        w.flush(); seen.append(statuses(w))
        return w, seen
    w, seen = asyncio.run(go())
    assert seen == [('success', OK3, False), OK3, OK3]
    assert w.message.startswith('Flow completed') and w.progress['percent'] == 100.0
    assert w.edge_status['load->process'] == {'source': 'load', 'target': 'process', 'status': 'success', 'animated': False}
    assert all(isinstance(s['elapsed'], float) for s in w.status.values())

def test_fork_is_a_light_follower_not_a_copy(monkeypatch):
    ex = pipeline()
    w = FlowWidget.from_executor(ex, follow=True)
    monkeypatch.setattr(FlowWidget, '__deepcopy__', lambda self, memo: pytest.fail('the widget was deep-copied'), raising=False)
    res = asyncio.run(ex.execute())
    followers = [cb for cb in res.callbacks if type(cb).__name__ == 'WidgetFollower']
    assert len(followers) == 1 and followers[0].widget is w and w not in res.callbacks

def test_several_widgets_one_run_and_one_widget_several_executors():
    async def go():
        a, b = pipeline('p'), pipeline('p')
        w1, w2 = FlowWidget.from_executor(a, follow=True), FlowWidget.from_executor(a, follow=True)
        w1.follow(b)
        await a.execute(); w1.flush(); w2.flush()
        one = (statuses(w1), statuses(w2))
        await b.execute(); w1.flush(); w2.flush()
        return one, w1, w2, a, b
    one, w1, w2, a, b = asyncio.run(go())
    assert one == (OK3, OK3)
    assert statuses(w1) == OK3 and a.callbacks == [w1, w2] and b.callbacks == [w1]

def test_error_and_skip_messages():
    async def go():
        ex = pipeline(fail=True)
        w = FlowWidget.from_executor(ex, follow=True)
        res = await ex.execute(); w.flush()
        return w, res
    w, res = asyncio.run(go())
    assert res.status == 'error'
    assert w.status['process']['status'] == 'error' and w.status['process']['message'] == 'ValueError: no data'
    assert w.status['save']['status'] == 'cancelled' and w.message == res.events[-1]['message']

def test_run_on_another_thread_reaches_the_widget_on_its_own_thread():
    "A run on a thread with its own loop (a FastHTML server in the notebook): every send happens on the widget's thread, batched by time"
    async def go():
        ex = FlowExecutor.from_spec('t', {f'n{i}': ([f'n{i-1}'] if i else [], lambda c, i: time.sleep(0.002) or 1) for i in range(100)})
        w = FlowWidget.from_executor(ex, follow=True, interval=0.05)
        threads = []
        w.send = lambda msg, buffers=None: threads.append(threading.current_thread().name)
        w.observe(lambda ch: threads.append(threading.current_thread().name), '_snapshot')
        box = {}
        def serve():
            t = time.perf_counter()
            box['res'] = asyncio.run(ex.execute())
            box['took'] = time.perf_counter() - t
        th = threading.Thread(target=serve, name='server')
        th.start()
        while th.is_alive(): await asyncio.sleep(0.01)
        for _ in range(100):
            if not w.running: break
            await asyncio.sleep(0.01)
        return w, threads, box
    w, threads, box = asyncio.run(go())
    assert box['res'].status == 'success' and len(w.status) == 100 and set(statuses(w).values()) == {'success'}
    assert set(threads) == {'MainThread'}, set(threads)
    assert 2 <= len(threads) <= box['took'] / 0.05 + 4, (len(threads), box['took'])  # by time, not by the 300 events

def test_a_node_says_in_the_widget_what_it_says_in_the_stream():
    "One model: each node's final status, time and message in a followed widget are the ones its last nodeStatus carried"
    async def go():
        async def boom(c, i): raise KeyError('geo')
        def pick(c, i): return 'left'
        S = ExecutionStep
        ex = FlowExecutor('m', [S('a', handler=boom), S('b', depends_on=['a'], handler=lambda c, i: 1), S('c', handler=lambda c, i: 2),
                                S('d', handler=pick), S('l', depends_on=['d'], branch={'d': 'left'}, handler=lambda c, i: 3),
                                S('r', depends_on=['d'], branch={'d': 'right'}, handler=lambda c, i: 4)])
        w = FlowWidget.from_executor(ex, follow=True)
        res = await ex.execute(); w.flush()
        return w, res
    w, res = asyncio.run(go())
    last = {}
    for ev in res.events:
        if ev.kind == 'nodeStatus': last[ev['nodeId']] = ev
    assert {k: e['status'] for k, e in last.items()} == statuses(w)
    for k, e in last.items():
        assert w.status[k].get('message') == e.get('message'), k
        assert w.status[k].get('elapsed') == e.get('elapsed'), k
    assert w.status['r'].get('message') and w.status['b'].get('message')  # the branch not taken, the node after the failure

def test_a_run_on_another_thread_wakes_the_widget_by_time_not_by_node():
    "News from a run on another thread wakes the widget's side at its start and then at most once per `interval`"
    async def go():
        ex = FlowExecutor.from_spec('t', {f'n{i}': ([f'n{i-1}'] if i else [], lambda c, i: time.sleep(0.001) or 1) for i in range(200)})
        w = FlowWidget.from_executor(ex, follow=True, interval=0.05)
        wakes, signal = [], w._signal
        w._signal = lambda urgent: wakes.append(urgent) or signal(urgent)
        t = time.perf_counter()
        await asyncio.to_thread(lambda: asyncio.run(ex.execute()))
        took = time.perf_counter() - t
        while w.running: await asyncio.sleep(0.01)
        return w, wakes, took
    w, wakes, took = asyncio.run(go())
    assert set(statuses(w).values()) == {'success'} and len(w.status) == 200
    assert 1 <= len(wakes) <= took / 0.05 + 2, (len(wakes), took)   # not one per node (200) or per event (600)

def test_newest_run_wins():
    async def go():
        ex = pipeline(gated=True)
        w = FlowWidget.from_executor(ex, follow=True, interval=0.01)
        gate1, gate2 = asyncio.Event(), asyncio.Event()
        first = asyncio.create_task(ex.execute({'gate': gate1}))
        await asyncio.sleep(0.05)
        second = asyncio.create_task(ex.execute({'gate': gate2}))
        await asyncio.sleep(0.05)
        assert w.running and w.live.state() is not None
        newest = w.live.state()
        gate1.set(); r1 = await first; w.flush()
        still = w.running  # the first run's end is not the widget's run: the second is held until it is read
        gate2.set(); r2 = await second; w.flush()
        return w, still, newest, r2
    w, still, newest, r2 = asyncio.run(go())
    assert still is True and w.running is False and newest is r2.state
    assert statuses(w) == OK3

def test_dropped_stream_ends_the_run_in_the_widget():
    "A page that closes its EventSource mid-run: the run is cancelled without a final event; the widget does not stay running"
    async def go():
        ex = pipeline(delay=5)
        w = FlowWidget.from_executor(ex, follow=True)
        gen = ex.run()
        async for msg in gen:
            if 'running' in msg: break
        await asyncio.sleep(0.05)
        assert w.running
        await gen.aclose()
        del gen
        for _ in range(100):  # the run is let go of (the engine sweeps after a quiet second), its follower is collected
            gc.collect()
            await asyncio.sleep(0.05)
            if not w.running: break
        return w
    w = asyncio.run(go())
    assert w.running is False and w.message == 'Run interrupted'
    assert w.status['load']['status'] == 'cancelled'

def test_empty_widget_draws_the_first_run_it_follows():
    w = FlowWidget(id='empty')
    ex = FlowExecutor('late', [ExecutionStep('a', handler=lambda c, i: 1), ExecutionStep('b', depends_on=['a'], handler=lambda c, i: 2)], callbacks=[w])
    asyncio.run(ex.execute()); w.flush()
    assert (w.graph['id'], w.node_ids, w.edges, statuses(w)) == ('late', ['a', 'b'], [('a', 'b')], {'a': 'success', 'b': 'success'})

def test_messages_per_run_bounded_by_time():
    async def go():
        async def nap(c, i): await asyncio.sleep(0.001)
        ex = FlowExecutor('big', [ExecutionStep(f'n{i}', depends_on=[f'n{i-50}'] if i >= 50 else [], handler=nap) for i in range(1000)])
        w = FlowWidget.from_executor(ex, follow=True, interval=0.05)
        sent = catch(w)
        t = time.perf_counter(); res = await ex.execute(); took = time.perf_counter() - t
        await asyncio.sleep(0.01); w.flush()
        return w, sent, res, took
    w, sent, res, took = asyncio.run(go())
    assert res.status == 'success' and w.progress == {'completed': 1000, 'total': 1000, 'percent': 100.0}
    assert len(sent) <= took / 0.05 + 3, (len(sent), took)
    assert all(s['status'] in ('running', 'success') for m in sent for s in m.get('nodes', {}).values())  # no pending sent
    assert sum(len(m.get('nodes', {})) for m in sent) < 2000  # changes of one node within an interval are merged

def test_history_and_run_from_here_messages():
    "A view's `show` gets a kept run; its `rerun` reruns a node and what follows, reusing the chosen run's other results"
    calls = []
    async def go():
        async def load(c, i): calls.append('load'); return 1
        ex = FlowExecutor.from_spec('h', {'load': load, 'a': (['load'], lambda c, i: i['load'] + 1), 'b': (['a'], lambda c, i: i['a'] * 10),
                        'side': lambda c, i: calls.append('side') or 5})
        w = FlowWidget.from_executor(ex, keep=2)
        sent = catch(w)
        await w.run()
        first = w.run_record()['id']
        await w.run()
        w._on_msg({'type': 'rerun', 'node': 'a', 'run': first})
        await asyncio.gather(*w._tasks)
        w._on_msg({'type': 'show', 'view': 'v', 'run': first})
        w._on_msg({'type': 'show', 'view': 'v', 'run': 'gone'})
        return w, sent, first
    w, sent, first = asyncio.run(go())
    assert calls == ['load', 'side', 'load', 'side'], calls   # the rerun ran neither `load` nor `side`
    assert statuses(w) == {'load': 'cached', 'side': 'cached', 'a': 'success', 'b': 'success'}
    assert len(w.runs) == 2 and first not in [r['id'] for r in w.runs]   # `keep=2`: the first run is gone...
    assert sent[-2] == {'type': 'run', 'to': 'v', 'error': sent[-2]['error']} and 'keeps no run' in sent[-2]['error']  # ...so `show` says so
    assert w.run_record()['results']['b'] == 20 and set(w.run_record()['spans']) == {'a', 'b'}
    assert [h['status'] for h in w.history] == ['success', 'success']
    assert w.edge_status['load->a']['status'] == 'success'  # data flowed from a cached node
    with pytest.raises(LookupError, match='followed no run'): FlowWidget(id='x').run_record()

def test_wire_packs_nodes_and_records_fill_later():
    "The snapshot trait carries nodes packed (parallel lists, integer µs); a kept run's nodes, edges and spans are worked out when read"
    from fastflow.widget import _wire
    async def go():
        ex = FlowExecutor.from_spec('p', {'a': lambda c, i: 1, 'b': (['a'], lambda c, i: 2)})
        w = FlowWidget.from_executor(ex, follow=True, interval=10)
        raw = []
        w.send = lambda msg, buffers=None: raw.append(msg)
        await ex.execute()
        await asyncio.sleep(0)   # the follower's end reaches the widget's loop; the end waits `interval`
        w._drain()               # what the timer does: the run's end, as the snapshot trait
        pending = [k for k in ('nodes', 'edges', 'spans') if k in w._runs[0]]
        return w, raw, pending
    w, raw, pending = asyncio.run(go())
    assert pending == [] and raw == []  # not worked out at the run's end; no batch (the trait has it all)
    rec = w.runs[0]                      # ...but by the time anyone reads it
    assert rec['edges'] == {'a->b': {'source': 'a', 'target': 'b', 'status': 'success', 'animated': False}} and set(rec['spans']) == {'a', 'b'}
    assert rec['nodes'] == w.status
    snap = json.loads(w._snapshot)
    assert 'nodes' not in snap and snap['packed'][0] == ['a', 'b'] and snap['packed'][1] == ['success', 'success']
    assert all(isinstance(us, int) for us in snap['packed'][2]) and snap['running'] is False
    assert snap == _wire(w.snapshot()) == w.snapshot(packed=True)

def test_an_end_that_leaves_the_snapshot_unchanged_still_reaches_the_views():
    "The trait is not sent when it does not change: then the end goes as a batch"
    from fastflow.widget import RunView
    w = FlowWidget(DAGNode('a'), id='same', interval=0)
    sent = catch(w)
    snap = w._snapshot = json.dumps(RunView(1, message='done').snapshot(packed=True), separators=(',', ':')).encode()
    w.live = RunView(1, running=True)
    w.live.running,w.live._new_running,w._stale = False,True,True
    w.live.say('done')
    w.flush()
    assert w._snapshot == snap and sent == [{'type': 'status', 'message': 'done', 'running': False, 'progress': {'completed': 0, 'total': 1, 'percent': 0.0}}]

def test_catch_up_takes_in_columns_exactly():
    "RunView.catch_up merges what a run's state gained since the last call: statuses, times, messages and the count of ended nodes"
    from fastflow.widget import RunView
    from fastflow.callbacks import FlowState
    st = FlowState('g', [ExecutionStep(x) for x in 'abcd'])
    live = RunView.of(st)
    live.node('d', 'running', message='warming up')       # e.g. from `apply`: a note the node's end replaces
    st.starts.update(a=1.0, b=1.1)                          # what the executor records as handlers start
    live.catch_up()
    assert live.statuses == {'d': 'running', 'a': 'running', 'b': 'running'} and live.done == 0
    st.node_times.update(a=0.5); st.statuses.update(a='success', d='error'); st.notes['d'] = "KeyError: 'x'"
    st.starts['c'] = 1.2
    live.catch_up()
    assert live.nodes == {'d': {'status': 'error', 'message': "KeyError: 'x'"}, 'a': {'status': 'success', 'elapsed': 0.5},
                          'b': {'status': 'running'}, 'c': {'status': 'running'}}
    assert live.done == 2 and live.seen == 2 and live.taken == 3
    st.statuses['b'] = 'skipped'; st.notes['b'] = 'not needed'
    live.catch_up()
    assert live.nodes['b'] == {'status': 'skipped', 'message': 'not needed'} and live.done == 3
    live.catch_up()                                          # nothing new: nothing changes
    assert live.done == 3 and live.seen == 3
    live.end('over')
    assert live.nodes['c'] == {'status': 'cancelled', 'message': 'the run ended before this node did'} and live.done == 4
    assert _unwire(live.snapshot(packed=True)) == live.snapshot()

def test_a_kept_run_is_made_when_read_and_dropped_runs_leave_nothing_behind():
    async def go():
        ex = layered(20, 5)
        w = FlowWidget.from_executor(ex, follow=True, keep=2)
        for _ in range(5): await ex.execute(); w.flush()
        return w
    w = asyncio.run(go())
    assert len(w._runs) == 2 and len(w._todo) == 2 and all('nodes' not in r for r in w._runs)
    assert [len(r['nodes']) for r in w.runs] == [20, 20] and not w._todo
    assert all(s == {'status': 'success', 'elapsed': s['elapsed']} for s in w.runs[0]['nodes'].values())
