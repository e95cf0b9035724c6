"""How graphs look: shapes and colours per node type, looks from Python, routed and settled edges, layout, fit,
the details panel, dark themes and small screens, in Chromium."""
import json
from pathlib import Path
import pytest
from conftest import screenshot, ARTIFACTS

def shot(page, selector, name):
    "A screenshot of one element (for the docs' images)"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator(selector).screenshot(path=str(ARTIFACTS/f'{name}.png'))

APP = '''
import asyncio
from fasthtml.common import *
from fastflow import FlowEditor, DAGNode, Edge, fastflow_headers
from fastflow.components import look
from fastflow.execution import FlowExecutor, ExecutionStep

# a page that supports dark mode says so (as Pico's stylesheet does): its editors follow the system's light or dark
app, rt = fast_app(hdrs=(*fastflow_headers(), Meta(name='color-scheme', content='light dark')), default_hdrs=False)

def flowchart():
    return [DAGNode('start', label='Start', node_type='start', inputs=0),
            DAGNode('load', label='Load orders', node_type='input'),
            DAGNode('check', label='Valid order?', node_type='decision', outputs=['yes', 'no']),
            DAGNode('llm', label='Summarise', node_type='llm'),
            DAGNode('tool', label='Geocode', node_type='tool'),
            DAGNode('save', label='Save report', node_type='output'),
            DAGNode('end', label='End', node_type='end', outputs=0),
            Edge('start', 'load'), Edge('load', 'check'),
            Edge('check', 'llm', source_port='yes', label='yes'),
            Edge('check', 'tool', source_port='no', label='no', line_style='dashed'),
            Edge('llm', 'save'), Edge('tool', 'save'), Edge('save', 'end')]

async def ok(ctx, inputs):
    await asyncio.sleep(0.02)
    return {'rows': list(range(3000)), 'from': sorted(inputs)}
async def bad(ctx, inputs):
    raise ValueError('geo API refused the address "1600 Amphitheatre Parkway, Mountain View, CA": quota exceeded for today')
steps = [('start', [], ok), ('load', ['start'], ok), ('check', ['load'], ok), ('llm', ['check'], ok),
         ('tool', ['check'], bad), ('save', ['llm', 'tool'], ok), ('end', ['save'], ok)]
ex = FlowExecutor('g', [ExecutionStep(n, depends_on=d, handler=h) for n, d, h in steps])
ok_ex = FlowExecutor('g', [ExecutionStep(n, depends_on=d, handler=ok) for n, d, _ in steps])
async def bad_llm(ctx, inputs): raise RuntimeError('the model is overloaded')
two_ex = FlowExecutor('g', [ExecutionStep(n, depends_on=d, handler=bad_llm if n == 'llm' else h) for n, d, h in steps])
tb_ex = FlowExecutor('g', [ExecutionStep(n, depends_on=d, handler=h) for n, d, h in steps], tracebacks=True)  # a developer's page
async def decide(ctx, inputs): return {'branch': 'yes', 'value': 7}
async def echo(ctx, inputs): return {'got': inputs}
branchy = FlowExecutor('g', [ExecutionStep('check', handler=decide), ExecutionStep('llm', depends_on=['check'], branch={'check': 'yes'}, handler=echo),
                             ExecutionStep('tool', depends_on=['check'], branch={'check': 'no'}, handler=echo),
                             ExecutionStep('save', depends_on=['llm', 'tool'], handler=echo)] +
                            [ExecutionStep(n, depends_on=d, handler=ok) for n, d, _ in steps if n in ('start', 'load', 'end')])

@rt
def index(theme:str='auto', direction:str='LR'):
    return Div(FlowEditor(*flowchart(), id='g', height=520, theme=theme, direction=direction), style='padding:10px')

@rt
def placed():
    "The issue's case: a new Load -> Save edge must not hide behind Process"
    return Div(FlowEditor(DAGNode('load', x=100, y=120, label='Load', node_type='input', inputs=0),
                          DAGNode('process', x=350, y=120, label='Process', node_type='transform'),
                          DAGNode('save', x=600, y=120, label='Save', node_type='output', outputs=0),
                          Edge('load', 'process'), Edge('process', 'save'), Edge('load', 'save', label='copy'),
                          id='g', height=420), style='padding:10px')

@rt
def custom():
    users = [dict(name='id', type='int', key='PK'), dict(name='email', type='text')]
    orders = [dict(name='id', type='int', key='PK'), dict(name='user_id', type='int', key='FK'), dict(name='total', type='real')]
    return Div(FlowEditor(
        DAGNode('users', label='users', node_type='table', data={'columns': users}, inputs=0, outputs=0),
        DAGNode('orders', label='orders', node_type='table', data={'columns': orders}, inputs=0, outputs=0),
        DAGNode('a1', label='Audit', node_type='audit'),
        DAGNode('h1', label='Ticket', node_type='ticket', data={'owner': 'ann <ann@x.org>'}),
        Edge('orders', 'users', source_port='user_id', target_port='id'),
        id='g', height=460, looks={'audit': look(color='#0f766e', icon='🧾', shape='pill'),
                                   'ticket': look(html='<b class="t-owner">{{owner}}</b> <i>{{label}}</i>')}),
        style='padding:10px')

@rt
def chain(n:int=100):
    nodes = [DAGNode(f'n{i}', label=f'Step {i}') for i in range(n)]
    return Div(FlowEditor(*nodes, *[Edge(f'n{i}', f'n{i+1}') for i in range(n - 1)], id='g', height=500), style='padding:10px')

@rt
def layers(n:int=600, hidden:int=0):
    "n nodes in layers of 20, each fed by one or two nodes of the layer before; `hidden`: in a tab not shown yet"
    edges = [Edge(f'n{i - 20}', f'n{i}') for i in range(20, n)] + [Edge(f'n{i - 21}', f'n{i}') for i in range(21, n) if i % 20]
    return Div(FlowEditor(*[DAGNode(f'n{i}', label=f'Step {i}') for i in range(n)], *edges, id='g', height=500),
               id='tab', style='padding:10px' + (';display:none' if hidden else ''))

@rt
def narrow():
    "An editor 140 px wide, as the tutorial's page gives it on a phone (a 220 px sidebar beside it)"
    return Div(Div(style='flex:0 0 220px'), Div(FlowEditor(*flowchart(), id='g', height=420), style='flex:1;min-width:0'),
               style='display:flex;width:360px')

@rt
def auto(placed:int=0):
    "A flow as users write it: no direction given, long labels; `placed`: 1 every node has a position, 2 the first one only"
    at = lambda i: dict(x=40 + 260*i, y=60) if placed == 1 or (placed == 2 and i == 0) else {}
    labels = ['Load', 'Email the tracking number to the customer', 'Check the stock levels', 'Ship']
    return Div(FlowEditor(*[DAGNode(f'n{i}', label=l, node_type='output' if i == 1 else 'process', **at(i)) for i, l in enumerate(labels)],
                          *[Edge(f'n{i}', f'n{i+1}') for i in range(3)], id='g', height=480, minimap=False), style='padding:4px')

@rt('/run')
async def get(): return EventStream(ex.run())

@rt('/run-ok')
async def get(): return EventStream(ok_ex.run())

@rt('/run-two')
async def get(): return EventStream(two_ex.run())

@rt('/run-tb')
async def get(): return EventStream(tb_ex.run())

@rt('/run-branchy')
async def get(): return EventStream(branchy.run())
'''

