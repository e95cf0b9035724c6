import asyncio
from fastflow.types import InputNode, TransformNode, OutputNode
from fastflow.execution import FlowExecutor, ExecutionStep
from fastflow.widget import FlowWidget

async def load_handler(context, inputs):
    await asyncio.sleep(1.0)  # pretend to read a table
    return {"records": 500, "source": "users_table"}

async def process_handler(context, inputs):
    await asyncio.sleep(0.8)
    return {"records": inputs["load"]["records"], "processed": True}

async def save_handler(context, inputs):
    await asyncio.sleep(0.5)
    return {"saved": inputs["process"]["records"], "status": "success"}

executor = FlowExecutor(graph_id="my-pipeline", steps=[
    ExecutionStep(node_id="load", node=InputNode(id="load", label="Load Data", source="database"), handler=load_handler),
    ExecutionStep(node_id="process", node=TransformNode(id="process", label="Process", transform_type="normalize"),
                  depends_on=["load"], handler=process_handler),
    ExecutionStep(node_id="save", node=OutputNode(id="save", label="Save", destination="file"),
                  depends_on=["process"], handler=save_handler),
])
w = FlowWidget.from_executor(executor, height=300)  # in a notebook, make `w` the last line of a cell to see it

async def main():
    result = await w.run()                  # the whole flow, live in the widget
    print(result.kind, result["results"]["save"])
    result = await w.rerun_from("process")  # "Run from here": `load` is reused from the last run
    print(result.kind, {node: s["status"] for node, s in w.status.items()})
    for run in w.runs:                      # the history, newest first: status and the nodes on its timeline
        print(run["status"], sorted(run["spans"]))

asyncio.run(main())
