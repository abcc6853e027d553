package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"

	"github.com/anguan/anguan/internal/audit"
)

const sqlAuditInsert = `INSERT INTO audit_log (seq, at, user_id, username, role, unit_id, client_addr, action,
		object_type, object_id, result, request_id, detail, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`

const sqlAuditBump = `UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash`

const sqlAuditHash = `UPDATE audit_head SET hash = $1 WHERE id = 1`

// appendAudit adds one entry to the chain inside tx. Bumping audit_head
// first takes its row lock (PostgreSQL) so concurrent transactions chain in
// commit order; on SQLite the single writer already serialises. Callers
// append last, to hold the lock for as short a time as possible.
func (db *DB) appendAudit(ctx context.Context, tx *sql.Tx, r audit.Record) error {
	var seq int64
	var prev string
	if err := db.txQueryRow(ctx, tx, sqlAuditBump).
		Scan(&seq, &prev); err != nil {
		return fmt.Errorf("store: audit head: %w", err)
	}
	at := db.ms()
	if r.Result == "" {
		r.Result = audit.ResultOK
	}
	h := audit.Chain(db.hasher, seq, at, r, prev)
	if err := db.execChain(ctx, tx,
		stmt{sqlAuditInsert, []any{seq, at, r.Actor.UserID, r.Actor.Username, r.Actor.Role, r.Actor.UnitID,
			r.Actor.Client, r.Action, r.ObjectType, r.ObjectID, r.Result, r.Actor.RequestID, r.Detail, prev, h}},
		stmt{sqlAuditHash, []any{h}}); err != nil {
		return fmt.Errorf("store: audit entry: %w", err)
	}
	return nil
}

// appendAudits adds entries to the chain inside tx in three statements
// whatever their number (head bump by n, multi-row insert, head hash), in
// slice order: the group commit and the batch writes of scans use it, and
// on PostgreSQL three round trips per entry were most of a scan's time.
func (db *DB) appendAudits(ctx context.Context, tx *sql.Tx, rs []audit.Record) error {
	if len(rs) <= 1 {
		for _, r := range rs {
			if err := db.appendAudit(ctx, tx, r); err != nil {
				return err
			}
		}
		return nil
	}
	var last int64
	var prev string
	if err := tx.QueryRowContext(ctx, `UPDATE audit_head SET seq = seq + $1 WHERE id = 1 RETURNING seq, hash`,
		len(rs)).Scan(&last, &prev); err != nil {
		return fmt.Errorf("store: audit head: %w", err)
	}
	at := db.ms()
	rows := make([][]any, len(rs))
	for i, r := range rs {
		seq := last - int64(len(rs)) + int64(i) + 1
		if r.Result == "" {
			r.Result = audit.ResultOK
		}
		h := audit.Chain(db.hasher, seq, at, r, prev)
		rows[i] = []any{seq, at, r.Actor.UserID, r.Actor.Username, r.Actor.Role, r.Actor.UnitID, r.Actor.Client, r.Action,
			r.ObjectType, r.ObjectID, r.Result, r.Actor.RequestID, r.Detail, prev, h}
		prev = h
	}
	if err := insertRows(ctx, tx, `INSERT INTO audit_log (`+auditColumns+`)`, 15, rows); err != nil {
		return fmt.Errorf("store: audit insert: %w", err)
	}
	if _, err := db.txExec(ctx, tx, sqlAuditHash, prev); err != nil {
		return fmt.Errorf("store: audit head: %w", err)
	}
	return nil
}

// AppendAudit records an event that changes nothing else (a failed login,
// a denied request, a read). It returns once the entry is committed.
// Concurrent calls share transactions (group commit): every page view
// writes one of these, and one durable commit per view serialised all
// readers behind the writer — under fifty sessions the audit commit was
// most of a page's latency. The first caller to find no commit in flight
// writes everything queued, in arrival order, in one transaction, and
// repeats while more arrived; the others wait for the commit that holds
// their entry.
func (db *DB) AppendAudit(ctx context.Context, r audit.Record) error {
	done := make(chan error, 1)
	g := &db.group
	g.mu.Lock()
	g.queue = append(g.queue, pendingAudit{r, done})
	lead := !g.busy
	g.busy = true
	g.mu.Unlock()
	if lead {
		// Not the caller's ctx: a batch holds other callers' entries,
		// which must not fail because this caller gave up.
		db.flushAudit(context.WithoutCancel(ctx))
	}
	return <-done
}

