"Issue 10's smaller breaks, in Chromium: hidden editors, unknown ports, pasted ids, read-only API, importFlow, Shift-click."
import json, pytest
from fasthtml.common import to_xml, Html, Head, Body, Div, Button
from fastflow import FlowEditor, DAGNode, Edge, fastflow_headers
from fastflow.types import JoinNode, InputNode, DecisionNode

APP = """from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route
HTML = {html!r}
async def index(req): return HTMLResponse(HTML)
app = Starlette(routes=[Route('/', index)])
"""

@pytest.fixture
def page_with(serve, page):
    "`page_with(*body)`: `page` showing a served page of `body` (an editor's clipboard needs a real origin for localStorage)"
    def _open(*body):
        srv = serve(APP.format(html=to_xml(Html(Head(*fastflow_headers()), Body(*body)))), module='breaks')
        page.goto(srv.url + '/')
        return page
    return _open

def test_an_editor_in_a_hidden_container_registers_and_fits_once_shown(page_with, page):
    page_with(Div(FlowEditor(DAGNode('a', x=0, y=0), DAGNode('b', x=2000, y=900), Edge('a', 'b'), id='tab2', height=300),
                                  id='box', style='display:none'))
    page.wait_for_function("() => window.fastflow && window.fastflow.tab2 && window.fastflow.tab2.getNodes().length === 2")
    page.evaluate("() => { document.getElementById('box').style.display = 'block' }")
    # once visible it fits: the whole graph is in view
    page.wait_for_function("""() => { const g = window.fastflow.tab2, r = g.getContentBBox(), a = g.getGraphArea();
        return r.width > 0 && r.x >= a.x - 1 && r.x + r.width <= a.x + a.width + 1 }""")

def test_unknown_port_is_an_error_naming_it(page_with, page):
    page_with(FlowEditor(DAGNode('a', x=0, y=0), DAGNode('b', x=300, y=0), id='g', height=300))
    page.wait_for_function("() => window.fastflow?.g")
    err = page.evaluate("() => { try { fastflow.addEdge('g', {source: 'a', target: 'b', sourcePort: 'port_right'}); return null } catch (e) { return e.message } }")
    assert err == 'fastflow: node "a" has no output port "port_right"'
    assert page.evaluate("() => fastflow.g.getEdges().length") == 0

def test_read_only_refuses_api_edits(page_with, page):
    page_with(FlowEditor(DAGNode('a', x=0, y=0), id='ro', height=300, read_only=True))
    page.wait_for_function("() => window.fastflow?.ro")
    for call in ("fastflow.renameNode('ro', 'a', 'B')", "fastflow.addNode('ro', {id: 'x', x: 0, y: 0})"):
        err = page.evaluate(f"() => {{ try {{ {call}; return null }} catch (e) {{ return e.message }} }}")
        assert err and 'read-only' in err, (call, err)
    assert page.evaluate("() => [fastflow.ro.getNodes().length, fastflow.ro.getCellById('a').getData().label]") == [1, 'a']

def test_import_flow_checks_first_and_is_one_undo_step(page_with, page):
    page_with(FlowEditor(DAGNode('say "hi"', x=0, y=0), DAGNode('b', x=300, y=0), Edge('say "hi"', 'b'), id='g', height=300))
    page.wait_for_function("() => window.fastflow?.g")
    page.locator('#g [data-cell-id="say \\"hi\\""]').click()
    bad = page.evaluate("() => { try { fastflow.importFlow('g', {nodes: [{id: 'x'}], edges: [{source: 'x', target: 'nope'}]}); return null } catch (e) { return e.message } }")
    assert 'nope' in bad
    assert sorted(page.evaluate("() => fastflow.g.getNodes().map(n => n.id)")) == ['b', 'say "hi"']  # untouched
    page.evaluate("() => fastflow.importFlow('g', {nodes: [{id: 'x', x: 0, y: 0}, {id: 'y', x: 300, y: 0}], edges: [{source: 'x', target: 'y'}]})")
    assert sorted(page.evaluate("() => fastflow.g.getNodes().map(n => n.id)")) == ['x', 'y']
    page.locator('#g .x6-graph-svg').click(position={'x': 5, 'y': 5})
    page.keyboard.press('Control+z')
    assert sorted(page.evaluate("() => fastflow.g.getNodes().map(n => n.id)")) == ['b', 'say "hi"']

def test_paste_names_after_the_type_and_shift_click_adds(page_with, page):
    page_with(FlowEditor(JoinNode(id='join-1'), DAGNode('load', x=300, y=150), id='g', height=400))
    page.wait_for_function("() => window.fastflow?.g")
    page.locator('#g [data-cell-id="join-1"]').click()
    page.locator('#g [data-cell-id="load"]').click(modifiers=['Shift'])
    assert sorted(page.evaluate("() => fastflow.g.getSelectedCells().map(c => c.id)")) == ['join-1', 'load']
    page.keyboard.press('Control+c')
    page.keyboard.press('Control+v')
    assert sorted(page.evaluate("() => fastflow.g.getNodes().map(n => n.id)")) == ['join-1', 'join-2', 'load', 'load-1']

def test_an_edge_drawn_from_a_branch_port_says_its_branch(page_with, page):
    page_with(FlowEditor(DecisionNode(id='d'), JoinNode(id='a'), id='g', height=400))
    # (no positions: the nodes are shown once laid out, where they stay, as a user first sees them)
    page.locator('#g g[data-cell-id="d"] [port="no"]').first.wait_for()
    port = page.locator('#g g[data-cell-id="d"] [port="no"]').first.bounding_box()
    target = page.locator('#g g[data-cell-id="a"] [port="in-0"]').first.bounding_box()
    tx, ty = target['x'] + target['width'] / 2, target['y'] + target['height'] / 2
    page.mouse.move(port['x'] + port['width'] / 2, port['y'] + port['height'] / 2); page.mouse.down()
    page.mouse.move(tx - 30, ty, steps=8); page.mouse.move(tx, ty, steps=4); page.mouse.up()
    page.wait_for_function("() => fastflow.g.getEdges().length === 1")
    edge = page.evaluate("() => fastflow.exportFlow('g').edges[0]")
    assert (edge['sourcePort'], edge['label']) == ('no', 'no')
    from fastflow.flow import Flow
    assert Flow.from_json(page.evaluate("() => fastflow.exportFlow('g')")).branches() == {'a': {'d': 'no'}}
