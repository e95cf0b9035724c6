"The executor's edge cases, as a suite: what a run does when handlers and callbacks misbehave, settings are wrong, or the consumer leaves."
import asyncio, gc, math, sys, threading, time
import pytest
from fastflow.core import *
from fastflow.callbacks import *
from fastflow.execution import *

def arun(coro): return asyncio.run(coro)

def sleeper(t, value=None):
    async def _h(context, inputs): await asyncio.sleep(t); return value if value is not None else sorted(inputs)
    return _h
async def plus1(context, inputs): return sum(inputs.values()) + 1
async def boom(context, inputs): raise ValueError('bad data')

def check_run(res):
    "The promises every run keeps: one final event, last; each node one final status; ids count from 1."
    kinds = [e.kind for e in res.events]
    assert kinds.count('complete') + kinds.count('error') == 1 and kinds[-1] in ('complete', 'error'), kinds
    finals = {}
    for e in res.events:
        if e.kind == 'nodeStatus' and e['status'] in FINAL_STATUSES:
            assert e['nodeId'] not in finals, f"{e['nodeId']} settled twice"
            finals[e['nodeId']] = e['status']
    assert finals == res.statuses
    assert [int(e.id.split(':')[1]) for e in res.events] == list(range(1, len(res.events)+1))
    return res

def execute(f, ctx=None): return check_run(arun(f.execute(ctx)))

def node_msgs(res, status):
    return {e['nodeId']: e.get('message') for e in res.events if e.kind == 'nodeStatus' and e['status'] == status}

# Anything a handler raises fails its node, never the run or the process

class Unprintable(Exception):
    def __str__(self): raise RuntimeError('no str for you')
class Custom(BaseException): pass

async def raises_cancelled(c, i): raise asyncio.CancelledError()
async def awaits_cancelled_helper(c, i):
    t = asyncio.create_task(asyncio.sleep(10)); await asyncio.sleep(0); t.cancel(); await t
async def raises_generator_exit(c, i): raise GeneratorExit()
async def raises_custom(c, i): raise Custom('odd')
async def raises_unprintable(c, i): raise Unprintable()
async def raises_system_exit(c, i): raise SystemExit(2)
async def raises_keyboard(c, i): raise KeyboardInterrupt()
def sync_system_exit(c, i): raise SystemExit(3)
def sync_keyboard(c, i): raise KeyboardInterrupt()

@pytest.mark.parametrize('handler,message', [
    (raises_cancelled, 'CancelledError raised inside the handler (not a cancellation of the run)'),
    (awaits_cancelled_helper, 'CancelledError raised inside the handler (not a cancellation of the run)'),
    (raises_generator_exit, 'GeneratorExit'), (raises_custom, 'Custom: odd'), (raises_unprintable, 'Unprintable: <str() failed>'),
    (raises_system_exit, 'SystemExit: 2'), (raises_keyboard, 'KeyboardInterrupt'),
    (sync_system_exit, 'SystemExit: 3'), (sync_keyboard, 'KeyboardInterrupt')])
def test_any_exception_fails_only_its_node(handler, message):
    res = execute(FlowExecutor.from_spec('g', {'bad': handler, 'after': (['bad'], plus1), 'other': sleeper(0.01, 7)}))
    assert res.statuses == {'bad': 'error', 'after': 'cancelled', 'other': 'success'}
    assert node_msgs(res, 'error') == {'bad': message}
    assert res.events[-1].kind == 'error' and res.results == {'other': 7}

def test_a_cancelled_error_from_before_node_fails_the_node():
    class C(FlowCallback):
        async def before_node(self, state): raise asyncio.CancelledError()
    res = execute(FlowExecutor.from_spec('g', {'a': plus1}, callbacks=[C()]))
    assert res.statuses == {'a': 'error'}
    assert node_msgs(res, 'error')['a'] == 'CallbackError: C.before_node raised CancelledError'

# Strict JSON, checked when the node finishes

