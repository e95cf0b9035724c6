"""The docs site: built offline by `python -m tools.docs`, served statically, its graphs live in Chromium."""
import json, os, socket, subprocess, sys, time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
pytest.importorskip('nbdev', reason='building the docs needs the dev tools (nbdev); the runtime-only venv has none')

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path: sys.path.insert(0, str(ROOT))  # for tools.docs
ARTIFACTS = ROOT/'tests'/'_artifacts'
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PAGES = ['index.html', 'tutorials/python_execution.html']

def free_port():
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

@pytest.fixture(scope='module')
def site(tmp_path_factory):
    "Build the site once into a temporary folder, as `make docs` and CI do: with its checks"
    return build_site(tmp_path_factory.mktemp('docs')/'_docs')

def build_site(out, *args):
    r = subprocess.run([sys.executable, '-m', 'tools.docs', '--out', str(out), *args], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, f'docs build failed:\n{r.stdout[-3000:]}\n{r.stderr[-8000:]}'
    return out

def test_site_checks(site):
    "`python -m tools.docs` (what `make docs` and CI run) passes its checks: links, docs entries, no remote assets"
    assert (site/'index.html').exists()

@pytest.fixture(scope='module')
def server(site):
    "A static file server for the built site on 127.0.0.1, stopped by its PID"
    port = free_port()
    p = subprocess.Popen([sys.executable, '-m', 'http.server', str(port), '--bind', '127.0.0.1', '--directory', str(site)],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:  # wait until it accepts connections
            assert p.poll() is None, 'http.server exited'
            try: socket.create_connection(('127.0.0.1', port), timeout=1).close(); break
            except OSError: time.sleep(0.05)
        yield f'http://127.0.0.1:{port}'
    finally:
        os.kill(p.pid, 15); p.wait()

def test_build_output(site):
    "The build wrote every page, the search index and the local assets, and no page loads anything remote"
    import re
    for p in PAGES + ['explanations/execution.html', 'explanations/images/run-sequence.svg', 'js_api.html', 'graph_format.html',
                      'search-index.js', 'assets/site.css', 'assets/search.js', 'static/fastflow.js']:
        assert (site/p).exists(), p
    remote = re.compile(r'<(?:script|img|iframe)\b[^>]*\bsrc=["\']?(?:https?:)?//|<link\b[^>]*\bhref=["\']?(?:https?:)?//', re.I)
    for page in site.rglob('*.html'): assert not remote.search(page.read_text()), page

def test_checks_catch_problems(site, tmp_path):
    "The checks fail a site with a broken link or a remote asset"
    import shutil
    from bs4 import BeautifulSoup
    from tools.docs.checks import check_links, check_remote_assets
    bad = tmp_path/'site'
    shutil.copytree(site, bad)
    (bad/'index.html').write_text((bad/'index.html').read_text().replace(
        '</body>', '<a href="nowhere.html">x</a><a href="tutorials/python_execution.html#no-such-id">y</a>'
                   '<script src="https://cdn.example.com/x.js"></script><img src="//cdn.example.com/a.png"></body>'))
    soups = {'index.html': BeautifulSoup((bad/'index.html').read_text(), 'html.parser'),
             'tutorials/python_execution.html': BeautifulSoup((bad/'tutorials/python_execution.html').read_text(), 'html.parser')}
    links = check_links(bad, soups)
    assert any('nowhere.html' in e for e in links) and any('no-such-id' in e for e in links), links
    remote = check_remote_assets(bad, soups)
    assert any('x.js' in e for e in remote) and any('a.png' in e for e in remote), remote

def test_js_api_check(site, tmp_path):
    "Every name page.js puts on window.fastflow has an entry on the JavaScript API page; a new name without one fails"
    import shutil
    from bs4 import BeautifulSoup
    from tools.docs.checks import check_js_docs, js_api_names
    names = js_api_names(ROOT)
    assert 'connectExecution' in names and 'exportFlow' in names
    class FakeSite:  # the built site, with js/ copied so that a name can be added to it
        def __init__(self, root): self.root, self.order = root, [type('P', (), dict(nbrel='js_api.ipynb', url='js_api.html'))]
    soups = {'js_api.html': BeautifulSoup((site/'js_api.html').read_text(), 'html.parser')}
    assert check_js_docs(FakeSite(ROOT), soups) == []
    shutil.copytree(ROOT/'js', tmp_path/'js', ignore=shutil.ignore_patterns('node_modules'))
    (tmp_path/'js'/'bridge-names.json').write_text(json.dumps(names + ['undocumentedName']))
    errs = check_js_docs(FakeSite(tmp_path), soups)
    assert len(errs) == 1 and 'window.fastflow.undocumentedName' in errs[0], errs

def test_signatures_read_well(site):
    "Reference entries show classes as classes, with readable defaults and no markdown inside the code"
    from bs4 import BeautifulSoup
    sigs = [pre.get_text() for p in ('types.html', 'execution.html', 'callbacks.html', 'components.html', 'widget.html', 'core.html')
            for pre in BeautifulSoup((site/p).read_text(), 'html.parser').select('.doc-entry pre, .celltag_doc-entry pre')]
    assert sigs
    text = '\n'.join(sigs)
    for bad in ('<factory>', 'Optional', 'NoneType', '](', 'def FlowExecutor(', 'def ExecutionStep(', 'fastflow.execution.'):
        assert bad not in text, bad
    assert 'class FlowExecutor(' in text and 'class ExecutionStep(' in text and 'depends_on:list=[]' in text

def test_no_placeholder_hosts():
    "No placeholder host or address in what users read: README, notebooks, settings, the package"
    import re
    files = [ROOT/'README.md', ROOT/'settings.ini', ROOT/'setup.py', *(ROOT/'nbs').rglob('*.ipynb'), *(ROOT/'nbs').rglob('*.yml'),
             *(ROOT/'fastflow').glob('*.py')]
    bad = re.compile(r'example\.(?:org|com)|\.invalid\b|fastflow-dev')
    hits = [f'{f.relative_to(ROOT)}: {m[0]}' for f in files for m in bad.finditer(f.read_text(encoding='utf-8'))]
    assert not hits, hits
    assert (ROOT/'LICENSE').read_text().lstrip().startswith('Apache License')

def _open(browser, url):
    "A page at `url` that records failed, remote and error requests and page errors"
    page = browser.new_page(viewport={'width': 1300, 'height': 900})
    problems = []
    def route(r):
        u = urlsplit(r.request.url)
        if u.scheme != 'file' and u.hostname not in ('127.0.0.1', 'localhost'):
            problems.append(f'remote request {r.request.url}'); return r.abort()
        r.continue_()
    page.route('**/*', route)
    page.on('requestfailed', lambda r: problems.append(f'failed {r.url}: {r.failure}'))
    page.on('response', lambda r: r.status >= 400 and problems.append(f'{r.status} {r.url}'))
    page.on('pageerror', lambda e: problems.append(f'page error: {e}'))
    page.goto(url)
    page.wait_for_load_state('load')
    return page, problems

_graph_info = """el => {
  const g = window.fastflow[el.id];
  const views = g.getNodes().map(n => g.findViewByCell(n)?.container);
  const box = views[0] && views[0].getBoundingClientRect();
  return {id: el.id, nodes: g.getNodes().map(n => n.id), pos: g.getNodes().map(n => n.getPosition()),
          drawn: views.filter(v => v && v.isConnected && v.ownerSVGElement && el.contains(v)).length,
          box: box && {x: box.x, y: box.y, width: box.width, height: box.height}};
}"""

@pytest.mark.parametrize('path', PAGES)
def test_page_graph_is_live(browser, server, path):
    "The page renders, its first graph is drawn by X6 in SVG, a node can be dragged, and every request succeeds"
    page, problems = _open(browser, f'{server}/{path}')
    try:
        assert page.locator('h1.title').inner_text().strip()
        editor = page.locator('.fastflow-editor[data-fastflow]').first
        editor.wait_for()
        editor.scroll_into_view_if_needed()
        page.wait_for_function("el => window.fastflow && window.fastflow[el.id] && el.querySelector('svg g.x6-node')",
                               arg=editor.element_handle())
        info = editor.evaluate(_graph_info)
        assert info['nodes'] and info['drawn'] == len(info['nodes']), info  # every node is in the SVG
        box = info['box']
        x, y = box['x'] + box['width']/2, box['y'] + box['height']/2
        page.mouse.move(x, y); page.mouse.down()
        for i in range(1, 11): page.mouse.move(x + 6*i, y + 4*i)
        page.mouse.up()
        after = editor.evaluate(_graph_info)
        assert after['pos'][0] != info['pos'][0], (info['pos'][0], after['pos'][0])
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS/f"docs_{path.replace('/', '_').replace('.html', '')}.png"))
        page.wait_for_load_state('networkidle')
        assert not problems, problems
    finally: page.close()