def ready(page, path='/', node='end'):
    page.goto(page.srv.url + path)
    page.wait_for_selector(f'.fastflow-canvas g[data-cell-id="{node}"] .ff-node')
    page.evaluate('() => window.fastflow.g.fastflowLayout')
    page.wait_for_timeout(200)  # X6 draws a frame later

@pytest.fixture
def app(serve, page):
    page.srv = serve(APP)
    return page

RUN = '''([url]) => new Promise(resolve => fastflow.connectExecution('g', url, {onComplete: resolve, onError: resolve}))'''

def test_shapes_colours_and_ports(app):
    page = app
    ready(page)
    screenshot(page, 'look-flowchart-light')
    tags = page.evaluate('''() => Object.fromEntries(fastflow.g.getNodes().map(n =>
        [n.id, document.querySelector(`g[data-cell-id="${n.id}"] .ff-outline`).tagName]))''')
    assert tags == {'start': 'rect', 'load': 'polygon', 'check': 'polygon', 'llm': 'rect', 'tool': 'rect', 'save': 'polygon', 'end': 'rect'}
    # a type's colour and icon, out of the box; a pill is round
    look = page.evaluate('''() => { const n = document.querySelector('g[data-cell-id="llm"] .ff-node');
        return {type: n.style.getPropertyValue('--ff-type'), icon: n.querySelector('.ff-icon').textContent,
                rx: document.querySelector('g[data-cell-id="start"] .ff-outline').getAttribute('rx')} }''')
    assert look == {'type': '#9333ea', 'icon': '🧠', 'rx': '22'}
    # the decision's ports sit on its vertices: in on the left, 'yes' on the right, 'no' at the bottom
    ports = page.evaluate('''() => { const n = fastflow.g.getCellById('check'); const {width: w, height: h} = n.getSize()
        const p = {...n.getPortsPosition('in'), ...n.getPortsPosition('out')}
        return Object.fromEntries(Object.entries(p).map(([k, v]) => [k, [v.position.x / w, v.position.y / h]])) }''')
    assert ports == {'in-0': [0, 0.5], 'yes': [1, 0.5], 'no': [0.5, 1]}
    # laid out in layers, left to right, without overlaps
    boxes = page.evaluate('''() => Object.fromEntries(fastflow.g.getNodes().map(n => [n.id, n.getBBox()]))''')
    order = ['start', 'load', 'check', 'llm', 'save', 'end']
    assert all(boxes[a]['x'] + boxes[a]['width'] <= boxes[b]['x'] for a, b in zip(order, order[1:]))
    ids = list(boxes)
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            A, B = boxes[a], boxes[b]
            assert A['x'] + A['width'] <= B['x'] or B['x'] + B['width'] <= A['x'] or A['y'] + A['height'] <= B['y'] or B['y'] + B['height'] <= A['y'], (a, b)

# every node's ports as drawn: {node: {port: (transform numbers, attributes of the g, of the circle, title)}}
PORTS = '''() => Object.fromEntries(fastflow.g.getNodes().map(n => [n.id, Object.fromEntries(
  [...document.querySelectorAll(`g[data-cell-id="${n.id}"] > .x6-port`)].map(g => { const c = g.firstElementChild
    const attrs = e => Object.fromEntries([...e.attributes].filter(a => a.name !== 'transform').map(a => [a.name, a.value]))
    return [c.getAttribute('port'), [g.getAttribute('transform').match(/-?[\\d.e-]+/g).map(Number), attrs(g), attrs(c), c.querySelector('title')?.textContent ?? null]] }))]))'''

def test_ports_are_drawn_as_x6_draws_them(app):
    "fastflow's node view draws plain ports itself (js/node-view.js): the elements X6's own view makes, and X6's view draws any other port"
    page = app
    ready(page)
    assert page.evaluate('''() => fastflow.g.getNodes().every(n => Object.hasOwn(Object.getPrototypeOf(fastflow.g.findViewByCell(n)), 'renderPorts'))''')
    ours = page.evaluate(PORTS)
    assert ours['check']['yes'][3] == 'yes' and ours['load']['in-0'][3] is None   # named ports say their name on hover
    # the same nodes drawn again by X6's own NodeView (the prototype fastflow's view extends)
    page.evaluate('''() => { for (const n of fastflow.g.getNodes()) { const v = fastflow.g.findViewByCell(n)
        v.removePorts(); v.cleanPortsCache(); Object.getPrototypeOf(Object.getPrototypeOf(v)).renderPorts.call(v) } }''')
    theirs = page.evaluate(PORTS)
    assert ours.keys() == theirs.keys()
    for nid in ours:
        assert ours[nid].keys() == theirs[nid].keys(), nid
        for port, (m, g, c, title) in ours[nid].items():
            assert m == pytest.approx(theirs[nid][port][0], abs=1e-4) and (g, c, title) == tuple(theirs[nid][port][1:]), (nid, port)
    # a port with a label is X6's to draw
    page.evaluate('''() => fastflow.g.getCellById('llm').addPort({id: 'extra', group: 'in', args: {x: 0, y: 10}, attrs: {text: {text: 'extra'}}})''')
    page.wait_for_timeout(100)
    assert page.evaluate('''() => !!document.querySelector('g[data-cell-id="llm"] .x6-port-label')''')
    assert set(page.evaluate(PORTS)['llm']) == {'in-0', 'out-0', 'extra'}

# each edge's ends and path as drawn
ENDS = '''() => Object.fromEntries(fastflow.g.getEdges().map(e => { const v = fastflow.g.findViewByCell(e)
  return [`${e.getSourceCellId()}:${e.getSourcePortId()}>${e.getTargetCellId()}:${e.getTargetPortId()}`,
          [v.sourceAnchor, v.sourcePoint, v.targetPoint, v.targetAnchor].flatMap(p => [p.x, p.y]).concat([v.findOne('line')?.getAttribute('d') ?? v.container.querySelector('path')?.getAttribute('d')])] }))'''

@pytest.mark.parametrize('path', ['/', '/?direction=TB', '/custom'])
def test_edges_meet_ports_where_x6_measures_them(app, path):
    "fastflow finds a port's circle, where edges meet it and route from it, from the node's model (js/node-view.js, plainPort): the same points and paths as X6 gets by measuring the circle in the page, on every outline, a table's column ports, left to right and top to bottom"
    page = app
    ready(page, path, 'users' if path == '/custom' else 'end')
    ours = page.evaluate(ENDS)
    assert ours and page.evaluate("() => fastflow.g.options.connecting.connectionPoint") == 'fastflow-port'
    # the same edges drawn again by X6 alone: its connection point, its node view's measures
    page.evaluate('''() => { const g = fastflow.g; g.options.connecting.connectionPoint = 'boundary'
        for (const n of g.getNodes()) { const v = g.findViewByCell(n); v.getBBoxOfElement = Object.getPrototypeOf(Object.getPrototypeOf(v)).getBBoxOfElement; v.cleanCache() }
        for (const e of g.getEdges()) g.findViewByCell(e).update() }''')
    theirs = page.evaluate(ENDS)
    assert ours.keys() == theirs.keys()
    for k in ours:
        assert ours[k][:8] == pytest.approx(theirs[k][:8], abs=0.01) and ours[k][8] == theirs[k][8], (k, ours[k], theirs[k])

VIEWS = '''() => { const g = fastflow.g, a = g.getGraphArea(), views = g.renderer.schedule.views
  const inView = g.getNodes().filter(n => a.isIntersectWithRect(n.getBBox())).map(n => n.id)
  const drawn = [...document.querySelectorAll('.fastflow-canvas g[data-cell-id] .ff-node')].map(e => e.closest('g[data-cell-id]').getAttribute('data-cell-id'))
  return {inView, drawn, views: Object.keys(views).length, cells: g.getCellCount(), zoom: g.zoom()} }'''

