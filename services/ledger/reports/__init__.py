"""Reports over a date range: spending and income by category, group, payee or tag at any
interval (grouped.py), cash flow (service.py), net worth from daily balances (net_worth.py);
the money flows they add up (repository.py) and the monthly report totals kept for them
(totals_upkeep.py) and read (totals.py), cut into periods by intervals.py."""
