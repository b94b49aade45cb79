"""Documents, plans and materials made through the real services, as each role would."""

from django.core.files.uploadedfile import SimpleUploadedFile

from disclosure import services as disclosure
from disclosure.models import Document, DocumentKind, IssuedInNameOf
from interpretation import services
from interpretation.models import MaterialKind, PlanForm
from tests.disclosure.factories import document_data

PNG_BYTES = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
             b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND"
             b"\xaeB`\x82")
ALT = "图解:2026年全市新增就业岗位一万二千个,其中高校毕业生三千个。"


def png(name="图解.png", data=PNG_BYTES):
    return SimpleUploadedFile(name, data, content_type="image/png")


def city_policy(world, title="铜川市促进民间投资的若干措施", **overrides):
    """A policy document for issue in the city government's name (I5)."""
    data = document_data(title=title, kind=DocumentKind.POLICY, issued_in_name_of=IssuedInNameOf.CITY_GOVERNMENT,
                         **overrides)
    return disclosure.document_create(by=world.clerk, issuer=world.fgw, data=data)


def joint_policy(world, title="铜川市产教融合实施办法"):
    data = document_data(title=title, kind=DocumentKind.POLICY, issued_in_name_of=IssuedInNameOf.CITY_GOVERNMENT)
    return disclosure.document_create(by=world.clerk, issuer=world.fgw, data=data, co_issuers=[world.jyj])


def own_policy(world, title="市发展改革委关于规范价格认定工作的办法"):
    """A unit's own policy document (I10)."""
    data = document_data(title=title, kind=DocumentKind.POLICY, issued_in_name_of=IssuedInNameOf.OWN_UNIT)
    return disclosure.document_create(by=world.clerk, issuer=world.fgw, data=data)


def plan_data(forms=(PlanForm.QA,), **overrides):
    data = {"outline": "一、适用范围;二、支持措施;三、申报流程。", "forms": list(forms),
            "channels": "市政府网站政策解读栏目、铜川发布微信公众号", "timing": "与文件同步发布;三个月后跟踪解读",
            "background": "为落实省政府部署,激发民间投资活力。", "data": "2025年全市民间投资增长8.1%。"}
    data.update(overrides)
    return data


def make_plan(world, document, **overrides):
    return services.plan_create(document=document, by=world.clerk, data=plan_data(**overrides))


def qa(world, plan, *, by=None, title="一图读懂若干措施之问答", pairs=None):
    pairs = pairs or [("哪些企业可以申报?", "在铜川注册的民营企业均可申报。"), ("何时开始申报?", "文件发布之日起。")]
    return services.material_create(plan=plan, by=by or world.clerk,
                                    data={"kind": MaterialKind.QA, "title": title, "summary": "", "focus": ["scope"]},
                                    qa_pairs=pairs)


def article(world, plan, *, by=None, title="《若干措施》解读"):
    return services.material_create(plan=plan, by=by or world.clerk,
                                    data={"kind": MaterialKind.ARTICLE, "title": title, "body": "政策要点如下。"})


def approved_plan(world, document, **overrides):
    """Plan and Q&A material, approved by the drafting unit's head (I5)."""
    plan = make_plan(world, document, **overrides)
    qa(world, plan)
    return services.plan_approve(plan=plan, by=world.head)


def publish(world, document):
    """Submit, accept, clear: the document is published (and with it its approved interpretations)."""
    document = Document.objects.get(pk=document.pk)
    disclosure.document_submit(document=document, by=world.clerk)
    city = document.goes_to_city_office
    disclosure.document_accept(document=Document.objects.get(pk=document.pk),
                               by=world.reviewer if city else world.head)
    return disclosure.confidentiality_decide(document=Document.objects.get(pk=document.pk), cleared=True,
                                             opinion="不涉密。", by=world.city_secrecy if city else world.secrecy)