def test_a_big_graph_draws_what_is_in_view_and_the_rest_when_it_comes_near(app):
    "Past 300 nodes only the cells near the view get views (js/lazy-views.js): what is in view is drawn at once, a far node when the view gets there, as its model says"
    page = app
    page.goto(page.srv.url + '/chain?n=500')
    page.wait_for_selector('.fastflow-canvas g[data-cell-id="n0"] .ff-node')
    v = page.evaluate(VIEWS)
    assert v['cells'] == 999 and v['zoom'] == pytest.approx(0.6) and v['inView'] and set(v['inView']) <= set(v['drawn'])
    assert v['views'] < 100 and 'n480' not in v['drawn']   # the far end has no views yet
    # a status for a node far out of view is kept in its model, and drawn once the node comes into view
    assert page.evaluate("fastflow.setNodeStatus('g', 'n480', 'error', {message: 'far away'})") is True
    page.evaluate("() => fastflow.g.centerCell(fastflow.g.getCellById('n480'))")
    page.wait_for_selector('g[data-cell-id="n480"] .ff-node.ff-error')
    page.wait_for_function("() => document.querySelector('g[data-cell-id=\"n480\"] .ff-sub')?.textContent === 'far away'")
    v = page.evaluate(VIEWS)
    assert 'n480' in v['inView'] and set(v['inView']) <= set(v['drawn'])
    # and the edges between the nodes in view are drawn too
    page.wait_for_function("() => ['n479', 'n480'].every(id => fastflow.g.getConnectedEdges(id).some(e => document.querySelector(`g.x6-edge[data-cell-id=\"${e.id}\"] path`)))")

# in every frame: the nodes and edges in view, and how many of each are drawn
WATCH_BIG = """window.ffFrames = []
const look = () => {
  const g = window.fastflow?.g, c = document.querySelector('.fastflow-canvas')
  if (g && c && g.getNodes().length) {
    const a = g.getGraphArea()
    const cells = g.getCells().filter(x => a.isIntersectWithRect(x.isEdge() ? x.getBBox().inflate(1) : x.getBBox()))
    const drawn = cells.filter(x => c.querySelector(`g[data-cell-id="${CSS.escape(x.id)}"] ${x.isEdge() ? 'path' : '.ff-node'}`))
    const count = (xs, edge) => xs.filter(x => x.isEdge() === edge).length
    window.ffFrames.push({nodes: count(cells, false), edges: count(cells, true), drawnNodes: count(drawn, false), drawnEdges: count(drawn, true)})
  }
  requestAnimationFrame(look)
}
requestAnimationFrame(look)"""

@pytest.mark.parametrize('hidden', [0, 1])
def test_a_big_graph_is_shown_whole_from_its_first_frame(app, hidden):
    "A big graph draws the nodes and the edges in view in the frame it is mounted, or first shown when mounted in a hidden tab: no frame shows its nodes without their edges, or before its fit"
    page = app
    page.add_init_script(WATCH_BIG)
    page.goto(page.srv.url + f'/layers?hidden={hidden}')
    if hidden:
        page.wait_for_function('() => window.fastflow?.g')
        page.wait_for_timeout(300)
        page.evaluate("document.getElementById('tab').style.display = 'block'")
    page.wait_for_selector('.fastflow-canvas g[data-cell-id="n0"] .ff-node')
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    frames = [f for f in page.evaluate('window.ffFrames') if f['drawnNodes']]
    assert frames and frames[0]['nodes'] > 20 and frames[0]['edges'] > 20, frames[:1]
    assert all(f == frames[0] and f['drawnNodes'] == f['nodes'] and f['drawnEdges'] == f['edges'] for f in frames), frames[:3]

EDGE_PATHS = '''() => fastflow.g.getEdges().map(e => {
  const v = fastflow.g.findViewByCell(e)
  const pts = [v.sourcePoint, ...v.routePoints, v.targetPoint].map(p => ({x: p.x, y: p.y}))
  return {source: e.getSourceCellId(), target: e.getTargetCellId(), pts}
})'''

def crosses(p, q, box, pad=1):
    "Does the axis-parallel or slanted segment p-q enter `box` (shrunk by `pad`)?"
    x0, y0, x1, y1 = box['x'] + pad, box['y'] + pad, box['x'] + box['width'] - pad, box['y'] + box['height'] - pad
    for k in range(101):
        x, y = p['x'] + (q['x'] - p['x']) * k / 100, p['y'] + (q['y'] - p['y']) * k / 100
        if x0 < x < x1 and y0 < y < y1: return True
    return False

@pytest.mark.parametrize('path', ['/', '/placed'])
def test_edges_go_around_nodes(app, path):
    page = app
    ready(page, path, 'save')
    screenshot(page, f'look-edges{path.replace("/", "-")}')
    boxes = page.evaluate('''() => Object.fromEntries(fastflow.g.getNodes().map(n => [n.id, n.getBBox()]))''')
    for e in page.evaluate(EDGE_PATHS):
        for nid, box in boxes.items():
            if nid in (e['source'], e['target']): continue
            assert not any(crosses(p, q, box) for p, q in zip(e['pts'], e['pts'][1:])), (e, nid)

def test_edge_labels_and_line_styles(app):
    page = app
    ready(page)
    label = page.evaluate('''() => { const t = document.querySelector('.ff-edge-label'); const bg = document.querySelector('.ff-edge-label-bg')
        return {font: getComputedStyle(t).fontFamily, bg: getComputedStyle(bg).fill, text: [...document.querySelectorAll('.ff-edge-label')].map(e => e.textContent).sort()} }''')
    assert 'serif' not in label['font'].replace('sans-serif', '') and label['bg'] == 'rgb(255, 255, 255)'
    assert label['text'] == ['no', 'yes']
    dash = page.evaluate('''() => Object.fromEntries(fastflow.g.getEdges().map(e => [e.getTargetCellId(), e.attr('line/strokeDasharray')]))''')
    assert dash['tool'] == '6 4' and dash['llm'] is None

def test_edges_settle_and_reruns_start_clean(app):
    page = app
    ready(page)
    out = page.evaluate(RUN, ['/run'])
    assert out['nodeId'] == 'tool'
    page.wait_for_timeout(300)
    screenshot(page, 'look-run-error-light')
    shot(page, '#g', 'editor-run-error-light')
    edges = page.evaluate('''() => Object.fromEntries(fastflow.g.getEdges().map(e =>
        [e.getSourceCellId() + '>' + e.getTargetCellId(), [e.attr('line/stroke'), e.attr('line/style/animation') || null]]))''')
    green, grey = ['#52c41a', None], ['#cbd5e1', None]
    assert edges == {'start>load': green, 'load>check': green, 'check>llm': green, 'check>tool': green,
                     'llm>save': green, 'tool>save': grey, 'save>end': grey}, edges
    # a rerun starts from clean edges, and ends settled again
    page.evaluate('''() => { window.seen = []; fastflow.connectExecution('g', '/run-ok', {onEvent: (k, d) => {
        if (k === 'nodeStatus' && d.nodeId === 'start' && d.status === 'running')
          window.seen.push(fastflow.g.getEdges().map(e => e.attr('line/stroke')))
      }, onComplete: d => window.done = d}) }''')
    page.wait_for_function('window.done')
    assert all(s == '#94a3b8' for s in page.evaluate('window.seen')[0])
    page.wait_for_timeout(100)
    assert {tuple(v) for v in page.evaluate('''() => fastflow.g.getEdges().map(e => [e.attr('line/stroke'), e.attr('line/style/animation') || null])''')} == {('#52c41a', None)}

