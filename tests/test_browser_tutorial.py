"The spec's Complete Code, verbatim, served by uvicorn and driven in Chromium."
import json, os, re, time
from pathlib import Path
import pytest
from conftest import ROOT, cdn_urls, screenshot

SPEC = Path(os.environ.get('FASTFLOW_SPEC', ROOT.parent/'shared'/'spec'/'python-execution-tutorial.md'))
GREEN = 'rgb(82, 196, 26)'  # #52c41a

def complete_code() -> str:
    "The first python block after the 'Complete Code' heading of the tutorial"
    if not SPEC.exists(): pytest.skip(f'tutorial spec not found at {SPEC} (set FASTFLOW_SPEC)')
    text = SPEC.read_text(encoding='utf-8')
    rest = text[text.index('## Complete Code'):]
    return re.search(r'```python\n(.*?)```', rest, re.S).group(1)

NODE_LOOK = '''id => {
  const el = document.querySelector(`.fastflow-canvas g[data-cell-id="${id}"] foreignObject body`)
  if (!el) return null
  const sym = [...el.querySelectorAll('*')].find(e => e.children.length === 0 && e.textContent.trim() === '✓')
  return {html: el.innerHTML, text: el.textContent, symbolColor: sym ? getComputedStyle(sym).color : null}
}'''

EDGE_STROKES = '''() => window.fastflow['my-pipeline'].getEdges().map(e => {
  const line = document.querySelector(`.fastflow-canvas g[data-cell-id="${e.id}"] path:nth-of-type(2)`)
  return [e.getSourceCellId(), e.getTargetCellId(), line && line.getAttribute('stroke')]
})'''

def test_complete_code(serve, page):
    srv = serve(complete_code(), module='python_exec_tutorial')
    html = srv.get('/')
    page.watch.allowed_outside |= cdn_urls(html)  # fast_app's default CDN headers can't load offline
    page.goto(srv.url + '/')
    page.wait_for_function("window.fastflow?.['my-pipeline']?.getNodes().length === 3")
    page.wait_for_selector('.fastflow-canvas g[data-cell-id="save"] foreignObject body .ff-node')
    screenshot(page, 'tutorial-before')

    page.get_by_role('button', name='▶ Run Pipeline').click()
    page.wait_for_selector('#results pre', timeout=20_000)
    page.wait_for_timeout(300)  # X6 draws a frame later
    screenshot(page, 'tutorial-finished')

    for node in ('load', 'process', 'save'):
        look = page.evaluate(NODE_LOOK, node)
        assert look and '✓' in look['text'], (node, look)
        assert look['symbolColor'] == GREEN, (node, look)
    results = page.inner_text('#results')
    assert re.search(r'✓ Flow completed', results), results
    got = json.loads(page.inner_text('#results pre'))
    assert got == {'load': {'records': 500, 'source': 'users_table'},
                   'process': {'records': 500, 'processed': True},
                   'save': {'saved': 500, 'status': 'success'}}
    for n in ('load', 'process', 'save'):
        assert f'Node {n}: running' in results and f'Node {n}: success' in results
    strokes = page.evaluate(EDGE_STROKES)
    assert sorted(strokes) == [['load', 'process', '#52c41a'], ['process', 'save', '#52c41a']], strokes

    # the server printed the MetricsCallback lines, in order
    lines = [l for l in srv.output.splitlines() if l.startswith(('→', '✓'))]
    want = [r'→ Starting load', r'✓ Completed load in \d+\.\d\ds', r'→ Starting process',
            r'✓ Completed process in \d+\.\d\ds', r'→ Starting save', r'✓ Completed save in \d+\.\d\ds']
    assert len(lines) == 6 and all(re.fullmatch(w, l) for w, l in zip(want, lines)), srv.output

    # the page stays open: the finished run is never started again
    page.wait_for_timeout(10_000)
    assert srv.output.count('→ Starting load') == 1, srv.output

def test_example_is_the_complete_code():
    "examples/python_exec_tutorial.py is the Complete Code with only `serve()` changed"
    code = complete_code().rstrip()
    example = (ROOT/'examples'/'python_exec_tutorial.py').read_text(encoding='utf-8').rstrip()
    assert code.endswith('serve()') and code[:-len('serve()')] in example
    assert example.endswith("serve(host='127.0.0.1', app_dir=os.path.dirname(os.path.abspath(__file__)))")
