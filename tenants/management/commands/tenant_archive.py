from tenants.management.commands._tenant_command import TenantStatusCommand
from tenants.services import tenant_archive


class Command(TenantStatusCommand):
    help = "Archive a space: its address closes, its data is kept (tenant_delete can remove it later)."
    sets_hold = True
    service = staticmethod(tenant_archive)
    done = "Archived {slug}: its data is kept."