def test_details_panel(app):
    page = app
    ready(page)
    page.evaluate(RUN, ['/run'])
    page.wait_for_timeout(200)
    card = page.inner_text('g[data-cell-id="tool"] .ff-sub')
    assert card.startswith('ValueError: geo API refused') or 'geo API' in card
    page.click('g[data-cell-id="tool"] .ff-label')
    panel = page.locator('.ff-details')
    panel.wait_for()
    screenshot(page, 'look-details-light')
    text = panel.inner_text()
    assert 'quota exceeded for today' in text and 'Geocode' in text and 'error' in text  # the full message
    page.keyboard.press('Escape')
    assert page.locator('.ff-details').is_hidden()
    # a result: collapsible JSON, capped
    page.click('g[data-cell-id="llm"] .ff-label')
    res = page.locator('.ff-details-section', has_text='Result')
    assert res.get_attribute('open') is not None
    body = res.locator('pre').inner_text()
    assert '"rows": [' in body and 'more characters' in body and len(body) < 21_000
    # the panel is as tall as what it holds: a long result fills the canvas (and scrolls), no more
    host, box = page.locator('.fastflow-host').first.bounding_box(), panel.bounding_box()
    assert box['y'] + box['height'] <= host['y'] + host['height'] - 9 and box['height'] > host['height'] / 2, (box, host)
    page.locator('.ff-details-close').click()
    assert page.locator('.ff-details').is_hidden()
    # ... and a node that has not run, a few lines: the rest of the graph stays in sight
    page.evaluate("() => { const a = fastflow.g.getGraphArea(); fastflow.addNode('g', {id: 'later', x: a.x + 20, y: a.y + a.height - 70, label: 'Later'}) }")
    page.click('g[data-cell-id="later"] .ff-label')
    assert 'Not run yet.' in panel.inner_text() and panel.bounding_box()['height'] < 160

def test_details_of_each_failed_node_are_its_own(app):
    "Two nodes fail: each one's panel says its own error, not the flow's summary of both (which the run's last event carries)"
    page = app
    ready(page)
    page.evaluate(RUN, ['/run-two'])
    panel = page.locator('.ff-details')
    for node, own in (('tool', 'quota exceeded for today'), ('llm', 'RuntimeError: the model is overloaded')):
        page.click(f'g[data-cell-id="{node}"] .ff-label')
        panel.wait_for()
        text = panel.inner_text()
        assert own in text and '2 nodes failed' not in text, (node, text)
        page.keyboard.press('Escape')

def test_the_details_of_a_node_that_ran_show_its_inputs(app):
    "Its parents' results; on a branch, what the server sent (the value the decision decided on)"
    page = app
    ready(page)
    page.evaluate(RUN, ['/run'])
    page.click('g[data-cell-id="save"] .ff-label')  # never ran (a parent failed): no inputs
    page.locator('.ff-details').wait_for()
    assert 'Inputs' not in [t.strip().title() for t in page.locator('.ff-details summary').all_inner_texts()]
    page.keyboard.press('Escape')
    page.click('g[data-cell-id="llm"] .ff-label')
    shown = page.locator('.ff-details-section', has_text='Inputs').locator('pre').text_content()
    assert shown.startswith('{\n  "check": {\n    "rows": [') and 'more characters' in shown  # collapsed at first, capped
    inputs = page.evaluate("fastflow.g.fastflowRunInfo.get('llm').inputs")
    assert list(inputs) == ['check'] and inputs['check']['from'] == ['load'], inputs
    page.keyboard.press('Escape')
    got = page.evaluate('''async () => { const g = fastflow.g, r = fastflow.TYPE_LOOKS
        const done = new Promise(res => fastflow.connectExecution('g', '/run-branchy', {onComplete: res, onError: res}))
        await done; return Object.fromEntries(['llm', 'tool', 'save'].map(id => [id, g.fastflowRunInfo.get(id)?.inputs ?? null])) }''')
    assert got == {'llm': {'check': 7}, 'tool': None, 'save': {'llm': {'got': {'check': 7}}}}, got

def test_a_failed_node_shows_its_traceback_where_the_executor_sends_it(app):
    "FlowExecutor(tracebacks=True): the details panel of a node whose handler raised shows the traceback, as Python prints it"
    page = app
    ready(page)
    for url, sent in (('/run', False), ('/run-tb', True)):
        page.evaluate(RUN, [url])
        page.click('g[data-cell-id="tool"] .ff-label')
        panel = page.locator('.ff-details')
        panel.wait_for()
        titles = panel.locator('summary').all_inner_texts()
        assert ('Traceback' in [t.strip().title() for t in titles]) == sent, (url, titles)
        if sent:
            tb = panel.locator('.ff-details-traceback').inner_text()
            assert tb.startswith('Traceback (most recent call last)') and 'in bad' in tb and 'ValueError: geo API refused' in tb, tb
            screenshot(page, 'look-details-traceback')
        page.keyboard.press('Escape')

def test_looks_from_python(app):
    page = app
    ready(page, '/custom', 'h1')
    screenshot(page, 'look-custom-light')
    # a table: a row per column with its key mark, one port per column on each side, level with its row
    cols = page.inner_text('g[data-cell-id="orders"] .ff-table-cols')
    assert cols.split() == ['🔑', 'id', 'int', '🔗', 'user_id', 'int', 'total', 'real']
    ports = page.evaluate('''() => { const n = fastflow.g.getCellById('orders')
        return Object.fromEntries(Object.entries({...n.getPortsPosition('in'), ...n.getPortsPosition('out')}).map(([k, v]) => [k, v.position])) }''')
    assert set(ports) == {'id', 'user_id', 'total', 'id:out', 'user_id:out', 'total:out'}
    rows = page.evaluate('''() => [...document.querySelectorAll('g[data-cell-id="orders"] .ff-col')].map(r => r.offsetTop + r.offsetHeight / 2)''')
    assert [ports[c]['y'] for c in ('id', 'user_id', 'total')] == pytest.approx(rows, abs=2)
    edge = page.evaluate("() => { const e = fastflow.g.getEdges()[0]; return [e.getSourcePortId(), e.getTargetPortId()] }")
    assert edge == ['user_id:out', 'id']
    # a type's look from graph_spec(looks=...), and an HTML template filled in as text
    audit = page.evaluate('''() => [document.querySelector('g[data-cell-id="a1"] .ff-node').style.getPropertyValue('--ff-type'),
        document.querySelector('g[data-cell-id="a1"] .ff-icon').textContent, fastflow.g.getCellById('a1').getData().shape]''')
    assert audit == ['#0f766e', '🧾', 'pill']
    assert page.inner_text('g[data-cell-id="h1"] .t-owner') == 'ann <ann@x.org>'
    flow = page.evaluate("fastflow.exportFlow('g')")
    assert {n['id']: n.get('shape') for n in flow['nodes']} == {'users': None, 'orders': None, 'a1': None, 'h1': None}

