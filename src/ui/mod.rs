//! The browser UI. Renders projections of one session state; decides no concurrency rule itself.
