"""Started by test_ddp.py under torchrun: several short trainings in the same processes, one after another
(one start-up of torch instead of one per example). Argument: a JSON list of [example, argv] pairs."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "snippets" / "train"))

import torch  # noqa: E402
import torch.distributed as dist  # noqa: E402

# One process group for all the runs: each example joins it in setup() and leaves it in finish(), and a group
# cannot be joined again in the same torchrun, so the first join stands and the last leave happens here.
join, leave = dist.init_process_group, dist.destroy_process_group
dist.init_process_group = lambda *args, **kwargs: None if dist.is_initialized() else join(*args, **kwargs)
dist.destroy_process_group = lambda *args, **kwargs: None
torch.set_num_threads(1)
for example, argv in json.loads(sys.argv[1]):
    __import__(example).main(argv)
leave()
