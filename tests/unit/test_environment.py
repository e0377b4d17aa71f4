"""environment.yml must mirror pyproject.toml, the single list of dependencies."""

import re
import tomllib

import yaml

from analysis import config

CONDA_NAMES = {"duckdb": "python-duckdb"}
_REQ = re.compile(r"^([A-Za-z0-9_.-]+)\s*(.*)$")


def _split(requirement: str) -> tuple[str, str]:
    name, spec = _REQ.match(requirement.strip()).groups()
    return name.lower(), spec.replace(" ", "")


def _pyproject() -> dict[str, str]:
    project = tomllib.loads(config.REPO.joinpath("pyproject.toml").read_text())["project"]
    wanted = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        wanted += extra
    return dict(_split(CONDA_NAMES.get(_split(r)[0], _split(r)[0]) + _split(r)[1]) for r in wanted)


def _environment() -> dict[str, str]:
    env = yaml.safe_load(config.REPO.joinpath("environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str) and not d.startswith(("python>", "python=", "pip"))]
    return dict(_split(d) for d in conda)


def test_environment_yml_mirrors_pyproject():
    assert _environment() == _pyproject()


def test_jupyterlab_is_not_a_runtime_dependency():
    project = tomllib.loads(config.REPO.joinpath("pyproject.toml").read_text())["project"]
    assert not any(_split(r)[0] == "jupyterlab" for r in project["dependencies"])
    assert any(_split(r)[0] == "jupyterlab" for r in project["optional-dependencies"]["lab"])
