"""FlowWidget in a real JupyterLab, driven by Playwright in Chromium.

A notebook builds the tutorial's pipeline, shows it as a FlowWidget and runs it with top-level `await`;
the page's SVG must end with all three nodes green and the progress bar at 100%, and clicks, moves and
deletes in the page must reach the Python side. Screenshots go to tests/_artifacts/.
The harness (JupyterLab in a temp dir, stopped by PID; a notebook run cell by cell) is reused by
bench/bench_widget.py."""
import json, os, secrets, signal, socket, subprocess, sys, tempfile, time, urllib.request
from pathlib import Path
from urllib.parse import urlparse
import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT/'tests'/'_artifacts'
BIN = Path(sys.executable).parent
CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                 '--disable-background-networking', '--disable-component-update', '--disable-sync']

def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]

def is_local(url):
    u = urlparse(url)
    return u.scheme in ('data', 'blob', 'about') or (u.hostname or '') in ('127.0.0.1', 'localhost', '::1')

# ---------------------------------------------------------------- JupyterLab

class Lab:
    "`jupyter lab` on 127.0.0.1 in a temp dir with its own settings (no news, no update checks, kernel auto-starts)"
    def __init__(self, root=None, app='lab'):
        self.app = app
        self.root = Path(root or tempfile.mkdtemp(prefix='ff-lab-'))
        self.port, self.token = free_port(), secrets.token_hex(16)
        self.url = f'http://127.0.0.1:{self.port}'
        settings = self.root/'.lab-settings'
        for ext, value in [('notebook-extension/tracker', {'autoStartDefaultKernel': True}),
                           ('apputils-extension/notification', {'fetchNews': 'false', 'checkForUpdates': False})]:
            f = settings/'@jupyterlab'/f'{ext}.jupyterlab-settings'
            f.parent.mkdir(parents=True, exist_ok=True)
            f.write_text(json.dumps(value))
        self.env = {**os.environ, 'PYTHONPATH': str(ROOT), 'JUPYTERLAB_SETTINGS_DIR': str(settings),
                    'JUPYTERLAB_WORKSPACES_DIR': str(self.root/'.lab-ws'), 'JUPYTER_CONFIG_DIR': str(self.root/'.jcfg'),
                    'JUPYTER_RUNTIME_DIR': str(self.root/'.jrt'), 'IPYTHONDIR': str(self.root/'.ipy')}

    def __enter__(self):
        cmd = [str(BIN/'jupyter'), self.app, '--no-browser', '--ip=127.0.0.1', f'--port={self.port}',
               f'--IdentityProvider.token={self.token}', '--allow-root', '--LabApp.news_url=None',
               '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate', f'--{"LabApp" if self.app == "lab" else "JupyterNotebookApp"}.expose_app_in_browser=True',
               f'--ServerApp.root_dir={self.root}']
        self.log = self.root/'lab.log'
        self.proc = subprocess.Popen(cmd, cwd=self.root, env=self.env, stdout=open(self.log, 'w'), stderr=subprocess.STDOUT)
        for _ in range(300):
            try:
                urllib.request.urlopen(f'{self.url}/api/status?token={self.token}', timeout=1)
                return self
            except Exception:
                if self.proc.poll() is not None: raise RuntimeError(self.log.read_text())
                time.sleep(0.2)
        raise TimeoutError('JupyterLab did not start')

    def __exit__(self, *exc):
        self.proc.send_signal(signal.SIGINT)   # jupyter asks to confirm: a second SIGINT stops it
        time.sleep(0.2)
        self.proc.send_signal(signal.SIGINT)
        try: self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def notebook(self, name, cells):
        nb = {'cells': [{'cell_type': 'code', 'metadata': {}, 'source': c, 'outputs': [], 'execution_count': None} for c in cells],
              'metadata': {'kernelspec': {'name': 'python3', 'display_name': 'Python 3 (ipykernel)', 'language': 'python'}},
              'nbformat': 4, 'nbformat_minor': 5}
        (self.root/name).write_text(json.dumps(nb))
        return f'{self.url}/{"lab/tree" if self.app == "lab" else "notebooks"}/{name}?token={self.token}'

