"""Pure-Python Chinese text analytics (no Django): segmentation, sentiment, topics."""
