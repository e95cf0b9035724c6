"Editing in the browser: the API, dragging an edge between ports, undo/redo, copy/paste, delete, export."
import json, random, time
import pytest
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

@rt
def cross():
    return FlowEditor(DAGNode('p', x=40, y=200, label='P'), DAGNode('q', x=640, y=200, label='Q'), DAGNode('m', x=340, y=30, label='M'),
                      Edge('p', 'q'), id='cx', height=420)

@rt('/save')
async def post(req):
    saved['flow'] = flow_children(await req.json())
    return {'nodes': sum(isinstance(k, DAGNode) for k in saved['flow']),
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
    # each paste of a copy lands a step further on than the one before, not on top of it
    page.keyboard.press('Control+v')
    page.keyboard.press('Control+v')
    at = page.evaluate("fastflow.ed.getNodes().filter(n => !['a', 'b', 'c'].includes(n.id)).map(n => [n.getPosition().x, n.getPosition().y])")
    assert sorted(at) == [[294, 284], [326, 316]], at
    page.keyboard.press('Control+z')
    page.keyboard.press('Control+z')
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

# ---------------------------------------------------------------- palette, renaming, edges from inputs

PALETTE_APP = '''
from fasthtml.common import *
from fastflow import FlowEditor, DAGNode, Edge, fastflow_headers
from fastflow.components import serve_static, flow_children
from fastflow.types import InputNode, TransformNode, OutputNode, LLMNode

app, rt = fast_app(hdrs=fastflow_headers('/_fastflow'), default_hdrs=False)
serve_static(app)
saved = {}
palette = {'Data': [InputNode(id='rows', label='Rows', source='db'), TransformNode, OutputNode], 'AI': [LLMNode]}

@rt
def index():
    return Div(FlowEditor(InputNode(id='load', label='Load', source='db'), OutputNode(id='save', label='Save'),
                          DAGNode('b', x=400, y=200, label='B', node_type='output', outputs=0),
                          id='ed', height=420, palette=palette),
               FlowEditor(DAGNode('r1', x=40, y=40), id='ro', height=200, read_only=True, palette=palette))

@rt
def hidden():
    "The editor in a tab not shown yet"
    return Div(Button('Show', id='show', onclick="document.getElementById('tab').style.display = 'block'"),
               Div(FlowEditor(DAGNode('a', x=40, y=40, label='A'), DAGNode('b', x=300, y=40, label='B'), Edge('a', 'b'),
                              id='ed', height=420, palette=palette), id='tab', style='display: none'))

@rt('/save')
async def post(req):
    saved['flow'] = await req.json()
    return {'nodes': [[n['id'], n['nodeType'], n['label'], n.get('data')] for n in saved['flow']['nodes']]}
'''

NODE_IDS = "id => fastflow[id].getNodes().map(n => n.id).sort()"

def center(page, sel):
    box = page.locator(sel).first.bounding_box()
    return box['x'] + box['width'] / 2, box['y'] + box['height'] / 2

def open_palette_app(serve, page):
    srv = serve(PALETTE_APP)
    page.goto(srv.url + '/')
    page.wait_for_selector('#ed .fastflow-canvas g[data-cell-id="b"] .ff-node')
    page.wait_for_selector('#ro .fastflow-canvas g[data-cell-id="r1"] .ff-node')
    page.on('dialog', lambda d: (_ for _ in ()).throw(AssertionError(f'a dialog opened: {d.message}')))
    return srv

def drop_point(page, x, y):
    "A point of the editor `ed`'s canvas, `x`, `y` pixels from its top-left corner"
    box = page.locator('#ed .fastflow-canvas').bounding_box()
    return box['x'] + x, box['y'] + y

def test_palette_drag_drop_undo_export(serve, page):
    open_palette_app(serve, page)
    assert page.locator('#ed .ff-palette .ff-palette-group').all_inner_texts()[1:] == ['DATA', 'AI']
    # each template looks like the node it drops: an input or output leans as its parallelogram does, a card does not
    lean = "t => getComputedStyle(document.querySelector(`#ed .ff-palette-item[data-node-type='${t}']`)).transform"
    assert page.evaluate(lean, 'input') != 'none' and page.evaluate(lean, 'output') != 'none' and page.evaluate(lean, 'llm') == 'none'
    llm = '#ed .ff-palette-item[data-node-type="llm"]'
    # drag the LLM template onto the canvas with the mouse: a new node, drawn like the others
    drag(page, center(page, llm), drop_point(page, 300, 300))
    page.wait_for_selector('#ed .fastflow-canvas g[data-cell-id="llm-1"] .ff-node .ff-label')
    assert page.inner_text('#ed .fastflow-canvas g[data-cell-id="llm-1"] .ff-label') == 'LLM'
    # where it was dropped: its centre under the mouse (up to the 10px grid)
    pos = page.evaluate("fastflow.ed.getCellById('llm-1').getBBox().center")
    assert abs(pos['x'] - 300) <= 10 and abs(pos['y'] - 300) <= 10
    # a second drop gets a fresh id; a typed template brings its settings
    drag(page, center(page, llm), drop_point(page, 560, 80))
    drag(page, center(page, '#ed .ff-palette-item[data-node-type="input"]'), drop_point(page, 110, 380))
    page.wait_for_selector('#ed .fastflow-canvas g[data-cell-id="rows-1"] .ff-node')
    assert page.evaluate(NODE_IDS, 'ed') == ['b', 'llm-1', 'llm-2', 'load', 'rows-1', 'save']
    flow = page.evaluate("fastflow.exportFlow('ed')")
    new = {n['id']: n for n in flow['nodes']}
    assert {k: new['llm-2'][k] for k in ('label', 'nodeType', 'icon', 'inputs', 'outputs')} == {
        'label': 'LLM', 'nodeType': 'llm', 'icon': '🧠', 'inputs': 1, 'outputs': 1}
    assert new['rows-1']['data'] == {'source': 'db'} and new['rows-1']['inputs'] == 0
    assert 'data' not in new['llm-1']  # nothing of the palette's own bookkeeping
    # the typed templates' connection rules hold for dropped nodes: rows-1 -> llm-1 may be drawn
    drag(page, port_center(page, 'rows-1', 'out-0'), port_center(page, 'llm-1', 'in-0'))
    assert page.evaluate(EDGES, 'ed') == [['rows-1', 'out-0', 'llm-1', 'in-0']]
    screenshot(page, 'palette')

    # dropped back on the palette: nothing is added
    drag(page, center(page, llm), center(page, '#ed .ff-palette-item[data-node-type="output"]'))
    assert len(page.evaluate(NODE_IDS, 'ed')) == 6
    # a click (or Enter on a focused item) adds one in the middle of the view
    page.locator('#ed .ff-palette-item[data-node-type="transform"]').click()
    page.locator('#ed .ff-palette-item[data-node-type="output"]').focus()
    page.keyboard.press('Enter')
    assert page.evaluate(NODE_IDS, 'ed') == ['b', 'llm-1', 'llm-2', 'load', 'output-1', 'rows-1', 'save', 'transform-1']

    # undo takes them away one edit at a time (the edge, then the drops), redo brings one back
    page.locator('#ed .fastflow-canvas').focus()
    for _ in range(2): page.keyboard.press('Control+z')
    assert 'transform-1' not in page.evaluate(NODE_IDS, 'ed')
    page.keyboard.press('Control+z')  # the edge rows-1 -> llm-1
    assert page.evaluate(EDGES, 'ed') == []
    page.keyboard.press('Control+z')
    assert page.evaluate(NODE_IDS, 'ed') == ['b', 'llm-1', 'llm-2', 'load', 'save']
    page.wait_for_selector('#ed .fastflow-canvas g[data-cell-id="rows-1"]', state='detached')  # X6 draws a frame later
    page.locator('#ed .ff-redo').click()
    page.wait_for_selector('#ed .fastflow-canvas g[data-cell-id="rows-1"] .ff-node')
    got = page.evaluate("fastflow.postFlow('ed', '/save').then(r => r.json())")
    assert ['rows-1', 'input', 'Rows', {'source': 'db'}] in got['nodes'] and ['llm-2', 'llm', 'LLM', None] in got['nodes']

def test_read_only_editor_takes_no_drop_and_no_rename(serve, page):
    open_palette_app(serve, page)
    assert page.locator('#ro .ff-palette').count() == 0  # a read-only editor has no palette
    assert page.locator('#ed .ff-palette').count() == 1
    # dragging the other editor's template onto it drops nothing, anywhere
    drag(page, center(page, '#ed .ff-palette-item[data-node-type="llm"]'), center(page, '#ro .fastflow-canvas'))
    assert page.evaluate(NODE_IDS, 'ro') == ['r1'] and len(page.evaluate(NODE_IDS, 'ed')) == 3
    # double-click opens no editor
    page.locator('#ro .fastflow-canvas g[data-cell-id="r1"] .ff-label').dblclick()
    assert page.locator('.ff-label-editor').count() == 0

def label_of(page, graph, node):
    return page.evaluate("([g, n]) => fastflow[g].getCellById(n).getData().label", [graph, node])

def drawn_label(page, graph, node):
    sel = f'#{graph} .fastflow-canvas g[data-cell-id="{node}"] .ff-label'
    page.wait_for_function("([sel, text]) => document.querySelector(sel)?.textContent === text",
                           arg=[sel, label_of(page, graph, node)])
    return page.inner_text(sel)

def test_double_click_rename(serve, page):
    open_palette_app(serve, page)
    label = '#ed .fastflow-canvas g[data-cell-id="load"] .ff-label'
    page.locator(label).dblclick()
    editor = page.locator('#ed .ff-label-editor')
    assert editor.input_value() == 'Load' and editor.evaluate("e => e === document.activeElement")
    page.keyboard.press('Control+a')
    page.keyboard.type('<img src=x onerror=alert(1)>')
    screenshot(page, 'rename')
    page.keyboard.press('Enter')
    assert editor.count() == 0
    evil = '<img src=x onerror=alert(1)>'
    assert label_of(page, 'ed', 'load') == evil and drawn_label(page, 'ed', 'load') == evil
    assert page.locator('#ed .fastflow-canvas g[data-cell-id="load"] img').count() == 0  # text, not markup
    assert {n['id']: n['label'] for n in page.evaluate("fastflow.exportFlow('ed')")['nodes']}['load'] == evil
    width = "id => fastflow.ed.getCellById(id).getSize().width"
    assert page.evaluate(width, 'load') > 190  # a parallelogram as wide as its old label made it takes its new one's width

    # Escape cancels; an empty label is refused
    page.locator(label).dblclick()
    page.keyboard.press('Control+a')
    page.keyboard.type('never saved')
    page.keyboard.press('Escape')
    assert editor.count() == 0 and label_of(page, 'ed', 'load') == evil
    page.locator(label).dblclick()
    page.keyboard.press('Control+a')
    page.keyboard.press('Backspace')
    page.keyboard.press('Enter')
    assert label_of(page, 'ed', 'load') == evil
    # keys typed in the editor are text, not editor shortcuts (Backspace didn't delete the node)
    assert 'load' in page.evaluate(NODE_IDS, 'ed')

    # undo / redo the rename; leaving the field (a click on the canvas) saves too
    page.locator('#ed .fastflow-canvas').focus()
    page.keyboard.press('Control+z')  # one step: the label and the width
    assert label_of(page, 'ed', 'load') == 'Load' and drawn_label(page, 'ed', 'load') == 'Load' and page.evaluate(width, 'load') == 190
    page.keyboard.press('Control+Shift+z')
    assert drawn_label(page, 'ed', 'load') == evil and page.evaluate(width, 'load') > 190
    page.locator('#ed .fastflow-canvas g[data-cell-id="save"] .ff-label').dblclick()
    page.keyboard.press('Control+a')
    page.keyboard.type('Store')
    page.mouse.click(*drop_point(page, 600, 380))
    assert label_of(page, 'ed', 'save') == 'Store' and drawn_label(page, 'ed', 'save') == 'Store'
    # the bridge renames too
    assert page.evaluate("fastflow.renameNode('ed', 'b', 'Bee')") is True
    assert drawn_label(page, 'ed', 'b') == 'Bee'

def test_edge_dragged_from_an_input_port(serve, page):
    open_palette_app(serve, page)
    # from save's input back to load's output: the edge runs load -> save
    drag(page, port_center(page, 'save', 'in-0'), port_center(page, 'load', 'out-0'))
    assert page.evaluate(EDGES, 'ed') == [['load', 'out-0', 'save', 'in-0']]
    # input to input is refused
    drag(page, port_center(page, 'b', 'in-0'), port_center(page, 'save', 'in-0'))
    assert len(page.evaluate(EDGES, 'ed')) == 1
    # one undo takes the whole edge away
    page.locator('#ed .fastflow-canvas').focus()
    page.keyboard.press('Control+z')
    assert page.evaluate(EDGES, 'ed') == []

def test_a_colour_cannot_bring_css_of_its_own(serve, page):
    "A flow's colours go into style attributes: one that is not a CSS colour (here CSS that fetches a URL) is drawn in the default colour, with a warning naming its node or edge"
    srv = serve(APP)
    page.goto(srv.url + '/')
    page.wait_for_selector('.fastflow-canvas g[data-cell-id="b"] .ff-node')
    fetched, warned = [], []
    page.on('request', lambda r: fetched.append(r.url) if '/leak' in r.url else None)
    page.on('console', lambda m: warned.append(m.text) if m.type == 'warning' else None)
    page.evaluate('''() => fastflow.importFlow('ed', {nodes: [
        {id: 'a', x: 40, y: 40, nodeType: 'tool', color: 'red;background-image:url(/leak/a)'},
        {id: 'b', x: 300, y: 40, shape: 'diamond', color: 'red) 14%, red); --x: url(/leak/b'},
        {id: 'c', x: 40, y: 200, color: 'rgb(15 118 110)'}],
      edges: [{source: 'a', target: 'b', color: 'url(/leak/e)'}, {source: 'a', target: 'c', color: 'teal'}]})''')
    page.wait_for_selector('.fastflow-canvas g[data-cell-id="c"] .ff-node')
    page.wait_for_timeout(300)
    got = page.evaluate('''() => ({a: document.querySelector('#ed g[data-cell-id="a"] .ff-node').getAttribute('style'),
        b: getComputedStyle(document.querySelector('#ed g[data-cell-id="b"] .ff-outline')).getPropertyValue('--ff-fill'),
        c: document.querySelector('#ed g[data-cell-id="c"] .ff-node').getAttribute('style'),
        edges: fastflow.ed.getEdges().map(e => e.attr('line/stroke')), data: fastflow.ed.getCellById('a').getData().color ?? null})''')
    assert got["a"] == f"--ff-type:{page.evaluate('fastflow.TYPE_LOOKS.tool.color')}", got   # the type's colour
    assert 'url' not in got['b'] and got['c'] == '--ff-type:rgb(15 118 110)', got
    assert got['edges'] == ['#94a3b8', 'teal'] and got['data'] is None, got
    assert not fetched
    assert any('node "a": color' in w for w in warned) and any('node "b": color' in w for w in warned), warned
    assert any('edge "a" -> "b": color' in w for w in warned), warned
    # a look with such a colour is refused, naming its node type
    err = page.evaluate("() => { try { fastflow.registerLook('audit', {color: 'red; background: url(/leak/l)'}) } catch (e) { return e.message } }")
    assert 'node type "audit": color' in err, err

def becomes(page, state, want, timeout=5):
    "`state` (a JS function) evaluated until it gives `want` (X6 draws a frame later), or `timeout` s; its last value"
    end = time.time() + timeout
    while (got := page.evaluate(state)) != want and time.time() < end: page.wait_for_timeout(50)
    return got

def undo_redo(page, state, before, after):
    "Ctrl+Z (the real keyboard, on the editor) brings `before` back, and Ctrl+Shift+Z `after`"
    page.locator('#ed .fastflow-canvas').focus()
    page.keyboard.press('Control+z')
    assert becomes(page, state, before) == before
    page.keyboard.press('Control+Shift+z')
    assert becomes(page, state, after) == after

VIEWS = """() => Object.fromEntries(fastflow.ed.getNodes().map(n => [n.id,
    [...document.querySelectorAll('#ed .fastflow-canvas g.x6-node')].filter(g => g.getAttribute('data-cell-id') === n.id)
      .map(g => g.getAttribute('transform'))]))"""

def test_a_flow_read_over_one_with_the_same_ids_leaves_no_ghosts(serve, page):
    "importFlow over a flow that shares node ids draws each node once, where it now is; undo and redo too (X6 kept the old views)"
    srv = serve(APP)
    page.goto(srv.url + '/')
    page.wait_for_selector('#ed .fastflow-canvas g[data-cell-id="b"] .ff-node')
    before = page.evaluate(VIEWS)
    assert before == {'a': ['translate(60,60)'], 'b': ['translate(400,60)']}, before
    page.evaluate("""() => fastflow.importFlow('ed', {nodes: [{id: 'a', x: 40, y: 200}, {id: 'b', x: 300, y: 200}, {id: 'c', x: 560, y: 200}],
                                                     edges: [{source: 'a', target: 'b'}]})""")
    want = {'a': ['translate(40,200)'], 'b': ['translate(300,200)'], 'c': ['translate(560,200)']}
    assert becomes(page, VIEWS, want) == want
    page.wait_for_timeout(200)   # X6's queued jobs have all run: still one view each
    assert page.evaluate(VIEWS) == want
    undo_redo(page, VIEWS, before, want)

def four_nodes(page, srv):
    "The editor page with a flow of four nodes (ports, a decision, a label, a dashed and a coloured edge), its history clean"
    page.goto(srv.url + '/')
    page.wait_for_selector('#ed .fastflow-canvas g[data-cell-id="b"] .ff-node')
    page.evaluate("""() => fastflow.importFlow('ed', {nodes: [
        {id: 'a', x: 40, y: 40, label: 'A', outputs: ['yes', 'no']}, {id: 'b', x: 320, y: 20, label: 'B'},
        {id: 'c', x: 320, y: 160, label: 'C', nodeType: 'decision'}, {id: 'd', x: 600, y: 90, label: 'D', inputs: 2}],
      edges: [{source: 'a', target: 'b', sourcePort: 'yes', label: 'yes'}, {source: 'a', target: 'c', sourcePort: 'no', lineStyle: 'dashed'},
              {source: 'b', target: 'd', targetPort: 'in-0'}, {source: 'c', target: 'd', targetPort: 'in-1', color: 'teal'}]})""")
    page.wait_for_selector('#ed .fastflow-canvas g[data-cell-id="d"] .ff-node')
    page.evaluate("fastflow.ed.getPlugin('history').clean()")

def test_select_all_delete_undo_redo_gives_back_the_same_graph(serve, page):
    "Ctrl+A, Delete, Ctrl+Z, Ctrl+Shift+Z with the real keyboard: the graph comes back as it was (each cell drawn once), and goes again"
    four_nodes(page, serve(APP))
    drawn = """() => [...document.querySelectorAll('#ed .fastflow-canvas g[data-cell-id]')].map(g => g.getAttribute('data-cell-id')).sort()"""
    page.wait_for_function(f"({drawn})().length === 8")
    # (the same flow, in the same order: undo puts each cell back where it was, X6 put them back reversed)
    exported = "() => fastflow.exportFlow('ed')"
    flow, views = page.evaluate(exported), page.evaluate(drawn)
    canvas = page.locator('#ed .fastflow-canvas')
    canvas.focus()
    page.keyboard.press('Control+a')
    assert page.evaluate("fastflow.ed.getPlugin('selection').getSelectedCells().length") == 8
    page.keyboard.press('Delete')
    assert page.evaluate("fastflow.ed.getCells().length") == 0
    page.wait_for_function(f"({drawn})().length === 0")
    assert page.locator('#ed .x6-widget-selection-box').count() == 0   # no selection box left behind
    page.keyboard.press('Control+z')
    page.wait_for_function(f"({drawn})().length === 8")
    page.wait_for_timeout(100)
    assert page.evaluate(exported) == flow
    assert page.evaluate(drawn) == views
    page.keyboard.press('Control+Shift+z')
    page.wait_for_function(f"({drawn})().length === 0")
    assert page.evaluate("fastflow.ed.getCells().length") == 0
    page.keyboard.press('Control+z')
    page.wait_for_function(f"({drawn})().length === 8")
    assert page.evaluate(exported) == flow
    # one node from the middle (and its two edges) deleted, and undone: back in their places
    page.locator('#ed g[data-cell-id="b"] .ff-label').click()
    page.keyboard.press('Delete')
    page.wait_for_function(f"({drawn})().length === 5")
    page.keyboard.press('Control+z')
    page.wait_for_function(f"({drawn})().length === 8")
    assert page.evaluate(exported) == flow
    # copy everything and paste: the copies (new ids, their own edges) are what is selected; Escape selects nothing
    page.keyboard.press('Control+a')
    page.keyboard.press('Control+c')
    page.keyboard.press('Control+v')
    got = page.evaluate("""() => { const g = fastflow.ed, sel = g.getPlugin('selection').getSelectedCells(), old = new Set(['a', 'b', 'c', 'd'])
        return {cells: g.getCells().length, selected: sel.length, copies: sel.every(c => c.isNode() ? !old.has(c.id) : !old.has(c.getSourceCellId()) && !old.has(c.getTargetCellId())),
                boxes: document.querySelectorAll('#ed .x6-widget-selection-box').length} }""")
    assert got == {'cells': 16, 'selected': 8, 'copies': True, 'boxes': 4}, got
    page.keyboard.press('Escape')
    assert page.evaluate("fastflow.ed.getPlugin('selection').getSelectedCells().length") == 0
    assert page.locator('#ed .x6-widget-selection-box').count() == 0
    page.keyboard.press('Control+z')
    page.wait_for_function(f"({drawn})().length === 8")
    assert page.evaluate(exported) == flow
    # cut is a copy and a delete, one undo step each way
    page.keyboard.press('Control+a')
    page.keyboard.press('Control+x')
    assert page.evaluate("fastflow.ed.getCells().length") == 0
    page.keyboard.press('Control+v')
    assert page.evaluate("fastflow.ed.getCells().length") == 8
    page.keyboard.press('Control+z')
    assert page.evaluate("fastflow.ed.getCells().length") == 0
    page.keyboard.press('Control+z')
    page.wait_for_function(f"({drawn})().length === 8")
    assert page.evaluate(exported) == flow

def test_a_node_replaced_in_one_batch_undoes_and_redoes(serve, page):
    "Page code that removes a node and adds another with its id in one batch: one undo step back and forth, each node drawn once (X6's history took the pair for nothing done)"
    srv = serve(APP)
    page.goto(srv.url + '/')
    page.wait_for_selector('#ed .fastflow-canvas g[data-cell-id="b"] .ff-node')
    state = """() => fastflow.ed.getNodes().map(n => [n.id, n.getPosition().x, n.getPosition().y, n.getData().label,
        [...document.querySelectorAll('#ed .fastflow-canvas g.x6-node')].filter(g => g.getAttribute('data-cell-id') === n.id).length]).sort()"""
    before = page.evaluate(state)
    assert before == [['a', 60, 60, 'A', 1], ['b', 400, 60, 'B', 1]]
    page.evaluate("""() => { const g = fastflow.ed; g.startBatch('replace'); g.removeCell('a')
        fastflow.addNode('ed', {id: 'a', x: 100, y: 250, label: 'A2'}); g.stopBatch('replace') }""")
    after = [['a', 100, 250, 'A2', 1], ['b', 400, 60, 'B', 1]]
    assert becomes(page, state, after) == after
    undo_redo(page, state, before, after)

def test_a_dragged_selection_draws_each_edge_once_per_move(serve, page):
    "Dragging a selection with the real mouse: each move redraws an edge once, not once for each of its nodes, and the edges follow their nodes; undo puts all back"
    srv = serve(APP)
    page.goto(srv.url + '/')
    page.wait_for_selector('#ed .fastflow-canvas g[data-cell-id="b"] .ff-node')
    page.evaluate("""() => fastflow.importFlow('ed', {nodes: [{id: 'a', x: 40, y: 40}, {id: 'b', x: 300, y: 20}, {id: 'c', x: 300, y: 160}, {id: 'd', x: 560, y: 90}],
      edges: [{source: 'a', target: 'b'}, {source: 'a', target: 'c'}, {source: 'b', target: 'd'}, {source: 'c', target: 'd'}]})""")
    page.wait_for_selector('#ed .fastflow-canvas g[data-cell-id="d"] .ff-node')
    ends = """() => fastflow.ed.getEdges().map(e => { const v = fastflow.ed.findViewByCell(e)
        return [e.getSourceCellId(), e.getTargetCellId(), Math.round(v.sourcePoint.x), Math.round(v.sourcePoint.y), Math.round(v.targetPoint.x), Math.round(v.targetPoint.y)] }).sort()"""
    before = page.evaluate(ends)
    page.locator('#ed .fastflow-canvas').focus()
    page.keyboard.press('Control+a')
    box = page.locator('#ed g[data-cell-id="a"] .ff-label').bounding_box()
    x, y = box['x'] + 5, box['y'] + 5
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 5, y)   # (X6 starts a drag after a small move)
    page.wait_for_timeout(100)
    # count the times each edge's path is written while the selection moves once
    page.evaluate("""() => { window.drawn = new Map(); window.seen = new MutationObserver(rs => { for (const r of rs) drawn.set(r.target, (drawn.get(r.target) || 0) + 1) })
      for (const e of fastflow.ed.getEdges()) seen.observe(fastflow.ed.findViewByCell(e).container, {subtree: true, attributeFilter: ['d']}) }""")
    page.mouse.move(x + 45, y + 20)
    page.evaluate('() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))')
    counts = page.evaluate("() => { seen.disconnect(); return [...drawn.values()] }")
    page.mouse.up()
    assert counts and max(counts) == 1 and len(counts) == 8, counts   # (an edge's line and its wider hit area)
    moved = page.evaluate("() => fastflow.ed.getNodes().map(n => [n.id, n.getPosition().x, n.getPosition().y]).sort()")
    dx, dy = moved[0][1] - 40, moved[0][2] - 40   # (X6 snaps to its grid of 10)
    assert dx >= 40 and dy >= 20 and moved == [['a', 40 + dx, 40 + dy], ['b', 300 + dx, 20 + dy], ['c', 300 + dx, 160 + dy], ['d', 560 + dx, 90 + dy]], moved
    after = [[s, t, sx + dx, sy + dy, tx + dx, ty + dy] for s, t, sx, sy, tx, ty in before]
    assert becomes(page, ends, after) == after
    undo_redo(page, ends, before, after)
    # an arrow head has its edge's colour (X6's markers are looked up once made, see build.mjs)
    page.evaluate("() => { fastflow.setEdgeStatus('ed', 'a', 'b', 'success'); fastflow.setEdgeStatus('ed', 'c', 'd', 'error') }")
    heads = """() => Object.fromEntries(fastflow.ed.getEdges().map(e => { const line = fastflow.ed.findViewByCell(e).container.querySelectorAll('path')[1]
        const id = line.getAttribute('marker-end').slice(5, -1)
        return [e.getSourceCellId() + e.getTargetCellId(), [line.getAttribute('stroke'), document.getElementById(id).querySelector('path').getAttribute('fill')]] }))"""
    grey = ['#94a3b8', '#94a3b8']
    want = {'ab': ['#52c41a', '#52c41a'], 'ac': grey, 'bd': grey, 'cd': ['#cbd5e1', '#cbd5e1']}   # (grey: no data passed)
    assert becomes(page, heads, want) == want

