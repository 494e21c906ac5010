from __future__ import annotations

from rest_framework import serializers

from accounts.models import User


class MeSerializer(serializers.ModelSerializer[User]):
    network = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "role", "network"]
        read_only_fields = fields

    def get_network(self, user: User) -> str:
        return str(self.context["request"].tenant.name)
