"""``slicegen lint``: rules over the workspace model, suppressions, baseline, cache and outputs."""
