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
