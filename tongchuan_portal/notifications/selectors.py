from .models import Notification


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def inbox_page(user, request):
    """站内消息, newest first, a keyset page at a time (one query whatever the inbox holds)."""
    from tongchuan_portal.core import paging

    return paging.from_request(Notification.objects.filter(recipient=user), request, moment="created_at",
                               descending=True)
