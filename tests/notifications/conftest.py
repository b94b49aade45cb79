from tests.disclosure.conftest import world  # noqa: F401 (the people of the document workflow)
