"The programs README and the Python execution tutorial end with, run as files: `python file.py`, uvicorn, Chromium."
import json, re, subprocess, sys
from pathlib import Path
from conftest import ROOT, screenshot
import httpx
from fastflow.core import parse_sse

EXAMPLES = ROOT/'examples'

def read_stream(url):
    with httpx.stream('GET', url, timeout=30) as r: return parse_sse(r.read().decode())

def readme_blocks(lang='') -> list:
    "The fenced code blocks of README.md in language `lang` (`''`: the notebook's own cells, which have none)"
    blocks = re.findall(r'^```(\w*)\n(.*?)^```[ \t]*$', (ROOT/'README.md').read_text(encoding='utf-8'), re.S | re.M)
    return [code for l, code in blocks if l == lang]

def notebook_cell(nb, starts):
    "The source of the first code cell of notebook `nb` (under nbs/) whose text starts with `starts`"
    cells = json.loads((ROOT/'nbs'/nb).read_text(encoding='utf-8'))['cells']
    return next(''.join(c['source']) for c in cells if c['cell_type'] == 'code' and ''.join(c['source']).startswith(starts))

def test_readme_first_program_is_the_file():
    "README's first program is examples/readme_first.py without its last line, `asyncio.run(main())`"
    first = readme_blocks()[0]
    assert first.startswith('import asyncio\nfrom fastflow import'), first
    assert (EXAMPLES/'readme_first.py').read_text(encoding='utf-8') == first + '\nasyncio.run(main())\n'

