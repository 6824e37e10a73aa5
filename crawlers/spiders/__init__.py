"""The crawl's spiders."""
