from rest_framework import permissions

from certificates.admin_views import VIEW


class ViewsCertificates(permissions.BasePermission):
    """HR's endpoints: whoever may see the certificates register in the admin (HR, superusers).
    Anyone else is refused (403), anonymous users 401."""

    def has_permission(self, request, view) -> bool:
        return request.user.has_perm(VIEW)
