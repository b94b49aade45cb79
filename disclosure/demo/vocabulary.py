"""A government vocabulary for generated demo documents (`manage.py generate_documents`).

Titles follow the shapes real notices take (关于印发……的通知, 关于做好……工作的通知,
关于加强……的意见); bodies are built from sentences a 政务 document would contain.
Every sentence ends in Chinese punctuation, so jieba segments each on its own.
"""

# (subject, 主题分类 code) — what a document is about, and the topic it is filed under.
SUBJECTS: list[tuple[str, str]] = [
    ("政务公开", "general"),
    ("政府信息公开", "general"),
    ("政务服务", "general"),
    ("“互联网+政务服务”", "general"),
    ("优化营商环境", "economy"),
    ("国有资产监管", "economy"),
    ("重点项目建设", "economy"),
    ("民营经济发展", "economy"),
    ("预算绩效管理", "finance"),
    ("政府债务管理", "finance"),
    ("审计整改", "finance"),
    ("涉企收费清理", "finance"),
    ("矿产资源管理", "land_energy"),
    ("煤炭行业化解过剩产能", "land_energy"),
    ("耕地保护", "land_energy"),
    ("乡村振兴", "agriculture"),
    ("防汛抗旱", "agriculture"),
    ("森林防火", "agriculture"),
    ("高标准农田建设", "agriculture"),
    ("河长制", "agriculture"),
    ("工业稳增长", "industry_transport"),
    ("城乡公交一体化", "industry_transport"),
    ("农村公路建设", "industry_transport"),
    ("全域旅游", "commerce"),
    ("促进消费", "commerce"),
    ("安全生产", "market"),
    ("食品安全", "market"),
    ("药品安全监管", "market"),
    ("市场监管", "market"),
    ("城市管理", "construction_environment"),
    ("老旧小区改造", "construction_environment"),
    ("大气污染防治", "construction_environment"),
    ("生态环境保护", "construction_environment"),
    ("海绵城市建设", "construction_environment"),
    ("义务教育", "science_education"),
    ("学前教育", "science_education"),
    ("科技创新", "science_education"),
    ("职业教育", "science_education"),
    ("公共文化服务", "culture"),
    ("文物保护", "culture"),
    ("医疗保障", "health_sports"),
    ("基本公共卫生服务", "health_sports"),
    ("全民健身", "health_sports"),
    ("疫情防控", "health_sports"),
    ("妇女儿童发展", "population"),
    ("婴幼儿照护服务", "population"),
    ("就业创业", "labour"),
    ("根治欠薪", "labour"),
    ("事业单位公开招聘", "labour"),
    ("社会治安综合治理", "public_security"),
    ("法治政府建设", "public_security"),
    ("扫黑除恶", "public_security"),
    ("社会救助", "civil_affairs"),
    ("养老服务", "civil_affairs"),
    ("脱贫攻坚", "civil_affairs"),
    ("自然灾害救助", "civil_affairs"),
    ("民族团结进步创建", "ethnic_religion"),
    ("对外开放", "foreign"),
    ("档案管理", "other"),
]

# Title shapes. {subject}, {year}, {place}, {plan} are filled in; {doctype} is the closing word.
# Each shape names the 文种 it ends with and whether it is a policy document (政策性文件).
TITLE_SHAPES: list[tuple[str, str, bool]] = [
    ("关于印发{place}{subject}{plan}的通知", "通知", True),
    ("关于做好{year}年{subject}工作的通知", "通知", False),
    ("关于加强{subject}工作的意见", "意见", True),
    ("关于进一步推进{subject}的实施意见", "意见", True),
    ("关于进一步做好{subject}工作的通知", "通知", False),
    ("关于开展{subject}专项检查的通知", "通知", False),
    ("关于公布{year}年{subject}工作要点的通知", "通知", False),
    ("{place}{subject}管理办法", "办法", True),
    ("{place}{subject}实施细则", "实施细则", True),
    ("{place}{year}年{subject}工作方案", "方案", False),
    ("{place}{year}年{subject}工作要点", "工作要点", False),
    ("关于{year}年{subject}工作情况的通报", "通报", False),
    ("关于印发{subject}考核办法的通知", "通知", True),
    ("关于调整{subject}工作领导小组成员的通知", "通知", False),
]

PLANS = ["实施方案", "工作方案", "三年行动计划", "管理办法", "实施细则", "工作要点", "考核办法", "专项整治方案"]
PLACES = ["铜川市", "全市", "我市", ""]

