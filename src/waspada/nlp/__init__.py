"""Pure-Python analysis of Indonesian news text (no Django): normalisation, places, actors, impact, dates,
a transparent rule-based relevance and event-type scorer, and the pipeline that combines them."""
