"""Property-based test of the engine (hypothesis): random DAGs, random handler outcomes, random callbacks raising in random hooks.

CI runs a fixed budget (`FASTFLOW_FUZZ_EXAMPLES`, default 60 examples); `make fuzz` runs a long one."""
import asyncio, os
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from fastflow.core import *
from fastflow.callbacks import *
from fastflow.execution import *

EXAMPLES = int(os.environ.get('FASTFLOW_FUZZ_EXAMPLES', '60'))
OUTCOMES = ('return', 'sleep', 'sync', 'value_error', 'base_exception', 'cancelled_error', 'keyboard', 'system_exit', 'generator_exit',
            'unprintable', 'sync_keyboard', 'skip', 'cancel_flow', 'nan', 'circular')
HOOKS = ('before_flow', 'before_node', 'after_node', 'on_error', 'on_skip', 'on_node_end', 'on_event', 'on_cancel', 'after_flow')
RAISES = ('bug', 'skip', 'cancel_flow', 'cancelled', 'keyboard')

class Odd(BaseException): pass
class Unprintable(Exception):
    def __str__(self): raise RuntimeError('no')

def handler(outcome):
    async def h(c, i):
        if outcome == 'sleep': await asyncio.sleep(0.002)
        if outcome == 'value_error': raise ValueError('v')
        if outcome == 'base_exception': raise Odd()
        if outcome == 'cancelled_error': raise asyncio.CancelledError()
        if outcome == 'keyboard': raise KeyboardInterrupt()
        if outcome == 'system_exit': raise SystemExit(1)
        if outcome == 'generator_exit': raise GeneratorExit()
        if outcome == 'unprintable': raise Unprintable()
        if outcome == 'circular': l = []; l.append(l); return l
        if outcome == 'skip': raise SkipNodeException('s')
        if outcome == 'cancel_flow': raise CancelFlowException('c')
        return float('nan') if outcome == 'nan' else 1
    def sync(c, i): return 2
    def sync_keyboard(c, i): raise KeyboardInterrupt()
    return {'sync': sync, 'sync_keyboard': sync_keyboard}.get(outcome, h)

def exc(kind):
    return {'bug': RuntimeError('bug'), 'skip': SkipNodeException('s'), 'cancel_flow': CancelFlowException('c'),
            'cancelled': asyncio.CancelledError(), 'keyboard': KeyboardInterrupt()}[kind]

def callback(hook, kind, is_async, node):
    class Chaos(FlowCallback):
        def fork(self): return self
    def f(self, state, *args):
        about = args[0] if hook == 'on_node_end' else args[0].get('nodeId') if hook == 'on_event' else state.node_id
        if about in (None, node): raise exc(kind)
    async def af(self, state, *args): await asyncio.sleep(0); f(self, state, *args)
    setattr(Chaos, hook, af if is_async else f)
    return Chaos()

class Order(FlowCallback):
    "Records when handlers are called, to check that a node runs only after all its parents succeeded."
    def __init__(self): self.started, self.statuses_then = [], {}
    def fork(self): return self
    def before_node(self, state):
        self.started.append(state.node_id)
        self.statuses_then[state.node_id] = {d: state.statuses.get(d) for d in state.current_step.depends_on}

@st.composite
def flows(draw):
    n = draw(st.integers(1, 40))
    deps = {f'n{i}': sorted(set(draw(st.lists(st.sampled_from([f'n{j}' for j in range(i)]), max_size=3)))) if i else [] for i in range(n)}
    outcomes = {k: draw(st.sampled_from(OUTCOMES)) for k in deps}
    chaos = draw(st.lists(st.tuples(st.sampled_from(HOOKS), st.sampled_from(RAISES), st.booleans(), st.sampled_from(list(deps))), max_size=2))
    reuse = {k: i for i, k in enumerate(deps) if draw(st.integers(0, 4)) == 0}  # some nodes' results taken from an "earlier run"
    return deps, outcomes, chaos, draw(st.sampled_from([None, 1, 3])), draw(st.booleans()), reuse

FORBIDDEN = []  # reused nodes whose handler was called: must stay empty

def forbidden(k):
    async def h(c, i): FORBIDDEN.append(k)
    return h

