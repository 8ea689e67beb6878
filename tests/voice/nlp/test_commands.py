"""train_sentiment and evaluate_sentiment on tiny CSV fixtures written in tmp_path."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from voice.models import Topic
from voice.nlp import artifact

pytestmark = pytest.mark.django_db

ROWS = [("1", "物流很快，客服小姐姐很耐心"), ("0", "质量太差，再也不买了"),
        ("1", "非常满意，好评"), ("0", "等了两个小时才送到，饭都凉了")]


def write_csv(path, rows, topic=False):
    lines = ["label,text,topic" if topic else "label,text"]
    lines += [",".join(row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(*args) -> list[str]:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip().splitlines()


def test_train_default_reports_the_cached_model():
    lines = run("train_sentiment")
    assert "rows 35123" in lines[-1] and "cxsent-" in lines[-1]


def test_evaluate_prints_a_json_last_line_and_drops_training_texts(tmp_path):
    seen = artifact.default_corpus()[0][0]  # a text of the training corpus
    path = write_csv(tmp_path / "eval.csv", [*ROWS, ("1", f'"{seen}"')])
    result = json.loads(run("evaluate_sentiment", str(path), "--json")[-1])
    assert result["n"] == 4 and result["dropped"] == 1
    assert result["accuracy"] == 1.0 and result["macro_f1"] == 1.0
    assert result["texts_per_second"] > 0 and "topic_accuracy" not in result


def test_evaluate_with_topics_and_org_before_and_after(tmp_path, tenant):
    Topic.all_orgs.filter(organization=tenant.org).delete()  # (the default taxonomy)
    Topic.all_orgs.create(organization=tenant.org, name="物流配送", keywords=["物流", "送到"])
    Topic.all_orgs.create(organization=tenant.org, name="产品质量", keywords=["质量"])
    rows = [(label, text, topic) for (label, text), topic in
            zip(ROWS, ["物流配送", "产品质量", "服务态度", "物流配送"], strict=True)]
    path = write_csv(tmp_path / "topics.csv", rows, topic=True)
    result = json.loads(run("evaluate_sentiment", str(path), "--json", "--org", "alpha")[-1])
    assert result["n"] == 4 and result["topic_accuracy"] == 0.75
    assert "before" not in result  # no own model yet: the default only


def test_bad_input_is_a_clear_error(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("label,text\n2,好\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Line 2: label must be 1"):
        run("evaluate_sentiment", str(path))
    with pytest.raises(CommandError, match="No organization"):
        run("evaluate_sentiment", str(write_csv(tmp_path / "ok.csv", ROWS)), "--org", "nope")
