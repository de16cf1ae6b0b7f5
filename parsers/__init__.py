"""Documents to numbers: pure functions from a results announcement PDF to a ResultsReport."""
