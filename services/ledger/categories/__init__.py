"""Categories: the defaults every user starts with (and how a bank's category hint maps onto
them), and the user's categories that transactions, budgets and reports refer to."""
