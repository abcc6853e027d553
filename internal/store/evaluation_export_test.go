package store

import "context"

// ExecForEvaluationTest runs a raw write on the writer pool, so the
// evaluation tests can set up what no service writes yet (a former
// handler, an event by another person, a missed clock) and prove the
// database refuses to change a template version.
func (db *DB) ExecForEvaluationTest(ctx context.Context, q string, args ...any) error {
	_, err := db.w.ExecContext(ctx, q, args...)
	return err
}
