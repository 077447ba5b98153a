from wagtail.permission_policies import ModelPermissionPolicy

WRITE_ACTIONS = frozenset({"add", "change", "delete"})


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Records may be viewed (with the model's view permission) but never edited in the admin."""

    def user_has_permission(self, user, action):
        if action in WRITE_ACTIONS:
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(set(actions) - WRITE_ACTIONS)
