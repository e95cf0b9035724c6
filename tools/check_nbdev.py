"Fail if `nbdev_export` or `nbdev_clean` would change a tracked file: the notebooks are the source."
import subprocess, sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
bin_ = Path(sys.executable).parent
def tracked_state(): return subprocess.run(['git', 'diff', 'HEAD', '--', '.'], cwd=root, capture_output=True, text=True).stdout
def run(*cmd): subprocess.run([str(bin_/cmd[0]), *cmd[1:]], cwd=root, check=True)

before = tracked_state()
run('nbdev_export')
after_export = tracked_state()
run('nbdev_clean')
after_clean = tracked_state()
problems = []
if after_export != before: problems.append('nbdev_export changed the package: fastflow/ is out of step with nbs/')
if after_clean != after_export: problems.append('nbdev_clean changed notebooks: run nbdev_clean and commit')
if problems:
    print('\n'.join(problems))
    print(subprocess.run(['git', 'status', '--short'], cwd=root, capture_output=True, text=True).stdout)
    sys.exit(1)
print('nbdev: export and clean leave every tracked file as it is')