def test_results_go_on_the_wire_as_strict_json():
    import json
    async def nan(c, i): return {'x': float('nan'), 'y': [math.inf], 's': 'a \ud800 b'}
    f = FlowExecutor.from_spec('g', {'a': nan})
    text = ''.join(arun(collect(f.run())))
    text.encode('utf-8')  # a lone surrogate would fail here
    final = text.split('event: complete\ndata: ')[1].split('\n')[0]
    assert json.loads(final, parse_constant=lambda c: pytest.fail(f'bare {c}'))['results'] == {'a': {'x': 'NaN', 'y': ['Infinity'], 's': 'a \ud800 b'}}

async def collect(agen): return [m async for m in agen]

@pytest.mark.parametrize('value,why', [('circular', 'circular reference'), ('deep', 'nested deeper than'), ('keys', 'a dict key cannot be tuple')])
def test_a_result_that_cannot_be_sent_fails_its_node(value, why):
    async def h(c, i):
        if value == 'circular': l = []; l.append(l); return l
        if value == 'deep':
            d = []
            for _ in range(5000): d = [d]
            return d
        return {(1, 2): 'x'}
    f = FlowExecutor.from_spec('g', {'a': h, 'b': (['a'], plus1), 'c': plus1})
    res = execute(f)
    assert res.statuses == {'a': 'error', 'b': 'cancelled', 'c': 'success'}
    assert why in node_msgs(res, 'error')['a'] and "result of node 'a' cannot be sent as JSON" in node_msgs(res, 'error')['a']
    evs = parse_sse(''.join(arun(collect(f.run()))))  # and the stream still ends properly
    assert evs[-1].kind == 'error' and evs[-1]['details']['results'] == {'c': 1}

def test_python_sees_the_objects_the_wire_the_encoding():
    from datetime import date
    async def h(c, i): return {'d': date(2026, 1, 2), 'n': float('nan')}
    res = execute(FlowExecutor.from_spec('g', {'a': h}))
    assert res.results['a']['d'] == date(2026, 1, 2) and math.isnan(res.results['a']['n'])
    assert res.events[-1].sse().split('data: ')[1].startswith('{"message":') and '"NaN"' in res.events[-1].sse()

# Sync handlers on threads that nothing can starve

def test_abandoned_threads_do_not_starve_the_next_node():
    def stuck(c, i): time.sleep(1.5)
    f = FlowExecutor('t', [ExecutionStep(f's{k}', handler=stuck, timeout=0.05) for k in range(12)])
    res = execute(f)
    assert set(res.statuses.values()) == {'error'}
    assert node_msgs(res, 'error')['s0'] == 'NodeTimeoutError: timed out after 0.05s; its thread was abandoned and may still be running'
    quick = FlowExecutor('q', [ExecutionStep('a', handler=lambda c, i: 1, timeout=1)])
    res = execute(quick)
    assert res.results == {'a': 1} and res.node_times['a'] < 0.5  # it did not wait for a stuck thread to free up

def test_sync_and_async_handlers_are_called_the_same_way():
    async def coro(): return 'awaited'
    def returns_coroutine(c, i): return coro()
    for kw in ({}, {'retries': 1}, {'timeout': 5}):
        res = execute(FlowExecutor('g', [ExecutionStep('a', handler=returns_coroutine)], **kw))
        assert res.results == {'a': 'awaited'}, kw

def test_settings_changed_after_construction_apply():
    f = FlowExecutor('g', [ExecutionStep('a', handler=sleeper(5))])
    f.timeout = 0.05
    assert execute(f).statuses == {'a': 'error'}
    calls = []
    async def flaky(c, i):
        calls.append(1)
        if len(calls) < 2: raise ConnectionError('once')
        return 'ok'
    f = FlowExecutor('g', [ExecutionStep('a', handler=flaky)])
    f.retries = 1
    assert execute(f).results == {'a': 'ok'}

# max_concurrency tells the truth

