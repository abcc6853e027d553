package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// stmtCache keeps prepared statements of the hot write path on the writer
// pool. On SQLite there is one writer connection, so each statement is
// parsed once per process instead of once per call — parsing is a large
// share of a small transaction's CPU time in the pure-Go engine.
type stmtCache struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// prepared returns the cached statement for q, if warmed. It never
// prepares: inside a transaction the only SQLite writer connection is
// taken, so preparing on the pool would wait for ever.
func (db *DB) prepared(q string) (*sql.Stmt, bool) {
	db.stmts.mu.Lock()
	defer db.stmts.mu.Unlock()
	s, ok := db.stmts.m[q]
	return s, ok
}

// warm prepares the hot write statements once, outside any transaction.
func (db *DB) warm(ctx context.Context) error {
	db.stmts.mu.Lock()
	defer db.stmts.mu.Unlock()
	if db.stmts.m == nil {
		db.stmts.m = map[string]*sql.Stmt{}
	}
	qs := []string{sqlAuditBump, sqlAuditInsert, sqlAuditHash, sqlNextNumber, sqlNextNumbers, sqlNumberUnit, sqlInsertCase,
		sqlInsertEvent}
	if db.engine == Postgres {
		qs = append(qs, sqlNextNumbersWithUnit, projectCardGroupSQL())
	}
	for n := 1; n <= 4; n++ {
		qs = append(qs, partiesInsert(n))
	}
	qs = append(qs, checksInsert(5), sqlTakeOverCard, projectCaseSQL(), sqlCardGroup, sqlDeleteClocks)
	for n := 1; n <= maxPreparedClocks; n++ {
		qs = append(qs, clocksInsert(n))
	}
	for _, q := range qs {
		if _, ok := db.stmts.m[q]; ok {
			continue
		}
		s, err := db.w.PrepareContext(ctx, q)
		if err != nil {
			return fmt.Errorf("store: prepare: %w", err)
		}
		db.stmts.m[q] = s
	}
	return nil
}

// txExec runs a cached statement inside tx.
func (db *DB) txExec(ctx context.Context, tx *sql.Tx, q string, args ...any) (sql.Result, error) {
	if s, ok := db.prepared(q); ok {
		return tx.StmtContext(ctx, s).ExecContext(ctx, args...)
	}
	return tx.ExecContext(ctx, q, args...)
}

// txQuery runs a cached statement returning rows inside tx.
func (db *DB) txQuery(ctx context.Context, tx *sql.Tx, q string, args ...any) (*sql.Rows, error) {
	if s, ok := db.prepared(q); ok {
		return tx.StmtContext(ctx, s).QueryContext(ctx, args...)
	}
	return tx.QueryContext(ctx, q, args...)
}

// txQueryRow runs a cached single-row statement inside tx.
func (db *DB) txQueryRow(ctx context.Context, tx *sql.Tx, q string, args ...any) *sql.Row {
	if s, ok := db.prepared(q); ok {
		return tx.StmtContext(ctx, s).QueryRowContext(ctx, args...)
	}
	return tx.QueryRowContext(ctx, q, args...)
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range c.m {
		s.Close()
	}
	c.m = nil
}

// db.reads keeps prepared statements of hot reads on the reader pool
// (SQLite only). database/sql prepares a cached statement on each reader
// connection the first time it runs there and reuses it after, so the
// per-call parse disappears: a point read of a case card took 155 µs, of
// which parsing was more than half. PostgreSQL's driver caches statements
// by itself.

// maxReadStmts bounds the cache; callers pass only fixed query texts (or
// texts with a few IN-list lengths), so the bound is never reached in
// practice, and past it queries simply run unprepared.
const maxReadStmts = 256

// hotReads is the reader pool with the statement cache in front.
type hotReads struct{ db *DB }

// hot returns the reader with cached statements.
func (db *DB) hot() hotReads { return hotReads{db} }

func (h hotReads) stmt(ctx context.Context, q string) *sql.Stmt {
	db := h.db
	if db.engine != SQLite {
		return nil
	}
	db.reads.mu.Lock()
	defer db.reads.mu.Unlock()
	if s, ok := db.reads.m[q]; ok {
		return s
	}
	if len(db.reads.m) >= maxReadStmts {
		return nil
	}
	s, err := db.r.PrepareContext(ctx, q)
	if err != nil {
		return nil // the plain query reports the error
	}
	if db.reads.m == nil {
		db.reads.m = map[string]*sql.Stmt{}
	}
	db.reads.m[q] = s
	return s
}

// QueryContext runs q through its cached statement.
func (h hotReads) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if s := h.stmt(ctx, q); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return h.db.r.QueryContext(ctx, q, args...)
}

// QueryRowContext runs q through its cached statement.
func (h hotReads) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if s := h.stmt(ctx, q); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return h.db.r.QueryRowContext(ctx, q, args...)
}