@pytest.mark.parametrize('where', ['server', 'file'])
def test_search(browser, server, site, where):
    "Typing in the search box lists matching pages, and a result opens its page, from a server and from disk"
    page, problems = _open(browser, f'{server}/index.html' if where == 'server' else (site/'index.html').as_uri())
    try:
        page.fill('#search-input', 'callback')
        first = page.locator('#search-results a').first
        first.wait_for()
        assert page.locator('#search-results a').count() > 1
        first.click()
        page.wait_for_load_state('load')
        assert 'index.html' not in page.url
        assert not problems, problems
    finally: page.close()

def test_editor_palette(browser, server):
    "On the editor tutorial's page the palette works: a click adds a node to the live graph"
    page, problems = _open(browser, f'{server}/tutorials/editor.html')
    try:
        page.wait_for_function("() => window.fastflow && window.fastflow.studio && window.fastflow.studio.getNodes().length")
        n = page.evaluate("() => window.fastflow.studio.getNodes().length")
        page.locator('#studio .ff-palette-item').first.click()
        page.wait_for_function(f"() => window.fastflow.studio.getNodes().length > {n}")
        page.locator('#studio').scroll_into_view_if_needed()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS/'docs_tutorials_editor.png'))
        assert not problems, problems
    finally: page.close()