def test_what_lies_inside_a_selection_can_still_be_clicked_and_connected(serve, page):
    "With several nodes selected, the frame X6 draws around them is not a lid: a click selects the node under it alone, Ctrl+click toggles it, and its ports connect"
    srv = serve(APP)
    page.goto(srv.url + '/')
    page.wait_for_selector('#ed .fastflow-canvas g[data-cell-id="b"] .ff-node')
    page.evaluate("""() => fastflow.importFlow('ed', {nodes: [{id: 'a', x: 40, y: 60, label: 'A', nodeType: 'input'}, {id: 'm', x: 300, y: 160, label: 'M', nodeType: 'output'}, {id: 'z', x: 560, y: 260, label: 'Z'}], edges: []})""")   # (the editor's connect_rules: input -> output)
    page.wait_for_selector('#ed .fastflow-canvas g[data-cell-id="z"] .ff-node')
    selected = "() => fastflow.ed.getPlugin('selection').getSelectedCells().map(c => c.id).sort()"
    label = lambda n: page.locator(f'#ed g[data-cell-id="{n}"] .ff-label')
    label('a').click()
    label('z').click(modifiers=['Control'])
    assert page.evaluate(selected) == ['a', 'z']
    assert page.locator('#ed .x6-widget-selection-inner').is_visible()   # the frame around a and z, over m
    assert page.locator('#ed .ff-details').is_hidden()   # a Ctrl-click picks nodes: no details panel over them
    label('m').click(modifiers=['Control'])
    assert page.evaluate(selected) == ['a', 'm', 'z']
    label('m').click(modifiers=['Control'])
    assert page.evaluate(selected) == ['a', 'z']
    drag(page, port_center(page, 'a', 'out-0'), port_center(page, 'm', 'in-0'))
    assert page.evaluate(EDGES, 'ed') == [['a', 'out-0', 'm', 'in-0']]
    label('m').click()
    assert page.evaluate(selected) == ['m']
    assert page.locator('#ed .ff-details').is_visible()   # a plain click shows the node's details


