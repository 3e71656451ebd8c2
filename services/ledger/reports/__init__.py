"""Reports over a date range: spending by category, cash flow and net worth per month."""
