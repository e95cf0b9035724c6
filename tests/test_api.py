"The public API: `fastflow`'s top-level names are README's 'API at a glance', one name per idea, old names warn for one release."
import re, subprocess, sys, warnings
from pathlib import Path
import pytest
import fastflow

ROOT = Path(__file__).resolve().parents[1]

def glance() -> list:
    "The names README's 'API at a glance' table lists, in order"
    text = (ROOT/'README.md').read_text(encoding='utf-8').split('## API at a glance', 1)[1].split('\n## ', 1)[0]
    return re.findall(r'^\| \[?`(\w+)`', text, re.M)

def test_top_level_is_the_readme_list():
    assert sorted(glance()) == sorted(fastflow.__all__), set(glance()) ^ set(fastflow.__all__)
    for n in fastflow.__all__: assert getattr(fastflow, n) is not None, n

def test_star_import_gives_the_api_only():
    ns = {}
    exec('from fastflow import *', ns)
    assert sorted(k for k in ns if not k.startswith('__')) == sorted(fastflow.__all__)

def test_dagnode_is_node():
    from fastflow.components import flow_children
    assert fastflow.DAGNode is fastflow.Node
    kids = flow_children({'nodes': [{'id': 'a'}], 'edges': []})
    assert isinstance(kids[0], fastflow.DAGNode) and type(kids[0]).__name__ == 'Node'

def test_the_spec_imports_work_without_warnings():
    "The spec's imports, verbatim, warn about nothing of fastflow's (other libraries' warnings are theirs)"
    code = ('import warnings\n'
            'with warnings.catch_warnings(record=True) as ws:\n'
            '    warnings.simplefilter("always")\n'
            '    from fasthtml.common import *\n'
            '    from fastflow import FlowEditor, DAGNode, Edge, fastflow_headers\n'
            '    from fastflow.types import InputNode, TransformNode, OutputNode\n'
            '    from fastflow.execution import FlowExecutor, ExecutionStep\n'
            '    from fastflow.callbacks import TimingCallback, LoggingCallback, ProgressCallback, FlowCallback, FlowState\n'
            'print([str(w.message) for w in ws if "fastflow" in str(w.message) or "fastflow" in w.filename])')
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout.strip() == '[]', r.stdout + r.stderr

def test_a_fastflow_page_imports_neither_anywidget_nor_plum():
    "The spec's page imports: no widget machinery, no dispatch library until a typed node is used"
    code = ('import sys; from fastflow import FlowEditor, DAGNode, Edge, fastflow_headers, FlowExecutor, ExecutionStep\n'
            'print(sorted(m for m in ("anywidget", "plum") if m in sys.modules))\n'
            'from fastflow import FlowNode, FlowWidget\n'
            'print(sorted(m for m in ("anywidget", "plum") if m in sys.modules))')
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, timeout=120)
    assert r.stdout.split('\n')[:2] == ['[]', "['anywidget', 'plum']"], r.stdout + r.stderr

@pytest.mark.parametrize('old,new,expected', [
    ('fastflow.types.execute', 'fastflow.types.run_node', 'fastflow.types.execute is deprecated: use run_node'),
    ('fastflow.types.render', 'fastflow.types.node_look', 'fastflow.types.render is deprecated: use node_look'),
    ('fastflow.parse_sse', 'fastflow.core.parse_sse', 'fastflow.parse_sse is deprecated: import it from fastflow.core'),
    ('fastflow.graph_spec', 'fastflow.components.graph_spec', 'fastflow.graph_spec is deprecated: import it from fastflow.components')])
def test_old_names_warn_and_are_the_new_ones(old, new, expected):
    import importlib
    mod, name = old.rsplit('.', 1)
    nmod, nname = new.rsplit('.', 1)
    with pytest.warns(DeprecationWarning, match=re.escape(expected)):
        got = getattr(importlib.import_module(mod), name)
    assert got is getattr(importlib.import_module(nmod), nname)

def test_flow_is_from_spec_with_a_warning():
    from fastflow.execution import FlowExecutor, flow
    import asyncio
    with pytest.warns(DeprecationWarning, match='use FlowExecutor.from_spec'): ex = flow('g', {'a': lambda c, i: 1})
    new = FlowExecutor.from_spec('g', {'a': lambda c, i: 1, 'b': (['a'], lambda c, i: i['a'] + 1)}, retries=2)
    assert type(ex) is FlowExecutor and new.retries == 2 and new.edges == [('a', 'b')]
    assert asyncio.run(new.execute()).results == {'a': 1, 'b': 2}

def test_unknown_names_still_fail():
    with pytest.raises(AttributeError, match='no attribute'): fastflow.nope
    from fastflow import types
    with pytest.raises(AttributeError, match='no attribute'): types.nope
