from tests.workspaces.conftest import body_workspaces, lead, make_workspace  # noqa: F401 - shared fixtures
