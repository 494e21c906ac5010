from tenants.management.commands._tenant_command import TenantStatusCommand
from tenants.services import tenant_suspend


class Command(TenantStatusCommand):
    help = "Suspend a space: it stays reachable, read-only, until tenant_unsuspend (billing never lifts it)."
    sets_hold = True
    service = staticmethod(tenant_suspend)
    done = "Suspended {slug}."
