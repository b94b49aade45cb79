"""The staff-page benchmark (issue 17): `bench/run.py --staff` under its own name.

    .venv/bin/python bench/staff.py [DATABASE_URL] [--duration 10]

Logs in as the city office (市政府办公室: reviewer, confidentiality reviewer, clerk, head, opinion
officer) on the benchmark database with 100,000 documents and 100,000 running deadlines and measures
我的时限, the review queue, the confidentiality queue, the opinion dashboard, 我的公文 and the inbox
with wrk; target p95 < 200 ms each.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import run  # noqa: E402

if __name__ == "__main__":
    sys.argv.insert(1, "--staff")
    sys.exit(run.main())