# 五公开 areas a 文种 is usually filed under (weighted by repetition).
AREAS_BY_DOCTYPE: dict[str, list[str]] = {
    "通知": ["execution", "execution", "management", "service", "decision"],
    "意见": ["decision", "decision", "execution"],
    "办法": ["management", "management", "decision", "service"],
    "实施细则": ["management", "execution", "service"],
    "方案": ["decision", "execution", "execution"],
    "工作要点": ["decision", "execution"],
    "通报": ["result", "result", "execution"],
}

# Body headings and sentences. {subject}, {unit}, {year} are filled in.
HEADINGS = [
    ("一、总体要求", "二、主要任务", "三、保障措施"),
    ("一、指导思想", "二、工作目标", "三、重点任务", "四、工作要求"),
    ("一、基本原则", "二、主要内容", "三、组织实施"),
    ("一、工作目标", "二、实施步骤", "三、有关要求"),
]

OPENINGS = [
    "为深入贯彻落实党中央、国务院和省委、省政府关于{subject}的决策部署,结合我市实际,现就有关事项通知如下。",
    "根据《中华人民共和国政府信息公开条例》和省政府有关要求,为切实做好{year}年{subject}工作,制定本方案。",
    "为进一步推进{subject}工作规范化、制度化、标准化,经市政府同意,现提出如下意见。",
    "{unit}高度重视{subject}工作,现将有关事项通知如下,请认真贯彻执行。",
    "为全面提升{subject}工作水平,切实保障人民群众的知情权、参与权、表达权和监督权,特制定本办法。",
]

SENTENCES = [
    "坚持以人民为中心的发展思想,把{subject}作为推进治理体系和治理能力现代化的重要抓手。",
    "各区县政府、市新区管委会和市政府各工作部门要切实提高政治站位,加强组织领导,明确责任分工。",
    "要建立健全{subject}工作机制,细化任务清单,明确时间节点,确保各项工作落到实处。",
    "坚持公开为常态、不公开为例外,推进决策公开、执行公开、管理公开、服务公开、结果公开。",
    "各单位要加强政策解读,主动回应社会关切,及时发布权威信息,正确引导社会预期。",
    "对涉及群众切身利益的重大事项,要广泛征求意见,充分听取公众和专家的意见建议。",
    "要强化督查考核,将{subject}工作纳入年度目标责任考核,对工作不力的单位予以通报。",
    "市财政要加大资金保障力度,统筹安排专项资金,提高资金使用效益。",
    "各有关部门要加强协调配合,形成工作合力,及时研究解决工作中遇到的困难和问题。",
    "要充分利用政府网站、政务新媒体和政务服务大厅等平台,拓宽信息发布渠道。",
    "加强对基层工作人员的业务培训,提升依法行政能力和服务水平。",
    "到{year}年底,{subject}各项指标达到全省平均水平,群众满意度明显提升。",
    "要严格落实保密审查制度,做到先审查、后公开,一事一审、全面审查。",
    "对工作中涌现出的先进典型,要及时总结推广,营造全社会共同参与的良好氛围。",
    "各区县要结合实际制定具体实施方案,于每季度末将工作进展情况报送市政府办公室。",
    "建立健全问题整改台账,实行销号管理,确保整改到位。",
    "加强风险研判和隐患排查,完善应急预案,提高应对突发事件的能力。",
    "深化“放管服”改革,推动更多事项网上办、掌上办、一次办。",
    "加快推进信息化建设,推动数据共享和业务协同,提高行政效率。",
    "严格执行国家有关法律法规和政策规定,依法依规开展各项工作。",
    "坚持问题导向和目标导向,聚焦群众反映强烈的突出问题,集中力量攻坚突破。",
    "各单位主要负责同志是第一责任人,要亲自抓、负总责,分管负责同志要具体抓、抓具体。",
    "加强对重点领域、重点行业的监督检查,发现问题及时督促整改。",
    "完善社会监督机制,畅通群众投诉举报渠道,自觉接受人大监督、民主监督和舆论监督。",
    "本市范围内的行政机关、法律法规授权的具有管理公共事务职能的组织适用本办法。",
    "做好政策性文件的起草、审核、发布和解读工作,做到同步考虑、同步部署、同步推进。",
]

CLOSINGS = [
    "本{doctype}自印发之日起施行,有效期五年。",
    "本{doctype}由{unit}负责解释。",
    "各单位在执行中遇到的问题,请及时向{unit}反映。",
    "请各单位于每年12月底前将年度工作总结报送{unit}。",
    "本{doctype}自发布之日起三十日后施行。",
]

WEB_EDITORS = ["王丽", "张伟", "李娜", "刘洋", "陈静", "杨帆", "赵敏", "孙磊", "周婷", "吴鹏"]
INFO_REVIEWERS = ["李建国", "王志强", "张文华", "刘永红", "陈卫东", "杨晓明", "赵海燕", "马军"]
