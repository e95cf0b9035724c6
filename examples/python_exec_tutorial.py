"""The tutorial "Python-Based Flow Execution with SSE" as a runnable app.

Run from the repository root:  python examples/python_exec_tutorial.py
then open the printed link (http://127.0.0.1:5001; set PORT to change it) and click "▶ Run Pipeline".
The code is the tutorial's Complete Code; only the last line differs, to listen on 127.0.0.1 and to
find this file from any working directory."""
import os
from fasthtml.common import *
from fastflow import FlowEditor, DAGNode, Edge, fastflow_headers
from fastflow.types import InputNode, TransformNode, OutputNode
from fastflow.execution import FlowExecutor, ExecutionStep
from fastflow.callbacks import (
    FlowCallback, FlowState,
    TimingCallback, LoggingCallback, ProgressCallback
)
import asyncio

app, rt = fast_app(hdrs=fastflow_headers())

# =============================================================================
# Typed Nodes
# =============================================================================
load_node = InputNode(id="load", label="Load Data", source="database")
process_node = TransformNode(id="process", label="Process", transform_type="normalize")
save_node = OutputNode(id="save", label="Save", destination="file")

# =============================================================================
# Handler Functions
# =============================================================================
async def load_handler(context: dict, inputs: dict) -> dict:
    await asyncio.sleep(1.0)
    return {"records": 500, "source": "users_table"}

async def process_handler(context: dict, inputs: dict) -> dict:
    await asyncio.sleep(0.8)
    load_result = inputs.get("load", {})
    return {"records": load_result.get("records", 0), "processed": True}

async def save_handler(context: dict, inputs: dict) -> dict:
    await asyncio.sleep(0.5)
    process_result = inputs.get("process", {})
    return {"saved": process_result.get("records", 0), "status": "success"}

# =============================================================================
# Custom Callback
# =============================================================================
class MetricsCallback(FlowCallback):
    order = 50

    def before_node(self, state: FlowState):
        print(f"→ Starting {state.current_step.node_id}")

    def after_node(self, state: FlowState):
        node_id = state.current_step.node_id
        elapsed = state.node_times.get(node_id, 0)
        print(f"✓ Completed {node_id} in {elapsed:.2f}s")

# =============================================================================
# FlowExecutor
# =============================================================================
executor = FlowExecutor(
    graph_id="my-pipeline",
    steps=[
        ExecutionStep(node_id="load", node=load_node, depends_on=[], handler=load_handler),
        ExecutionStep(node_id="process", node=process_node, depends_on=["load"], handler=process_handler),
        ExecutionStep(node_id="save", node=save_node, depends_on=["process"], handler=save_handler),
    ],
    callbacks=[
        TimingCallback(),
        LoggingCallback(),
        ProgressCallback(),
        MetricsCallback(),
    ]
)

# =============================================================================
# Routes
# =============================================================================
@rt
def index():
    return Titled("Python Execution Demo",
        Div(
            Aside(
                H3("Pipeline Info", style="margin: 0 0 16px 0; font-size: 14px;"),
                Div(
                    P("* Type-dispatched nodes", style="margin: 4px 0; font-size: 12px;"),
                    P("* Async handler functions", style="margin: 4px 0; font-size: 12px;"),
                    P("* Real-time SSE updates", style="margin: 4px 0; font-size: 12px;"),
                    P("* Custom callbacks", style="margin: 4px 0; font-size: 12px;"),
                    style="padding: 12px; background: #f8fafc; border-radius: 6px;"
                ),
                Button("▶ Run Pipeline", onclick="runPipeline()",
                       style="width: 100%; margin-top: 16px; padding: 10px; background: #10b981; color: white; border: none; border-radius: 6px; cursor: pointer;"),
                Div(
                    H4("Results:", style="margin: 16px 0 8px 0; font-size: 12px;"),
                    Div(id="results", style="font-size: 11px; max-height: 200px; overflow-y: auto;"),
                ),
                style="width: 220px; padding: 16px; background: #fff; border-right: 1px solid #e2e8f0;"
            ),
            Main(
                FlowEditor(
                    DAGNode("load", x=100, y=120, label="Load Data",
                           node_type="input", icon="📥", inputs=0, outputs=1,
                           port_positions={"inputs": "left", "outputs": "right"}),
                    DAGNode("process", x=350, y=120, label="Process",
                           node_type="transform", icon="🔄",
                           port_positions={"inputs": "left", "outputs": "right"}),
                    DAGNode("save", x=600, y=120, label="Save",
                           node_type="output", icon="💾", inputs=1, outputs=0,
                           port_positions={"inputs": "left", "outputs": "right"}),
                    Edge(source="load", target="process", color="#94a3b8"),
                    Edge(source="process", target="save", color="#94a3b8"),
                    id="my-pipeline",
                ),
                style="flex: 1;"
            ),
            style="display: flex; height: calc(100vh - 60px);"
        ),
        EXECUTION_SCRIPT,
    )