DRAWN_AND_CELLS = """() => [[...document.querySelectorAll('#ed .fastflow-canvas g[data-cell-id]')].map(g => g.getAttribute('data-cell-id')).sort(), fastflow.ed.getCells().map(c => c.id).sort()]"""

@pytest.mark.parametrize('seed', [0, 1])
def test_undo_and_redo_walk_through_what_the_user_saw(serve, page, seed):
    "Random edits with the real mouse and keyboard (select, drag, delete, copy and paste, cut), undone and redone at random: each undo and redo gives back exactly the flow the user saw at that step, in its order"
    rnd = random.Random(seed)
    four_nodes(page, serve(APP))
    exported = "() => fastflow.exportFlow('ed')"
    flow = lambda: page.evaluate(exported)
    # what is drawn: one view per cell, nothing else
    drawn = """() => { const ids = [...document.querySelectorAll('#ed .fastflow-canvas g[data-cell-id]')].map(g => g.getAttribute('data-cell-id')).sort()
        return JSON.stringify(ids) === JSON.stringify(fastflow.ed.getCells().map(c => c.id).sort()) }"""
    canvas = page.locator('#ed .fastflow-canvas')
    states, at = [flow()], 0          # what the user saw after each edit, and where undo/redo stand
    def label(node): return page.locator(f'#ed g[data-cell-id="{node}"] .ff-label')
    def pick(node, add=False):
        "click a node (Ctrl: add it to the selection), and close the details panel the click opens, with its ×"
        label(node).click(modifiers=['Control'] if add else [])
        close = page.locator('#ed .ff-details-close')
        if close.is_visible(): close.click()
    for step in range(14):
        nodes = page.evaluate("() => fastflow.ed.getNodes().map(n => n.id)")
        op = rnd.choice(['undo', 'undo', 'redo'] + (['delete', 'drag', 'paste', 'cut'] if nodes else ['paste']))
        if op in ('undo', 'redo'):
            canvas.focus()
            page.keyboard.press('Control+z' if op == 'undo' else 'Control+Shift+z')
            at = max(0, at - 1) if op == 'undo' else min(len(states) - 1, at + 1)
            assert becomes(page, exported, states[at]) == states[at], (seed, step, op)
            continue
        if op == 'paste' and not page.evaluate("!!fastflow.ed.fastflowCopied?.length"):
            if not nodes: continue
            pick(rnd.choice(nodes)); canvas.focus(); page.keyboard.press('Control+c')
        if op in ('delete', 'drag', 'cut'):
            picked = rnd.sample(nodes, rnd.randint(1, min(3, len(nodes))))
            for k, n in enumerate(picked): pick(n, add=k > 0)
        if op == 'drag':
            box = label(picked[0]).bounding_box()
            x, y = box['x'] + 5, box['y'] + 5
            page.mouse.move(x, y); page.mouse.down(); page.mouse.move(x + 20, y + 10, steps=3); page.mouse.move(x + 60, y + 30, steps=3); page.mouse.up()
        else:
            canvas.focus()
            page.keyboard.press({'delete': 'Delete', 'paste': 'Control+v', 'cut': 'Control+x'}[op])
        page.wait_for_timeout(50)
        now = flow()
        if now != states[at]:
            states[at + 1:] = [now]
            at += 1
    assert becomes(page, drawn, True), page.evaluate(DRAWN_AND_CELLS)   # (X6 draws in its next frames)
    # and all the way back
    canvas.focus()
    for _ in range(at): page.keyboard.press('Control+z')
    assert becomes(page, exported, states[0]) == states[0]
    assert becomes(page, drawn, True), page.evaluate(DRAWN_AND_CELLS)