KERNEL_IDLE = """() => { const k = window.jupyterapp?.shell?.currentWidget?.sessionContext?.session?.kernel;
  return !!k && k.connectionStatus === 'connected' && k.status === 'idle' }"""

def cell(page, i): return page.locator('.jp-Notebook .jp-Cell').nth(i)

def prompt_matches(page, i, pattern, timeout):
    page.wait_for_function("([i, p]) => new RegExp(p).test(document.querySelectorAll('.jp-Notebook .jp-Cell')[i]"
                           "?.querySelector('.jp-InputPrompt')?.textContent || '')", arg=[i, pattern], timeout=timeout)

def open_notebook(page, url):
    page.goto(url)
    page.wait_for_selector('.jp-Notebook .jp-Cell', timeout=60_000)
    page.wait_for_function(KERNEL_IDLE, timeout=60_000)

def run_cell(page, i, wait=True, timeout=120_000):
    "Shift+Enter on cell `i`, again until its prompt shows [*] or a number (the first one is sometimes lost)"
    for _ in range(6):
        cell(page, i).locator('.jp-InputPrompt').click()
        page.keyboard.press('Shift+Enter')
        try:
            prompt_matches(page, i, r'\[(\*|\d+)\]', 5_000)
            break
        except Exception: pass
    else: raise RuntimeError(f'cell {i} never started')
    if wait: prompt_matches(page, i, r'\[\d+\]', timeout)

def output(page, i): return cell(page, i).locator('.jp-OutputArea').inner_text()

def watched_page(browser, outside, errors=None, height=1000):
    "A new context's page, 1280 px wide, that fails on (and blocks) requests leaving the machine, and records page errors in `errors`"
    b = browser.new_context(viewport={'width': 1280, 'height': height})
    page = b.new_page()
    guard(page, outside)
    if errors is not None: page.on('pageerror', lambda e: errors.append(str(e)))
    return b, page

def guard(page, outside):
    "Fail on (and block) any request that leaves the machine"
    page.route('**/*', lambda r: r.continue_() if is_local(r.request.url) else (outside.append(r.request.url), r.abort()))

# ---------------------------------------------------------------- the test

SETUP = '''import asyncio
from fastflow.widget import FlowWidget
from fastflow.types import InputNode, TransformNode, OutputNode
from fastflow.execution import FlowExecutor, ExecutionStep

async def load_handler(context, inputs):
    await asyncio.sleep(0.6)
    return {"records": 500, "source": "users_table"}

async def process_handler(context, inputs):
    await asyncio.sleep(0.4)
    return {"records": inputs.get("load", {}).get("records", 0), "processed": True}

async def save_handler(context, inputs):
    await asyncio.sleep(0.3)
    return {"saved": inputs.get("process", {}).get("records", 0), "status": "success"}

executor = FlowExecutor(graph_id="my-pipeline", steps=[
    ExecutionStep(node_id="load", node=InputNode(id="load", label="Load Data", source="database"), handler=load_handler),
    ExecutionStep(node_id="process", node=TransformNode(id="process", label="Process", transform_type="normalize"),
                  depends_on=["load"], handler=process_handler),
    ExecutionStep(node_id="save", node=OutputNode(id="save", label="Save", destination="file"),
                  depends_on=["process"], handler=save_handler),
])
w = FlowWidget.from_executor(executor, height=320)
clicked = []
w.on_node_click(clicked.append)
w'''
CELLS = [SETUP,
         'res = await w.run()\nprint(res.kind, res["results"]["save"])',
         'print("clicked", clicked, "selection", w.selection)',
         'w',  # a second view, rendered after the run
         'print("ids", w.node_ids, "edges", w.edges)\nprint("save_y", [n.get("y") for n in w.graph["nodes"] if n["id"] == "save"][0])',
         'res2 = await w.run()\nprint(res2.kind, sorted(res2["results"]), w.progress)',
         'async def boom(context, inputs): raise ValueError("no data in " + inputs["load"]["source"])\n'
         'bad = FlowExecutor.from_spec("bad", {"load": load_handler, "check": (["load"], boom)})\n'
         'wb = FlowWidget.from_executor(bad, height=240)\nawait wb.run()\nwb']