def test_long_chain_fit_and_tidy(app):
    page = app
    ready(page, '/chain', 'n0')
    screenshot(page, 'look-chain-100')
    state = page.evaluate('''() => { const g = fastflow.g, s = g.transform.getScale().sx
        const r = document.querySelector('g[data-cell-id="n0"]').getBoundingClientRect(), c = g.container.getBoundingClientRect()
        return {scale: s, n0: r.left >= c.left && r.right <= c.right && r.top >= c.top && r.bottom <= c.bottom,
                minimap: getComputedStyle(document.querySelector('.ff-minimap')).visibility} }''')
    assert state['scale'] >= 0.6 and state['n0'] and state['minimap'] == 'visible'
    # tidy up top to bottom: the chain runs down
    page.locator('.ff-direction').click()
    page.wait_for_function("fastflow.g.getCellById('n1').getPosition().y > fastflow.g.getCellById('n0').getPosition().y + 40")
    xs = page.evaluate("() => fastflow.g.getNodes().slice(0, 5).map(n => n.getPosition().x)")
    assert len(set(xs)) == 1
    side = page.evaluate("fastflow.g.getCellById('n3').getData().portPositions")
    assert side == {'inputs': 'top', 'outputs': 'bottom'}

def test_dark_theme_and_small_screen(app, browser):
    page = app
    ctx = browser.new_context(viewport={'width': 390, 'height': 700}, color_scheme='dark')
    try:
        pg = ctx.new_page()
        errors = []
        pg.on('pageerror', lambda e: errors.append(str(e)))
        pg.srv = page.srv
        ready(pg)
        pg.wait_for_timeout(200)
        screenshot(pg, 'look-flowchart-dark-390')
        got = pg.evaluate('''() => { const host = document.querySelector('.fastflow-host'), bar = host.querySelector('.ff-toolbar')
            const canvas = host.querySelector('.fastflow-canvas').getBoundingClientRect(), b = bar.getBoundingClientRect()
            const label = document.querySelector('g[data-cell-id="llm"] .ff-label')
            return {bg: getComputedStyle(host).backgroundColor, text: getComputedStyle(label).color,
                    pending: getComputedStyle(label.closest('.ff-node').querySelector('.ff-bar')).backgroundColor,
                    fits: bar.scrollWidth <= bar.clientWidth && b.right <= innerWidth, above: b.bottom <= canvas.top + 0.5} }''')
        assert got['bg'] == 'rgb(15, 17, 21)' and got['text'] == 'rgb(229, 231, 235)', got
        assert got['pending'] == 'rgb(75, 85, 99)', got   # a pending node's bar is quiet on a dark card, not a light stripe
        assert got['fits'] and got['above'], got
        assert not errors
    finally:
        ctx.close()
    # JupyterLab's dark theme wins over a light system preference, and its light theme over a dark one
    ready(page)
    page.evaluate("document.body.dataset.jpThemeLight = 'false'")
    assert page.evaluate("getComputedStyle(document.querySelector('.fastflow-host')).backgroundColor") == 'rgb(15, 17, 21)'
    page.evaluate("document.body.dataset.jpThemeLight = 'true'")
    assert page.evaluate("getComputedStyle(document.querySelector('.fastflow-host')).backgroundColor") == 'rgb(248, 250, 252)'
    assert page.evaluate("getComputedStyle(document.querySelector('g[data-cell-id=\"llm\"] .ff-bar')).backgroundColor") == 'rgb(217, 217, 217)'
    # theme='dark' forces it
    ready(page, '/?theme=dark')
    page.evaluate(RUN, ['/run'])
    page.wait_for_timeout(300)
    page.click('g[data-cell-id="tool"] .ff-label')
    page.locator('.ff-details').wait_for()
    screenshot(page, 'look-details-dark')
    shot(page, '#g', 'editor-details-dark')
    assert page.evaluate("getComputedStyle(document.querySelector('.fastflow-host')).backgroundColor") == 'rgb(15, 17, 21)'

def test_a_narrow_editor_reaches_every_button(app):
    "A toolbar wider than its editor scrolls to every button (none cut off at the left), and the minimap makes room"
    page = app
    ready(page, '/narrow')
    got = page.evaluate('''() => { const host = document.querySelector('.fastflow-host'), bar = host.querySelector('.ff-toolbar')
        const first = bar.querySelector('.ff-btn'), h = host.getBoundingClientRect()
        bar.scrollLeft = 0
        const a = first.getBoundingClientRect()
        bar.scrollLeft = bar.scrollWidth
        const last = [...bar.querySelectorAll('.ff-btn')].at(-1).getBoundingClientRect()
        return {width: h.width, scrolls: bar.scrollWidth > bar.clientWidth, firstIn: a.left >= h.left - 0.5,
                lastIn: last.right <= h.right + 0.5, minimap: getComputedStyle(host.querySelector('.ff-minimap')).display} }''')
    assert got['width'] < 200 and got['scrolls'], got
    assert got['firstIn'] and got['lastIn'], got
    assert got['minimap'] == 'none', got

def test_the_tutorials_own_node_html_reads_in_the_dark(browser):
    "The spec's updateNodeStatus writes its label in #374151; on a dark card it is drawn light, and stays as written in light"
    from conftest import Server
    import tempfile, shutil
    d = Path(tempfile.mkdtemp())
    shutil.copy(ROOT/'examples'/'python_exec_tutorial.py', d)
    srv = Server(d, 'python_exec_tutorial')
    try:
        for scheme, want in (('dark', 'rgb(229, 231, 235)'), ('light', 'rgb(55, 65, 81)')):
            ctx = browser.new_context(color_scheme=scheme)
            ctx.route(lambda u: not u.startswith(srv.url), lambda r: r.abort())
            pg = ctx.new_page()
            pg.goto(srv.url + '/')
            pg.wait_for_selector('.fastflow-canvas g[data-cell-id="save"] .ff-node')
            pg.evaluate("document.documentElement.style.colorScheme = 'light dark'")  # what the page's Pico (a CDN's, blocked here) says
            pg.evaluate("updateNodeStatus(window.fastflow['my-pipeline'], 'load', 'success')")
            label = '''() => [...document.querySelectorAll('g[data-cell-id="load"] foreignObject div[style*="color: #374151"]')].find(e => e.textContent === 'Load Data')'''
            pg.wait_for_function(label)   # X6 draws the new HTML in its next frame
            color = pg.evaluate(f'() => getComputedStyle(({label})()).color')
            assert color == want, (scheme, color)
            ctx.close()
    finally:
        srv.stop()

# ---------------------------------------------------------------- the two tutorials' apps

from conftest import ROOT, cdn_urls

