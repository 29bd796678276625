"""Classification atoms: feature extractors, classifiers, metrics."""