def details(page, i):
    "The sections of view `i`'s details panel, by title, once Python's part (a Result or a Traceback) is in"
    panel = view(page, i).locator('.ff-details')
    panel.locator('summary', has_text='Result').or_(panel.locator('summary', has_text='Traceback')).first.wait_for(timeout=15_000)
    return panel.evaluate("p => Object.fromEntries([...p.querySelectorAll('.ff-details-section')].map(s => [s.querySelector('summary').textContent, s.querySelector('pre').textContent]))")

def view(page, i): return cell(page, i).locator('.ffw-root')
def node(page, i, nid): return view(page, i).locator(f'.fastflow-canvas g[data-cell-id="{nid}"]')  # not the minimap's copy

def node_states(page, i):
    return view(page, i).evaluate("""root => Object.fromEntries([...root.querySelectorAll('.fastflow-canvas [data-cell-id]')]
        .filter(g => g.querySelector('.ff-node')).map(g => {
          const n = g.querySelector('.ff-node'), bar = g.querySelector('.ff-bar')
          return [g.getAttribute('data-cell-id'), [[...n.classList].find(c => c !== 'ff-node'), getComputedStyle(bar).backgroundColor]]
        }))""")

GREEN = 'rgb(82, 196, 26)'

def until(f, timeout=10):
    "Wait for `f()` to be true (the page draws a frame later)"
    end = time.monotonic() + timeout
    while not f():
        if time.monotonic() > end: raise TimeoutError(f'never true: {f}')
        time.sleep(0.05)

@pytest.fixture(scope='module')
def lab():
    with Lab() as lab: yield lab

