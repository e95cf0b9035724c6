"The editor tutorial's studio (examples/editor.py) in Chromium, with real mouse clicks: Run before Save, Save then Run untouched, and after edits; edits posted to the server."
import json
from conftest import ROOT, cdn_urls

EXAMPLE = ROOT/'examples'/'editor.py'

def tutorial_cells() -> tuple:
    "The editor tutorial's code cells"
    cells = json.loads((ROOT/'nbs'/'tutorials'/'editor.ipynb').read_text(encoding='utf-8'))['cells']
    return [''.join(c['source']) for c in cells if c['cell_type'] == 'code'], cells

def test_tutorial_ends_with_the_example():
    "The tutorial's Complete code is examples/editor.py after its docstring, and holds the tutorial's app cells as they are"
    code, cells = tutorial_cells()
    text = next(''.join(c['source']) for c in cells if ''.join(c['source']).startswith('## Complete code'))
    block = text.split('```python\n', 1)[1].rsplit('```', 1)[0]
    example = EXAMPLE.read_text(encoding='utf-8')
    assert example.endswith(block) and example[:-len(block)].rstrip().endswith('"""')
    keep = ('def studio', 'app, rt = ', 'def executor_for', 'async def refuse')
    for c in code:
        if c.startswith(keep): assert c.removesuffix('\nstudio()') in example, c[:60]
    assert [c for c in code if c.startswith('palette = ')][0].split('\nitems')[0] in example

STATUS = "id => window.fastflow.studio.getCellById(id)?.getData().status"

def run(page):
    "Mark every node pending (so that a status left by an earlier run can't pass), then click Run"
    page.evaluate("() => window.fastflow.studio.getNodes().forEach(n => window.fastflow.setNodeStatus('studio', n.id, 'pending'))")
    page.get_by_role('button', name='▶ Run').click()

def wait_final(page, ids):
    page.wait_for_function(f"ids => ids.every(id => ['success', 'error', 'skipped', 'cancelled'].includes(({STATUS})(id)))", arg=ids)
    return {i: page.evaluate(f"({STATUS})({json.dumps(i)})") for i in ids}

def test_studio_runs_untouched_and_edited(serve, page):
    "examples/editor.py, the tutorial's complete program, served as a file"
    srv = serve(EXAMPLE, module='studio')
    page.watch.allowed_outside |= cdn_urls(srv.get('/'))  # fast_app's default headers; the editor needs none of them
    page.goto(srv.url + '/')
    page.wait_for_function("() => window.fastflow?.studio?.getNodes().length === 2")
    # Run before Save: the Run button saves what the page shows, then runs it
    run(page)
    assert wait_final(page, ['rows', 'result']) == {'rows': 'success', 'result': 'success'}
    # Save then Run, untouched
    page.get_by_role('button', name='💾 Save').click()
    run(page)
    assert wait_final(page, ['rows', 'result']) == {'rows': 'success', 'result': 'success'}
    # an edit: a Join dropped from the palette (a real click on its item), then Run
    page.locator('#studio .ff-palette-item', has_text='Join').click()
    page.wait_for_function("() => window.fastflow.studio.getNodes().length === 3")
    new = page.evaluate("() => window.fastflow.studio.getNodes().map(n => n.id).find(i => !['rows', 'result'].includes(i))")
    assert new.startswith('join')
    run(page)
    assert wait_final(page, ['rows', 'result', new]) == {'rows': 'success', 'result': 'success', new: 'success'}

def test_edits_reach_the_server_and_problems_come_back(serve, page):
    "examples/live_checks.py without htmx (plain fetch): a node dragged with the mouse is posted; the answer's problems are drawn"
    srv = serve(ROOT/'examples'/'live_checks.py', module='live_checks', env={'FASTFLOW_OFFLINE': '1'})
    page.goto(srv.url + '/')
    page.wait_for_function("() => window.fastflow?.checked?.getNodes().length === 3")
    page.locator('#checked [data-cell-id="save"]').wait_for()   # shown: laid out, where it stays
    box = page.locator('#checked [data-cell-id="save"]').bounding_box()
    x, y = box['x'] + box['width'] / 2, box['y'] + box['height'] / 2
    page.mouse.move(x, y); page.mouse.down()
    page.mouse.move(x + 30, y + 40, steps=5); page.mouse.move(x + 60, y + 80, steps=5); page.mouse.up()
    page.wait_for_function("() => document.querySelector('#checked [data-cell-id=\"rows\"]').classList.contains('ff-has-problem')")
    assert 'needs a source or data' in page.locator('#checked [data-cell-id="rows"]').get_attribute('data-ff-problems')
    assert not page.locator('#checked [data-cell-id="clean"]').evaluate("e => e.classList.contains('ff-has-problem')")
    kinds = [c['kind'] for batch in json.loads(srv.get('/heard')) for c in batch]
    assert 'node:moved' in kinds, kinds
    # a click selects: that reaches the server too
    page.locator('#checked [data-cell-id="clean"]').click()
    page.wait_for_function("() => fetch('/heard').then(r => r.json()).then(h => h.flat().some(c => c.kind === 'node:selected' && c.id === 'clean'))")
