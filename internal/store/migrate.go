package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations
var migrations embed.FS

// Migrate applies every embedded migration not yet applied, each in its
// own transaction. On PostgreSQL an advisory lock lets several instances
// start at once.
func (db *DB) Migrate(ctx context.Context) error {
	if _, err := db.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("store: migrations table: %w", err)
	}
	dir := "migrations/" + string(db.engine)
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	applied := 0
	for _, name := range names {
		version, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("store: migration %s: name must start with a number", name)
		}
		body, err := migrations.ReadFile(dir + "/" + name)
		if err != nil {
			return err
		}
		err = db.write(ctx, func(tx *sql.Tx) error {
			if db.engine == Postgres {
				if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(727274)`); err != nil {
					return err
				}
			}
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = $1`, version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return fmt.Errorf("store: migration %s: %w", name, err)
			}
			applied++
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
				version, name, db.ms())
			return err
		})
		if err != nil {
			return err
		}
	}
	// Planner statistics after a schema change, or where there are none
	// yet; otherwise the six-hourly job keeps them fresh. A full ANALYZE on
	// every start cost seconds over a million cases, and start-up must stay
	// under two (issue 7).
	missing, err := db.statsMissing(ctx)
	if err != nil {
		return err
	}
	if applied > 0 || missing {
		if err := db.optimize(ctx, false); err != nil {
			return err
		}
	}
	return db.warm(ctx)
}

// statsMissing reports whether the planner has no statistics: SQLite keeps
// none until the first ANALYZE; PostgreSQL's autovacuum gathers its own.
func (db *DB) statsMissing(ctx context.Context) (bool, error) {
	if db.engine == Postgres {
		return false, nil
	}
	var n int
	err := db.w.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'`).Scan(&n)
	if err != nil || n == 0 {
		return true, err
	}
	err = db.w.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_stat1`).Scan(&n)
	return n == 0, err
}
