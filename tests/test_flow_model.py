"Flow: one model for the editor, the widget, the JSON and the executor; malformed JSON gets named errors."
import asyncio, json, pytest
from fastflow import DAGNode, Edge, FlowEditor, FlowExecutor
from fastflow.components import flow_children
from fastflow.components import FlowFormatError, graph_spec
from fastflow.flow import Flow
from fastflow.types import InputNode, OutputNode, DecisionNode, register_node_type, FlowNode, node_types

def studio(): return Flow(InputNode(id='rows', label='Rows', source='rows'), OutputNode(id='out', destination='report'),
                          Edge('rows', 'out', label='rows'), id='studio', read_only=True)

def spec_of(editor): return json.loads(str(editor.children[0].children[0]))

def test_editor_widget_json_and_executor_agree():
    from fastflow.widget import FlowWidget
    f = studio()
    page = spec_of(f.editor())
    assert page['options']['readOnly'] is True and page['nodes'][0]['data'] == {'source': 'rows'}
    assert spec_of(FlowEditor(f, id='other'))['nodes'] == page['nodes']
    w = FlowWidget(f, id='studio')
    assert w.graph['nodes'] == page['nodes']
    for ex in (FlowExecutor.from_flow(f), FlowExecutor.from_flow(f.to_dict()), FlowExecutor.from_flow(f.to_json()), w.to_executor()):
        res = asyncio.run(ex.execute({'rows': [1]}))
        assert res.ok and res.results['out'] == [1] and res.state.context['outputs'] == {'report': [1]}

@pytest.mark.parametrize('bad,msg', [
    (b'{"nodes": 3}', "nodes must be a list"),
    ('null', 'A flow is a JSON object'),
    ('{"nodes": [{"id": "a", "inputs": -1}]}', "Node 'a': inputs must be a count >= 0"),
    ('{"nodes": [{"id": "a", "outputs": ["x", "x"]}]}', "Node 'a': outputs must name each port once"),
    ('{"nodes": [{"id": "a"}, {"id": "a"}]}', "Node 'a' appears twice"),
    ('{"nodes": [{"id": "a"}], "edges": [{"source": "a"}]}', "target None is not a node"),
    ('{"nodes": [{"id": "a"}], "edges": [{"source": "a", "target": "a", "lineStyle": "wavy"}]}', "unknown lineStyle 'wavy'"),
    ('{"nodes": [{"id": "a", "data": [1]}]}', "Node 'a': data must be a dict"),
    ('{"nodes": [], "extra": 1}', "unknown field(s) ['extra']"),
    ('{"version": "1", "nodes": []}', "version must be a whole number"),
    ('{"nodes": [{"id": "a", "shape": "blob"}]}', "unknown shape 'blob'"),
    ('{"nodes": [{"id": "constructor"}]}', "Node 'constructor': the id 'constructor' is a name every JavaScript object has"),
    ('{"nodes": [{"id": "a"}, {"id": "b"}], "edges": [{"id": "toString", "source": "a", "target": "b"}]}', "Edge 'a' -> 'b': the id 'toString' is a name every JavaScript"),
])
def test_malformed_json_gets_a_named_error(bad, msg):
    for f in (Flow.from_json, flow_children):
        with pytest.raises(FlowFormatError) as e: f(bad)
        assert msg in str(e.value)

def test_settings_that_do_not_make_the_typed_node():
    f = Flow.from_json({'nodes': [{'id': 'j', 'nodeType': 'join', 'data': {'how': 'sideways'}}]})
    assert f.typed_node('j').how == 'sideways'  # validate() reports it; building it is fine
    f = Flow.from_json({'nodes': [{'id': 'd', 'nodeType': 'decision', 'data': {'branches': 'yes'}}], 'edges': []})
    assert f.typed_node('d').branches == 'yes'

def test_register_node_type_with_a_class():
    class Probe(FlowNode): pass
    try:
        assert register_node_type('probe_x', Probe) is node_types['probe_x']
        f = Flow.from_json({'nodes': [{'id': 'p', 'nodeType': 'probe_x'}]})
        assert type(f.typed_node('p')).__name__ == 'Probe'
    finally: node_types.pop('probe_x', None)
    with pytest.raises(TypeError, match='icon must be a string'): register_node_type('y', 3)

def test_unknown_port_in_python():
    with pytest.raises(FlowFormatError, match="has no output port '0'|sourcePort must be a port id"):
        graph_spec(DAGNode('a'), DAGNode('b'), Edge('a', 'b', source_port=0), id='g')

# An executor drawn (FlowWidget.from_executor), and run as drawn, or through its JSON, runs as the executor itself:
# the same statuses and results, whatever its decisions return (a bool, a branch's name, {'branch': ...}) and
# whichever children are on a branch, on none, or on the branch of a plain node.
from hypothesis import given, settings, HealthCheck, strategies as st

@st.composite
def branchy(draw):
    from fastflow.execution import ExecutionStep
    n = draw(st.integers(2, 7))
    decision = [draw(st.booleans()) for _ in range(n)]
    answer = [draw(st.sampled_from([True, False, 'yes', 'no', {'branch': 'no', 'value': 5}])) for _ in range(n)]
    steps = []
    for i in range(n):
        deps = sorted(draw(st.sets(st.integers(0, i - 1), max_size=3))) if i else []
        branch = {f's{d}': draw(st.sampled_from(['yes', 'no'])) for d in deps if draw(st.booleans())}
        def h(c, inputs, i=i): return answer[i] if decision[i] or i % 3 == 0 else {'n': i, 'got': sorted(inputs)}
        steps.append(ExecutionStep(f's{i}', node=DecisionNode(id=f's{i}') if decision[i] else None,
                                   depends_on=[f's{d}' for d in deps], branch=branch or None, handler=h))
    return steps

@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(branchy())
def test_an_executor_drawn_runs_as_itself(steps):
    from fastflow.widget import FlowWidget
    ex = FlowExecutor('g', steps)
    want = asyncio.run(ex.execute())
    w = FlowWidget.from_executor(ex)
    for again in (w.to_executor(), FlowExecutor.from_flow(w.graph, handlers={s.node_id: s.handler for s in steps}, steps=steps)):
        got = asyncio.run(again.execute())
        assert (got.statuses, got.results) == (want.statuses, want.results)
    final = asyncio.run(w.run())
    assert {k: v['status'] for k, v in w.status.items()} == want.statuses and final.kind == ('complete' if want.ok else 'error')

def test_a_decision_drawn_from_an_executor_leaves_by_its_branches_ports():
    from fastflow.execution import ExecutionStep
    from fastflow.widget import FlowWidget
    ex = FlowExecutor('g', [ExecutionStep('d', node=DecisionNode(id='d'), handler=lambda c, i: False),
                            ExecutionStep('a', depends_on=['d'], branch={'d': 'yes'}, handler=lambda c, i: 1),
                            ExecutionStep('b', depends_on=['d'], branch={'d': 'no'}, handler=lambda c, i: 2),
                            ExecutionStep('c', depends_on=['d'], handler=lambda c, i: 3)])
    w = FlowWidget.from_executor(ex)
    assert [(e['source'], e['target'], e.get('sourcePort')) for e in w.graph['edges']] == [('d', 'a', 'yes'), ('d', 'b', 'no'), ('d', 'c', None)]
    res = asyncio.run(w.run())
    assert res.kind == 'complete' and {k: v['status'] for k, v in w.status.items()} == {'d': 'success', 'a': 'skipped', 'b': 'success', 'c': 'success'}
