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
