"""Rerun from a node: `run_id`, `reuse` (nodes settled `cached` with a given result), the opt-in step cache, `upstream_of` / `downstream_of`."""
import asyncio, collections
import pytest
from fastflow.core import *
from fastflow.callbacks import *
from fastflow.execution import *

def counting(value, calls, name):
    async def h(c, i): calls[name] += 1; return value(i) if callable(value) else value
    return h

def diamond(calls):
    "load -> (clean, stats) -> report, every handler counting its calls"
    return FlowExecutor('d', [
        ExecutionStep('load', handler=counting(10, calls, 'load')),
        ExecutionStep('clean', depends_on=['load'], handler=counting(lambda i: i['load'] + 1, calls, 'clean')),
        ExecutionStep('stats', depends_on=['load'], handler=counting(lambda i: i['load'] * 2, calls, 'stats')),
        ExecutionStep('report', depends_on=['clean', 'stats'], handler=counting(lambda i: i['clean'] + i['stats'], calls, 'report'))])

def run(coro): return asyncio.run(coro)

class Ends(FlowCallback):
    def __init__(self): self.ends, self.before = [], []
    def fork(self): return self
    def before_node(self, state): self.before.append(state.node_id)
    def on_node_end(self, state, node_id, status): self.ends.append((node_id, status, state.results.get(node_id)))

def test_upstream_and_downstream():
    ex = diamond(collections.Counter())
    assert ex.upstream_of('report') == {'load', 'clean', 'stats'} and ex.upstream_of('load') == set()
    assert ex.downstream_of('load') == {'clean', 'stats', 'report'} and ex.downstream_of('clean') == {'report'}
    with pytest.raises(KeyError, match="No node 'nope'"): ex.downstream_of('nope')

def test_rerun_from_a_node_reuses_everything_not_downstream():
    calls = collections.Counter()
    ex = diamond(calls)
    first = run(ex.execute())
    assert first.ok and dict(calls) == {'load': 1, 'clean': 1, 'stats': 1, 'report': 1}
    reuse = {k: v for k, v in first.results.items() if k != 'clean' and k not in ex.downstream_of('clean')}
    assert set(reuse) == {'load', 'stats'}
    ends = Ends(); ex.callbacks = [ends]
    again = run(ex.execute(reuse=reuse))
    assert dict(calls) == {'load': 1, 'clean': 2, 'stats': 1, 'report': 2}  # reused nodes never call their handler
    assert again.statuses == {'load': 'cached', 'stats': 'cached', 'clean': 'success', 'report': 'success'}
    assert again.results == first.results and again.ok
    assert sorted(ends.before) == ['clean', 'report']  # no hooks around a handler that did not run
    assert ('load', 'cached', 10) in ends.ends and ('stats', 'cached', 20) in ends.ends  # on_node_end sees them, with their results
    assert again.events[-1].kind == 'complete' and again.events[-1]['results'] == first.results
    assert '2 cached' in again.events[-1]['message']

def test_reused_node_on_the_wire():
    ex = diamond(collections.Counter())
    text = ''.join(run(_collect(ex.run(reuse={'load': 5}))))
    evs = parse_sse(text)
    load = [(e['status'], e.get('message')) for e in evs if e.kind == 'nodeStatus' and e['nodeId'] == 'load']
    assert load == [('pending', None), ('cached', 'cached: result reused from an earlier run')]
    flowing = [(e['sourceId'], e['targetId']) for e in evs if e.kind == 'edgeStatus' and e['animated']]
    assert ('load', 'clean') in flowing and ('load', 'stats') in flowing  # edges from a cached node behave as after a success
    assert all(e['status'] == 'success' for e in evs if e.kind == 'edgeStatus' and e['sourceId'] == 'load' and e['status'] != 'pending')
    assert evs[-1].kind == 'complete' and evs[-1]['results'] == {'load': 5, 'clean': 6, 'stats': 10, 'report': 16}

def test_edges_from_a_cached_node_end_success_when_the_run_fails():
    async def boom(c, i): raise ValueError('no')
    ex = FlowExecutor('f', [ExecutionStep('a', handler=boom), ExecutionStep('b', depends_on=['a'], handler=boom)])
    res = run(ex.execute(reuse={'a': 1}))
    assert res.statuses == {'a': 'cached', 'b': 'error'}
    last = [e for e in res.events if e.kind == 'edgeStatus'][-1]
    assert (last['status'], last['animated']) == ('success', False)

async def _collect(agen): return [m async for m in agen]

def test_every_node_reused():
    calls = collections.Counter()
    ex = diamond(calls)
    res = run(ex.execute(reuse={'load': 1, 'clean': 2, 'stats': 3, 'report': 4}))
    assert res.ok and set(res.statuses.values()) == {'cached'} and not calls
    assert res.results == {'load': 1, 'clean': 2, 'stats': 3, 'report': 4}

