"""Reads that span the apps (the 工作台's 待办)."""

from dataclasses import dataclass

# It may create the account, so it is a service; re-exported here for the many modules (tasks, commands,
# tests across the apps) that still import it from selectors. New code imports core.services.system_user.
from .services import system_user  # noqa: F401


@dataclass(frozen=True)
class Todo:
    """One line of the 工作台's 待办: what waits for this person, how many, and where to do it."""

    key: str
    title: str
    count: int
    url: str
    hint: str = ""
    items: tuple = ()  # (label, url) pairs for the first few, where opening each one is the next step


def workspace_todos(user, roles: set[str]) -> list[Todo]:
    """What waits for the user in every app, by role — one COUNT per line, so the number of queries
    depends on the roles held, never on how much waits.

    `roles` are the user's role codes in any unit (the view has them from the memberships).
    The queues are the apps' own selectors, so a count here always matches the page it links to.
    """
    from django.urls import reverse

    from tongchuan_portal.notifications.selectors import unread_count
    from tongchuan_portal.units.models import Role

    todos = [Todo("inbox", "未读消息", unread_count(user), reverse("notifications:inbox"),
                  "审核、退文、保密审查等环节的通知")]
    code = Role.Code
    if code.CLERK in roles:
        from disclosure.models import Status
        from disclosure.selectors import documents_for_user

        todos.append(Todo("returned", "被退回的公文", documents_for_user(user, status=Status.RETURNED).count(),
                          reverse("disclosure:mine") + "?status=returned", "按退文理由修改后重新报送"))
        from interpretation.selectors import plans_to_prepare

        todos.append(Todo("interpretation", "待完成的解读方案", plans_to_prepare(user).count(),
                          reverse("interpretation:work"), "政策性文件报送前须有经负责人审定的解读方案和材料"))
    if code.UNIT_HEAD in roles or code.CITY_OFFICE_REVIEWER in roles:
        from disclosure.selectors import review_queue

        todos.append(Todo("review", "待审核的公文", review_queue(user).count(), reverse("disclosure:review_queue"),
                          "通过或退文"))
    if code.UNIT_HEAD in roles:
        from interpretation.selectors import plans_awaiting_approval

        plans = plans_awaiting_approval(user).filter(approval_requested_at__isnull=False)
        first = tuple((f"《{p.document.title}》", reverse("interpretation:document", args=[p.document_id]))
                      for p in plans[:5])
        todos.append(Todo("plans", "待审定的解读方案", plans.count(), reverse("interpretation:work"),
                          "审定后方可随文件报送", first))
    if code.TRANSPARENCY_OFFICE in roles:
        from disclosure.selectors import seal_review_queue

        todos.append(Todo("seal", "待公开属性审查", seal_review_queue(user).count(), reverse("disclosure:seal_queue"),
                          "审查拟不公开的政策性文件并加盖单位公章"))
    if code.CONFIDENTIALITY_REVIEWER in roles:
        from disclosure.selectors import confidentiality_queue
        from interpretation.selectors import follow_ups_awaiting_release
        from opinion.selectors import releases_awaiting_clearance
        from participation.confidentiality import drafts_awaiting_clearance, reports_awaiting_clearance

        waiting = sum(q(user).count() for q in (confidentiality_queue, drafts_awaiting_clearance,
                                                 reports_awaiting_clearance, releases_awaiting_clearance))
        todos.append(Todo("confidentiality", "待保密审查", waiting, reverse("disclosure:confidentiality_queue"),
                          "公文、决策草案、意见采纳情况和舆情回应"))
        follow_ups = follow_ups_awaiting_release(user).count()
        if follow_ups:
            todos.append(Todo("follow_ups", "待发布的跟踪解读", follow_ups, reverse("interpretation:work"),
                              "已审定的跟踪解读,保密审查后发布"))
    if roles & {code.CLERK, code.UNIT_HEAD, code.CITY_OFFICE_REVIEWER}:
        from participation.selectors import messages_open_count

        todos.append(Todo("messages", "待答复的留言", messages_open_count(user),
                          reverse("participation:staff_messages") + "?status=received", "含转办给本单位的留言"))
    if roles & {code.CLERK, code.TRANSPARENCY_OFFICE}:
        from disclosure.applications.models import Status as ApplicationStatus
        from disclosure.applications.selectors import queue_counts

        waiting = queue_counts(user)  # one grouped count for both lines
        queue = reverse("applications:queue")
        todos.append(Todo("applications", "待确认收到的政府信息公开申请", waiting.get(ApplicationStatus.SUBMITTED, 0),
                          f"{queue}?status={ApplicationStatus.SUBMITTED}", "网上和传真申请以确认之日为收到申请之日"))
        todos.append(Todo("applications_open", "办理中的政府信息公开申请", waiting.get(ApplicationStatus.PROCESSING, 0),
                          f"{queue}?status={ApplicationStatus.PROCESSING}", "自收到申请之日起20个工作日内答复"))
    if code.OPINION_OFFICER in roles or code.CITY_OFFICE_REVIEWER in roles:
        from opinion.models import CaseStatus
        from opinion.permissions import visible_to

        todos.append(Todo("opinion", "办理中的舆情", visible_to(user).filter(status=CaseStatus.OPEN).count(),
                          reverse("opinion:dashboard") + "?status=open", "交办给本单位的政务舆情"))
    return todos
