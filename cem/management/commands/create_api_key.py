from django.core.management.base import BaseCommand, CommandError

from cem import selectors, services
from cem.errors import ApplicationError
from cem.models import ApiKey, Organization


class Command(BaseCommand):
    help = "Create an API key for an organization; prints the key alone on the last line."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="organization slug")
        parser.add_argument("--name", required=True)
        parser.add_argument("--scopes", required=True,
                            help="comma-separated: " + ",".join(ApiKey.Scope.values))

    def handle(self, *args, org, name, scopes, **options):
        try:
            organization = selectors.organization_get_by_slug(slug=org)
        except Organization.DoesNotExist as exc:
            raise CommandError(f"No organization with slug {org!r}.") from exc
        wanted = [s.strip() for s in scopes.split(",") if s.strip()]
        try:
            key, raw = services.api_key_create(organization=organization, name=name, scopes=wanted)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stderr.write(f"API key {key.name} ({key.prefix}) for {organization.slug}: "
                          f"scopes {', '.join(key.scopes)}. It is shown once:")
        self.stdout.write(raw)
