"""The editor tutorial (nbs/tutorials/editor.ipynb) as a runnable app.

Run from the repository root:  python examples/editor.py
then open the printed link (http://127.0.0.1:5001; set PORT to change it): drag nodes from the palette,
connect them, double-click one to rename it, then click "💾 Save" and "▶ Run". The run route turns
the saved drawing into a FlowExecutor of typed nodes and streams the run back to the graph."""
import os
from fasthtml.common import *
from fastflow import FlowEditor, DAGNode, Edge, FlowExecutor, fastflow_headers
from fastflow.types import InputNode, TransformNode, JoinNode, OutputNode
from fastflow.core import error_event

# The node types people may add, under headings; every input dropped from the palette reads the run's `rows`
palette = {'Data': [InputNode(id='input', label='Input', source='rows'), JoinNode],
           'Results': [TransformNode, OutputNode]}

def studio():
    return FlowEditor(
        InputNode(id='rows', label='Rows', source='rows'),
        DAGNode('result', x=300, y=60, label='Result', node_type='output', icon='💾', outputs=0),
        Edge('rows', 'result'),
        id='studio', palette=palette, height=420)

app, rt = fast_app(hdrs=fastflow_headers())
saved = {}

@rt('/flow')
async def post(req):
    "Keep the flow the editor sent"
    saved['flow'] = await req.json()
    return P(f"Saved {len(saved['flow']['nodes'])} nodes")

def executor_for(flow):
    "A `FlowExecutor` running the typed nodes of a drawing (a `FlowFormatError` or `FlowValidationError` if it can't)"
    return FlowExecutor.from_flow(flow)

async def refuse(message):
    "A run that cannot start: its one event says why"
    yield error_event(message).sse()

@rt('/run')
def get():
    "Run the saved flow, streaming its events"
    if 'flow' not in saved: return EventStream(refuse('Nothing saved yet: click Save first'))
    try: ex = executor_for(saved['flow'])
    except ValueError as e: return EventStream(refuse(f'This flow cannot run: {e}'))
    return EventStream(ex.run({'rows': [1, 2, 3]}))

@rt
def index():
    return Titled('Flow studio', studio(),
                  Div(Button('💾 Save', onclick="fastflow.postFlow('studio', '/flow')"),
                      Button('▶ Run', onclick="fastflow.postFlow('studio', '/flow').then(() => fastflow.connectExecution('studio', '/run'))"),
                      style='display: flex; gap: 8px; flex-wrap: wrap; margin-top: 12px;'))

serve(host='127.0.0.1', app_dir=os.path.dirname(os.path.abspath(__file__)))
