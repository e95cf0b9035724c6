"""The flowchart tutorial (nbs/tutorials/flowchart.ipynb) as a runnable app.

Run from the repository root:  python examples/flowchart.py
then open the printed link (http://127.0.0.1:5001; set PORT to change it), pick an order and click "▶ Run".
Start and end are pills, the stock levels come in and the email goes out through parallelograms, the stock
check is a diamond whose two branches leave from its own ports with their names. The drawn `Flow` is what
runs: the decision picks a branch, the branch not taken is skipped and its edges settle grey."""
import asyncio, os
from fasthtml.common import *
from fastflow import Edge, fastflow_headers
from fastflow.flow import Flow
from fastflow.types import StartNode, InputNode, DecisionNode, ProcessNode, OutputNode, EndNode
from fastflow.execution import FlowExecutor

app, rt = fast_app(hdrs=fastflow_headers())

# The flow: typed nodes (each type has its shape and colour) and edges, two of them leaving the decision's ports
nodes = [StartNode('start', label='Order received'),
         InputNode('stock', label='Stock levels', source='stock'),
         DecisionNode('check', label='In stock?', branches=['yes', 'no'],
                      fn=lambda d: d['stock'].get(d['start']['sku'], 0) >= d['start']['qty']),
         ProcessNode('pack', label='Pack and ship'),
         EndNode('shipped', label='Shipped'),
         OutputNode('notify', label='Email tracking number', destination='emails'),
         ProcessNode('backorder', label='Back-order'),
         EndNode('waiting', label='Waiting for stock')]
edges = [Edge('start', 'check'), Edge('stock', 'check'),
         Edge('check', 'pack', source_port='yes'),
         Edge('check', 'backorder', source_port='no', line_style='dashed'),
         Edge('pack', 'shipped'), Edge('pack', 'notify'), Edge('backorder', 'waiting')]
flow = Flow(*nodes, *edges, id='orders')

# Running it: the flow as drawn; handlers for the steps that need our code, typed nodes run themselves
async def receive(context, inputs):
    await asyncio.sleep(0.3)
    return context['order']

async def pack(context, inputs):
    await asyncio.sleep(0.3)
    return {'sku': inputs['check']['start']['sku'], 'parcel': 'PK-1042'}

async def backorder(context, inputs):
    await asyncio.sleep(0.3)
    return {'sku': inputs['check']['start']['sku'], 'eta_days': 5}

executor = FlowExecutor.from_flow(flow, handlers={'start': receive, 'pack': pack, 'backorder': backorder})

STOCK = {'mug': 40, 'lamp': 0}
ORDERS = {'in-stock': {'sku': 'mug', 'qty': 2}, 'sold-out': {'sku': 'lamp', 'qty': 1}}

@rt
def index():
    return Titled('Order flowchart',
        flow.editor(height=460, read_only=True),
        Div(Select(*[Option(k, value=k) for k in ORDERS], id='order', style='width: auto; margin: 0'),
            Button('▶ Run', onclick="fastflow.connectExecution('orders', '/run?order=' + document.getElementById('order').value)", style='white-space: nowrap'),
            style='display: flex; gap: 8px; margin-top: 12px;'))

@rt('/run')
async def get(order:str='in-stock'):
    return EventStream(executor.run({'order': ORDERS[order], 'stock': STOCK}))

serve(host='127.0.0.1', app_dir=os.path.dirname(os.path.abspath(__file__)))