def test_a_reused_node_waits_for_its_parents():
    "reuse of a node whose parent runs and fails: the rules table holds, the node is cancelled"
    async def boom(c, i): raise ValueError('down')
    ex = FlowExecutor('w', [ExecutionStep('a', handler=boom), ExecutionStep('b', depends_on=['a'], handler=boom),
                            ExecutionStep('c', depends_on=['b'], handler=boom)])
    res = run(ex.execute(reuse={'b': 7}))
    assert res.statuses == {'a': 'error', 'b': 'cancelled', 'c': 'cancelled'}
    assert 'b' not in res.results

def test_unknown_node_in_reuse_is_named():
    ex = diamond(collections.Counter())
    for start in (lambda: ex.events(reuse={'nope': 1, 'load': 1, 'zz': 2}), lambda: ex.run(reuse={'nope': 1, 'zz': 2}),
                  lambda: run(ex.execute(reuse={'nope': 1, 'zz': 2}))):
        with pytest.raises(FlowValidationError, match="reuse names nodes that are not in flow 'd': 'nope', 'zz'"): start()
    with pytest.raises(FlowValidationError, match='reuse must be a dict'): ex.events(reuse=['load'])

def test_a_reused_result_that_cannot_be_sent_fails_its_node():
    circ = []; circ.append(circ)
    ex = diamond(collections.Counter())
    res = run(ex.execute(reuse={'load': circ}))
    assert res.statuses['load'] == 'error' and 'circular' in str(res.errors['load'])
    assert res.statuses['report'] == 'cancelled'

def test_cached_decision_chooses_the_branch():
    calls = collections.Counter()
    ex = FlowExecutor('b', [
        ExecutionStep('check', handler=counting({'branch': 'yes', 'value': 1}, calls, 'check')),
        ExecutionStep('yes', depends_on=['check'], branch={'check': 'yes'}, handler=counting(lambda i: i['check'], calls, 'yes')),
        ExecutionStep('no', depends_on=['check'], branch={'check': 'no'}, handler=counting(lambda i: i['check'], calls, 'no'))])
    res = run(ex.execute(reuse={'check': {'branch': 'no', 'value': 5}}))
    assert res.statuses == {'check': 'cached', 'yes': 'skipped', 'no': 'success'}
    assert res.results['no'] == 5 and dict(calls) == {'no': 1}

def test_run_id():
    ex = diamond(collections.Counter())
    res = run(ex.execute(run_id='night-run_1.2'))
    assert res.state.run_id == 'night-run_1.2' and all(e.id.startswith('night-run_1.2:') for e in res.events)
    text = ''.join(run(_collect(ex.run(run_id='abc'))))
    assert [e.id for e in parse_sse(text)] == [f'abc:{n}' for n in range(1, len(parse_sse(text)) + 1)]
    a, b = run(ex.execute()), run(ex.execute())
    assert a.state.run_id != b.state.run_id  # by default, a fresh id per run
    for bad in ('', 'a:b', 'two\nlines', 'x' * 129, 12, 'ü'):
        with pytest.raises(FlowValidationError, match='run_id must be 1 to 128 letters'): ex.events(run_id=bad)

# The step cache

def cached_flow(handler, step_cache=None, value=3):
    return FlowExecutor('c', [ExecutionStep('a', handler=lambda c, i: value), ExecutionStep('b', depends_on=['a'], handler=handler, cache=True)],
                        step_cache=step_cache)

def test_unchanged_code_and_inputs_are_cached():
    calls = []
    def h(c, i): calls.append(i); return i['a'] * 2
    ex = cached_flow(h)
    r1, r2 = run(ex.execute()), run(ex.execute())
    assert (r1.statuses['b'], r2.statuses['b'], r2.results['b'], len(calls)) == ('success', 'cached', 6, 1)
    msg = [e['message'] for e in r2.events if e.kind == 'nodeStatus' and e['nodeId'] == 'b' and e['status'] == 'cached']
    assert msg == ['cached: same code and inputs as an earlier success']
    assert len(ex.step_cache) == 1 and all(isinstance(k, str) for k in ex.step_cache)

def test_changed_inputs_run_again():
    calls = []
    def h(c, i): calls.append(i); return i['a'] * 2
    cache = {}
    run(cached_flow(h, cache, 3).execute())
    res = run(cached_flow(h, cache, 4).execute())
    assert (res.statuses['b'], res.results['b'], len(calls)) == ('success', 8, 2)
    res = run(cached_flow(h, cache, 3).execute())  # the first inputs again: cached
    assert (res.statuses['b'], res.results['b'], len(calls)) == ('cached', 6, 2)

def test_an_edited_handler_runs_again():
    cache, calls = {}, []
    def h(c, i): calls.append(1); return i['a'] * 2
    run(cached_flow(h, cache).execute())
    def h(c, i): calls.append(1); return i['a'] * 2  # the same code, made again: still cached
    assert run(cached_flow(h, cache).execute()).statuses['b'] == 'cached'
    def h(c, i): calls.append(1); return i['a'] * 5  # a constant changed
    res = run(cached_flow(h, cache).execute())
    assert (res.statuses['b'], res.results['b'], len(calls)) == ('success', 15, 2)
    def h(c, i): calls.append(1); return abs(i['a'] * 5)  # a name added
    assert run(cached_flow(h, cache).execute()).statuses['b'] == 'success'

