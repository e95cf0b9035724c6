"""`FlowEditor(on_change=url)` with htmx on the page, in Chromium: htmx posts the edits, the user's hx-* attributes compose,
and an answer's `HX-Trigger: fastflow:problems` is drawn on the graph. htmx is the npm package (js/package.json's
devDependencies, the 2.x line python-fasthtml's headers use), served by the app itself: no CDN."""
import json
from conftest import ROOT

HTMX = ROOT/'js'/'node_modules'/'htmx.org'/'dist'/'htmx.min.js'

APP = '''
import json
from pathlib import Path
from fasthtml.common import *
from starlette.responses import JSONResponse, Response
from fastflow import FlowEditor, Edge, fastflow_headers
from fastflow.flow import flow_problems, problems_header
from fastflow.types import InputNode, TransformNode, OutputNode

HTMX = Path(%r)
app, rt = fast_app(hdrs=(Script(src='/vendor/htmx'), *fastflow_headers()), default_hdrs=False)
heard = []

@rt('/vendor/htmx')  # no .js: fast_app serves *.js paths from the folder
def get(): return Response(HTMX.read_bytes(), media_type='text/javascript')

@rt
def index():
    return Titled('htmx posts the edits',
        FlowEditor(InputNode(id='rows', label='Rows'), TransformNode(id='clean', label='Clean'),
                   OutputNode(id='save', label='Save', destination='report'), Edge('rows', 'clean'), Edge('clean', 'save'),
                   id='checked', on_change='/changed', change_delay=100, height=400,
                   hx_target='#problems', hx_vals='{"team": "blue"}', hx_headers='{"X-Team-Token": "t-42"}'),
        Div('nothing heard yet', id='problems'))

@rt('/changed')
def post(req, flow:str, changes:str, team:str=''):
    "Note how the edit arrived; answer with the flow's problems (a header for the graph) and a list for #problems"
    h = req.headers
    heard.append(dict(htmx=h.get('hx-request'), target=h.get('hx-target'), token=h.get('x-team-token'), team=team,
                      changes=json.loads(changes), nodes=[n['id'] for n in json.loads(flow)['nodes']]))
    problems = flow_problems(flow)
    return problems_header(problems), Ul(*[Li(f'{k}: {m}') for k, ms in problems['nodes'].items() for m in ms], id='listed')

@rt('/heard')
def get(): return JSONResponse(heard)
'''

def drag(page, sel, dx, dy):
    "A real mouse drag of the element `sel` by (dx, dy), once the user can see it"
    page.locator(sel).wait_for()
    box = page.locator(sel).bounding_box()
    x, y = box['x'] + box['width'] / 2, box['y'] + box['height'] / 2
    page.mouse.move(x, y); page.mouse.down()
    page.mouse.move(x + dx / 2, y + dy / 2, steps=5); page.mouse.move(x + dx, y + dy, steps=5); page.mouse.up()

def test_htmx_posts_the_edits_and_draws_the_problems(serve, page):
    assert HTMX.exists(), f'{HTMX} is missing: run `cd js && npm ci` (make test does)'
    srv = serve(APP % str(HTMX), module='htmx_app')
    page.goto(srv.url + '/')
    page.wait_for_function("() => window.fastflow?.checked?.getNodes().length === 3")
    assert page.evaluate("() => window.htmx.version").startswith('2.')
    assert page.locator('#checked').get_attribute('hx-post') == '/changed'
    assert not page.locator('#checked [data-cell-id="rows"]').evaluate("e => e.classList.contains('ff-has-problem')")
    # a node dragged with the mouse: htmx posts the flow and the change, with the user's hx-vals and hx-headers
    drag(page, '#checked [data-cell-id="save"]', 60, 80)
    page.wait_for_function("() => document.querySelector('#checked [data-cell-id=\"rows\"]').classList.contains('ff-has-problem')")
    heard = json.loads(srv.get('/heard'))
    assert heard and heard[0]['htmx'] == 'true', heard  # htmx sent it, not fastflow's own fetch
    assert {h['token'] for h in heard} == {'t-42'} and {h['team'] for h in heard} == {'blue'}, heard
    assert heard[0]['target'] == 'problems' and heard[0]['nodes'] == ['rows', 'clean', 'save']
    assert 'node:moved' in [c['kind'] for h in heard for c in h['changes']], heard
    # the answer's HX-Trigger drew the problems on the graph; hx-target got the body
    assert 'needs a source or data' in page.locator('#checked [data-cell-id="rows"]').get_attribute('data-ff-problems')
    assert not page.locator('#checked [data-cell-id="clean"]').evaluate("e => e.classList.contains('ff-has-problem')")
    page.wait_for_selector('#problems #listed')
    assert 'rows: ' in page.inner_text('#problems') and 'needs a source or data' in page.inner_text('#problems')
    # a click selects: htmx posts that too, once per batch
    n = len(heard)
    page.locator('#checked [data-cell-id="clean"]').click()
    page.wait_for_function(f"() => fetch('/heard').then(r => r.json()).then(h => h.length > {n} && h.slice({n}).flatMap(b => b.changes).some(c => c.kind === 'node:selected' && c.id === 'clean'))")
    assert all(h['htmx'] == 'true' for h in json.loads(srv.get('/heard')))
    assert page.watch.problems() == []
