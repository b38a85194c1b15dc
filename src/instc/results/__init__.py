"""Results: the results folder, its layout and its tables."""

from instc.results.folder import Results, ResultsError, load_results, save_results, write_table

__all__ = ["Results", "ResultsError", "load_results", "save_results", "write_table"]
