"""An ML pipeline drawn as a flow: load, split, train two models in parallel, evaluate both, pick the best.

Run from the repository root:  python examples/ml_pipeline.py
then open http://127.0.0.1:5001 (set PORT to change it) and click "▶ Run". The two models train at the
same time (watch both run); the models are tiny pure-Python ones so that it runs anywhere."""
import asyncio, os, random
from fasthtml.common import *
from fastflow import FlowEditor, DAGNode, Edge, FlowExecutor, fastflow_headers
from fastflow.flow import Flow
from fastflow.types import InputNode, ProcessNode, JoinNode, OutputNode

app, rt = fast_app(hdrs=fastflow_headers(), default_hdrs=os.environ.get('FASTFLOW_OFFLINE') is None)

def make_data(n=200, seed=0):
    "Points on the line y = 3x + 2, with noise"
    rnd = random.Random(seed)
    return [(x, 3 * x + 2 + rnd.gauss(0, 0.5)) for x in (rnd.uniform(0, 10) for _ in range(n))]

def split(rows, frac=0.8):
    k = int(len(rows) * frac)
    return {'train': rows[:k], 'test': rows[k:]}

async def train_mean(data):
    "Model A: always predict the mean"
    await asyncio.sleep(0.3)  # training takes a while
    m = sum(y for _, y in data['train']) / len(data['train'])
    return {'name': 'mean', 'a': 0.0, 'b': m, 'test': data['test']}

async def train_line(data):
    "Model B: least squares line"
    await asyncio.sleep(0.3)
    xs, ys = zip(*data['train'])
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    a = sum((x - mx) * (y - my) for x, y in data['train']) / sum((x - mx) ** 2 for x in xs)
    return {'name': 'line', 'a': a, 'b': my - a * mx, 'test': data['test']}

def mse(model):
    return sum((model['a'] * x + model['b'] - y) ** 2 for x, y in model['test']) / len(model['test'])

def evaluate(models):
    "Both models' test error, from the join of the two trainings"
    return {m['name']: round(mse(m), 4) for m in models}

def pick(scores): return {'best': min(scores, key=scores.get), 'mse': scores}

pipeline = Flow(
    InputNode(id='load', label='Load data', source='rows'),
    ProcessNode(id='split', label='Split 80/20', fn=split),
    ProcessNode(id='train_a', label='Train: mean', icon='🧮', fn=train_mean),
    ProcessNode(id='train_b', label='Train: line', icon='📈', fn=train_line),
    JoinNode(id='models', label='Both models', how='list'),
    ProcessNode(id='evaluate', label='Evaluate', icon='🧪', fn=evaluate),
    ProcessNode(id='pick', label='Pick the best', icon='🏆', fn=pick),
    OutputNode(id='report', label='Report', destination='report'),
    Edge('load', 'split'), Edge('split', 'train_a'), Edge('split', 'train_b'),
    Edge('train_a', 'models'), Edge('train_b', 'models'), Edge('models', 'evaluate'),
    Edge('evaluate', 'pick'), Edge('pick', 'report'), id='ml')

def executor(): return FlowExecutor.from_flow(pipeline)

@rt('/run')
def get(): return EventStream(executor().run({'rows': make_data()}))

@rt
def index():
    return Titled('ML pipeline', pipeline.editor(height=420, read_only=True),
                  Div(Button('▶ Run', onclick="fastflow.connectExecution('ml', '/run')"), style='display: flex; gap: 8px; flex-wrap: wrap; margin-top: 12px;'))

if __name__ == '__main__': serve(port=int(os.environ.get('PORT', 5001)))
