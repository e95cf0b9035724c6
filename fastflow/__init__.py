"fastflow: visual workflow editors for FastHTML and Jupyter, with a Python executor that streams runs live"
__version__ = "0.1.0"
from .core import FlowEvent
from .callbacks import FlowCallback, FlowState, SkipNodeException, CancelFlowException
from .execution import ExecutionStep, FlowExecutor, FlowResult
from .components import Node, DAGNode, Edge, FlowEditor, fastflow_headers, serve_static

__all__ = ['FlowEditor', 'Node', 'DAGNode', 'Edge', 'Flow', 'fastflow_headers', 'serve_static',
           'FlowExecutor', 'ExecutionStep', 'FlowResult', 'FlowEvent', 'FlowCallback', 'FlowState',
           'SkipNodeException', 'CancelFlowException', 'FlowNode', 'register_node_type', 'FlowWidget']

# Names the package's top level had before 0.2; they live in their modules, and still work from here for one release.
_MOVED = {**{n: 'core' for n in ('STATUSES', 'FINAL_STATUSES', 'MAX_DEPTH', 'FIRST_RETRY', 'FINAL_RETRY', 'register_json',
                                 'to_json', 'sse', 'node_status', 'edge_status', 'progress_event', 'complete_event',
                                 'error_event', 'json_str', 'node_status_sse', 'edge_status_sse', 'parse_sse')},
          'graph_spec': 'components', 'flow_children': 'components'}

# Imported on first use: typed nodes bring plum, `FlowWidget` anywidget, which a FastHTML app may never need.
_LAZY = {'FlowNode': 'types', 'register_node_type': 'types', 'Flow': 'flow', 'FlowWidget': 'widget'}

def __getattr__(name):
    "The `_LAZY` names on first use; moved names, with a warning"
    import importlib
    if name in _LAZY: return getattr(importlib.import_module(f'fastflow.{_LAZY[name]}'), name)
    if name in _MOVED:
        import warnings
        warnings.warn(f'fastflow.{name} is deprecated: import it from fastflow.{_MOVED[name]}', DeprecationWarning, stacklevel=2)
        return getattr(importlib.import_module(f'fastflow.{_MOVED[name]}'), name)
    raise AttributeError(f"module 'fastflow' has no attribute {name!r}")
