# Playwright fixtures (browser, phone, desktop, no_js) for every test package.
pytest_plugins = ["tests.browser.fixtures"]
