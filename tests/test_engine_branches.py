"Branches: a decision runs only the branch it chose; the others end skipped; joins run with the branch that ran."
import asyncio, pytest
from fastflow.execution import FlowExecutor, ExecutionStep, FlowValidationError
from fastflow.components import DAGNode, Edge, FlowFormatError
from fastflow.flow import Flow
from fastflow.types import ConditionNode, DecisionNode, InputNode, JoinNode

def run(ex, ctx=None): return asyncio.run(ex.execute(ctx))
async def val(c, i): return 1
def choose(b): 
    async def f(c, i): return {'branch': b, 'value': 7}
    return f
async def boom(c, i): raise ValueError('boom')
async def echo(c, i): return dict(i)

def steps(decider, **kw):
    return [ExecutionStep('d', handler=decider),
            ExecutionStep('a', depends_on=['d'], branch={'d': 'yes'}, handler=echo),
            ExecutionStep('b', depends_on=['d'], branch={'d': 'no'}, handler=echo),
            ExecutionStep('b2', depends_on=['b'], handler=echo),
            ExecutionStep('j', depends_on=['a', 'b2'], handler=echo, **kw)]

def test_chosen_branch_runs_with_the_decided_value():
    res = run(FlowExecutor('g', steps(choose('yes'))))
    assert res.statuses == {'d': 'success', 'a': 'success', 'b': 'skipped', 'b2': 'skipped', 'j': 'success'}
    assert res.results['a'] == {'d': 7} and res.results['j'] == {'a': {'d': 7}}
    msgs = {e['nodeId']: e.get('message') for e in res.events if e.kind == 'nodeStatus' and e['status'] == 'skipped'}
    assert msgs == {'b': "branch 'no' not taken", 'b2': "branch 'no' not taken"}
    assert res.ok

def test_other_branch():
    res = run(FlowExecutor('g', steps(choose('no'))))
    assert res.statuses == {'d': 'success', 'a': 'skipped', 'b': 'success', 'b2': 'success', 'j': 'success'}

def test_a_plain_string_result_names_the_branch():
    async def s(c, i): return 'no'
    assert run(FlowExecutor('g', steps(s))).statuses['b'] == 'success'

def test_failed_decision_cancels_both_branches():
    res = run(FlowExecutor('g', steps(boom)))
    assert res.statuses == {'d': 'error', 'a': 'cancelled', 'b': 'cancelled', 'b2': 'cancelled', 'j': 'cancelled'}

def test_join_of_a_failed_branch_and_an_untaken_one_is_cancelled():
    st = steps(choose('yes'))
    st[1].handler = boom
    assert run(FlowExecutor('g', st)).statuses == {'d': 'success', 'a': 'error', 'b': 'skipped', 'b2': 'skipped', 'j': 'cancelled'}

def test_untaken_edges_end_skipped():
    res = run(FlowExecutor('g', steps(choose('yes'))))
    last = {(e['sourceId'], e['targetId']): e['status'] for e in res.events if e.kind == 'edgeStatus'}
    assert last[('d', 'b')] == 'skipped' and last[('b', 'b2')] == 'skipped' and last[('d', 'a')] == 'success'

def test_streamed_as_text_too():
    from fastflow.core import parse_sse
    async def text(): return ''.join([c async for c in FlowExecutor('g', steps(choose('yes'))).run()])
    evs = parse_sse(asyncio.run(text()))
    assert evs[-1].kind == 'complete' and 'skipped' in evs[-1]['message']

def test_branch_must_be_a_dependency():
    with pytest.raises(FlowValidationError, match="'a' is on a branch of 'x', which it does not depend on"):
        FlowExecutor('g', [ExecutionStep('x', handler=val), ExecutionStep('a', handler=val, branch={'x': 'yes'})])

