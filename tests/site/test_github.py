"""The GitHub files are valid and keep the promises the design makes about them."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((ROOT / ".github/workflows").glob("*.yml"))


def workflow(name):
    # PyYAML reads the key `on` as True
    data = yaml.safe_load((ROOT / ".github/workflows" / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True)
    return data


@pytest.mark.parametrize(("files", "schema"), [
    ([str(p) for p in WORKFLOWS], "vendor.github-workflows"),
    ([str(ROOT / ".github/dependabot.yml")], "vendor.dependabot"),
])
def test_files_match_their_published_schema(files, schema):
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *files],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ci_runs_the_readme_test_command():
    steps = workflow("ci.yml")["jobs"]["test"]["steps"]
    assert any(step.get("run") == "make test" for step in steps)
    assert set(workflow("ci.yml")["on"]) == {"pull_request", "push"}


def test_gpu_workflow_never_runs_code_from_pull_requests():
    gpu = workflow("gpu.yml")
    assert not {"pull_request", "pull_request_target"} & set(gpu["on"])
    assert set(gpu["on"]) == {"push", "schedule", "workflow_dispatch"}
    assert gpu["on"]["push"]["branches"] == ["main"]
    assert gpu["permissions"] == {"contents": "read"}
    job = gpu["jobs"]["train"]
    assert job["runs-on"] == ["self-hosted", "linux", "gpu"]
    assert any("make test-gpu" in step.get("run", "") for step in job["steps"])
    assert any(step.get("uses", "").startswith("actions/upload-artifact") for step in job["steps"])


def test_every_workflow_declares_least_privilege_permissions():
    for path in WORKFLOWS:
        perms = workflow(path.name)["permissions"]
        assert perms.get("contents") == "read", path.name
        assert not {k for k, v in perms.items() if v == "write"} - {"pages", "id-token"}, path.name
