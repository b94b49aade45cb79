"""ETag / Last-Modified and conditional GET for the open-data API (W3).

The ETag is a hash of the exact body, so a 304 is only ever an answer to an identical body. The
Last-Modified moment is when this body was first served (kept in the shared cache under its ETag):
any change to what the public may see changes the body, hence the ETag, hence the moment — so
`If-Modified-Since` never answers 304 for content that changed after it, withdrawals included.
A cache outage only costs a 200.
"""

import hashlib
import logging
import time

from django.core.cache import cache
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

logger = logging.getLogger(__name__)
FIRST_SEEN_TTL = 30 * 24 * 3600


def _first_seen(etag: str) -> int:
    now = int(time.time())
    key = f"api:first-seen:{etag}"
    try:
        if cache.add(key, now, FIRST_SEEN_TTL):
            return now
        return int(cache.get(key) or now)
    except Exception as exc:  # no shared cache: the moment is now, which only costs a 200
        logger.warning("api first-seen cache unavailable: %s", exc)
        return now


def conditional(request, response):
    """Tag a rendered 200 GET/HEAD answer and turn it into 304 when the client already holds it."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    response.render()
    digest = hashlib.sha256(response.content).hexdigest()[:32]
    etag = f'"{digest}"'
    moment = _first_seen(digest)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(moment)
    response["Cache-Control"] = "public, max-age=60"
    answer = get_conditional_response(request, etag=etag, last_modified=moment, response=response)
    if answer is not response:
        answer["Cache-Control"] = response["Cache-Control"]
    return answer