def test_max_concurrency_running_means_running():
    live, peak = [0], [0]
    async def h(c, i):
        live[0] += 1; peak[0] = max(peak[0], live[0])
        await asyncio.sleep(0.05); live[0] -= 1
    res = execute(FlowExecutor.from_spec('g', {f'n{k}': h for k in range(8)}, max_concurrency=2))
    running, most = 0, 0
    for e in res.events:
        if e.kind != 'nodeStatus': continue
        if e['status'] == 'running': running += 1
        elif e['status'] in FINAL_STATUSES: running -= 1
        most = max(most, running)
    assert peak[0] == 2 and most == 2
    assert max(res.node_times.values()) < 0.15  # the handler's own time, not its wait in the queue (4 waves of 0.05 s)

def test_timeout_and_retries_under_a_limit_hold_one_slot_at_a_time():
    live, peak = [0], [0]
    async def slow(c, i):
        live[0] += 1; peak[0] = max(peak[0], live[0])
        try: await asyncio.sleep(1)
        finally: live[0] -= 1
    res = execute(FlowExecutor('g', [ExecutionStep(f'n{k}', handler=slow) for k in range(3)], max_concurrency=1, timeout=0.02, retries=2))
    assert peak[0] == 1 and set(res.statuses.values()) == {'error'}

# Settings are checked, and say what is wrong

@pytest.mark.parametrize('kw,msg', [
    ({'max_concurrency': 1.5}, 'FlowExecutor: max_concurrency must be a whole number >= 1'),
    ({'max_concurrency': 0}, 'FlowExecutor: max_concurrency must be a whole number >= 1'),
    ({'timeout': 0}, 'FlowExecutor: timeout must be a number of seconds > 0'),
    ({'timeout': -1}, 'FlowExecutor: timeout must be a number of seconds > 0'),
    ({'timeout': 'x'}, 'FlowExecutor: timeout must be a number of seconds > 0'),
    ({'retries': -1}, 'FlowExecutor: retries must be a whole number >= 0'),
    ({'retries': 1.5}, 'FlowExecutor: retries must be a whole number >= 0'),
    ({'retry_delay': -0.1}, 'FlowExecutor: retry_delay must be a number of seconds >= 0'),
    ({'runner': object()}, 'FlowExecutor: runner must have an async `call(step, handler, context, inputs)` method')])
def test_executor_settings_are_checked(kw, msg):
    with pytest.raises(FlowValidationError, match=msg.replace('(', r'\(').replace(')', r'\)')): FlowExecutor('g', [ExecutionStep('a', handler=plus1)], **kw)
    f = FlowExecutor('g', [ExecutionStep('a', handler=plus1)])
    k, v = next(iter(kw.items()))
    with pytest.raises(FlowValidationError, match='FlowExecutor: ' + k): setattr(f, k, v)

@pytest.mark.parametrize('kw,msg', [
    ({'timeout': 0}, "Node 'a': timeout must be"), ({'retries': -2}, "Node 'a': retries must be"),
    ({'retry_delay': 'soon'}, "Node 'a': retry_delay must be"), ({'depends_on': 'load'}, "Node 'a': depends_on must be a list of node ids, not the string 'load'")])
def test_step_settings_are_checked(kw, msg):
    with pytest.raises(FlowValidationError, match=msg): ExecutionStep('a', handler=plus1, **kw)

def test_a_step_switches_off_the_executors_timeout():
    f = FlowExecutor('g', [ExecutionStep('slow', handler=sleeper(0.1, 1), timeout=math.inf), ExecutionStep('capped', handler=sleeper(0.1, 1))], timeout=0.02)
    assert execute(f).statuses == {'slow': 'success', 'capped': 'error'}

def test_unknown_node_is_a_key_error():
    f = FlowExecutor.from_spec('g', {'a': plus1})
    assert f['a'].node_id == 'a'
    with pytest.raises(KeyError, match="No node 'nope' in flow 'g'"): f['nope']

