"Editing in the browser: the API, dragging an edge between ports, undo/redo, copy/paste, delete, export."
import json
from conftest import screenshot

APP = '''
from fasthtml.common import *
from fastflow import FlowEditor, DAGNode, Edge, fastflow_headers
from fastflow.components import serve_static, flow_children

app, rt = fast_app(hdrs=fastflow_headers('/_fastflow'), default_hdrs=False)
serve_static(app)
saved = {}

@rt
def index():
    return Div(FlowEditor(DAGNode('a', x=60, y=60, label='A', node_type='input', inputs=0),
                          DAGNode('b', x=400, y=60, label='B', node_type='output', outputs=0),
                          id='ed', height=360, connect_rules={'input': ['output', 'transform'], 'transform': ['output']}),
               FlowEditor(DAGNode('r1', x=40, y=40), DAGNode('r2', x=300, y=40), Edge('r1', 'r2'), id='ro', height=200, read_only=True))

@rt('/save')
async def post(req):
    saved['flow'] = flow_children(await req.json())
    return {'nodes': sum(type(k).__name__ == 'DAGNode' for k in saved['flow']),
            'edges': [[k.source, k.target] for k in saved['flow'] if type(k).__name__ == 'Edge']}
'''

def port_center(page, node, port):
    box = page.locator(f'.fastflow-canvas g[data-cell-id="{node}"] [port="{port}"]').first.bounding_box()
    return box['x'] + box['width'] / 2, box['y'] + box['height'] / 2

def drag(page, frm, to):
    page.mouse.move(*frm)
    page.mouse.down()
    page.mouse.move((frm[0] + to[0]) / 2, (frm[1] + to[1]) / 2, steps=5)
    page.mouse.move(*to, steps=5)
    page.mouse.up()

EDGES = "id => fastflow[id].getEdges().map(e => [e.getSourceCellId(), e.getSourcePortId(), e.getTargetCellId(), e.getTargetPortId()])"

def test_edit_undo_export(serve, page):
    srv = serve(APP)
    resp = page.goto(srv.url + '/')
    page.wait_for_selector('.fastflow-canvas g[data-cell-id="b"] .ff-node')
    page.wait_for_selector('.fastflow-canvas g[data-cell-id="r2"] .ff-node')
    # the bundle came from the cached route
    js = page.request.get(page.eval_on_selector('script[src*="fastflow.js"]', 'e => e.src'))
    assert js.ok and 'immutable' in js.headers['cache-control']

    # add a node through the API
    page.evaluate("fastflow.addNode('ed', {id: 'c', x: 230, y: 220, label: 'C', nodeType: 'transform', icon: '🔄'})")
    page.wait_for_selector('.fastflow-canvas g[data-cell-id="c"] .ff-node')

    # drag an edge from A's output port to B's input port
    drag(page, port_center(page, 'a', 'out-0'), port_center(page, 'b', 'in-0'))
    assert page.evaluate(EDGES, 'ed') == [['a', 'out-0', 'b', 'in-0']]
    # refused: into an output port, and what connect_rules forbid (transform -> input)
    page.evaluate("fastflow.addNode('ed', {id: 'd', x: 560, y: 220, label: 'D', nodeType: 'input'})")
    page.wait_for_selector('.fastflow-canvas g[data-cell-id="d"] .ff-node')
    drag(page, port_center(page, 'c', 'out-0'), port_center(page, 'a', 'out-0'))
    drag(page, port_center(page, 'c', 'out-0'), port_center(page, 'd', 'in-0'))
    assert page.evaluate(EDGES, 'ed') == [['a', 'out-0', 'b', 'in-0']]
    drag(page, port_center(page, 'a', 'out-0'), port_center(page, 'c', 'in-0'))
    assert len(page.evaluate(EDGES, 'ed')) == 2
    screenshot(page, 'editing')
    # refused: a cycle
    can = """([s, t]) => { const g = fastflow.ro;
        return fastflow.canConnect(g, {sourceCell: g.getCellById(s), targetCell: g.getCellById(t), sourcePort: 'out-0', targetPort: 'in-0'}) }"""
    assert page.evaluate(can, ['r2', 'r1']) is False and page.evaluate(can, ['r1', 'r2']) is False  # cycle; duplicate

    # keyboard: undo the last edge, redo it, undo again
    page.locator('#ed .fastflow-canvas').focus()
    page.keyboard.press('Control+z')
    assert page.evaluate(EDGES, 'ed') == [['a', 'out-0', 'b', 'in-0']]
    page.keyboard.press('Control+Shift+z')
    assert len(page.evaluate(EDGES, 'ed')) == 2
    page.keyboard.press('Control+z')
    page.keyboard.press('Control+z')  # and the node D
    assert page.evaluate("fastflow.ed.getNodes().map(n => n.id).sort()") == ['a', 'b', 'c']

    # select C by clicking it, copy, paste: a new node; delete it again
    page.locator('.fastflow-canvas g[data-cell-id="c"] .ff-label').click()
    page.keyboard.press('Control+c')
    page.keyboard.press('Control+v')
    assert page.evaluate("fastflow.ed.getNodes().length") == 4
    page.keyboard.press('Delete')
    assert page.evaluate("fastflow.ed.getNodes().map(n => n.id).sort()") == ['a', 'b', 'c']

    flow = page.evaluate("fastflow.exportFlow('ed')")
    assert flow['id'] == 'ed'
    assert [(n['id'], n['x'], n['y'], n['nodeType']) for n in flow['nodes']] == [
        ('a', 60, 60, 'input'), ('b', 400, 60, 'output'), ('c', 230, 220, 'transform')]
    assert [(e['source'], e['sourcePort'], e['target'], e['targetPort']) for e in flow['edges']] == [('a', 'out-0', 'b', 'in-0')]
    # round trip: importing the export changes nothing; the server reads it back
    again = page.evaluate("fastflow.importFlow('ed', fastflow.exportFlow('ed')) && fastflow.exportFlow('ed')")
    assert again == flow
    got = page.evaluate("fastflow.postFlow('ed', '/save').then(r => r.json())")
    assert got == {'nodes': 3, 'edges': [['a', 'b']]}

    # the read-only editor does not move nodes
    before = page.evaluate("fastflow.ro.getCellById('r1').getPosition()")
    box = page.locator('.fastflow-canvas g[data-cell-id="r1"] .ff-label').bounding_box()
    drag(page, (box['x'] + 5, box['y'] + 5), (box['x'] + 105, box['y'] + 45))
    assert page.evaluate("fastflow.ro.getCellById('r1').getPosition()") == before

def test_graph_id_clash_refused(serve, page):
    srv = serve(APP)
    page.goto(srv.url + '/')
    page.wait_for_function("window.fastflow?.ed")
    err = page.evaluate("""() => { try { fastflow.createGraph(document.createElement('div'), {id: 'connectExecution'}); return null }
                                   catch (e) { return e.message } }""")
    assert 'clashes with window.fastflow.connectExecution' in err
    assert typeof_fn(page, 'connectExecution')

def typeof_fn(page, name): return page.evaluate(f"typeof window.fastflow.{name}") == 'function'
