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
	qs := []string{sqlAuditBump, sqlAuditInsert, sqlAuditHash, sqlNextNumber, sqlNumberUnit, sqlInsertCase, sqlInsertEvent}
	for n := 1; n <= 4; n++ {
		qs = append(qs, partiesInsert(n))
	}
	qs = append(qs, checksInsert(5), sqlTakeOverCard, projectCaseSQL())
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
