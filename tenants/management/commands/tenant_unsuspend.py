from tenants.management.commands._tenant_command import TenantStatusCommand
from tenants.services import tenant_unsuspend


class Command(TenantStatusCommand):
    help = "Lift a space's suspension."
    service = staticmethod(tenant_unsuspend)
    done = "Lifted the suspension of {slug}; its status is billing's again."