def test_a_fork_that_raises_ends_the_run_with_an_error_event():
    class BadFork(FlowCallback):
        def fork(self): raise RuntimeError('cannot copy')
    f = FlowExecutor.from_spec('g', {'a': plus1}, callbacks=[BadFork()])
    evs = parse_sse(''.join(arun(collect(f.run()))))  # no exception out of run(): the route answers with events
    assert evs[-1].kind == 'error' and evs[-1]['message'] == 'Flow failed: CallbackError: BadFork.fork raised RuntimeError: cannot copy'

# Outcomes depend on parents' statuses only

@pytest.mark.parametrize('fail_first', [True, False])
def test_failure_upstream_beats_skip_whatever_the_order(fail_first):
    async def skip(c, i):
        await asyncio.sleep(0 if not fail_first else 0.03); raise SkipNodeException('no')
    async def fail(c, i):
        await asyncio.sleep(0 if fail_first else 0.03); raise ValueError('x')
    res = execute(FlowExecutor.from_spec('g', {'s': skip, 'f': fail, 'join': (['s', 'f'], plus1)}))
    assert res.statuses['join'] == 'cancelled' and node_msgs(res, 'cancelled')['join'] == "not run: upstream 'f' failed"

# Cancellation: of the run vs. by a handler

def test_cancel_flow_cancels_running_handlers_and_runs_on_cancel():
    done = []
    async def slow(c, i): await asyncio.sleep(5); done.append(1)
    async def stop(c, i): raise CancelFlowException('user pressed stop')
    class Watch(FlowCallback):
        def on_cancel(self, state, exc): state.context['why'] = str(exc)
    ctx = {}
    res = execute(FlowExecutor.from_spec('g', {'slow': slow, 'stop': stop, 'later': (['slow'], plus1)}, callbacks=[Watch()]), ctx)
    assert res.status == 'cancelled' and set(res.statuses.values()) == {'cancelled'} and done == []
    assert res.events[-1].data == {'message': 'Flow cancelled: user pressed stop', 'details': {'results': {}}}
    assert ctx['why'] == 'user pressed stop'

def test_closing_the_stream_leaves_no_task_and_calls_after_flow():
    finished, ended = [], []
    async def long(c, i): await asyncio.sleep(0.3); finished.append(1)
    class End(FlowCallback):
        def after_flow(self, state): ended.append(state.status)
    async def go():
        agen = FlowExecutor.from_spec('leave', {f'n{i}': long for i in range(5)}, callbacks=[End()]).run()
        async for msg in agen:
            if 'running' in msg: break
        await agen.aclose()
        left = [t for t in asyncio.all_tasks() if t.get_coro().__name__ == '_node' and not t.done()]
        await asyncio.sleep(0.4)
        return left
    assert arun(go()) == [] and finished == [] and ended == ['cancelled']

def test_a_cancelled_consumer_cancels_the_run():
    "A notebook cell interrupted while it awaits `execute()`: the run stops, nothing is left."
    async def long(c, i): await asyncio.sleep(5)
    async def go():
        t = asyncio.create_task(FlowExecutor.from_spec('g', {'a': long, 'b': long}).execute())
        await asyncio.sleep(0.05); t.cancel()
        with pytest.raises(asyncio.CancelledError): await t
        return [t for t in asyncio.all_tasks() if t.get_coro().__name__ == '_node' and not t.done()]
    assert arun(go()) == []

# The stream

def test_every_message_has_the_runs_id_and_the_ends_have_retries():
    f = FlowExecutor.from_spec('g', {'a': plus1, 'b': (['a'], boom), 'c': (['b'], plus1)}, callbacks=[ProgressCallback()])
    msgs = arun(collect(f.run()))
    evs = parse_sse(''.join(msgs))
    runs = {e.id.split(':')[0] for e in evs}
    assert len(runs) == 1 and [int(e.id.split(':')[1]) for e in evs] == list(range(1, len(evs)+1))
    assert (evs[0].retry, evs[-1].retry) == (FIRST_RETRY, FINAL_RETRY) and {e.retry for e in evs[1:-1]} == {None}
    objs = check_run(arun(f.execute())).events
    assert objs[0].retry == FIRST_RETRY and objs[-1].retry == FINAL_RETRY