def test_written_flow_with_a_condition_node():
    cond = ConditionNode(id='c', condition='even?', fn=lambda v: v % 2 == 0)
    f = Flow(InputNode(id='n', source='n'), cond, DAGNode('even'), DAGNode('odd'), JoinNode(id='j', how='list'),
             Edge('n', 'c'), Edge('c', 'even', source_port='true'), Edge('c', 'odd', source_port='false'),
             Edge('even', 'j'), Edge('odd', 'j'))
    h = {'even': lambda c, i: 'even', 'odd': lambda c, i: 'odd'}
    assert run(FlowExecutor.from_flow(f, handlers=h), {'n': 3}).results['j'] == ['odd']
    res = run(FlowExecutor.from_flow(f.to_json(), handlers={**h, 'condition': lambda c, i: {'branch': 'true', 'value': 0}}), {'n': 3})
    assert res.statuses['odd'] == 'skipped' and res.results['j'] == ['even']

def test_an_edge_from_a_decision_without_a_port_is_on_its_first_branch():
    f = Flow(DecisionNode(id='d', fn=lambda v: False), DAGNode('a'), Edge('d', 'a'))
    assert f.branches() == {'a': {'d': 'yes'}}
    with pytest.raises(FlowFormatError, match="node 'd' has no output port 'maybe'"):
        Flow(DecisionNode(id='d'), DAGNode('a'), Edge('d', 'a', source_port='maybe'))

def test_a_parent_off_the_branch_gives_no_input():
    "`y` is on d's 'no' branch and also after `x` (on 'yes'): d says yes, so y runs with x's result alone"
    res = run(FlowExecutor('g', [ExecutionStep('d', handler=choose('yes')),
                                 ExecutionStep('x', depends_on=['d'], branch={'d': 'yes'}, handler=echo),
                                 ExecutionStep('y', depends_on=['d', 'x'], branch={'d': 'no'}, handler=echo)]))
    assert res.statuses['y'] == 'success' and res.results['y'] == {'x': {'d': 7}}

# Edges settle as the data went: after any run of any branchy flow, an edge ends `success` exactly where its source's
# result reached its target (its source ended well, and the edge is not off the branch its decision took), `skipped`
# off the branch taken (even into a join that ran by another way), else as its source ended. The three ways agree.
from hypothesis import given, settings, HealthCheck, strategies as st
from fastflow.core import parse_sse

@st.composite
def branchy(draw):
    n = draw(st.integers(2, 9))
    kinds = [draw(st.sampled_from(['decide', 'decide', 'plain', 'boom', 'bool'])) for _ in range(n)]
    picks = [draw(st.sampled_from(['yes', 'no'])) for _ in range(n)]
    out = []
    for i in range(n):
        deps = sorted(draw(st.sets(st.integers(0, i - 1), max_size=3))) if i else []
        branch = {f'n{d}': draw(st.sampled_from(['yes', 'no'])) for d in deps if kinds[d] in ('decide', 'bool') and draw(st.booleans())}
        out.append((f'n{i}', [f'n{d}' for d in deps], branch, kinds[i], picks[i]))
    return out

def make_branchy(case):
    def h(kind, pick):
        async def f(c, i):
            if kind == 'boom': raise ValueError('boom')
            if kind == 'decide': return {'branch': pick, 'value': 1}
            return pick == 'yes' if kind == 'bool' else 1
        return f
    return FlowExecutor('g', [ExecutionStep(k, node=DecisionNode(id=k) if kind == 'bool' else None, depends_on=deps, branch=br or None,
                                            handler=h(kind, pick)) for k, deps, br, kind, pick in case])

@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(branchy())
def test_edges_settle_where_the_data_went(case):
    res = run(make_branchy(case))
    kinds = {k: (kind, pick) for k, _, _, kind, pick in case}
    def took(d): return kinds[d][1]  # the branch decision `d` chose (a DecisionNode's True is 'yes')
    want = {}
    for k, deps, br, _, _ in case:
        for d in deps:
            off = d in br and res.statuses[d] == 'success' and took(d) != br[d]
            want[(d, k)] = 'skipped' if off or res.statuses[k] == 'skipped' and d in br else 'success' if res.statuses[d] in ('success', 'cached') else res.statuses[d]
    async def text(): return parse_sse(''.join([m async for m in make_branchy(case).run()]))
    for evs in (res.events, asyncio.run(text())):
        last = {}
        for e in evs:
            if e.kind == 'edgeStatus': last[(e['sourceId'], e['targetId'])] = (e['status'], e.get('animated'))
        assert {k: s for k, (s, _) in last.items()} == want
        assert not any(a for _, a in last.values())  # and stand still
