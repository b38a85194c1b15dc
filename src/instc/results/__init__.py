"""Results: the results folder, its layout and its tables."""