def test_readme_first_program_runs_as_a_file(tmp_path):
    "`python readme_first.py` prints the results, from any folder"
    r = subprocess.run([sys.executable, str(EXAMPLES/'readme_first.py')], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "{'users': 500, 'orders': 1200, 'report': {'orders per user': 2.4}}"

def test_readme_page_runs(serve):
    "README's FastHTML page, put after the first program's executor as it says, serves the graph and streams a run"
    program = readme_blocks()[0].split('\nasync def main')[0]
    page = readme_blocks('python')[0]
    srv = serve(program + '\n' + page, module='readme_page')
    html = srv.get('/')
    assert 'id="readme"' in html and "fastflow.connectExecution('readme', '/run')" in html
    evs = read_stream(srv.url + '/run')
    assert evs[-1].kind == 'complete' and evs[-1]['results']['report'] == {'orders per user': 2.4}

def test_tutorial_ends_with_the_file():
    "The Python execution tutorial's last program is examples/python_execution.py, character for character"
    cell = notebook_cell('tutorials/python_execution.ipynb', '#| eval: false\nfrom fasthtml.common import *')
    assert cell.removeprefix('#| eval: false\n') + '\n' == (EXAMPLES/'python_execution.py').read_text(encoding='utf-8')

EVIL = '<img src=x onerror="window.pwned=(window.pwned||0)+1">'

def test_tutorial_program_in_chromium(serve, page):
    "The tutorial's program, run as a file by uvicorn: Run lights the nodes up, and the log shows the run as text"
    src = (EXAMPLES/'python_execution.py').read_text(encoding='utf-8')
    srv = serve(src, module='python_execution')
    page.watch.allowed_outside |= set(re.findall(r'''(?:src|href)=["'](https?://[^"']+)["']''', srv.get('/').split('</head>')[0]))
    page.goto(srv.url + '/')
    page.wait_for_function("window.fastflow?.['my-pipeline']?.getNodes().length === 3")
    page.get_by_role('button', name='▶ Run Pipeline').click()
    page.wait_for_function("document.getElementById('results').textContent.includes('Flow completed')", timeout=20_000)
    log = page.inner_text('#results')
    for n in ('load', 'process', 'save'): assert f'{n}: running' in log and f'{n}: success' in log, log
    assert '"saved": 500' in log, log
    page.wait_for_timeout(100)
    statuses = page.evaluate("fastflow.getGraph('my-pipeline').getNodes().map(n => n.getData().status)")
    assert statuses == ['success'] * 3, statuses
    screenshot(page, 'python_execution_example')

def test_tutorial_program_shows_html_from_a_run_as_text(serve, page):
    "A failing handler whose message is HTML: the page shows the text and runs nothing (the tutorial's point about innerHTML)"
    src = (EXAMPLES/'python_execution.py').read_text(encoding='utf-8')
    evil = f'''
async def load_handler(context, inputs): raise ValueError({EVIL!r})
executor = FlowExecutor(graph_id="my-pipeline", steps=[ExecutionStep(node_id="load", handler=load_handler)])
'''
    srv = serve(src + evil, module='python_execution_evil')  # the route streams whatever `executor` is
    page.watch.allowed_outside |= set(re.findall(r'''(?:src|href)=["'](https?://[^"']+)["']''', srv.get('/').split('</head>')[0]))
    page.goto(srv.url + '/')
    page.wait_for_function("window.fastflow?.['my-pipeline']?.getNodes().length === 3")
    page.get_by_role('button', name='▶ Run Pipeline').click()
    page.wait_for_function("document.getElementById('results').textContent.includes('✕')", timeout=20_000)
    page.wait_for_timeout(300)
    assert EVIL in page.inner_text('#results')
    assert page.evaluate("document.querySelectorAll('#results img, .fastflow-canvas foreignObject img').length") == 0
    assert page.evaluate("window.pwned || 0") == 0

JUPYTER_PROGRAM = 'import asyncio\nfrom fastflow.types import InputNode, TransformNode, OutputNode\nfrom fastflow.execution import FlowExecutor, ExecutionStep\nfrom fastflow.widget import FlowWidget\n'

def test_jupyter_tutorial_ends_with_the_file():
    "The Jupyter tutorial's complete program is examples/jupyter_widget.py without its last line, `asyncio.run(main())`"
    cell = notebook_cell('tutorials/jupyter.ipynb', JUPYTER_PROGRAM)
    assert (EXAMPLES/'jupyter_widget.py').read_text(encoding='utf-8') == cell + '\n\nasyncio.run(main())\n'

def test_jupyter_program_runs_as_a_file(tmp_path):
    "`python jupyter_widget.py`: no notebook to draw in, the widget still follows the runs, reruns from a node and keeps the history"
    r = subprocess.run([sys.executable, str(EXAMPLES/'jupyter_widget.py')], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["complete {'saved': 500, 'status': 'success'}",
                                     "complete {'load': 'cached', 'process': 'success', 'save': 'success'}",
                                     "success ['process', 'save']", "success ['load', 'process', 'save']"], r.stdout

def test_cluster_and_three_doors_tutorials_end_with_their_files():
    "The cluster and three-doors tutorials end with their complete programs, which are examples/cluster.py and examples/three_doors.py"
    for nb, f in [('tutorials/cluster.ipynb', 'cluster.py'), ('tutorials/three_doors.ipynb', 'three_doors.py')]:
        cells = json.loads((ROOT/'nbs'/nb).read_text(encoding='utf-8'))['cells']
        last = ''.join(next(c for c in cells if c['cell_type'] == 'markdown' and ''.join(c['source']).startswith('## The complete program'))['source'])
        assert last.endswith('```python\n' + (EXAMPLES/f).read_text(encoding='utf-8') + '```'), f  # shown, not run: Run All in Jupyter must not start it

def test_cluster_program_runs_as_a_file(tmp_path):
    "`python cluster.py`: the same count in one process and on two Dask worker processes, which are not this one"
    r = subprocess.run([sys.executable, str(EXAMPLES/'cluster.py')], cwd=tmp_path, capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr
    out = r.stdout.splitlines()
    assert re.fullmatch(r'one process: 14683 primes in [\d.]+s', out[0]) and re.fullmatch(r'two worker processes: 14683 primes in [\d.]+s', out[1]), out
    assert out[2] == 'the chunks ran in this process: False', out

def test_three_doors_program_runs_as_a_file(tmp_path):
    "`python three_doors.py`: a run from Python and one through the page's route, both followed by the widget"
    r = subprocess.run([sys.executable, str(EXAMPLES/'three_doors.py')], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    done = "{'load': 'success', 'process': 'success', 'save': 'success'}"
    out = [l for l in r.stdout.splitlines() if not l.startswith('<IPython')]  # fasthtml.jupyter's htmx port note, for notebooks
    assert out[0] == f'python: success {done}' and re.fullmatch(r'The page: http://127\.0\.0\.1:\d+/', out[1]), out
    assert out[2] == f'page: complete {done}', out
