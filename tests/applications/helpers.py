"""Applications made through the real services (the workflow tests)."""

from disclosure.applications import services
from disclosure.applications.models import ApplicantType, Carrier, Delivery, IdType

from .conftest import png

PERSON = dict(applicant_type=ApplicantType.PERSON, name="张三", id_type=IdType.RESIDENT_ID,
              id_number="11010519491231002X", phone="13800000000", address="铜川市新区正阳路1号", postcode="727100",
              email="zhangsan@example.com")
REQUEST = dict(description="2025年度铜川市城市公共交通财政补贴资金的分配情况", document_number="", index_number="",
               carrier=Carrier.ELECTRONIC, delivery=Delivery.EMAIL)


def submit(world, *, unit=None, applicant=None, request=None):
    return services.application_submit(unit=unit or world.fgw, applicant={**PERSON, **(applicant or {})},
                                       request={**REQUEST, **(request or {})}, identity_proof=png())


def received(world, **kwargs):
    application, code = submit(world, **kwargs)
    return services.application_confirm(application=application, by=world.clerk), code
