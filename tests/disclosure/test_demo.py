"""`make run`'s demo data: the seed notice published with its real metadata, work in every queue."""

from django.contrib.auth import get_user_model
from django.core.management import call_command

from disclosure import selectors
from disclosure.models import Document, Status


def test_seed_demo_loads_the_notice_and_work_for_each_role(db, calendar, client):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # idempotent
    notice = Document.objects.get(number_prefix="铜政办发", number_year=2016, number_serial=71)
    assert notice.status == Status.PUBLISHED and notice.index_number == "TCXXGK-2016-026432"
    assert notice.attachments.count() == 1
    html = client.get(notice.get_public_url()).content.decode()
    for text in ("TCXXGK-2016-026432", "铜政办发〔2016〕71号", "2016-12-28", "2016-12-30 16:17", "机要科",
                 "关于进一步推进政务公开有关工作的通知", "着力加强“五公开”"):
        assert text in html, text
    users = {u.username: u for u in get_user_model().objects.all()}
    assert selectors.seal_review_queue(users["office_fgw"]).exists()
    assert selectors.review_queue(users["reviewer_szfb"]).exists()
    assert selectors.confidentiality_queue(users["secrecy_szfb"]).exists()
    assert Document.objects.filter(status=Status.RETURNED, issuer__code="jyj").exists()
    assert Document.objects.filter(title="关于做好2027年重点项目谋划储备工作的通知").count() == 1
