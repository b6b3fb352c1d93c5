"""parscore watch: early warning before points are lost.

Events (dossiers received, supplements requested, dossiers finished, apology letters
issued, reports submitted, tasks done…) stream in; alert rules written as data
(`rules/alerts/*.yaml`) are compiled to durable-rules rulesets that correlate each
record with the clock; every alert carries the points at stake, computed by
parscore's own engine. durable-rules runs only here, in a child process (see
`runner`), never on the scoring path.

Modules, in the order data flows: `calendar` (working days) → `events` (the event
format) → `generate` / `exports` (events from a bundle, or from two successive
exports) → `state` (records as facts) → `rules` (alert rules) → `engine` (the
durable-rules side, child process only) → `runner` (the parent: batches,
acknowledgements, restarts) → `stake` → `alerts` / `view` (output).
"""