def test_flowchart_tutorial(serve, page):
    srv = serve(ROOT/'examples'/'flowchart.py', module='flowchart')
    page.watch.allowed_outside |= cdn_urls(srv.get('/'))  # fast_app's default CDN headers can't load offline
    page.goto(srv.url + '/')
    page.wait_for_selector('.fastflow-canvas g[data-cell-id="waiting"] .ff-node')
    page.evaluate("() => fastflow.orders.fastflowLayout")
    page.wait_for_timeout(300)
    screenshot(page, 'tutorial-flowchart')
    shapes = page.evaluate('''() => Object.fromEntries(fastflow.orders.getNodes().map(n => [n.id, n.getData().shape]))''')
    assert shapes == {'start': 'pill', 'stock': 'parallelogram', 'check': 'diamond', 'pack': 'card', 'notify': 'parallelogram',
                      'shipped': 'pill', 'backorder': 'card', 'waiting': 'pill'}
    assert sorted(page.evaluate("() => [...document.querySelectorAll('.ff-edge-label')].map(e => e.textContent)")) == ['no', 'yes']
    edge = '''target => { const e = fastflow.orders.getEdges().find(e => e.getSourceCellId() === 'check' && e.getTargetCellId() === target)
        return {status: e.getData().status, lineStyle: e.getData().lineStyle ?? null, port: e.getSourcePortId(),
                stroke: e.attr('line/stroke'), dash: e.attr('line/strokeDasharray') ?? null} }'''
    drawn = {t: page.evaluate(edge, t) for t in ('pack', 'backorder')}
    assert (drawn['pack']['port'], drawn['backorder']['port']) == ('yes', 'no')
    assert (drawn['pack']['dash'], drawn['backorder']['dash']) == (None, '6 4')  # the exceptional branch is dashed
    for order, taken, skipped in (('in-stock', 'pack', 'backorder'), ('sold-out', 'backorder', 'pack')):
        page.select_option('#order', order)
        page.get_by_role('button', name='▶ Run').click()
        page.wait_for_function("() => !fastflow.orders.fastflowRun && fastflow.orders.getCellById('shipped').getData().status !== 'pending'", timeout=20_000)
        page.wait_for_timeout(300)
        screenshot(page, f'tutorial-flowchart-{order}')
        shot(page, '#orders', f'editor-flowchart-{order}')
        status = page.evaluate('''() => Object.fromEntries(fastflow.orders.getNodes().map(n => [n.id, n.getData().status]))''')
        assert status[taken] == 'success' and status[skipped] == 'skipped', status
        moving = page.evaluate("() => fastflow.orders.getEdges().filter(e => e.attr('line/style/animation')).length")
        assert moving == 0
        # the edges from the decision settle: green into the branch taken, grey into the one not taken, each in its own line style
        took, left = page.evaluate(edge, taken), page.evaluate(edge, skipped)
        assert (took['status'], took['stroke'], took['dash']) == ('success', '#52c41a', drawn[taken]['dash']), took
        assert (left['status'], left['stroke']) == ('skipped', '#cbd5e1'), left
        assert left['dash'] == drawn[skipped]['dash'] and left['lineStyle'] == drawn[skipped]['lineStyle'], left

def test_er_diagram_tutorial(serve, page):
    srv = serve(ROOT/'examples'/'er_diagram.py', module='er_diagram')
    page.watch.allowed_outside |= cdn_urls(srv.get('/'))
    page.goto(srv.url + '/')
    page.wait_for_selector('.fastflow-canvas g[data-cell-id="order_items"] .ff-table-cols')
    page.evaluate("() => fastflow.schema.fastflowLayout")
    page.wait_for_timeout(300)
    screenshot(page, 'tutorial-er-diagram')
    shot(page, '#schema', 'editor-er-diagram')
    rows = page.inner_text('g[data-cell-id="orders"] .ff-table-cols').split()
    assert rows == ['🔑', 'id', 'integer', '🔗', 'user_id', 'integer', 'placed_at', 'text']
    # a link table's columns are its key and foreign keys: both marks, and the names still line up
    assert page.inner_text('g[data-cell-id="order_items"] .ff-table-cols').split() == ['🔑🔗', 'order_id', 'integer', '🔑🔗', 'product_id', 'integer', 'qty', 'integer']
    assert len({round(b['x']) for b in (page.locator(f'g[data-cell-id="order_items"] .ff-col-name >> nth={i}').bounding_box() for i in range(3))}) == 1
    edges = page.evaluate('''() => fastflow.schema.getEdges().map(e => [e.getSourceCellId(), e.getSourcePortId(), e.getTargetCellId(), e.getTargetPortId()]).sort()''')
    assert edges == [['order_items', 'order_id:out', 'orders', 'id'], ['order_items', 'product_id:out', 'products', 'id'],
                     ['orders', 'user_id:out', 'users', 'id']]
    # every edge leaves its column's row and arrives at the key's row
    for src, sport, tgt, tport in edges:
        y = page.evaluate('''([s, sp, t, tp]) => { const g = fastflow.schema, e = g.getEdges().find(e => e.getSourcePortId() === sp && e.getSourceCellId() === s)
            const v = g.findViewByCell(e); const ps = g.getCellById(s).getPortsPosition('out')[sp].position, pt = g.getCellById(t).getPortsPosition('in')[tp].position
            return [v.sourcePoint.y - g.getCellById(s).getPosition().y - ps.y, v.targetPoint.y - g.getCellById(t).getPosition().y - pt.y] }''', [src, sport, tgt, tport])
        assert all(abs(d) < 1 for d in y), (src, sport, y)
    page.goto(srv.url + '/dark')
    page.wait_for_selector('.fastflow-canvas g[data-cell-id="order_items"] .ff-table-cols')
    page.evaluate("() => fastflow.schema.fastflowLayout")
    page.wait_for_timeout(300)
    screenshot(page, 'tutorial-er-diagram-dark')
    shot(page, '#schema', 'editor-er-diagram-dark')
    assert page.evaluate("document.querySelector('g[data-cell-id=\"users\"] .ff-node').style.getPropertyValue('--ff-type')") == '#0f766e'
    assert page.evaluate("getComputedStyle(document.querySelector('g[data-cell-id=\"users\"] .ff-table-head')).backgroundColor") == 'rgb(15, 118, 110)'

@pytest.mark.parametrize('name', ['flowchart', 'er_diagram'])
def test_tutorial_complete_code_is_the_example(name):
    "The notebook's Complete Code is examples/NAME.py from its imports on, verbatim"
    cells = json.loads((ROOT/'nbs'/'tutorials'/f'{name}.ipynb').read_text(encoding='utf-8'))['cells']
    text = next(''.join(c['source']) for c in cells if ''.join(c['source']).startswith('## Complete code'))
    block = text.split('```python\n', 1)[1].rsplit('```', 1)[0]
    example = (ROOT/'examples'/f'{name}.py').read_text(encoding='utf-8')
    assert example.endswith(block) and example[:-len(block)].rstrip().endswith('"""')

ELK_APP = '''
from fasthtml.common import *
from fastflow import FlowEditor, DAGNode, Edge, fastflow_headers, serve_static

app, rt = fast_app(hdrs=fastflow_headers('/_fastflow'), default_hdrs=False)
serve_static(app)

@rt
def index(placed:int=1):
    at = lambda i: dict(x=100 + 250*i, y=120 + 90*i) if placed else {}
    return FlowEditor(DAGNode('a', label='A', inputs=0, **at(0)), DAGNode('b', label='B', inputs=0, **at(1)),
                      DAGNode('c', label='C', **at(2)), Edge('a', 'c'), Edge('b', 'c'), id='g', height=400)
'''

def test_elk_loads_only_when_a_layout_needs_it(serve, page):
    "ELK is not in the page bundle: served next to it, it is fetched when a graph first needs a layered layout"
    page.srv = serve(ELK_APP)
    asked = []
    page.on('request', lambda r: asked.append(r.url.split('/')[-1].split('?')[0]))
    ready(page, '/?placed=1', 'c')
    assert 'fastflow.js' in asked and 'fastflow-elk.js' not in asked
    assert page.evaluate('window.fastflowELK === undefined')
    # tidy up: ELK is fetched once, and lays the graph out (A and B in one layer, C in the next)
    assert page.evaluate("() => fastflow.tidyUp('g')") is True
    assert asked.count('fastflow-elk.js') == 1 and page.evaluate('typeof window.fastflowELK') == 'function'
    x = page.evaluate("() => ['a', 'b', 'c'].map(id => fastflow.g.getCellById(id).getPosition().x)")
    assert x[0] == x[1] < x[2], x
    # a graph without positions is laid out by ELK when it is mounted
    asked.clear()
    ready(page, '/?placed=0', 'c')
    assert asked.count('fastflow-elk.js') == 1
    x = page.evaluate("() => ['a', 'b', 'c'].map(id => fastflow.g.getCellById(id).getPosition().x)")
    assert x[0] == x[1] < x[2], x

