"""Named-entity recognition: scrape repair, the spaCy model, rule components and the type decision."""