def test_closure_and_defaults_are_part_of_the_key():
    def make(k):
        def h(c, i): return i['a'] * k
        return h
    def with_default(c, i, k=2): return i['a'] * k
    cache = {}
    assert run(cached_flow(make(2), cache).execute()).statuses['b'] == 'success'
    assert run(cached_flow(make(2), cache).execute()).statuses['b'] == 'cached'
    res = run(cached_flow(make(7), cache).execute())
    assert (res.statuses['b'], res.results['b']) == ('success', 21)
    assert run(cached_flow(with_default, cache).execute()).statuses['b'] == 'success'
    with_default.__defaults__ = (9,)
    res = run(cached_flow(with_default, cache).execute())
    assert (res.statuses['b'], res.results['b']) == ('success', 27)

def test_a_failure_is_never_cached():
    calls = []
    async def flaky(c, i):
        calls.append(1)
        if len(calls) == 1: raise ConnectionError('down')
        if len(calls) == 2: raise SkipNodeException('not now')
        return 'ok'
    ex = cached_flow(flaky)
    assert run(ex.execute()).statuses['b'] == 'error'
    assert run(ex.execute()).statuses['b'] == 'skipped'
    assert not ex.step_cache
    assert run(ex.execute()).statuses['b'] == 'success'
    res = run(ex.execute())
    assert (res.statuses['b'], res.results['b'], len(calls)) == ('cached', 'ok', 3)

def test_steps_without_cache_always_run():
    calls = []
    ex = FlowExecutor('n', [ExecutionStep('a', handler=lambda c, i: calls.append(1))])
    run(ex.execute()); run(ex.execute())
    assert len(calls) == 2 and not ex.step_cache

class Store(collections.abc.MutableMapping):
    "A mapping that keeps results as JSON text, as a store would."
    def __init__(self, fail=False): self.d, self.fail = {}, fail
    def __getitem__(self, k): return __import__('json').loads(self.d[k])
    def __setitem__(self, k, v):
        if self.fail: raise OSError('disk full')
        self.d[k] = to_json(v)
    def __delitem__(self, k): del self.d[k]
    def __iter__(self): return iter(self.d)
    def __len__(self): return len(self.d)

def test_any_mutable_mapping_keeps_the_cache():
    store = Store()
    def h(c, i): return {'n': i['a']}
    assert run(cached_flow(h, store).execute()).statuses['b'] == 'success'
    res = run(cached_flow(h, store).execute())
    assert (res.statuses['b'], res.results['b'], len(store)) == ('cached', {'n': 3}, 1)

def test_a_mapping_that_cannot_keep_a_result_does_not_fail_the_node():
    res = run(cached_flow(lambda c, i: 1, Store(fail=True)).execute())
    assert res.statuses['b'] == 'success'
    assert [e['message'] for e in res.events if e.kind == 'nodeStatus' and e['nodeId'] == 'b' and e['status'] == 'success'] == ['not cached: OSError: disk full']

def test_inputs_that_cannot_be_told_apart_are_never_cached():
    calls = []
    ex = FlowExecutor('u', [ExecutionStep('a', handler=lambda c, i: 1), ExecutionStep('b', depends_on=['a'], handler=lambda c, i: calls.append(1), cache=True)])
    class Opaque:
        def __reduce__(self): raise TypeError('no pickle')
        def __fastflow_json__(self): raise ValueError('no json')
    run(ex.execute()); run(ex.execute())
    assert len(calls) == 1  # ordinary inputs: cached
    # inputs with no pickle and no JSON form: computed key is None
    from fastflow.execution import _Run
    r = _Run(ex, {})
    assert r._cache_key(ex['b'], {'a': Opaque()}) is None

def test_settings_are_checked():
    with pytest.raises(FlowValidationError, match="Node 'b': cache must be True or False, got 1"): ExecutionStep('b', cache=1)
    with pytest.raises(FlowValidationError, match='FlowExecutor: step_cache must be a mutable mapping'): cached_flow(lambda c, i: 1, step_cache=[1])

def test_typed_node_settings_are_part_of_the_key():
    from fastflow.types import InputNode
    cache = {}
    def ex(data): return FlowExecutor('t', [ExecutionStep('load', node=InputNode(id='load', label='Load', source='rows', data=data), cache=True)], step_cache=cache)
    assert run(ex([1, 2]).execute()).statuses['load'] == 'success'
    assert run(ex([1, 2]).execute()).statuses['load'] == 'cached'
    res = run(ex([3]).execute())
    assert (res.statuses['load'], res.results['load']) == ('success', [3])

def test_reuse_wins_over_the_step_cache():
    calls = []
    def h(c, i): calls.append(1); return 'ran'
    ex = cached_flow(h)
    res = run(ex.execute(reuse={'b': 'given'}))
    assert (res.statuses['b'], res.results['b'], calls, len(ex.step_cache)) == ('cached', 'given', [], 0)