CSP_APP = '''
from fasthtml.common import *
from fastflow import FlowEditor, DAGNode, Edge, fastflow_headers

# the page's policy, first in its head: workers refused, or not
POLICY = [Meta(http_equiv='Content-Security-Policy', content=POLICY_TEXT)] if POLICY_TEXT else []
app, rt = fast_app(hdrs=[*POLICY, *fastflow_headers()], default_hdrs=False)

@rt
def index():
    return FlowEditor(DAGNode('a', label='A', inputs=0), DAGNode('b', label='B', inputs=0), DAGNode('c', label='C'),
                      Edge('a', 'c'), Edge('b', 'c'), id='g', height=400)
'''

@pytest.mark.parametrize('policy', ['', "worker-src 'none'"])
def test_elk_lays_out_in_a_worker_or_in_the_page_where_workers_are_refused(serve, page, policy):
    "ELK runs in a Web Worker (its compiling and its layouts do not hold the page up); a page that refuses workers gets the same layout"
    page.srv = serve(f'POLICY_TEXT = {policy!r}\n' + CSP_APP)
    ready(page, '/', 'c')
    x = page.evaluate("() => ['a', 'b', 'c'].map(id => fastflow.g.getCellById(id).getPosition().x)")
    assert x[0] == x[1] < x[2], x
    in_page = page.evaluate("typeof window.fastflowELKWorker") == 'function'
    assert in_page == bool(policy) and len(page.workers) == (0 if policy else 1)
    # tidy up, top to bottom: ELK again, where it ran first
    assert page.evaluate("() => fastflow.tidyUp('g', {direction: 'TB'})") is True
    y = page.evaluate("() => ['a', 'b', 'c'].map(id => fastflow.g.getCellById(id).getPosition().y)")
    assert y[0] == y[1] < y[2], y
    assert len(page.workers) == (0 if policy else 1)
    # (the browser's own report of the worker it refused is the one error on the page)
    refused = [t for t, _ in page.watch.console_errors if 'violates the following Content Security Policy directive' in t]
    assert len(refused) == (1 if policy else 0) and all('Creating a worker' in t for t in refused)
    page.watch.console_errors = [e for e in page.watch.console_errors if e[0] not in refused]

# every frame from the page's start: is the graph shown, and where are its nodes on the screen
WATCH_FRAMES = """window.ffFrames = []
const look = () => {
  const svg = document.querySelector('#g .fastflow-canvas > .x6-graph-svg')
  if (svg) window.ffFrames.push({shown: getComputedStyle(svg).visibility === 'visible',
    at: ['a', 'b', 'c'].map(id => { const r = document.querySelector(`#g g[data-cell-id="${id}"]`)?.getBoundingClientRect(); return r ? [Math.round(r.x), Math.round(r.y)] : null })})
  requestAnimationFrame(look)
}
requestAnimationFrame(look)"""

def test_a_graph_without_positions_is_shown_where_it_stays(serve, page):
    "Laid out by ELK in its worker, a graph without positions is not shown until ELK has placed it: no node moves by itself under the user's eyes"
    page.srv = serve("POLICY_TEXT = ''\n" + CSP_APP)
    page.add_init_script(WATCH_FRAMES)
    page.goto(page.srv.url + '/')
    page.locator('#g g[data-cell-id="c"] .ff-node').wait_for()   # visible: the user sees it
    assert page.evaluate("() => fastflow.g.fastflowLayout") is True
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    frames = page.evaluate('window.ffFrames')
    shown = [f['at'] for f in frames if f['shown']]
    assert any(not f['shown'] for f in frames) and shown, 'hidden first, then shown'
    assert all(at == shown[-1] for at in shown), shown   # once shown, nowhere else
    assert page.evaluate("document.querySelector('#g').classList.contains('ff-laying-out')") is False

def test_a_graph_is_shown_in_its_quick_layout_when_elk_never_answers(serve, page):
    "A hung ELK hides a graph for 8 s at most: then its quick layout is shown, and stays"
    page.srv = serve('POLICY_TEXT = "worker-src \'none\'"\n' + CSP_APP)
    warnings = []
    page.on('console', lambda m: m.type == 'warning' and warnings.append(m.text))
    # workers refused, and the stand-in for a worker that ELK then runs in never answers
    page.add_init_script("window.fastflowELKWorker = class { postMessage() {} }")
    page.clock.install()
    page.goto(page.srv.url + '/')
    page.wait_for_function("() => window.fastflow?.g?.getNodes().length === 3")
    shown = "() => getComputedStyle(document.querySelector('#g .fastflow-canvas > .x6-graph-svg')).visibility"
    assert page.evaluate(shown) == 'hidden'
    page.clock.run_for(7000)
    assert page.evaluate(shown) == 'hidden'
    page.clock.run_for(1500)
    assert page.evaluate(shown) == 'visible' and page.evaluate("() => fastflow.g.fastflowLayout") is False
    x = page.evaluate("() => ['a', 'b', 'c'].map(id => fastflow.g.getCellById(id).getPosition().x)")
    assert x[0] == x[1] < x[2], x   # the quick layout: in layers too
    assert any('did not lay the graph out within 8 s' in w for w in warnings), warnings
    page.watch.console_errors = [e for e in page.watch.console_errors if 'Creating a worker' not in e[0]]

def test_a_flow_imported_while_elk_works_keeps_its_own_places(serve, page):
    "A layout of the flow an import replaced, answered late, is dropped: the imported flow keeps its positions"
    page.srv = serve('POLICY_TEXT = "worker-src \'none\'"\n' + CSP_APP)
    # workers refused; the stand-in ELK runs in answers a layout 400 ms late, every node at (999, 999)
    page.add_init_script("""window.fastflowELKWorker = class {
      postMessage(m) {
        const data = m.cmd === 'layout' ? {...m.graph, children: m.graph.children.map(c => ({...c, x: 999, y: 999}))} : undefined
        setTimeout(() => this.onmessage({data: {id: m.id, data}}), m.cmd === 'layout' ? 400 : 0)
      }
    }""")
    page.goto(page.srv.url + '/')
    page.wait_for_function("() => window.fastflow?.g?.getNodes().length === 3")
    placed = page.evaluate("""() => { const flow = fastflow.exportFlow('g')
      flow.nodes.forEach((n, i) => Object.assign(n, {x: 100 + 300 * i, y: 80})); fastflow.importFlow('g', flow)
      return fastflow.g.getNodes().map(n => n.getPosition()) }""")
    page.wait_for_timeout(800)
    assert page.evaluate("() => fastflow.g.getNodes().map(n => n.getPosition())") == placed == [{'x': 100 + 300 * i, 'y': 80} for i in range(3)]
    page.locator('#g g[data-cell-id="c"] .ff-node').wait_for()   # shown
    page.watch.console_errors = [e for e in page.watch.console_errors if 'Creating a worker' not in e[0]]

