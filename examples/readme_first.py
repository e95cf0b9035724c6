import asyncio
from fastflow import FlowExecutor, ExecutionStep

async def users(context, inputs):  await asyncio.sleep(0.1); return 500
async def orders(context, inputs): await asyncio.sleep(0.1); return 1200
async def report(context, inputs): return {'orders per user': inputs['orders'] / inputs['users']}

executor = FlowExecutor('readme', [
    ExecutionStep('users', handler=users),
    ExecutionStep('orders', handler=orders),
    ExecutionStep('report', depends_on=['users', 'orders'], handler=report),
])

async def main():
    result = await executor.execute()
    print(result.results)

asyncio.run(main())
