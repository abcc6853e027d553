package store

import "context"

// ExecForMonitorTest runs a raw write on the writer pool, so the
// monitoring tests can set up what no service writes (a stored clock, a
// decision on file without a handler).
func (db *DB) ExecForMonitorTest(ctx context.Context, q string, args ...any) error {
	_, err := db.w.ExecContext(ctx, q, args...)
	return err
}
