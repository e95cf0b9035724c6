"Every cell of the callback-error policy table (nbs/02_callbacks.ipynb), for sync and async hooks."
import asyncio
import pytest
from fastflow.core import *
from fastflow.callbacks import *
from fastflow.execution import *

RAISES = {'Exception': lambda: RuntimeError('bug'), 'CancelFlowException': lambda: CancelFlowException('stop here'),
          'SkipNodeException': lambda: SkipNodeException('skip it'), 'CancelledError': lambda: asyncio.CancelledError(),
          'KeyboardInterrupt': lambda: KeyboardInterrupt(), 'SystemExit': lambda: SystemExit(1)}
BUG_TEXT = {'Exception': 'RuntimeError: bug', 'SkipNodeException': 'SkipNodeException: skip it', 'CancelledError': 'CancelledError',
            'KeyboardInterrupt': 'KeyboardInterrupt', 'SystemExit': 'SystemExit: 1'}
HOOKS = ('before_flow', 'before_node', 'after_node', 'on_error', 'on_skip', 'on_node_end', 'on_event', 'on_cancel', 'after_flow')

def raiser(hook, kind, is_async):
    "A callback whose `hook` raises `kind` once, about node 'a'."
    def should(state, *args):
        if hook in ('before_flow', 'on_cancel', 'after_flow'): return True
        if hook == 'on_node_end': return args[0] == 'a'
        if hook == 'on_event': ev = args[0]; return ev.kind == 'nodeStatus' and ev['nodeId'] == 'a' and ev['status'] in FINAL_STATUSES
        return state.node_id == 'a'
    class Raiser(FlowCallback):
        fired = False
        def fork(self): return self
    def f(self, state, *args):
        if not self.fired and should(state, *args): self.fired = True; raise RAISES[kind]()
    async def af(self, state, *args): f(self, state, *args)
    setattr(Raiser, hook, af if is_async else f)
    return Raiser()

class Track(FlowCallback):
    def __init__(self): self.after_flow_ran = False
    def fork(self): return self
    def after_flow(self, state): self.after_flow_ran = True

async def ok(c, i): return 1
async def fails(c, i): raise ValueError('x')
async def skips(c, i): raise SkipNodeException('no a')
async def cancels(c, i): raise CancelFlowException('stop')
async def later(c, i): await asyncio.sleep(0.05); return 5

def run(hook, kind, is_async):
    a = {'on_error': fails, 'on_skip': skips, 'on_cancel': cancels}.get(hook, ok)
    track = Track()
    f = FlowExecutor.from_spec('p', {'a': a, 'b': (['a'], ok), 'c': later}, callbacks=[raiser(hook, kind, is_async), track])
    res = asyncio.run(f.execute())
    kinds = [e.kind for e in res.events]
    assert kinds.count('complete') + kinds.count('error') == 1 and kinds[-1] in ('complete', 'error')
    assert set(res.statuses) == {'a', 'b', 'c'} and set(res.statuses.values()) <= FINAL_STATUSES
    if hook != 'after_flow': assert track.after_flow_ran
    msgs = {e['nodeId']: e.get('message') for e in res.events if e.kind == 'nodeStatus' and e['status'] in FINAL_STATUSES}
    return res, msgs

def expected(hook, kind):
    "The policy table, as data: (run status, status of 'a', final or node message that must appear)."
    bug = f"CallbackError: Raiser.{hook} raised {BUG_TEXT.get(kind, '')}"
    if kind == 'CancelFlowException':
        if hook == 'on_cancel': return 'cancelled', 'cancelled', 'Flow cancelled: stop'
        a = {'on_error': 'error', 'on_skip': 'skipped', 'on_node_end': 'success', 'on_event': 'success', 'after_flow': 'success'}.get(hook, 'cancelled')
        return 'cancelled', a, 'Flow cancelled: stop here'
    if kind == 'SkipNodeException' and hook in ('before_node', 'after_node', 'on_error', 'on_skip'): return 'success', 'skipped', None
    if hook == 'before_flow': return 'error', 'cancelled', f'Flow failed: {bug}'
    if hook in ('before_node', 'after_node', 'on_skip'): return 'error', 'error', bug
    if hook == 'on_error': return 'error', 'error', f'ValueError: x (and {bug})'
    if hook == 'on_cancel': return 'cancelled', 'cancelled', f'Flow cancelled: stop (and {bug})'
    return 'error', 'success', f'Flow failed: {bug}'  # on_node_end, on_event, after_flow: the run fails at its end

@pytest.mark.parametrize('is_async', [False, True], ids=['sync', 'async'])
@pytest.mark.parametrize('kind', list(RAISES))
@pytest.mark.parametrize('hook', HOOKS)
def test_policy(hook, kind, is_async):
    res, msgs = run(hook, kind, is_async)
    status, a, text = expected(hook, kind)
    assert (res.status, res.statuses['a']) == (status, a), (res.statuses, res.events[-1])
    if text is not None: assert text == res.events[-1]['message'] or text == msgs.get('a'), (text, res.events[-1]['message'], msgs)
    if status == 'success': assert res.events[-1].kind == 'complete'

def test_async_on_node_end_and_on_event_are_awaited():
    seen = []
    class A(FlowCallback):
        async def on_node_end(self, state, node_id, status): await asyncio.sleep(0); seen.append(('end', node_id))
        async def on_event(self, state, ev):
            if ev.kind == 'complete': seen.append(('complete',))
    res = asyncio.run(FlowExecutor.from_spec('g', {'a': ok, 'b': (['a'], ok)}, callbacks=[A()]).execute())
    assert res.ok and seen == [('end', 'a'), ('end', 'b'), ('complete',)]
