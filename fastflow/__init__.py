__version__ = "0.1.0"
from .core import *
from .execution import ExecutionStep, FlowExecutor, FlowResult
from .callbacks import FlowCallback, FlowState, SkipNodeException, CancelFlowException
from .components import Node, DAGNode, Edge, FlowEditor, fastflow_headers, graph_spec, serve_static, flow_children

def __getattr__(name):  # `fastflow.FlowWidget` without importing anywidget for every FastHTML app
    if name == 'FlowWidget':
        from .widget import FlowWidget
        return FlowWidget
    if name == 'Flow':
        from .flow import Flow
        return Flow
    raise AttributeError(f"module 'fastflow' has no attribute {name!r}")