def test_edges_start_pending_and_end_still():
    async def skip(c, i): raise SkipNodeException('no')
    f = FlowExecutor.from_spec('g', {'a': plus1, 'b': (['a'], boom), 'c': (['b'], plus1), 's': skip, 't': (['s'], plus1), 'd': (['a'], plus1)})
    for evs in (parse_sse(''.join(arun(collect(f.run())))), arun(f.execute()).events):
        edges = [(e['sourceId'], e['targetId'], e['status'], e['animated']) for e in evs if e.kind == 'edgeStatus']
        n = len(f.edges)
        assert edges[:n] == [(a, b, 'pending', False) for a, b in f.edges]
        assert edges[-n:] == [('a', 'b', 'success', False), ('b', 'c', 'error', False), ('s', 't', 'skipped', False), ('a', 'd', 'success', False)]
        assert [e.kind for e in evs][-n-1:-1] == ['edgeStatus']*n  # just before the final event

def test_run_and_events_tell_the_same_story():
    async def nope(c, i): raise SkipNodeException('later')
    f = FlowExecutor.from_spec('same', {'a': plus1, 'b': (['a'], boom), 'c': (['b'], plus1), 's': nope, 't': (['s'], plus1), 'd': (['a'], plus1)},
             callbacks=[ProgressCallback()])
    strip = lambda evs: [{k: v for k, v in e.data.items() if k != 'elapsed'} | {'kind': e.kind} for e in evs]
    via_text = parse_sse(''.join(arun(collect(f.run()))))
    assert strip(via_text) == strip(arun(collect(f.events()))) == strip(arun(f.execute()).events)

def test_emit_checks_kinds_from_callbacks():
    class Forge(FlowCallback):
        def after_node(self, state): state.emit(FlowEvent('x\nevent: complete', {}))
    res = execute(FlowExecutor.from_spec('g', {'a': plus1}, callbacks=[Forge()]))
    assert res.statuses == {'a': 'error'} and [e.kind for e in res.events].count('complete') == 0
    assert 'is not a valid event name' in node_msgs(res, 'error')['a']

# Behaviour kept from before

def test_two_runs_at_once_share_nothing():
    class Count(FlowCallback):
        def __init__(self): self.n = 0
        def after_node(self, state): self.n += 1
    async def who(context, inputs): await asyncio.sleep(0.02); return context['user']
    f = FlowExecutor.from_spec('shared', {'a': who, 'b': (['a'], who)}, callbacks=[Count()])
    async def both(): return await asyncio.gather(f.execute({'user': 'ann'}), f.execute({'user': 'bob'}))
    r1, r2 = arun(both())
    assert (r1.results, r2.results) == ({'a': 'ann', 'b': 'ann'}, {'a': 'bob', 'b': 'bob'})
    assert (r1.callbacks[0].n, r2.callbacks[0].n, f.callbacks[0].n) == (2, 2, 0) and r1.state.run_id != r2.state.run_id

def test_each_hook_sees_its_own_step_in_parallel():
    class Check(FlowCallback):
        def __init__(self): self.mismatch = []
        async def before_node(self, state):
            me = state.node_id; await asyncio.sleep(0.001)
            if state.current_step.node_id != me: self.mismatch.append(me)
        def after_node(self, state):
            if state.results[state.node_id] != state.node_id: self.mismatch.append(state.node_id)
    res = execute(FlowExecutor('many', [ExecutionStep(f'n{i}', handler=sleeper(0.001, f'n{i}')) for i in range(50)], callbacks=[Check()]))
    assert res.callbacks[0].mismatch == []

