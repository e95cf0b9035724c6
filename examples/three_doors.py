import asyncio, socket
import httpx
from fasthtml.common import *
from fasthtml.jupyter import JupyUvi
from fastflow import FlowEditor, DAGNode, Edge, fastflow_headers
from fastflow.types import InputNode, TransformNode, OutputNode
from fastflow.execution import FlowExecutor, ExecutionStep
from fastflow.callbacks import TimingCallback, ProgressCallback
from fastflow.core import parse_sse
from fastflow.widget import FlowWidget

async def load_handler(context, inputs):
    await asyncio.sleep(1.0)
    return {"records": 500, "source": "users_table"}

async def process_handler(context, inputs):
    await asyncio.sleep(0.8)
    return {"records": inputs.get("load", {}).get("records", 0), "processed": True}

async def save_handler(context, inputs):
    await asyncio.sleep(0.5)
    return {"saved": inputs.get("process", {}).get("records", 0), "status": "success"}

executor = FlowExecutor(
    graph_id="my-pipeline",
    steps=[
        ExecutionStep(node_id="load", node=InputNode(id="load", label="Load Data", source="database"), handler=load_handler),
        ExecutionStep(node_id="process", node=TransformNode(id="process", label="Process", transform_type="normalize"),
                      depends_on=["load"], handler=process_handler),
        ExecutionStep(node_id="save", node=OutputNode(id="save", label="Save", destination="file"),
                      depends_on=["process"], handler=save_handler),
    ],
    callbacks=[TimingCallback(), ProgressCallback()],
)

# Door three: the widget follows every run of the executor (in a notebook, make `w` the last line of a cell to see it)
w = FlowWidget.from_executor(executor, height=260, follow=True)

# Door two: the page of the FastHTML tutorial
app, rt = fast_app(hdrs=fastflow_headers(), default_hdrs=False)  # no CDN scripts: this page needs none

sides = {"inputs": "left", "outputs": "right"}
editor = FlowEditor(
    DAGNode("load", x=40, y=80, label="Load Data", node_type="input", icon="📥", inputs=0, outputs=1, port_positions=sides),
    DAGNode("process", x=300, y=80, label="Process", node_type="transform", icon="🔄", port_positions=sides),
    DAGNode("save", x=560, y=80, label="Save", node_type="output", icon="💾", inputs=1, outputs=0, port_positions=sides),
    Edge(source="load", target="process", color="#94a3b8"),
    Edge(source="process", target="save", color="#94a3b8"),
    id="my-pipeline", height=300,
)

@rt
def index():
    return Titled("Python Execution Demo",
        Button("▶ Run Pipeline", onclick="fastflow.connectExecution('my-pipeline', '/execute/pipeline')",
               style="margin: 12px 0; padding: 10px 20px; background: #10b981; color: white; border: none; border-radius: 6px;"),
        editor)

@rt("/execute/pipeline")
async def get():
    return EventStream(executor.run())

def free_port():
    "A port on 127.0.0.1 nobody listens on"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

async def main():
    result = await executor.execute()  # door one: Python
    await asyncio.sleep(0.1)
    print("python:", result.status, {n: s["status"] for n, s in w.status.items()})

    port = free_port()
    server = JupyUvi(app, host="127.0.0.1", port=port, daemon=True)
    print(f"The page: http://127.0.0.1:{port}/")
    def click_run(): return httpx.get(f"http://127.0.0.1:{port}/execute/pipeline", timeout=30).text
    events = parse_sse(await asyncio.to_thread(click_run))  # what the page's Run button asks for
    await asyncio.sleep(0.1)
    print("page:", events[-1].kind, {n: s["status"] for n, s in w.status.items()})
    server.stop()

asyncio.run(main())
