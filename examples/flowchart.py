"""The flowchart tutorial (nbs/tutorials/flowchart.ipynb) as a runnable app.

Run from the repository root:  python examples/flowchart.py
then open the printed link (http://127.0.0.1:5001; set PORT to change it), pick an order and click "▶ Run".
Start and end are pills, the order is read from a parallelogram, the stock check is a diamond whose
two branches leave from its own ports with their labels; the branch not taken is skipped."""
import asyncio, os
from fasthtml.common import *
from fastflow import FlowEditor, Edge, fastflow_headers
from fastflow.types import StartNode, InputNode, DecisionNode, ProcessNode, OutputNode, EndNode
from fastflow.execution import FlowExecutor, ExecutionStep
from fastflow.callbacks import SkipNodeException

app, rt = fast_app(hdrs=fastflow_headers())

# The drawing: typed nodes (each type has its shape and colour) and edges, two of them branches
nodes = [StartNode('start', label='Order received'),
         InputNode('load', label='Load order', source='order'),
         DecisionNode('check', label='In stock?', branches=['yes', 'no'],
                      fn=lambda order: order['stock'] >= order['qty']),
         ProcessNode('pack', label='Pack and ship'),
         OutputNode('notify', label='Email tracking number', destination='emails'),
         EndNode('shipped', label='Shipped'),
         ProcessNode('backorder', label='Back-order'),
         EndNode('waiting', label='Waiting for stock')]
edges = [Edge('start', 'load'), Edge('load', 'check'),
         Edge('check', 'pack', source_port='yes', label='yes'),
         Edge('check', 'backorder', source_port='no', label='no', line_style='dashed'),
         Edge('pack', 'notify'), Edge('notify', 'shipped'), Edge('backorder', 'waiting')]

# Running it: a branch's first step runs only if the decision chose it; the other branch is skipped
def on_branch(branch, result):
    async def handler(context, inputs):
        if inputs['check']['branch'] != branch: raise SkipNodeException(f'the order took the other branch')
        await asyncio.sleep(0.3)
        return result
    return handler

async def step(context, inputs):
    await asyncio.sleep(0.3)
    return next(iter(inputs.values()), None)

deps = {'load': ['start'], 'check': ['load'], 'pack': ['check'], 'notify': ['pack'], 'shipped': ['notify'],
        'backorder': ['check'], 'waiting': ['backorder']}
handlers = {'start': step, 'pack': on_branch('yes', {'parcel': 'PK-1042'}), 'notify': step, 'shipped': step,
            'backorder': on_branch('no', {'eta_days': 5}), 'waiting': step}
executor = FlowExecutor('orders', [ExecutionStep(n.id, node=n, depends_on=deps.get(n.id, []), handler=handlers.get(n.id))
                                   for n in nodes])

ORDERS = {'in-stock': {'sku': 'mug', 'qty': 2, 'stock': 40}, 'sold-out': {'sku': 'lamp', 'qty': 1, 'stock': 0}}

@rt
def index():
    return Titled('Order flowchart',
        FlowEditor(*nodes, *edges, id='orders', height=460, read_only=True),
        Div(Select(*[Option(k, value=k) for k in ORDERS], id='order'),
            Button('▶ Run', onclick="fastflow.connectExecution('orders', '/run?order=' + document.getElementById('order').value)"),
            style='display: flex; gap: 8px; margin-top: 12px;'))

@rt('/run')
async def get(order:str='in-stock'):
    return EventStream(executor.run({'order': ORDERS[order]}))

serve(host='127.0.0.1', app_dir=os.path.dirname(os.path.abspath(__file__)))