// flushAudit writes everything queued in one transaction and tells each
// caller; if more arrived meanwhile, a new flush takes them, so the caller
// that led this one returns without waiting for later batches.
func (db *DB) flushAudit(ctx context.Context) {
	g := &db.group
	g.mu.Lock()
	batch := g.queue
	g.queue = nil
	g.mu.Unlock()
	rs := make([]audit.Record, len(batch))
	for i, p := range batch {
		rs[i] = p.r
	}
	err := db.write(ctx, func(tx *sql.Tx) error { return db.appendAudits(ctx, tx, rs) })
	for _, p := range batch {
		p.done <- err
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.queue) > 0 {
		go db.flushAudit(ctx)
		return
	}
	g.busy = false
}

// auditGroup is the queue of AppendAudit's group commit.
type auditGroup struct {
	mu    sync.Mutex
	busy  bool // a caller is writing batches
	queue []pendingAudit
}

type pendingAudit struct {
	r    audit.Record
	done chan error
}

const auditColumns = `seq, at, user_id, username, role, unit_id, client_addr, action, object_type, object_id,
	result, request_id, detail, prev_hash, hash`

func scanAudit(rows *sql.Rows) (audit.Entry, error) {
	var e audit.Entry
	var at int64
	r := &e.Record
	err := rows.Scan(&e.Seq, &at, &r.Actor.UserID, &r.Actor.Username, &r.Actor.Role, &r.Actor.UnitID,
		&r.Actor.Client, &r.Action, &r.ObjectType, &r.ObjectID, &r.Result, &r.Actor.RequestID, &r.Detail,
		&e.PrevHash, &e.Hash)
	e.At = ms(at)
	return e, err
}

// VerifyAudit walks the whole chain in storage order (by seq, as a reader
// would rely on) and compares its end with the head. It returns the number
// of entries checked, and an *audit.Problem naming the first bad entry.
func (db *DB) VerifyAudit(ctx context.Context) (int64, error) {
	// Ordered by the physical insertion key on each engine, not by seq, so
	// that rows whose seq was edited to restore order are caught as well.
	order := "rowid"
	if db.engine == Postgres {
		order = "seq"
	}
	rows, err := db.r.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log ORDER BY `+order)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	v := audit.NewVerifier(db.hasher)
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return 0, err
		}
		if err := v.Next(e); err != nil {
			return 0, err
		}
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	var head audit.Head
	if err := db.r.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&head.Seq, &head.Hash); err != nil {
		return 0, err
	}
	return v.Finish(head)
}

// AuditEntries searches the log, newest first.
func (db *DB) AuditEntries(ctx context.Context, q audit.Query) ([]audit.Entry, error) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	if q.Username != "" {
		add("username = $%d", q.Username)
	}
	if q.Action != "" {
		add("action LIKE $%d", q.Action+"%")
	}
	if q.ObjectType != "" {
		add("object_type = $%d", q.ObjectType)
	}
	if q.ObjectID != "" {
		add("object_id = $%d", q.ObjectID)
	}
	if q.FromMs > 0 {
		add("at >= $%d", q.FromMs)
	}
	if q.ToMs > 0 {
		add("at < $%d", q.ToMs)
	}
	if q.BeforeSeq > 0 {
		add("seq < $%d", q.BeforeSeq)
	}
	if q.Limit <= 0 || q.Limit > 500 {
		q.Limit = 100
	}
	sqlq := `SELECT ` + auditColumns + ` FROM audit_log`
	if len(where) > 0 {
		sqlq += ` WHERE ` + strings.Join(where, " AND ")
	}
	args = append(args, q.Limit)
	sqlq += fmt.Sprintf(` ORDER BY seq DESC LIMIT $%d`, len(args))
	rows, err := db.r.QueryContext(ctx, sqlq, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []audit.Entry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
