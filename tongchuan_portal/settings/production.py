"""Production — the default of every entry point when DJANGO_SETTINGS_MODULE is unset.

Everything comes from the environment; it refuses to start without a real
secret key and an explicit host list, so a deployment that forgets a variable
fails closed instead of serving debug pages to the world.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import SITE_DOMAIN, env

DEBUG = False
DEVELOPMENT_HINT = ("Production settings are the default when DJANGO_SETTINGS_MODULE is unset. For development "
                    "or checks on a checkout, name a development module, e.g. "
                    "DJANGO_SETTINGS_MODULE=tongchuan_portal.settings.dev (or use make run / make dev / make test).")
for _required in ("SECRET_KEY", "ALLOWED_HOSTS"):
    if not env.str(_required, default=""):
        raise ImproperlyConfigured(f"Set the {_required} environment variable. {DEVELOPMENT_HINT}")
SECRET_KEY = env.str("SECRET_KEY")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith(("dev-only", "django-insecure")):
    raise ImproperlyConfigured(
        "SECRET_KEY is not a real secret: set it to a long random string (50 characters or more), "
        "e.g. python -c 'import secrets; print(secrets.token_urlsafe(64))'. " + DEVELOPMENT_HINT
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
if "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the site's hosts; '*' is for development only.")
SITE_BASE_URL = env.str("SITE_BASE_URL", default=f"https://{SITE_DOMAIN}").rstrip("/")
# Unset is reported by the tongchuan.W001 check: behind a proxy every limit would key on the proxy.
_proxies = env.str("TRUSTED_PROXY_COUNT", default="").strip()
TRUSTED_PROXY_COUNT = int(_proxies) if _proxies else None

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
