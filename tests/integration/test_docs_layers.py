"""The examples of docs/layers.md run, and print what their comments say."""

import contextlib
import io
import pathlib
import re

import pytest

DOC = pathlib.Path(__file__).resolve().parents[2] / "docs" / "layers.md"
BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.S)


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_docs_layers_example_runs_and_prints_its_comments(index):
    code = BLOCKS[index]
    expected = [line.split("# ", 1)[1].split(":")[0].strip()
                for line in code.splitlines() if line.strip().startswith("print(") and "# " in line]
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(compile(code, f"docs/layers.md[{index}]", "exec"), {"__name__": f"docs_layers_{index}"})
    printed = output.getvalue().splitlines()
    assert len(printed) == len(expected)
    for line, comment in zip(printed, expected):
        assert line.startswith(comment) or comment.startswith(line), (line, comment)
