from fasthtml.common import *
from fastflow import FlowEditor, DAGNode, Edge, fastflow_headers
from fastflow.types import InputNode, TransformNode, OutputNode
from fastflow.execution import FlowExecutor, ExecutionStep
from fastflow.callbacks import FlowCallback, FlowState, TimingCallback, LoggingCallback, ProgressCallback
import asyncio

app, rt = fast_app(hdrs=fastflow_headers())

# The graph the page draws
sides = {"inputs": "left", "outputs": "right"}
editor = FlowEditor(
    DAGNode("load", x=40, y=80, label="Load Data", node_type="input", icon="📥",
            inputs=0, outputs=1, port_positions=sides),
    DAGNode("process", x=300, y=80, label="Process", node_type="transform", icon="🔄",
            port_positions=sides),
    DAGNode("save", x=560, y=80, label="Save", node_type="output", icon="💾",
            inputs=1, outputs=0, port_positions=sides),
    Edge(source="load", target="process", color="#94a3b8"),
    Edge(source="process", target="save", color="#94a3b8"),
    id="my-pipeline", height=260,
)

# What each step is, and the work it does
load_node = InputNode(id="load", label="Load Data", source="database")
process_node = TransformNode(id="process", label="Process", transform_type="normalize")
save_node = OutputNode(id="save", label="Save", destination="file")

async def load_handler(context, inputs):
    "Load the records"
    await asyncio.sleep(0.3)
    return {"records": 500, "source": "users_table"}

async def process_handler(context, inputs):
    "Normalize what `load` returned"
    await asyncio.sleep(0.2)
    return {"records": inputs["load"]["records"], "processed": True}

async def save_handler(context, inputs):
    "Save what `process` returned"
    await asyncio.sleep(0.1)
    return {"saved": inputs["process"]["records"], "status": "success"}

class MetricsCallback(FlowCallback):
    "Collect how long each node took"
    order = 50  # after the built-in callbacks

    def __init__(self): self.metrics = {}

    def before_flow(self, state: FlowState):
        state.context["run_id"] = state.run_id  # every handler can read it

    def before_node(self, state: FlowState):
        print(f"→ Starting {state.current_step.node_id}")

    def after_node(self, state: FlowState):
        node_id = state.current_step.node_id
        elapsed = state.node_times.get(node_id, 0)
        self.metrics[node_id] = {"elapsed": elapsed}
        print(f"✓ Completed {node_id} in {elapsed:.2f}s")

    def after_flow(self, state: FlowState):
        print(f"Metrics for {list(self.metrics)}")

    def on_error(self, state: FlowState, exc: Exception):
        print(f"Error in {state.current_step.node_id}: {exc}")

executor = FlowExecutor(
    graph_id="my-pipeline",
    steps=[
        ExecutionStep(node_id="load", node=load_node, depends_on=[], handler=load_handler),
        ExecutionStep(node_id="process", node=process_node, depends_on=["load"], handler=process_handler),
        ExecutionStep(node_id="save", node=save_node, depends_on=["process"], handler=save_handler),
    ],
    callbacks=[TimingCallback(), LoggingCallback(), ProgressCallback(), MetricsCallback()],
)

# The page: the graph, a Run button, and a log that shows the run as text
RUN_SCRIPT = Script("""
function runPipeline() {
  const log = document.getElementById('results');
  log.textContent = 'Starting...\\n';
  fastflow.connectExecution('my-pipeline', '/execute/pipeline', {
    onEvent: (kind, data) => {
      if (kind === 'nodeStatus') log.textContent += `${data.nodeId}: ${data.status}\\n`;
    },
    onComplete: (data) => {
      log.textContent += `✓ ${data.message}\\n${JSON.stringify(data.results, null, 2)}\\n`;
    },
    onError: (data) => { log.textContent += `✕ ${data.message}\\n`; },
  });
}
""")

run_button = Button("▶ Run Pipeline", onclick="runPipeline()",
                    style="margin: 20px; padding: 10px 20px; background: #10b981; color: white; "
                          "border: none; border-radius: 6px;")

@rt
def index():
    return Titled("Python Execution Demo", editor, run_button,
                  Pre(id="results", style="margin: 20px; font-size: 12px;"), RUN_SCRIPT)

@rt("/execute/pipeline")
async def get():
    "Run the pipeline, streaming its events"
    return EventStream(executor.run())

serve()