@rt("/execute/pipeline")
async def get():
    async def event_generator():
        async for msg in executor.run():
            yield msg
    return EventStream(event_generator())

# =============================================================================
# JavaScript
# =============================================================================
EXECUTION_SCRIPT = Script("""
    let eventSource = null;

    function runPipeline() {
        const graph = window.fastflow?.['my-pipeline'];
        if (!graph) { console.error('Graph not found'); return; }

        const resultsDiv = document.getElementById('results');
        resultsDiv.innerHTML = '<div style="color: #1890ff;">Starting pipeline...</div>';

        eventSource = new EventSource('/execute/pipeline');

        eventSource.addEventListener('nodeStatus', function(e) {
            const data = JSON.parse(e.data);
            updateNodeStatus(graph, data.nodeId, data.status);
            resultsDiv.innerHTML += `<div>Node ${data.nodeId}: ${data.status}</div>`;
        });

        eventSource.addEventListener('edgeStatus', function(e) {
            const data = JSON.parse(e.data);
            updateEdgeStatus(graph, data.sourceId, data.targetId, data.status, data.animated);
        });

        eventSource.addEventListener('complete', function(e) {
            const data = JSON.parse(e.data);
            resultsDiv.innerHTML += `<div style="color: #52c41a; font-weight: bold;">✓ ${data.message}</div>`;
            resultsDiv.innerHTML += `<pre style="font-size: 10px; background: #f8fafc; padding: 8px; border-radius: 4px;">${JSON.stringify(data.results, null, 2)}</pre>`;
            eventSource.close();
        });

        eventSource.addEventListener('error', function(e) {
            if (e.data) {
                const data = JSON.parse(e.data);
                resultsDiv.innerHTML += `<div style="color: #ff4d4f;">✕ ${data.message}</div>`;
            }
            eventSource.close();
        });

        eventSource.onerror = function() {
            eventSource.close();
        };
    }

    function updateNodeStatus(graph, nodeId, status) {
        const node = graph.getCellById(nodeId);
        if (!node) return;

        const colors = { pending: '#d9d9d9', running: '#1890ff', success: '#52c41a', error: '#ff4d4f' };
        const symbols = { success: '✓', running: '↻', error: '✕', pending: '' };

        const data = node.getData() || {};
        const icon = data.icon || '⚙️';
        const label = data.label || nodeId;
        const color = colors[status] || '#d9d9d9';
        const symbol = symbols[status] || '';

        let html = `<div style="font-family: -apple-system, sans-serif; display: flex; align-items: center; height: 100%; position: relative;">`;
        html += `<div style="position: absolute; left: 0; top: 0; width: 4px; height: 100%; background: ${color}; border-radius: 2px 0 0 2px;"></div>`;
        html += `<div style="margin-left: 16px; font-size: 16px;">${icon}</div>`;
        html += `<div style="flex: 1; margin-left: 8px; font-size: 13px; color: #374151;">${label}</div>`;
        if (symbol) {
            html += `<div style="width: 20px; height: 20px; border-radius: 50%; background: ${color}15; border: 1.5px solid ${color}; display: flex; align-items: center; justify-content: center; margin-right: 8px;">`;
            html += `<span style="font-size: 11px; font-weight: bold; color: ${color};">${symbol}</span></div>`;
        }
        html += `</div>`;

        node.setData({ ...data, status });
        node.attr('foBody/html', html);
    }

    function updateEdgeStatus(graph, sourceId, targetId, status, animated) {
        const edges = graph.getEdges();
        for (const edge of edges) {
            if (edge.getSourceCellId() === sourceId && edge.getTargetCellId() === targetId) {
                const color = status === 'success' ? '#52c41a' : status === 'running' ? '#1890ff' : '#94a3b8';
                edge.attr('line/stroke', color);
                edge.attr('line/strokeDasharray', animated ? '5 5' : null);
                edge.attr('line/style/animation', animated ? 'ant-line 30s infinite linear' : null);
                break;
            }
        }
    }
""")

serve(host='127.0.0.1', app_dir=os.path.dirname(os.path.abspath(__file__)))
