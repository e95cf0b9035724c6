"""A data-processing DAG people build from a palette; the server saves it (a JSON file) and runs it.

Run from the repository root:  python examples/data_dag.py
then open http://127.0.0.1:5001 (set PORT to change it). Drag nodes from the palette (or click them),
connect them, click "💾 Save": the flow is checked and written to saved_flow.json (next to this file, or
in $FLOWS_DIR). "▶ Run" saves, then runs the saved flow on a small sales table. Node types the server
knows how to run are in the palette: the input and join nodes run themselves, the filter and transform
steps run the handlers registered here for their type."""
import json, os
from pathlib import Path
from fasthtml.common import *
from fastflow import FlowEditor, Edge, FlowExecutor, fastflow_headers
from fastflow.core import error_event
from fastflow.components import FlowFormatError
from fastflow.flow import Flow
from fastflow.types import InputNode, FilterNode, TransformNode, JoinNode, OutputNode

app, rt = fast_app(hdrs=fastflow_headers(), default_hdrs=os.environ.get('FASTFLOW_OFFLINE') is None)
SAVED = Path(os.environ.get('FLOWS_DIR', Path(__file__).parent))/'saved_flow.json'
SALES = [{'region': 'north', 'amount': 120}, {'region': 'south', 'amount': 80}, {'region': 'north', 'amount': 300}]

palette = {'Sources': [InputNode(id='sales', label='Sales', source='sales')],
           'Steps': [FilterNode(id='big', label='Big sales', condition='amount > 100'),
                     TransformNode(id='tax', label='Add tax', transform_type='tax'), JoinNode],
           'Results': [OutputNode(id='report', label='Report', destination='report')]}

# handlers by node type: every filter keeps the big sales, every transform adds tax
def keep_big(context, inputs): return [r for v in inputs.values() for r in (v if isinstance(v, list) else [v]) if r['amount'] > 100]
def add_tax(context, inputs): return [{**r, 'with_tax': round(r['amount'] * 1.2, 2)} for v in inputs.values() for r in v]
HANDLERS = {'filter': keep_big, 'transform': add_tax}

def starter():
    return Flow(InputNode(id='sales', label='Sales', source='sales'), FilterNode(id='big', label='Big sales', condition='amount > 100'),
                OutputNode(id='report', label='Report', destination='report'), Edge('sales', 'big'), Edge('big', 'report'), id='dag')

def current():
    "The saved flow, else the starter"
    return Flow.from_json(SAVED.read_text(encoding='utf-8')) if SAVED.exists() else starter()

@rt('/save')
async def post(req):
    "Check the flow the page sent, then keep it"
    try: flow = Flow.from_json(await req.body())
    except FlowFormatError as e: return Response(str(e), status_code=400)
    SAVED.write_text(flow.to_json(indent=1), encoding='utf-8')
    return P(f'Saved {len(flow.nodes)} nodes')

async def refuse(message): yield error_event(message).sse()

@rt('/run')
def get():
    try: ex = FlowExecutor.from_flow(current(), handlers=HANDLERS)
    except ValueError as e: return EventStream(refuse(f'This flow cannot run: {e}'))
    return EventStream(ex.run({'sales': SALES}))

@rt
def index():
    return Titled('Sales DAG', FlowEditor(current(), id='dag', palette=palette, height=460),
                  Div(Button('💾 Save', onclick="fastflow.postFlow('dag', '/save')"),
                      Button('▶ Run', onclick="fastflow.postFlow('dag', '/save').then(() => fastflow.connectExecution('dag', '/run'))"),
                      style='display: flex; gap: 8px; flex-wrap: wrap; margin-top: 12px;'))

if __name__ == '__main__': serve(port=int(os.environ.get('PORT', 5001)))
