from django.conf import settings
from django.core.management.base import BaseCommand

from cem import demo
from cem.tenancy import org_scope


class Command(BaseCommand):
    help = "Create or complete the demo organization (idempotent: re-running adds nothing twice)."

    def handle(self, *args, **options):
        org = demo.demo_organization_get_or_create()
        with org_scope(org):
            for _order, name, step in demo.seed_steps():
                self.stdout.write(f"seeding {name} …")
                step(org)
        self.stdout.write(self.style.SUCCESS(f"Demo organization '{org.slug}' ({org.name}) ready."))
        logins = ", ".join(f"{u} ({role.label})" for u, role, _d, _e in demo.DEMO_USERS)
        self.stdout.write(f"Demo logins (password {settings.DEMO_PASSWORD}): {logins}")
