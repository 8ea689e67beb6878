import json

from django.core.management.base import BaseCommand

from voice.management.commands._sentiment import labelled_rows, organization
from voice.nlp import artifact
from voice.nlp.evaluation import drop_seen, evaluate
from voice.nlp.types import TopicSpec
from voice.services import models as sentiment_models


def _default_topics() -> list[TopicSpec]:
    try:
        from voice.taxonomy import DEFAULT_TAXONOMY
    except ImportError:  # the default taxonomy ships with the topics part
        return []
    return [TopicSpec(name, tuple(keywords)) for name, keywords in DEFAULT_TAXONOMY.items()]


class Command(BaseCommand):
    help = ("Evaluate the default sentiment model (or with --org that organization's model, "
            "before and after) on a label,text[,topic] CSV. Texts in the training data are "
            "dropped first; neutral predictions count as wrong.")

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--json", action="store_true",
                            help="print a JSON object as the last line")
        parser.add_argument("--org", help="organization slug")

    def handle(self, *args, path, json: bool = False, org=None, **options):
        rows = labelled_rows(path)
        seen = list(artifact.default_corpus()[0])
        topics = _default_topics()
        default = sentiment_models.default_analyzer()
        analyzers = [("default", default)]
        if org is not None:
            target = organization(org)
            record = sentiment_models.active_model(organization_id=target.pk)
            topics = sentiment_models.topic_specs(organization_id=target.pk) or topics
            if record is None:
                self.stdout.write(f"{target.slug} has no own model: it uses the default.")
            else:
                full = type(record).all_orgs.get(pk=record.pk)
                seen += [text for _label, text in full.extra_rows]
                analyzers.append(("organization", sentiment_models.analyzer_for_organization(
                    organization_id=target.pk)))
        kept, dropped = drop_seen(rows, seen)
        results = {}
        for name, analyzer in analyzers:
            result = evaluate(analyzer, kept, topics)
            result["dropped"] = dropped
            result["model"] = analyzer.version
            results[name] = result
            self.stdout.write(
                f"{name:12} {analyzer.version}: n={result['n']} (dropped {dropped} seen in "
                f"training) accuracy={result['accuracy']:.4f} macro_f1={result['macro_f1']:.4f} "
                f"neutral={result['neutral']} texts/s={result['texts_per_second']:.0f}"
                + (f" topic_accuracy={result['topic_accuracy']:.4f}"
                   if "topic_accuracy" in result else ""))
        if json:
            final = dict(results[analyzers[-1][0]])
            if len(analyzers) > 1:
                final["before"] = results["default"]
            self.stdout.write(_dumps(final))


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)
