"""Book: pure stages between validation and rendering — grouping, statistics, text, labels, slugs, scripts."""