JS_EXAMPLES = """() => {
  const ff = window.fastflow, out = {};
  out.statuses = ff.STATUSES; out.version = ff.version;
  out.escaped = ff.escapeHtml('<b>5 & 6</b>');
  out.setNode = ff.setNodeStatus('demo', 'load', 'success', {elapsed: 0.42});
  out.setMissing = ff.setNodeStatus('demo', 'nope', 'success');
  out.loadStatus = ff.getGraph('demo').getCellById('load').getData().status;
  out.setEdge = ff.setEdgeStatus('demo', 'load', 'process', 'success', true);
  const flow = ff.exportFlow('demo');
  out.exported = {ids: flow.nodes.map(n => n.id), edges: flow.edges.map(e => [e.source, e.target]),
                  hasStatus: flow.nodes.some(n => 'status' in n)};
  ff.addNode('demo', {id: 'report', x: 560, y: 150, label: 'Report', icon: '📊', outputs: 0});
  ff.addEdge('demo', {source: 'process', target: 'report', label: 'summary'});
  out.afterAdd = ff.getGraph('demo').getNodes().length;
  const g = ff.getGraph('demo');
  out.cycle = ff.canConnect('demo', {sourceCell: g.getCellById('save'), targetCell: g.getCellById('process'), targetPort: 'in-0'});
  let renamed = null;
  g.on('node:renamed', ({label, previous}) => { renamed = [previous, label]; });
  out.rename = ff.renameNode('demo', 'load', 'Load users'); out.renamed = renamed;
  out.html = ff.nodeHtml({id: 'x', label: '<i>x</i>', status: 'running'}).includes('&lt;i&gt;x&lt;/i&gt;');
  ff.importFlow('demo', JSON.stringify(flow));
  out.reimported = ff.getGraph('demo').getNodes().map(n => n.id);
  try { ff.getGraph('no-such-graph'); out.getGraphError = null } catch (e) { out.getGraphError = e.message }
  ff.resetAllStatus('demo');
  out.reset = ff.getGraph('demo').getNodes().map(n => n.getData().status);
  return out;
}"""

def test_js_api_examples(browser, server):
    "What the JavaScript API page says, on its own `demo` graph: return values, statuses, export/import, rename event"
    page, problems = _open(browser, f'{server}/js_api.html')
    try:
        page.wait_for_function("() => window.fastflow && window.fastflow.demo && window.fastflow.demo.getNodes().length === 3")
        r = page.evaluate(JS_EXAMPLES)
        assert r['statuses'] == ['pending', 'running', 'success', 'error', 'skipped', 'cancelled', 'cached'] and r['version']
        assert r['escaped'] == '&lt;b&gt;5 &amp; 6&lt;/b&gt;'
        assert (r['setNode'], r['setMissing'], r['loadStatus'], r['setEdge']) == (True, False, 'success', True)
        assert r['exported'] == {'ids': ['load', 'process', 'save'], 'edges': [['load', 'process'], ['process', 'save']], 'hasStatus': False}
        assert r['afterAdd'] == 4 and r['cycle'] is False
        assert r['rename'] is True and r['renamed'] == ['Load', 'Load users'] and r['html'] is True
        assert r['reimported'] == ['load', 'process', 'save']
        assert 'no graph with id "no-such-graph"' in r['getGraphError']
        assert r['reset'] == ['pending'] * 3
        assert not problems, problems
    finally: page.close()
