from tenants.management.commands._tenant_command import TenantStatusCommand
from tenants.services import tenant_unsuspend


class Command(TenantStatusCommand):
    help = "Lift a space's suspension."
    service = staticmethod(tenant_unsuspend)
    done = "{slug} is active again."