def test_widget_in_jupyterlab(lab, browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    url, outside, errors = lab.notebook('widget.ipynb', CELLS), [], []
    b, page = watched_page(browser, outside, errors)
    try:
        open_notebook(page, url)
        run_cell(page, 0)
        node(page, 0, 'save').locator('.ff-node').wait_for(timeout=30_000)
        assert set(node_states(page, 0)) == {'load', 'process', 'save'}
        # placed by ELK's layered layout, which the widget's module carries as text and runs in a worker when a layout needs it
        laid = view(page, 0).evaluate("async r => { await r.fastflowGraph.fastflowLayout; return {elk: typeof window.fastflowELK, "
                                      "inPage: typeof window.fastflowELKWorker, "
                                      "x: ['load', 'process', 'save'].map(id => r.fastflowGraph.getCellById(id).getPosition().x)} }")
        assert laid['elk'] == 'function' and laid['inPage'] == 'undefined' and laid['x'][0] < laid['x'][1] < laid['x'][2], laid

        run_cell(page, 1, wait=False)  # watch it run: some node is blue (running) before the end
        page.wait_for_function("""root => root.querySelector('.fastflow-canvas .ff-node.ff-running')""",
                               arg=view(page, 0).element_handle(), timeout=30_000)
        prompt_matches(page, 1, r'\[\d+\]', 60_000)
        assert output(page, 1).strip() == "complete {'saved': 500, 'status': 'success'}"
        until(lambda: node_states(page, 0) == {n: ['ff-success', GREEN] for n in ('load', 'process', 'save')})
        assert node_states(page, 0) == {n: ['ff-success', GREEN] for n in ('load', 'process', 'save')}
        bar = view(page, 0).locator('[role=progressbar]')
        assert bar.get_attribute('aria-valuenow') == '100'
        assert '3/3 · 100%' in view(page, 0).locator('.ffw-count').inner_text()
        assert 'Flow completed' in view(page, 0).locator('.ffw-message').inner_text()
        assert '0.6' in node(page, 0, 'load').locator('.ff-sub').inner_text()  # elapsed time shows on the node
        page.screenshot(path=str(ARTIFACTS/'widget_jupyterlab_run.png'))
        page.mouse.move(5, 500)  # no hover effects in the picture of the widget alone
        view(page, 0).screenshot(path=str(ARTIFACTS/'widget_view_run.png'))

        node(page, 0, 'process').click()
        # the details panel: what the status events said, and what only Python has: the node's inputs and result
        got = details(page, 0)
        assert json.loads(got['Result']) == {'records': 500, 'processed': True}, got
        assert json.loads(got['Inputs']) == {'load': {'records': 500, 'source': 'users_table'}}, got
        view(page, 0).locator('.ff-details-close').click()
        view(page, 0).locator('.ff-details').wait_for(state='hidden', timeout=5_000)
        run_cell(page, 2)
        assert output(page, 2).strip() == "clicked ['process'] selection ['process']"

        run_cell(page, 3)  # the same widget shown again, after the run: it shows the current state
        view(page, 3).locator('.fastflow-canvas .ff-node.ff-success').nth(2).wait_for(timeout=30_000)
        assert node_states(page, 3) == node_states(page, 0)
        assert view(page, 3).locator('[role=progressbar]').get_attribute('aria-valuenow') == '100'

        # edit in the first view: move `save`, delete `process`; Python sees the new graph
        node(page, 0, 'save').scroll_into_view_if_needed()
        box = node(page, 0, 'save').bounding_box()
        page.mouse.move(box['x'] + 60, box['y'] + 20)
        page.mouse.down()
        page.mouse.move(box['x'] + 60, box['y'] + 140, steps=8)
        page.mouse.up()
        node(page, 0, 'process').click()
        view(page, 0).locator('.ff-delete').click()
        node(page, 3, 'process').wait_for(state='detached', timeout=10_000)  # the other view follows
        time.sleep(0.5)
        run_cell(page, 4)
        out = output(page, 4)
        assert "ids ['load', 'save'] edges []" in out, out
        assert float(out.split('save_y')[1]) > 100, out  # dragged down from y=40
        page.screenshot(path=str(ARTIFACTS/'widget_jupyterlab_edited.png'))

        run_cell(page, 5)  # the edited flow runs as drawn: no `process` any more
        assert output(page, 5).strip().startswith("complete ['load', 'save']"), output(page, 5)
        until(lambda: node_states(page, 3) == {n: ['ff-success', GREEN] for n in ('load', 'save')})

        run_cell(page, 6)  # a handler that raised: its traceback, as Python prints it, in the panel
        node(page, 6, 'check').locator('.ff-node.ff-error').wait_for(timeout=30_000)
        node(page, 6, 'check').click()
        got = details(page, 6)
        assert got['Traceback'].startswith('Traceback (most recent call last)') and 'in boom' in got['Traceback'], got
        assert got['Traceback'].rstrip().endswith('ValueError: no data in users_table'), got
        assert json.loads(got['Inputs']) == {'load': {'records': 500, 'source': 'users_table'}}, got
        view(page, 6).screenshot(path=str(ARTIFACTS/'widget_details_traceback.png'))
    except Exception:
        for i in (0, 3):
            try: print('view', i, node_states(page, i))
            except Exception as e: print('view', i, e)
        page.screenshot(path=str(ARTIFACTS/'widget_jupyterlab_failure.png'))
        raise
    finally: b.close()
    assert outside == [], outside
    assert errors == [], errors


def test_widget_in_notebook7(browser):
    "Notebook 7 (when installed): the run shows, the click comes back"
    pytest.importorskip('notebook')
    with Lab(app='notebook') as nb:
        url, outside = nb.notebook('nb7.ipynb', [SETUP, 'res = await w.run()\nprint(res.kind)', 'print("clicked", clicked)']), []
        b, page = watched_page(browser, outside)
        try:
            open_notebook(page, url)
            run_cell(page, 0)
            node(page, 0, 'save').wait_for(timeout=30_000)
            run_cell(page, 1)
            assert output(page, 1).strip() == 'complete'
            until(lambda: node_states(page, 0) == {n: ['ff-success', GREEN] for n in ('load', 'process', 'save')})
            assert view(page, 0).locator('[role=progressbar]').get_attribute('aria-valuenow') == '100'
            node(page, 0, 'load').click()
            run_cell(page, 2)
            assert output(page, 2).strip() == "clicked ['load']"
            page.screenshot(path=str(ARTIFACTS/'widget_notebook7.png'))
            view(page, 0).locator('.ff-details-close').click()  # the click opened the node's details panel: close it, as a user would
            until(lambda: view(page, 0).locator('.ff-details').is_hidden())
            # Ctrl+Z in the widget undoes the widget's last edit (not a notebook cell operation)
            cells_before = page.locator('.jp-Notebook .jp-Cell').count()
            save = node(page, 0, 'save')
            save.scroll_into_view_if_needed()
            start = save.bounding_box()
            page.mouse.move(start['x'] + 60, start['y'] + 20)
            page.mouse.down()
            page.mouse.move(start['x'] + 60, start['y'] + 140, steps=8)
            page.mouse.up()
            until(lambda: save.bounding_box()['y'] > start['y'] + 80)
            page.keyboard.press('Control+z')
            until(lambda: abs(save.bounding_box()['y'] - start['y']) < 2)
            assert page.locator('.jp-Notebook .jp-Cell').count() == cells_before
        finally: b.close()
    assert outside == []

MARIMO_APP = '''import marimo
app = marimo.App()

@app.cell
def _():
    import marimo as mo, asyncio
    from fastflow.widget import FlowWidget
    from fastflow.execution import FlowExecutor
    async def load(c, i): await asyncio.sleep(0.3); return 500
    async def process(c, i): await asyncio.sleep(0.2); return i["load"]
    async def save(c, i): await asyncio.sleep(0.1); return i["process"]
    w = FlowWidget.from_executor(FlowExecutor.from_spec("my-pipeline", {"load": load, "process": (["load"], process), "save": (["process"], save)}), height=300)
    view = mo.ui.anywidget(w)
    get_clicked, set_clicked = mo.state([])
    w.on_node_click(lambda node_id: set_clicked(lambda ids: ids + [node_id]))
    return get_clicked, mo, view, w

@app.cell
def _(view):
    view
    return

@app.cell
def _(mo):
    run_button = mo.ui.run_button(label="run")
    run_button
    return (run_button,)

@app.cell
def _(get_clicked, mo):
    mo.md(f"clicked: {get_clicked()}")
    return

@app.cell
async def _(mo, run_button, w):
    mo.stop(not run_button.value)
    res = await w.run()
    mo.md(f"result: {res.kind} {w.progress['percent']}")
    return
'''

def test_widget_in_marimo(tmp_path, browser):
    "marimo (when FASTFLOW_MARIMO names its executable, or it is on PATH): the widget draws, runs and styles in marimo's shadow DOM"
    import shutil
    marimo = os.environ.get('FASTFLOW_MARIMO') or shutil.which('marimo') or (str(BIN/'marimo') if (BIN/'marimo').exists() else None)
    if not marimo: pytest.skip('marimo not installed')
    (tmp_path/'app.py').write_text(MARIMO_APP)
    port, site = free_port(), next(Path(sys.prefix).glob('lib/python3*/site-packages'))
    env = {**os.environ, 'PYTHONPATH': os.pathsep.join([str(ROOT), str(site)])}
    proc = subprocess.Popen([marimo, 'run', str(tmp_path/'app.py'), '--headless', '--host', '127.0.0.1', '--port', str(port), '--no-token'],
                            env=env, stdout=open(tmp_path/'marimo.log', 'w'), stderr=subprocess.STDOUT)
    try:
        outside = []
        b, page = watched_page(browser, outside)
        for _ in range(100):
            try:
                page.goto(f'http://127.0.0.1:{port}/')
                break
            except Exception: time.sleep(0.3)
        nodes = page.locator('.fastflow-canvas g[data-cell-id] .ff-node')  # Playwright's locators pierce shadow roots
        nodes.nth(2).wait_for(timeout=60_000)
        page.get_by_text('run', exact=True).first.click()
        page.get_by_text('result: complete 100.0').wait_for(timeout=30_000)
        until(lambda: all('ff-success' in (nodes.nth(i).get_attribute('class') or '').split() for i in range(3)))
        assert page.locator('.ffw-count').first.inner_text() == '3/3 · 100%'
        assert nodes.first.locator('.ff-bar').evaluate('e => getComputedStyle(e).backgroundColor') == GREEN  # styled
        page.locator('.fastflow-canvas g[data-cell-id="process"] .ff-node').click()  # a click reaches Python
        page.get_by_text("clicked: ['process']").wait_for(timeout=30_000)
        page.screenshot(path=str(ARTIFACTS/'widget_marimo.png'))
        b.close()
        assert outside == []
    finally:
        proc.terminate()
        proc.wait(10)


# ---------------------------------------------------------------- a widget that follows the executor's runs

FOLLOW_CELLS = [SETUP.replace('w = FlowWidget.from_executor(executor, height=320)', 'w = FlowWidget.from_executor(executor, height=320, follow=True)'),
                'w',  # a second view
                'r = await executor.execute()\nprint(r.status)',
                # a run on another thread with its own event loop, as a FastHTML server in the notebook runs it;
                # the cell ends at once and the kernel is idle while the run goes
                'import threading\nth = threading.Thread(target=lambda: asyncio.run(executor.execute()), daemon=True)\nth.start()',
                'th.join()\nprint(w.message, w.running, sorted((k, v["status"]) for k, v in w.status.items()))',
                'load, process, save = w.graph["nodes"]\nw.graph = {**w.graph, "nodes": [load, save], "edges": [{"source": "load", "target": "save"}]}',
                'print(w.node_ids)']

def ids_drawn(page, i):
    "The node ids a view draws, each time it draws one (a ghost shows up twice)"
    return sorted(view(page, i).evaluate("""root => [...root.querySelectorAll('.fastflow-canvas g[data-cell-id]')]
        .filter(g => g.querySelector('.ff-node')).map(g => g.getAttribute('data-cell-id'))"""))

@pytest.fixture
def own_lab():
    "A JupyterLab of the test's own (the shared one keeps other notebooks' tabs, whose cells the selectors would see)"
    with Lab() as lab: yield lab

def test_widget_follows_any_run(own_lab, browser):
    "FlowWidget as a callback: a run started by the executor, and one on another thread, light up every view; no ghosts"
    url, outside, errors = own_lab.notebook('follow.ipynb', FOLLOW_CELLS), [], []
    b, page = watched_page(browser, outside, errors, height=1200)
    all_green = {n: ['ff-success', GREEN] for n in ('load', 'process', 'save')}
    try:
        open_notebook(page, url)
        run_cell(page, 0)
        node(page, 0, 'save').locator('.ff-node').wait_for(timeout=30_000)
        run_cell(page, 1)
        node(page, 1, 'save').locator('.ff-node').wait_for(timeout=30_000)

        run_cell(page, 2, wait=False)
        for i in (0, 1):
            page.wait_for_function("root => root.querySelector('.fastflow-canvas .ff-node.ff-running')",
                                   arg=view(page, i).element_handle(), timeout=30_000)
        prompt_matches(page, 2, r'\[\d+\]', 60_000)
        assert output(page, 2).strip() == 'success'
        until(lambda: node_states(page, 0) == all_green and node_states(page, 1) == all_green)

        run_cell(page, 3)  # returns at once: the run goes on in its thread
        for i in (0, 1):   # the views go back to pending, then light up again
            page.wait_for_function("root => root.querySelector('.fastflow-canvas .ff-node.ff-running')",
                                   arg=view(page, i).element_handle(), timeout=30_000)
        until(lambda: node_states(page, 0) == all_green and node_states(page, 1) == all_green, timeout=30)
        for i in (0, 1): assert 'Flow completed' in view(page, i).locator('.ffw-message').inner_text()
        assert view(page, 1).locator('[role=progressbar]').get_attribute('aria-valuenow') == '100'
        run_cell(page, 4)
        out = output(page, 4)
        assert 'Flow completed' in out and "False [('load', 'success'), ('process', 'success'), ('save', 'success')]" in out, out
        page.screenshot(path=str(ARTIFACTS/'widget_follow_thread.png'))

        run_cell(page, 5)  # a new graph from Python: both views show it, and nothing of the old one
        until(lambda: ids_drawn(page, 0) == ['load', 'save'] and ids_drawn(page, 1) == ['load', 'save'])

        node(page, 1, 'save').click()  # an edit in the second view: the first agrees
        view(page, 1).locator('.ff-delete').click()
        until(lambda: ids_drawn(page, 0) == ['load'] and ids_drawn(page, 1) == ['load'])
        time.sleep(0.5)
        run_cell(page, 6)
        assert output(page, 6).strip() == "['load']"
    except Exception:
        page.screenshot(path=str(ARTIFACTS/'widget_follow_failure.png'))
        raise
    finally: b.close()
    assert outside == [], outside
    assert errors == [], errors


# ---------------------------------------------------------------- history, timeline, run from here (issue 9)

HISTORY_CELLS = [SETUP.replace('async def load_handler(context, inputs):\n', 'calls = []\nasync def load_handler(context, inputs):\n    calls.append("load")\n'),
                 'res = await w.run()\nprint(res.kind)',
                 'res = await w.run()\nprint(res.kind, len(w.runs))',
                 'print("calls", calls, "runs", [r["status"] for r in w.runs], sorted((k, v["status"]) for k, v in w.status.items()))']

def model_states(page, i):
    "Each node's status in a view's graph model (what the view paints)"
    return view(page, i).evaluate("r => Object.fromEntries(r.fastflowGraph.getNodes().map(n => [n.id, n.getData().status]))")

def test_widget_history_timeline_and_run_from_here(own_lab, browser):
    "The runs list beside the graph, a chosen run painted with its timeline, and a real right-click 'Run from here'"
    url, outside, errors = own_lab.notebook('history.ipynb', HISTORY_CELLS), [], []
    b, page = watched_page(browser, outside, errors, height=1200)
    ok = {'load': 'success', 'process': 'success', 'save': 'success'}
    try:
        open_notebook(page, url)
        run_cell(page, 0)
        node(page, 0, 'save').locator('.ff-node').wait_for(timeout=30_000)
        assert not view(page, 0).locator('.ffw-history').is_visible()  # no run yet, no list
        run_cell(page, 1)
        run_cell(page, 2)
        assert output(page, 2).strip() == 'complete 2'
        rows = view(page, 0).locator('.ffw-history li button')
        until(lambda: rows.count() == 2)
        assert 'success' in rows.nth(0).inner_text() and 's' in rows.nth(0).locator('.ffh-took').inner_text()

        # right-click the view's `process`: the menu, and a rerun that reuses `load` from the last run
        node(page, 0, 'process').click(button='right')
        item = page.locator('.ffw-menu [data-action="run-from-here"]')
        item.wait_for(timeout=5_000)
        assert item.is_enabled() and page.locator('.lm-Menu').count() == 0  # JupyterLab's own menu stays away
        item.click()
        until(lambda: model_states(page, 0) == {'load': 'cached', 'process': 'success', 'save': 'success'}, timeout=30)
        until(lambda: rows.count() == 3)
        run_cell(page, 3)
        out = output(page, 3)
        assert "calls ['load', 'load'] runs ['success', 'success', 'success']" in out, out  # no third `load`
        assert "('load', 'cached')" in out, out

        # choose the oldest run: its final state is painted, and its timeline drawn (three bars, in order)
        rows.nth(2).click()
        until(lambda: model_states(page, 0) == ok)
        bars = view(page, 0).locator('.ffw-history .ffh-gantt .ffh-bar')
        until(lambda: bars.count() == 3)
        assert [bars.nth(k).get_attribute('data-node') for k in range(3)] == ['load', 'process', 'save']
        assert rows.nth(2).get_attribute('aria-pressed') == 'true'
        # a node's details are the chosen run's: not a mix with what the newest run said of it ("cached: ...")
        node(page, 0, 'load').click()
        panel = view(page, 0).locator('.ff-details')
        panel.locator('summary', has_text='Result').wait_for(timeout=15_000)
        assert panel.locator('.ff-details-status').inner_text().startswith('success') and 'cached' not in panel.inner_text(), panel.inner_text()
        # the newest run (the rerun): `load` cached, no bar for it; the panel follows
        rows.nth(0).click()
        until(lambda: model_states(page, 0)['load'] == 'cached' and bars.count() == 2)
        until(lambda: panel.locator('.ff-details-status').inner_text().startswith('cached'))
        page.screenshot(path=str(ARTIFACTS/'widget_history.png'))
        page.keyboard.press('Escape')
    except Exception:
        page.screenshot(path=str(ARTIFACTS/'widget_history_failure.png'))
        raise
    finally: b.close()
    assert outside == [], outside
    assert errors == [], errors


# ---------------------------------------------------------------- the run bar: a rerun after a failure, dark theme

RERUN_CELLS = [SETUP.replace('''async def process_handler(context, inputs):
    await asyncio.sleep(0.4)
''', '''async def process_handler(context, inputs):
    await asyncio.sleep(0.4)
    raise ValueError("bad records")
'''), 'res = await w.run()\nprint(res.kind)']

# The WCAG contrast of an element's text on what is behind it (the first opaque background up its parents)
CONTRAST = """el => {
  const rgb = (c) => c.match(/[\\d.]+/g).map(Number)
  const lum = (c) => { const [r, g, b] = rgb(c).map((x) => { x /= 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4 }); return 0.2126 * r + 0.7152 * g + 0.0722 * b }
  let bg = el.parentElement
  while (bg && (getComputedStyle(bg).backgroundColor === 'rgba(0, 0, 0, 0)' || getComputedStyle(bg).backgroundColor === 'transparent')) bg = bg.parentElement
  const [a, b] = [lum(getComputedStyle(el).color), lum(getComputedStyle(bg || document.body).backgroundColor)]
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) }"""

def test_widget_run_bar_rerun_and_dark(own_lab, browser):
    "A rerun of a failed flow shows as running, not as the last run's failure; in JupyterLab Dark the run bar and runs list stay readable"
    url, outside, errors = own_lab.notebook('rerun.ipynb', RERUN_CELLS), [], []
    b, page = watched_page(browser, outside, errors)
    bar = lambda: view(page, 0).evaluate("r => [r.querySelector('.ffw-count').textContent, r.querySelector('.ffw-message').textContent, "
                                         "getComputedStyle(r.querySelector('.ffw-fill')).backgroundColor]")
    try:
        open_notebook(page, url)
        run_cell(page, 0)
        node(page, 0, 'save').locator('.ff-node').wait_for(timeout=30_000)
        run_cell(page, 1)
        until(lambda: 'failed' in bar()[1])
        assert bar()[2] == 'rgb(255, 77, 79)', bar()  # red: the run failed

        # the rerun: every state the bar shows while it goes, until it ends
        view(page, 0).evaluate("""r => { const seen = r.ffSeen = [], bar = r.querySelector('.ffw-run')
            const look = () => seen.push([bar.querySelector('.ffw-count').textContent, bar.querySelector('.ffw-message').textContent,
                                          getComputedStyle(bar.querySelector('.ffw-fill')).backgroundColor])
            new MutationObserver(look).observe(bar, {subtree: true, childList: true, characterData: true, attributes: true}) }""")
        run_cell(page, 1)
        until(lambda: bar()[0].startswith('3/3') and 'failed' in bar()[1])
        seen = view(page, 0).evaluate('r => r.ffSeen')
        going = [s for s in seen if s[0][:3] in ('0/3', '1/3', '2/3')]
        assert going, seen
        assert all(s[1] == 'running…' and s[2] == 'rgb(24, 144, 255)' for s in going), going  # blue, no old failure
        assert bar()[2] == 'rgb(255, 77, 79)', bar()

        page.evaluate("window.jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Dark'})")
        page.wait_for_function("document.body.dataset.jpThemeLight === 'false'", timeout=20_000)
        time.sleep(1)
        for sel in ('.ffw-count', '.ffw-message', '.ffh-head', '.ffh-when', '.ffh-took'):
            ratio = view(page, 0).locator(sel).first.evaluate(CONTRAST)
            assert ratio >= 4.5, (sel, ratio)
        track = view(page, 0).locator('.ffw-progress').evaluate("t => getComputedStyle(t).backgroundColor")
        assert max(map(int, track[4:-1].split(','))) < 100, track  # a dark track, not a near-white bar
        # an edge no data passed (after the failure) settles to a quiet grey: dimmer than a green one
        stroke = node(page, 0, 'save').evaluate("""g => { const r = g.closest('.ffw-root'), e = r.fastflowGraph.getEdges().find((e) => e.getTargetCellId() === 'save')
            return getComputedStyle(r.querySelector(`.fastflow-canvas g[data-cell-id="${e.id}"] path:not([stroke="transparent"])`)).stroke }""")
        assert stroke == 'rgb(100, 116, 139)', stroke
        page.mouse.move(5, 5)
        view(page, 0).screenshot(path=str(ARTIFACTS/'widget_dark_after_rerun.png'))
    except Exception:
        page.screenshot(path=str(ARTIFACTS/'widget_rerun_failure.png'))
        raise
    finally: b.close()
    assert outside == [], outside
    assert errors == [], errors
