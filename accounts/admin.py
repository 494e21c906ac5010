from django.contrib import admin

from accounts.models import User


@admin.register(User)
class UserAdmin(admin.ModelAdmin[User]):
    list_display = ("email", "full_name", "role", "is_active", "is_superuser")
    search_fields = ("email", "full_name")
    list_filter = ("role", "is_active")
    exclude = ("password",)
