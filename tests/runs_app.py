"""An app served by `fastflow.runs.run_stream`, for the run tests: a three-step flow whose handlers append a line
to the file `$FF_CALLS` for every call (so calls are counted across worker processes), recorded in `$FF_DB`."""
import asyncio, os
from fasthtml.common import *
from fastflow import FlowEditor, DAGNode, Edge, fastflow_headers
from fastflow.execution import FlowExecutor, ExecutionStep
from fastflow.store import RunStore
from fastflow.runs import cancel_run, start_run, watch_stream, history_routes, RunHistory

class WorkerHeader:
    "Says which process answered: `X-Worker: <pid>` on every response."
    def __init__(self, app): self.app = app
    async def __call__(self, scope, receive, send):
        async def send_pid(msg):
            if msg['type'] == 'http.response.start': msg['headers'] = [*msg.get('headers', []), (b'x-worker', str(os.getpid()).encode())]
            await send(msg)
        await self.app(scope, receive, send_pid)

store = RunStore(os.environ['FF_DB'], flush_every=float(os.environ.get('FF_FLUSH_EVERY', '0.2')))
app, rt = fast_app(hdrs=fastflow_headers(), default_hdrs=False, middleware=[Middleware(WorkerHeader)])
history_routes(app, store=store)
GRACE = float(os.environ.get('FF_GRACE', '10'))

def step(name, delay):
    async def handler(context, inputs):
        with open(os.environ['FF_CALLS'], 'a') as f: f.write(f'{os.getpid()} {name}\n')
        await asyncio.sleep(3600 if context.get('hold') == name else delay * float(context.get('slow', 1)))  # held: until cancelled
        return {'node': name, 'after': sorted(inputs)}
    return handler

executor = FlowExecutor('flow', [
    ExecutionStep('load', handler=step('load', 0.3)),
    ExecutionStep('clean', depends_on=['load'], handler=step('clean', 0.3)),
    ExecutionStep('save', depends_on=['clean'], handler=step('save', 0.3)),
])

@rt('/run')
def get(req, slow:float=1): return executor.stream(req, {'slow': slow}, store=store, grace=GRACE)

@rt('/start')
async def post(slow:float=1, hold:str=''): return start_run(executor, {'slow': slow, 'hold': hold}, store=store, detached=True).id

@rt('/watch/{run_id}')
def get(run_id:str): return watch_stream(run_id, store=store)

@rt('/cancel/{run_id}')
def post(run_id:str): return 'yes' if cancel_run(run_id, store=store) else 'no'

@rt
def index():
    return Titled('Runs',
        FlowEditor(DAGNode('load', label='Load'), DAGNode('clean', label='Clean'), DAGNode('save', label='Save'),
                   Edge(source='load', target='clean'), Edge(source='clean', target='save'), id='flow', height=360),
        Button('Run', id='run', onclick="fastflow.connectExecution('flow', '/run?slow=' + (window.ffSlow || 1))"),
        RunHistory('flow', id='history', run_url='/run'))
