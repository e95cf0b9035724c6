"Runs in Chromium: the spec's page starts no run nobody asked for; a reload mid-run reattaches to the live run."
import json, shutil, time
from pathlib import Path
import pytest
from conftest import ROOT, Server, cdn_urls, screenshot

HERE = Path(__file__).resolve().parent

def wait_for(page, cond, timeout=20, what='condition', log=lambda: ''):
    "Poll `cond` while letting Playwright work: the watched page's requests pass through a route handler in this process."
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond(): return
        page.wait_for_timeout(100)
    raise AssertionError(f'{what} not met in {timeout}s\n{log()}')

def test_spec_double_click_gives_two_runs_and_no_more(serve, page):
    "The spec's Complete Code, verbatim: its page keeps one global EventSource, so a double click leaves the first one open."
    srv = serve(ROOT/'examples'/'python_exec_tutorial.py', module='python_exec_tutorial')
    page.watch.allowed_outside |= cdn_urls(srv.get('/'))
    page.goto(srv.url + '/')
    page.wait_for_function("window.fastflow?.['my-pipeline']?.getNodes().length === 3")
    starts = lambda: srv.output.count('→ Starting load')  # MetricsCallback prints this once per run
    page.get_by_role('button', name='▶ Run Pipeline').dblclick()
    wait_for(page, lambda: starts() == 2, what='two runs', log=lambda: srv.output)
    page.wait_for_selector('#results pre', timeout=20_000)  # the first run completed on the page
    page.wait_for_timeout(30_000)  # the first EventSource was never closed: its stream ended, and it must not come back
    assert starts() == 2, srv.output

@pytest.fixture
def app(tmp_path):
    shutil.copy(HERE/'runs_app.py', tmp_path/'runs_app.py')
    srv = Server(tmp_path, 'runs_app', env={'FF_DB': str(tmp_path/'runs.db'), 'FF_CALLS': str(tmp_path/'calls.txt')})
    srv.calls = lambda: [l.split()[1] for l in (tmp_path/'calls.txt').read_text().splitlines()]
    yield srv
    srv.stop()

STATUS = "id => window.fastflow.flow?.getCellById(id)?.getData()?.status"
STATUSES = "() => ['load', 'clean', 'save'].map(id => window.fastflow.flow?.getCellById(id)?.getData()?.status)"
HEAR = """window.ffHeard = []
document.addEventListener('fastflow:event', e => window.ffHeard.push([e.detail.kind, e.detail.data.nodeId || null, e.detail.data.status || null]))"""

def test_reload_mid_run_reattaches(app, page):
    page.add_init_script(HEAR)
    page.goto(app.url + '/')
    page.wait_for_selector('.fastflow-canvas g[data-cell-id="save"] .ff-node')
    page.evaluate('window.ffSlow = 10')  # 3 s per step
    page.click('#run')
    page.wait_for_function(f"({STATUS})('clean') === 'running'", timeout=15_000)
    saved = page.evaluate("() => Object.entries(sessionStorage).filter(([k]) => k.startsWith('fastflow:run:'))")
    assert len(saved) == 1 and json.loads(saved[0][1])['url'].startswith('/run?slow=10')
    page.reload()
    # the reloaded page shows the run as it is now (load done, clean running), not a blank graph
    page.wait_for_function(f"({STATUS})('load') === 'success' && ({STATUS})('clean') === 'running'", timeout=10_000)
    screenshot(page, 'runs-reattached')
    page.wait_for_function(f"({STATUSES})().every(s => s === 'success')", timeout=30_000)
    heard = page.evaluate('window.ffHeard')
    assert heard[-1][0] == 'complete' and ('nodeStatus', 'save', 'running') in [tuple(h) for h in heard]
    assert page.evaluate("() => Object.keys(sessionStorage).filter(k => k.startsWith('fastflow:run:')).length") == 0
    page.reload()  # a run that ended is not reattached to
    page.wait_for_selector('.fastflow-canvas g[data-cell-id="save"] .ff-node')
    page.wait_for_timeout(500)
    assert page.evaluate(STATUSES) == ['pending', 'pending', 'pending']
    assert sorted(app.calls()) == ['clean', 'load', 'save']  # one handler call per node, reload or not

