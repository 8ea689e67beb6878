from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cem import services
from cem.errors import ApplicationError


class Command(BaseCommand):
    help = "Create an organization and its first admin (an existing user keeps their password)."

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--admin-username", required=True)
        parser.add_argument("--admin-password", required=True)
        parser.add_argument("--timezone", default="Asia/Shanghai")

    def handle(self, *args, slug, name, admin_username, admin_password, timezone, **options):
        try:
            with transaction.atomic():
                user = services.user_get_or_create(username=admin_username,
                                                   password=admin_password)
                org = services.organization_create(slug=slug, name=name, tz=timezone,
                                                   admin_user=user)
        except ApplicationError as exc:
            raise CommandError(f"{exc.field}: {exc.message}") from exc
        self.stdout.write(f"Created organization {org.slug} ({org.name}); admin: {user.username}")
