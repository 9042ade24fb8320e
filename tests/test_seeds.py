"""Job seeds (predict_many and backtest alike) do not depend on the process (Python's hash
is salted)."""

import os
import subprocess
import sys

CODE = (
    "from forecast.jobs import job_seed;"
    "print(job_seed(7, 'N0001', 'Auto', '2019').entropy,"
    " job_seed(7, ('a', 1), 'Naive', 2019).entropy)"
)


def _run(hashseed: str) -> str:
    env = dict(os.environ, PYTHONHASHSEED=hashseed)
    proc = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True,
                          env=env, check=True)
    return proc.stdout.strip()


def test_seeds_identical_across_hash_salts():
    outputs = {_run(salt) for salt in ("0", "1", "12345")}
    assert len(outputs) == 1
    # the caller's seed leads, then the key's hash
    first, second = outputs.pop().split("] [")
    assert first.startswith("[7, ") and second.startswith("7, ")
    assert len(first.split(",")) == 5