def test_history_lists_runs_and_paints_the_chosen_one(app, page):
    import httpx
    done = httpx.get(app.url + '/run?slow=0.3', timeout=30).text  # one run that succeeds
    rid = httpx.post(app.url + '/start?slow=0.3&hold=clean').text  # one cancelled mid-way: its `clean` runs until cancelled
    page.goto(app.url + '/')
    page.wait_for_selector('.fastflow-canvas g[data-cell-id="save"] .ff-node')
    page.wait_for_function("() => document.querySelector('#history [data-run]')")
    page.wait_for_function(f"({STATUS})('load') === 'pending'")
    load_of = lambda: httpx.get(app.url + f'/_fastflow/runs/{rid}').json()['nodes'].get('load', {}).get('status')
    wait_for(page, lambda: load_of() == 'success', what='load done in the detached run')
    # `clean` is held until the cancel, however late it comes: with timed steps (1.5 s each), a loaded machine once
    # let `clean` finish before the cancel landed, and the page rightly painted success,success,cancelled
    assert httpx.post(app.url + f'/cancel/{rid}').text == 'yes'
    wait_for(page, lambda: httpx.get(app.url + f'/_fastflow/runs/{rid}').json()['status'] == 'cancelled', what='the cancel recorded')
    page.click('#history .ffh-head button')  # refresh
    page.wait_for_function("() => [...document.querySelectorAll('#history .ffh-status')].map(e => e.textContent).join() === 'cancelled,success'")
    # one paint, no retry: the row's node statuses are read off the very events written with them (RunStore.flush)
    page.click(f'#history [data-run="{rid}"]')
    page.wait_for_function(f"({STATUSES})().join() === 'success,cancelled,cancelled'", timeout=10_000)
    assert 'Flow cancelled' in page.inner_text('#history .ffh-detail')
    screenshot(page, 'runs-history')
    ok = page.evaluate("() => document.querySelectorAll('#history [data-run]')[1].dataset.run")
    page.click(f'#history [data-run="{ok}"]')
    page.wait_for_function(f"({STATUSES})().join() === 'success,success,success'")
    assert json.loads(page.inner_text('#history pre'))['save'] == {'node': 'save', 'after': ['clean']}
    bars = page.evaluate("() => [...document.querySelectorAll('#history .ffh-bar')].map(b => [b.dataset.node, parseFloat(b.style.left), parseFloat(b.style.width)])")
    assert [b[0] for b in bars] == ['load', 'clean', 'save'] and bars[0][1] < bars[1][1] < bars[2][1]  # a timeline, in order
    assert all(w > 10 for _, _, w in bars), bars  # three steps of the same length share the run's time
    screenshot(page, 'runs-history-timeline')
    assert page.evaluate("fastflow.flow.getEdges().map(e => e.attr('line/stroke')).join()") == '#52c41a,#52c41a'
    assert sorted(app.calls()) == ['clean', 'clean', 'load', 'load', 'save']  # painting a run runs nothing

MENU = "document.querySelector('.ff-menu')"

def test_run_from_here_reuses_upstream_results(app, page):
    "Right-click a node, 'Run from here': upstream handlers are not called again, the node and what follows it are."
    page.goto(app.url + '/')
    page.wait_for_selector('.fastflow-canvas g[data-cell-id="save"] .ff-node')
    page.evaluate('window.ffSlow = 0.2')
    page.click('#run')
    page.wait_for_function(f"({STATUSES})().every(s => s === 'success')", timeout=20_000)
    first = page.evaluate("JSON.parse(sessionStorage.getItem(Object.keys(sessionStorage).find(k => k.startsWith('fastflow:last:')))).runId")
    assert sorted(app.calls()) == ['clean', 'load', 'save']
    node = lambda n: f'.fastflow-canvas g[data-cell-id="{n}"] .ff-node'
    page.click(node('clean'), button='right')  # a real contextmenu event
    item = page.get_by_role('menuitem', name='Run from here')
    item.wait_for()
    assert page.evaluate("document.activeElement?.dataset.action") == 'run-from-here'  # keyboard users land on it
    page.keyboard.press('Escape')
    page.wait_for_function(f"!{MENU}")
    assert sorted(app.calls()) == ['clean', 'load', 'save']  # closing the menu runs nothing
    page.click(node('clean'), button='right')
    item.click()
    page.wait_for_function(f"({STATUSES})().join() === 'cached,success,success'", timeout=20_000)
    assert page.locator(f"{node('load')}.ff-cached").count() == 1  # drawn as reused
    screenshot(page, 'runs-run-from-here')
    assert sorted(app.calls()) == ['clean', 'clean', 'load', 'save', 'save']  # load's handler was not called again
    # the runs list: choose the first run, then rerun the last step from it, with the keyboard this time
    page.wait_for_function("() => document.querySelectorAll('#history [data-run]').length === 2")
    page.click(f'#history [data-run="{first}"]')
    page.wait_for_function(f"({STATUSES})().join() === 'success,success,success'")
    page.click(node('save'))  # select it
    page.keyboard.press('Shift+F10')
    item.wait_for()
    page.keyboard.press('Enter')
    page.wait_for_function(f"({STATUSES})().join() === 'cached,cached,success'", timeout=20_000)
    assert sorted(app.calls()) == ['clean', 'clean', 'load', 'save', 'save', 'save']
    page.wait_for_function("() => document.querySelectorAll('#history [data-run]').length === 3")
    latest = page.evaluate("() => document.querySelector('#history [data-run]').dataset.run")
    page.click(f'#history [data-run="{latest}"]')  # the rerun's record paints its cached nodes as cached
    page.wait_for_function(f"({STATUSES})().join() === 'cached,cached,success'")