RULES_APP = '''
from fasthtml.common import *
from fastflow import FlowEditor, DAGNode, fastflow_headers
from fastflow.types import TransformNode

app, rt = fast_app(hdrs=fastflow_headers(), default_hdrs=False)

@rt
def index():
    return Div(FlowEditor(DAGNode('x', x=40, y=40), DAGNode('y', x=340, y=40), DAGNode('i', x=40, y=200, node_type='input'),
                          DAGNode('o', x=340, y=200, node_type='output'), id='ed', height=320, connect_rules={'input': ['output']}),
               FlowEditor(DAGNode('p', x=40, y=40), DAGNode('q', x=340, y=40), id='pal', height=260, palette={'Data': [TransformNode]}))
'''

def test_connect_rules_speak_only_of_the_types_they_name(serve, page):
    "Connect rules govern edges between the types they name; a plain node connects freely, beside rules a palette of typed nodes brings too"
    page.goto(serve(RULES_APP).url + '/')
    for n in ('o', 'q'): page.wait_for_selector(f'.fastflow-canvas g[data-cell-id="{n}"] .ff-node')
    assert page.evaluate("fastflow.pal.fastflowOptions.connectRules") == {'transform': ['transform']}
    drag(page, port_center(page, 'p', 'out-0'), port_center(page, 'q', 'in-0'))   # two plain nodes, a palette's rules beside them
    assert page.evaluate(EDGES, 'pal') == [['p', 'out-0', 'q', 'in-0']]
    drag(page, port_center(page, 'o', 'out-0'), port_center(page, 'i', 'in-0'))   # output -> input: both named, not allowed
    drag(page, port_center(page, 'x', 'out-0'), port_center(page, 'y', 'in-0'))   # plain -> plain
    drag(page, port_center(page, 'i', 'out-0'), port_center(page, 'o', 'in-0'))   # input -> output: the rule
    drag(page, port_center(page, 'y', 'out-0'), port_center(page, 'i', 'in-0'))   # plain -> named
    assert page.evaluate(EDGES, 'ed') == [['x', 'out-0', 'y', 'in-0'], ['i', 'out-0', 'o', 'in-0'], ['y', 'out-0', 'i', 'in-0']]

