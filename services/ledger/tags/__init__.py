"""Tags: the user's own labels ("vacation", "tax-deductible"), many on a transaction. Each user's
tag names are unique; deleting a tag takes it off every transaction."""