def test_sync_handlers_run_beside_async_ones():
    spans = {}
    def blocking(name):
        def _h(c, i):
            spans[name] = [time.perf_counter(), None]; time.sleep(0.2); spans[name][1] = time.perf_counter()
            return threading.current_thread().name
        return _h
    res = execute(FlowExecutor.from_spec('threads', {'a': blocking('ta'), 'b': blocking('tb')}))
    assert spans['ta'][0] < spans['tb'][1] and spans['tb'][0] < spans['ta'][1]
    assert res.results['a'] != threading.current_thread().name

def test_bad_input_fails_before_anything_runs():
    with pytest.raises(FlowValidationError, match='Cycle in flow: a → b → a'): FlowExecutor.from_spec('bad', {'a': (['b'], plus1), 'b': (['a'], plus1)})
    with pytest.raises(FlowValidationError, match="Node 'a' depends on unknown node 'nope'"): FlowExecutor.from_spec('bad', {'a': (['nope'], plus1)})
    with pytest.raises(FlowValidationError, match="Duplicate node id 'a'"): FlowExecutor('bad', [ExecutionStep('a', handler=plus1), ExecutionStep('a', handler=plus1)])
    with pytest.raises(FlowValidationError, match="Handler of node 'a' is not callable: 42"): FlowExecutor.from_spec('bad', {'a': 42})

# The runner seam

def test_a_runner_calls_every_handler_and_its_results_pass_as_they_are():
    class Handle:
        def __init__(self, v): self.v = v
        def __fastflow_json__(self): return {'handle': self.v}
    class Remote:
        def __init__(self): self.calls = []
        async def call(self, step, handler, context, inputs):
            self.calls.append(step.node_id)
            return Handle(handler(context, {k: v.v for k, v in inputs.items()}))
    def add(c, i): return sum(i.values()) + 1
    r = Remote()
    f = FlowExecutor('g', [ExecutionStep('a', handler=add), ExecutionStep('b', depends_on=['a'], handler=add),
                           ExecutionStep('here', depends_on=['b'], handler=lambda c, i: type(i['b']).__name__, runner=LocalRunner())], runner=r)
    res = execute(f)
    assert r.calls == ['a', 'b'] and res.results['b'].v == 2 and res.results['here'] == 'Handle'
    wire = parse_sse(''.join(arun(collect(f.run()))))[-1]
    assert wire['results'] == {'a': {'handle': 1}, 'b': {'handle': 2}, 'here': 'Handle'}

def test_a_timeout_cancels_the_runners_call():
    cancelled = []
    class Remote:
        async def call(self, step, handler, context, inputs):
            try: await asyncio.sleep(5)
            except asyncio.CancelledError: cancelled.append(step.node_id); raise
    res = execute(FlowExecutor('g', [ExecutionStep('a', handler=plus1, timeout=0.02)], runner=Remote()))
    assert cancelled == ['a'] and node_msgs(res, 'error') == {'a': 'NodeTimeoutError: timed out after 0.02s'}

def test_a_sync_handler_may_emit_from_its_thread():
    class Keep(FlowCallback):
        def before_flow(self, state): state.context['state'] = state
    def chatty(c, i):
        for k in range(50): c['state'].emit(FlowEvent('log', {'line': k}))
        return threading.current_thread().name
    res = execute(FlowExecutor.from_spec('g', {'a': chatty}, callbacks=[Keep()]))
    assert res.results['a'] != threading.current_thread().name
    assert [e['line'] for e in res.events if e.kind == 'log'] == list(range(50))

def test_a_node_task_cancelled_from_outside_before_it_ran_still_settles():
    "Someone else cancels a node's task before its first step: the consumer's sweep gives the node a status."
    async def go():
        f = FlowExecutor.from_spec('g', {'a': sleeper(0.01, 1), 'b': sleeper(0.01, 2)})
        agen = f.events()
        first = await agen.__anext__()  # the run has begun: both tasks exist, neither has run yet
        for t in asyncio.all_tasks():
            if t.get_coro().__name__ == '_node' and t.get_coro().cr_frame.f_locals['step'].node_id == 'a': t.cancel()
        return [first] + [e async for e in agen]
    evs = arun(go())
    finals = {e['nodeId']: e['status'] for e in evs if e.kind == 'nodeStatus' and e['status'] in FINAL_STATUSES}
    assert finals == {'a': 'cancelled', 'b': 'success'} and evs[-1].kind in ('complete', 'error')

