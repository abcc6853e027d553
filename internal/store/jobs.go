package store

import (
	"context"
	"time"
)

// ClaimJob takes a job for holder. The row is created on first use; the
// claim itself is one conditional UPDATE, atomic on both engines (on
// PostgreSQL the row lock makes a second instance's UPDATE wait and then
// see the new lease, so it claims nothing).
func (db *DB) ClaimJob(ctx context.Context, name, holder string, every, lease time.Duration) (bool, error) {
	if _, err := db.w.ExecContext(ctx, `INSERT INTO jobs (name, holder, lease_until, last_run_at, last_result)
		VALUES ($1, '', 0, 0, '') ON CONFLICT (name) DO NOTHING`, name); err != nil {
		return false, err
	}
	now := db.now()
	res, err := db.w.ExecContext(ctx, `UPDATE jobs SET holder = $1, lease_until = $2
		WHERE name = $3 AND lease_until < $4 AND last_run_at <= $5`,
		holder, now.Add(lease).UnixMilli(), name, now.UnixMilli(), now.Add(-every).UnixMilli())
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// FinishJob records a run and releases the claim, if holder still has it.
func (db *DB) FinishJob(ctx context.Context, name, holder, result string) error {
	_, err := db.w.ExecContext(ctx, `UPDATE jobs SET lease_until = 0, last_run_at = $1, last_result = $2
		WHERE name = $3 AND holder = $4`, db.ms(), result, name, holder)
	return err
}

// JobRun is the state of one job, for the operations page.
type JobRun struct {
	Name       string
	Holder     string
	LeaseUntil time.Time
	LastRunAt  time.Time
	LastResult string
}

// Jobs lists the jobs table.
func (db *DB) Jobs(ctx context.Context) ([]JobRun, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT name, holder, lease_until, last_run_at, last_result FROM jobs ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []JobRun
	for rows.Next() {
		var j JobRun
		var lease, last int64
		if err := rows.Scan(&j.Name, &j.Holder, &lease, &last, &j.LastResult); err != nil {
			return nil, err
		}
		j.LeaseUntil, j.LastRunAt = ms(lease), ms(last)
		out = append(out, j)
	}
	return out, rows.Err()
}