def test_a_graph_is_shown_when_elk_cannot_be_loaded(serve, page):
    "ELK's file missing (served next to the bundle, here gone): its worker fails, the page can't load it either, and the graph is shown at once in its quick layout"
    gone = ("serve_static(app)\nfrom starlette.routing import Route\n"
            "app.router.routes.insert(0, Route('/_fastflow/fastflow-elk.js', lambda req: Response('gone', status_code=404)))\n")
    page.srv = serve(ELK_APP.replace('serve_static(app)\n', gone))
    warnings, infos = [], []
    page.on('console', lambda m: (warnings if m.type == 'warning' else infos).append(m.text))
    page.goto(page.srv.url + '/?placed=0')
    page.locator('#g g[data-cell-id="c"] .ff-node').wait_for(timeout=5000)   # shown, not after ELK's 8 s
    assert page.evaluate("() => fastflow.g.fastflowLayout") is True   # (by the quick layout)
    x = page.evaluate("() => ['a', 'b', 'c'].map(id => fastflow.g.getCellById(id).getPosition().x)")
    assert x[0] == x[1] < x[2], x
    assert any('ELK runs in the page (no worker' in i for i in infos) and any('ELK layout failed' in w for w in warnings), (infos, warnings)
    page.watch.console_errors = [e for e in page.watch.console_errors if 'Failed to load resource' not in e[0]]

MANY_APP = '''
from fasthtml.common import *
from fastflow import FlowEditor, DAGNode, Edge, fastflow_headers

app, rt = fast_app(hdrs=fastflow_headers(), default_hdrs=False)

def chain(gid, n, direction):
    return FlowEditor(*[DAGNode(f'n{i}', label=f'N{i}', inputs=1 if i else 0) for i in range(n)],
                      *[Edge(f'n{i}', f'n{i+1}') for i in range(n - 1)], id=gid, height=260, direction=direction)

@rt
def index(): return Div(chain('g1', 3, 'LR'), chain('g2', 4, 'TB'), chain('g3', 5, 'LR'))
'''

def test_graphs_of_one_page_share_elks_worker_and_each_gets_its_layout(serve, page):
    "Three graphs without positions on one page: one ELK worker lays each out (its own direction), and each is shown once laid out"
    page.srv = serve(MANY_APP)
    page.goto(page.srv.url + '/')
    for gid, n in (('g1', 3), ('g2', 4), ('g3', 5)):
        page.locator(f'#{gid} g[data-cell-id="n{n - 1}"] .ff-node').wait_for()
        assert page.evaluate(f"() => fastflow.{gid}.fastflowLayout") is True
        at = page.evaluate(f"() => fastflow.{gid}.getNodes().map(n => n.getPosition())")
        along, across = ('y', 'x') if gid == 'g2' else ('x', 'y')
        assert [p[along] for p in at] == sorted(p[along] for p in at) and len({p[along] for p in at}) == n, at
        assert len({p[across] for p in at}) == 1, at   # a chain: one line
    assert len(page.workers) == 1

def test_inlined_elk_runs_only_when_a_layout_needs_it(app):
    "fastflow_headers() inlines ELK as text the browser does not run until a layout needs it"
    page = app
    ready(page, '/placed', 'save')
    assert page.evaluate("document.querySelector('script.fastflow-elk').type") == 'text/plain'
    assert page.evaluate('window.fastflowELK === undefined')
    before = page.evaluate("() => fastflow.g.getCellById('save').getPosition()")
    assert page.evaluate("() => fastflow.tidyUp('g')") is True
    assert page.evaluate('typeof window.fastflowELK') == 'function'
    assert page.evaluate("() => fastflow.g.getCellById('save').getPosition()") != before

AUTO = """() => ({dir: fastflow.g.fastflowOptions.direction, at: fastflow.g.getNodes().map(n => [n.getBBox().center.x, n.getBBox().center.y]),
  size: Object.fromEntries(fastflow.g.getNodes().map(n => [n.id, n.getSize().width])),
  cut: [...document.querySelectorAll('.fastflow-canvas .ff-label')].filter(l => l.scrollWidth > l.clientWidth + 1).map(l => l.textContent)})"""

@pytest.mark.parametrize('width,placed,want', [(1280, 0, 'LR'), (390, 0, 'TB'), (390, 1, 'LR'), (390, 2, 'LR')])
def test_a_graph_laid_out_by_the_editor_runs_down_a_narrow_screen(app, browser, width, placed, want):
    "direction 'auto' (the default): top to bottom in an editor under 600 px wide, unless a node has a place (placed left to right)"
    ctx = browser.new_context(viewport={'width': width, 'height': 800})
    try:
        pg = ctx.new_page(); pg.srv = app.srv
        ready(pg, f'/auto?placed={placed}', 'n3')
        got = pg.evaluate(AUTO)
        assert got['dir'] == want, got
        xs, ys = zip(*got['at'])
        if placed != 2: assert (len(set(xs)) == 1) == (want == 'TB') and (len(set(ys)) == 1) == (want == 'LR'), got
        assert pg.evaluate("fastflow.g.getCellById('n3').getData().portPositions.inputs") == ('top' if want == 'TB' else 'left')
        screenshot(pg, f'look-auto-{width}-{placed}')
    finally: ctx.close()

def test_a_long_label_widens_its_node_and_is_shown_whole(app):
    page = app
    ready(page, '/auto?placed=1', 'n3')
    got = page.evaluate(AUTO)
    # short labels keep the default width; a longer one widens its node to show it whole, up to 110 px more (the rest is cut)
    assert got['size']['n0'] == got['size']['n3'] == 180 and 180 < got['size']['n2'] < 290 and got['size']['n1'] == 190 + 110, got['size']
    assert got['cut'] == ['Email the tracking number to the customer'], got

def test_a_dark_type_colour_still_outlines_its_node_on_a_dark_canvas(app, browser):
    "`end` is a dark slate: lifted towards white where the canvas is dark, its pill's outline stays visible (>= 3:1)"
    ctx = browser.new_context(viewport={'width': 1280, 'height': 700}, color_scheme='dark')
    try:
        pg = ctx.new_page(); pg.srv = app.srv
        ready(pg)
        contrast = '''() => { const css = (el, p) => getComputedStyle(el).getPropertyValue(p)
            const rgb = (v) => { const n = v.match(/[\\d.]+/g).map(Number).slice(0, 3)  // rgb(r, g, b), or a colour-mix's color(srgb r g b)
                return v.startsWith('color(') ? n.map(x => x * 255) : n }
            const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4 }).reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0)
            const outline = document.querySelector('g[data-cell-id="end"] .ff-outline'), host = document.querySelector('.fastflow-host')
            const a = lum(rgb(getComputedStyle(outline).stroke)), b = lum(rgb(getComputedStyle(host).backgroundColor))
            return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) }'''
        assert pg.evaluate(contrast) >= 3
        pg.evaluate(RUN, ['/run-ok'])  # and once a run has drawn each node's status (the outline is drawn again)
        assert pg.evaluate("fastflow.g.getCellById('end').getData().status") == 'success'
        assert pg.evaluate(contrast) >= 3
    finally: ctx.close()

def test_an_editor_is_as_light_or_dark_as_its_page(app, browser):
    "A page that says nothing of dark stays light, its editor too, whatever the system prefers; one that supports dark follows the system"
    for meta, scheme, want in ((False, 'dark', 'light'), (True, 'dark', 'dark'), (True, 'light', 'light'), (False, 'light', 'light')):
        ctx = browser.new_context(viewport={'width': 1280, 'height': 700}, color_scheme=scheme)
        try:
            pg = ctx.new_page(); pg.srv = app.srv
            def plain(r):  # the same page without its word on dark
                res = r.fetch(); r.fulfill(response=res, body=res.text().replace('<meta name="color-scheme" content="light dark">', ''))
            if not meta: pg.route(app.srv.url + '/', plain)
            ready(pg)
            bg = pg.evaluate("getComputedStyle(document.querySelector('.fastflow-host')).backgroundColor")
            assert bg == {'light': 'rgb(248, 250, 252)', 'dark': 'rgb(15, 17, 21)'}[want], (meta, scheme, bg)
        finally: ctx.close()
