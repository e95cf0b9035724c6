"""The "One graph, three doors" tutorial in a real JupyterLab, driven by Chromium: the notebook serves the
FastHTML page with `fasthtml.jupyter`, a second tab opens that page and clicks Run Pipeline, and both the page
and the FlowWidget in the notebook light up during that one run and end green.
The notebook's code cells are the tutorial's own, run in order."""
import json, re, time
from pathlib import Path
import pytest
from test_widget_jupyter import (Lab, ARTIFACTS, GREEN, guard, open_notebook, run_cell, output, cell, view, node_states,
                                 prompt_matches, until)

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = ROOT/'nbs'/'tutorials'/'three_doors.ipynb'

def code_cells():
    return [''.join(c['source']) for c in json.loads(TUTORIAL.read_text())['cells'] if c['cell_type'] == 'code']

def index_of(cells, text): return next(i for i, c in enumerate(cells) if text in c)

RUNNING = "root => root.querySelector('.fastflow-canvas .ff-node.ff-running')"

def page_states(page):
    "Each node of the page's graph: its status class"
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('#my-pipeline [data-cell-id]')]
        .filter(g => g.querySelector('.ff-node')).map(g => [g.getAttribute('data-cell-id'),
          [...g.querySelector('.ff-node').classList].find(c => c !== 'ff-node')]))""")

def picture(ctx, pngs, path):
    "Stack screenshots into one picture, with Chromium as the image editor"
    import base64
    page = ctx.new_page()
    imgs = ''.join(f'<img style="display:block;margin:8px" src="data:image/png;base64,{base64.b64encode(p).decode()}">' for p in pngs)
    page.set_content(f'<body style="margin:0;background:#fff"><div id="pic" style="display:inline-block">{imgs}</div></body>')
    page.locator('#pic').screenshot(path=str(path))
    page.close()

def test_three_doors_in_jupyterlab(browser):
    cells = code_cells()
    serve, stop = index_of(cells, 'JupyUvi(app'), index_of(cells, 'server.stop()')
    with Lab() as lab:
        url, outside, errors = lab.notebook('three_doors.ipynb', cells), [], []
        ctx = browser.new_context(viewport={'width': 1280, 'height': 1400})
        nb = ctx.new_page()
        guard(nb, outside)
        nb.on('pageerror', lambda e: errors.append(f'notebook: {e}'))
        widget = None
        try:
            open_notebook(nb, url)
            for i in range(serve + 1): run_cell(nb, i, timeout=60_000)
            widget = next(i for i, c in enumerate(cells) if c.strip().endswith('\nw'))
            view(nb, widget).locator('.fastflow-canvas g[data-cell-id="save"] .ff-node').wait_for(timeout=30_000)
            app_url = re.search(r'http://127\.0\.0\.1:\d+/', output(nb, serve)).group(0)

            app = ctx.new_page()  # the page, in a second tab of the same browser
            guard(app, outside)
            app.on('pageerror', lambda e: errors.append(f'app: {e}'))
            app.goto(app_url)
            app.locator('#my-pipeline [data-cell-id="save"] .ff-node').wait_for(timeout=30_000)
            nb.bring_to_front()
            before = node_states(nb, widget)
            assert {k: v[0] for k, v in before.items()} == dict.fromkeys(('load', 'process', 'save'), 'ff-success')  # door one ran

            app.get_by_text('▶ Run Pipeline').click()
            # during the run: the page and the widget both show a running node (the run takes 2.3 s)
            app.wait_for_function("() => document.querySelector('#my-pipeline .ff-node.ff-running')", timeout=15_000)
            nb.wait_for_function(RUNNING, arg=view(nb, widget).element_handle(), timeout=15_000)
            # and both end green
            app.wait_for_function("() => document.querySelectorAll('#my-pipeline .ff-node.ff-success').length === 3", timeout=30_000)
            until(lambda: node_states(nb, widget) == {n: ['ff-success', GREEN] for n in ('load', 'process', 'save')}, timeout=30)
            assert page_states(app) == dict.fromkeys(('load', 'process', 'save'), 'ff-success')
            assert 'Flow completed' in view(nb, widget).locator('.ffw-message').inner_text()
            assert '3/3 · 100%' in view(nb, widget).locator('.ffw-count').inner_text()
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            shots = [app.screenshot(clip={'x': 0, 'y': 0, 'width': 1000, 'height': 450}), view(nb, widget).screenshot()]
            picture(ctx, shots, ARTIFACTS/'three_doors.png')  # the tutorial's picture: the page above, the widget below

            for i in range(serve + 1, len(cells)): run_cell(nb, i, timeout=60_000)  # the rest of the tutorial, down to stop()
            prompt_matches(nb, stop, r'\[\d+\]', 30_000)
            assert 'Error' not in ''.join(output(nb, i) for i in range(len(cells))), [output(nb, i) for i in range(len(cells))]
            with pytest.raises(Exception): app.goto(app_url, timeout=5_000)  # the server is gone
        except Exception:
            nb.screenshot(path=str(ARTIFACTS/'three_doors_failure.png'))
            if widget is not None:
                try: print('widget', node_states(nb, widget))
                except Exception as e: print('widget', e)
            raise
        finally: ctx.close()
    assert outside == [], outside
    assert errors == [], errors
