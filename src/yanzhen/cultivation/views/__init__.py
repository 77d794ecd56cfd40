"""The cultivation pages, one module per practice. Views parse input and call the services; reads go
through the selectors, so a record outside the user's jurisdiction answers 404."""