def test_an_id_every_javascript_object_has_is_refused_with_its_name(serve, page):
    "A flow from JSON with a node called `constructor` gets an error naming it (it blanked the editor), and Python refuses the same names the page does"
    page.goto(serve(RULES_APP).url + '/')
    page.wait_for_selector('.fastflow-canvas g[data-cell-id="q"] .ff-node')
    from fastflow.components import JS_OBJECT_NAMES
    assert sorted(page.evaluate("Object.getOwnPropertyNames(Object.prototype)")) == sorted(JS_OBJECT_NAMES)
    err = page.evaluate('''() => { try { fastflow.importFlow('ed', {nodes: [{id: 'root'}, {id: 'constructor'}], edges: [{source: 'root', target: 'constructor'}]}) }
                                   catch (e) { return e.message } }''')
    assert 'node "constructor": the id "constructor" is a name every JavaScript object has' in err, err
    assert sorted(page.evaluate("fastflow.ed.getNodes().map(n => n.id)")) == ['i', 'o', 'x', 'y']   # the editor keeps its flow

PATH = """() => { const v = fastflow.cx.findViewByCell(fastflow.cx.getEdges()[0]), m = fastflow.cx.getCellById('m').getBBox()
  const pts = [v.sourcePoint, ...v.routePoints, v.targetPoint].map(p => [p.x, p.y])
  const crosses = pts.slice(1).some(([x, y], i) => { const [x0, y0] = pts[i]
    return Math.max(x0, x) > m.x && Math.min(x0, x) < m.x + m.width && Math.max(y0, y) > m.y && Math.min(y0, y) < m.y + m.height })
  return {pts, crosses, d: v.path.serialize()} }"""

