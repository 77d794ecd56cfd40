"""The pages of 管 (the reserves' side), one module per kind of record. Views parse input, read through
`selectors` (jurisdiction first: 404 outside it) and write through `services`; a reserve has only his
self-service page (`reports.self_service`), every other page answers him 403. `common` is what every page of
管 (the incumbents' too) starts from."""