def test_steering_exceptions_whose_str_fails_still_end_the_run():
    class BadSkip(SkipNodeException):
        def __str__(self): raise RuntimeError()
    class BadCancel(CancelFlowException):
        def __str__(self): raise RuntimeError()
    async def skip(c, i): raise BadSkip()
    async def cancel(c, i): await asyncio.sleep(0.01); raise BadCancel()
    res = execute(FlowExecutor.from_spec('g', {'s': skip, 't': (['s'], plus1)}))
    assert res.statuses == {'s': 'skipped', 't': 'skipped'} and res.events[-1].kind == 'complete'
    res = execute(FlowExecutor.from_spec('g', {'c': cancel, 'slow': sleeper(1)}))
    assert res.status == 'cancelled' and res.events[-1]['message'] == 'Flow cancelled: <str() failed>'

def test_parallel_branches_overlap_and_a_join_waits_for_both():
    spans = {}
    def traced(name, t):
        async def _h(c, i):
            spans[name] = [time.perf_counter(), None]; await asyncio.sleep(t); spans[name][1] = time.perf_counter(); return name
        return _h
    res = execute(FlowExecutor.from_spec('par', {'a': traced('a', 0.1), 'b': traced('b', 0.1), 'join': (['a', 'b'], traced('join', 0))}))
    assert res.results['join'] == 'join'
    assert spans['a'][0] < spans['b'][1] and spans['b'][0] < spans['a'][1]
    assert spans['join'][0] >= max(spans['a'][1], spans['b'][1])

def test_callbacks_change_inputs_results_and_context():
    class Double(FlowCallback):
        def before_flow(self, state): state.context['factor'] = 10
        def before_node(self, state):
            if state.node_id == 'b': state.inputs = {'a': state.inputs['a'] * 2}
        def after_node(self, state):
            if state.node_id == 'b': state.results['b'] *= state.context['factor']
    assert execute(FlowExecutor.from_spec('twoway', {'a': plus1, 'b': (['a'], plus1)}, callbacks=[Double()])).results == {'a': 1, 'b': 30}

def test_a_changed_result_that_cannot_be_sent_fails_the_node():
    class Spoil(FlowCallback):
        def after_node(self, state): state.results[state.node_id] = {(1, 2): 'tuple key'}
    res = execute(FlowExecutor.from_spec('g', {'a': plus1}, callbacks=[Spoil()]))
    assert res.statuses == {'a': 'error'} and 'a dict key cannot be tuple' in node_msgs(res, 'error')['a']

def test_tracebacks_show_the_users_code_and_nothing_of_fastflows_alone():
    """FlowExecutor(tracebacks=True): a handler that raised gets its traceback from its own code on; an error fastflow found
    itself (a result that can't be sent) gets none: its message says it all, and the server's paths stay its own"""
    import asyncio
    from fastflow.execution import FlowExecutor
    def helper(x): raise ValueError(f'bad {x}')
    def raises(c, i): return helper(3)
    def circular(c, i): d = {}; d['d'] = d; return d
    ex = FlowExecutor.from_spec('tb', {'raises': raises, 'circular': circular})
    ex.tracebacks = True
    det = asyncio.run(ex.execute()).events[-1]['details']
    assert set(det['errors']) == {'raises', 'circular'} and list(det['tracebacks']) == ['raises'], det.get('tracebacks')
    tb = det['tracebacks']['raises']
    assert tb.startswith('Traceback (most recent call last)') and 'in raises' in tb and 'in helper' in tb and tb.rstrip().endswith('ValueError: bad 3')
    assert 'fastflow/execution.py' not in tb
