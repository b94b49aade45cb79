# The Playwright fixtures live in tests/browser/fixtures.py, loaded for the whole suite by the
# root conftest.py; the helpers are re-exported here for tests that import them from this module.
from tests.browser.fixtures import CHROMIUM, DESKTOP, PHONE, login, screenshot  # noqa: F401