def until_path(page, test):
    page.wait_for_function(PATH.replace('return {pts, crosses, d: v.path.serialize()}', f'return {test}'), timeout=5_000)
    return page.evaluate(PATH)

def test_an_edge_goes_round_a_node_dragged_onto_it_and_straight_again_once_it_leaves(serve, page):
    "X6 routes an edge again when its own ends move: a node dropped on it, or taken away from it, now does that too"
    srv = serve(APP)
    page.goto(srv.url + '/cross')
    page.wait_for_selector('.fastflow-canvas g[data-cell-id="m"] .ff-node')
    straight = page.evaluate(PATH)
    assert len({y for _, y in straight['pts']}) == 1 and not straight['crosses'], straight
    m = page.locator('.fastflow-canvas g[data-cell-id="m"] .ff-label').bounding_box()
    line_y = page.locator('.fastflow-canvas g[data-cell-id="p"] .ff-label').bounding_box()['y']
    drag(page, (m['x'] + 5, m['y'] + 5), (m['x'] + 5, line_y + 5))  # M dropped right on the P -> Q line, with the mouse
    around = until_path(page, '!crosses && new Set(pts.map(p => p[1])).size > 1')
    screenshot(page, 'edge-round-a-dropped-node')
    drag(page, (m['x'] + 5, line_y + 5), (m['x'] + 5, m['y'] + 5))  # and taken away again: the detour goes
    until_path(page, f'v.path.serialize() === {json.dumps(straight["d"])}')
    page.locator('#cx .fastflow-canvas').focus()
    page.keyboard.press('Control+z')  # an undo puts M back on the line: the edge goes round it again
    until_path(page, f'v.path.serialize() === {json.dumps(around["d"])}')

