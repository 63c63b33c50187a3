-- Request counters need no durability: after a crash they start again at zero, which only forgives the
-- requests of the current window. As an unlogged table their updates write no WAL, so the small transaction
-- that counts a write before the call commits without waiting for a WAL flush (each POST made one).
alter table app.rate_limits set unlogged;