def make(deps, outcomes, chaos, limit, retry, reuse):
    order = Order()
    cbs = [callback(*c) for c in chaos] + [order]
    steps = [ExecutionStep(k, depends_on=v, handler=forbidden(k) if k in reuse else handler(outcomes[k]), retries=1 if retry else None)
             for k, v in deps.items()]
    return FlowExecutor('fuzz', steps, callbacks=cbs, max_concurrency=limit), order

RANK = {'error': 3, 'cancelled': 2, 'skipped': 1}
OK = ('success', 'cached')

def check(evs, deps, order, cancelled_run, reuse):
    kinds = [e.kind for e in evs]
    assert kinds.count('complete') + kinds.count('error') == 1, kinds
    assert kinds[-1] in ('complete', 'error')
    ids = [e.id for e in evs]
    assert len({i.split(':')[0] for i in ids}) == 1 and [int(i.split(':')[1]) for i in ids] == list(range(1, len(evs)+1))
    finals, why = {}, {}
    for e in evs:
        if e.kind == 'nodeStatus' and e['status'] in FINAL_STATUSES:
            assert e['nodeId'] not in finals, f"{e['nodeId']} settled twice"
            finals[e['nodeId']], why[e['nodeId']] = e['status'], e.get('message')
    assert set(finals) == set(deps)
    for k, started_with in order.statuses_then.items():  # a node runs only after all its parents succeeded
        assert all(s in OK for s in started_with.values()), (k, started_with)
    assert not set(order.started) & set(reuse) and not FORBIDDEN, (order.started, FORBIDDEN)  # reused nodes never run
    for k, ps in deps.items():  # the rules table: a node that did not run ends as its worst parent says
        bad = [finals[p] for p in ps if finals[p] not in OK]
        if k in reuse and bad: assert finals[k] != 'cached', (k, bad)  # a reused node: `cached` once its parents are, else as the table says
        if k in reuse and not bad: assert finals[k] == 'cached' or (finals[k], why[k]) == ('cancelled', 'flow cancelled'), (k, finals[k], why[k])
        if finals[k] == 'cached': assert k in reuse, k
        if not bad or k in order.started or cancelled_run: continue
        worst = max(bad, key=RANK.get)
        assert finals[k] == ('skipped' if worst == 'skipped' else 'cancelled'), (k, finals[k], bad)
    return finals

def no_node_tasks_left():
    return [t for t in asyncio.all_tasks() if t.get_coro().__name__ == '_node' and not t.done()]

@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=bool(os.environ.get('CI')))
@given(flows())
def test_engine_keeps_its_promises(case):
    deps, outcomes, chaos, limit, retry, reuse = case
    async def go():
        ex, order = make(*case)
        res = await ex.execute(reuse=reuse)
        assert no_node_tasks_left() == []
        f1 = check(res.events, deps, order, res.status == 'cancelled', reuse)
        assert f1 == res.statuses
        ex, order = make(*case)
        text = ''.join([m async for m in ex.run(reuse=reuse)])
        assert no_node_tasks_left() == []
        text.encode('utf-8')
        evs = parse_sse(text)
        f2 = check(evs, deps, order, evs[-1]['message'].startswith('Flow cancelled'), reuse)
        ex, order = make(*case)
        objs = [e async for e in ex.events(reuse=reuse)]
        f3 = check(objs, deps, order, objs[-1]['message'].startswith('Flow cancelled'), reuse)
        assert no_node_tasks_left() == []
        if not chaos and 'cancel_flow' not in outcomes.values():  # nothing depends on timing: the three ways agree exactly
            assert f1 == f2 == f3
            assert evs[-1].kind == objs[-1].kind == res.events[-1].kind
    asyncio.run(go())

@settings(max_examples=max(10, EXAMPLES//3), deadline=None)
@given(flows(), st.integers(0, 30))
def test_closing_the_stream_at_any_point_leaves_nothing_running(case, after):
    async def go():
        ex, _ = make(*case)
        agen = ex.run(reuse=case[-1])
        n = 0
        async for _ in agen:
            n += 1
            if n > after: break
        await agen.aclose()
        assert no_node_tasks_left() == []
    asyncio.run(go())