def test_on_a_phone_the_palette_is_a_strip_of_icons_that_still_drops(serve, browser):
    "At 390 px the palette leaves the canvas its room: icons only, named by their tooltips; dragging one still adds a node"
    srv = serve(PALETTE_APP)
    ctx = browser.new_context(viewport={'width': 390, 'height': 800})
    try:
        page = ctx.new_page()
        page.goto(srv.url + '/')
        page.wait_for_selector('#ed .fastflow-canvas g[data-cell-id="b"] .ff-node')
        got = page.evaluate('''() => { const ed = document.getElementById('ed'), w = (s) => ed.querySelector(s).getBoundingClientRect().width
            const item = ed.querySelector('.ff-palette-item[data-node-type="llm"]')
            return {palette: w('.ff-palette'), canvas: w('.fastflow-canvas'), editor: ed.getBoundingClientRect().width, title: item.title,
                    shown: [...item.querySelectorAll('.ff-node > *')].filter(e => getComputedStyle(e).display !== 'none').map(e => e.className)} }''')
        assert got['palette'] <= 56 and got['canvas'] >= got['editor'] - 56, got
        assert got['shown'] == ['ff-icon'] and got['title'].startswith('LLM: drag onto the canvas'), got
        box = page.locator('#ed .fastflow-canvas').bounding_box()
        # while it is dragged, its preview (drawn in the page's body, outside the editor) looks like the node: not a black shape
        page.mouse.move(*center(page, '#ed .ff-palette-item[data-node-type="llm"]'))
        page.mouse.down()
        page.mouse.move(box['x'] + 100, box['y'] + 150, steps=5)
        ghost = page.evaluate("() => { const o = document.querySelector('.x6-widget-dnd .ff-outline'); return o && [getComputedStyle(o).fill, getComputedStyle(o).stroke] }")
        assert ghost and ghost[0] == 'rgb(255, 255, 255)' and ghost[1] != 'none', ghost
        page.mouse.move(box['x'] + 160, box['y'] + 200, steps=5)
        page.mouse.up()
        page.wait_for_selector('#ed .fastflow-canvas g[data-cell-id="llm-1"] .ff-node')
        screenshot(page, 'palette-phone')
    finally: ctx.close()

def test_nodes_added_to_an_editor_in_a_hidden_tab_are_placed_beside_the_others_and_shown(serve, page):
    "A hidden editor has no middle of its view: a palette click and an addNode without x/y put their node beside the graph, and showing it fits them all"
    srv = serve(PALETTE_APP)
    page.goto(srv.url + '/hidden')
    page.wait_for_function("() => window.fastflow?.ed?.getNodes().length === 2")
    page.evaluate("() => fastflow.addNode('ed', {id: 'c', label: 'Added while hidden'})")
    page.evaluate("document.querySelector('#ed .ff-palette-item[data-node-type=output]').click()")
    page.click('#show')
    page.wait_for_selector('#ed .fastflow-canvas g[data-cell-id="output-1"] .ff-node')
    page.wait_for_timeout(200)
    got = page.evaluate("""() => { const g = fastflow.ed, a = g.getGraphArea(), boxes = g.getNodes().map(n => n.getBBox())
        return {inView: boxes.every(b => a.containsRect(b)),
                overlaps: boxes.some((b, i) => boxes.some((c, j) => i < j && b.isIntersectWithRect(c)))} }""")
    assert got == {'inView': True, 'overlaps': False}, got
    screenshot(page, 'hidden-tab-additions')
