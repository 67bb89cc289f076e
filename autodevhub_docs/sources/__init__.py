"""Sources: the git checkout, GitHub and offline issue exports. Raw data never leaves this package."""
