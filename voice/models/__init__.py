"""Voice of the customer: customers, feedback and its analysis, topics, interactions."""

from voice.models.analytics import KeywordSnapshot, ReanalysisJob, TopicDiscoveryRun, TopicSuggestion
from voice.models.customers import Customer
from voice.models.feedback import (
    Channel,
    Feedback,
    FeedbackAnalysis,
    FeedbackCorrection,
    FeedbackTopic,
    Sentiment,
)
from voice.models.idempotency import IdempotencyRecord
from voice.models.imports import ImportJob
from voice.models.interactions import Interaction
from voice.models.sentiment_models import SentimentModel
from voice.models.surveys import SurveyInvitation, SurveyLink
from voice.models.topics import Polarity, Topic

__all__ = [
    "Channel", "Customer", "Feedback", "FeedbackAnalysis", "FeedbackCorrection", "FeedbackTopic",
    "IdempotencyRecord", "ImportJob", "Interaction", "KeywordSnapshot", "Polarity", "ReanalysisJob",
    "Sentiment", "SentimentModel", "SurveyInvitation", "SurveyLink", "Topic", "TopicDiscoveryRun",
    "TopicSuggestion",
]
