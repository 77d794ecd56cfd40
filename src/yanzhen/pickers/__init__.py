"""Type-ahead pickers: the scoped JSON endpoints that answer them (`views`, reading through `selectors`),
the form fields and widgets that render a `<select data-picker="/pick/…/">` with only the chosen options
(`fields`, `widgets`), and `static/yanzhen/pickers.js`, which turns such a select into a Tom Select.

A leaf package: it reads people, divisions, candidacies and mentors; no domain app imports its views."""
