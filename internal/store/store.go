// Package store is the only package that speaks SQL. It implements the
// consumer-side interfaces declared by the domain packages, on SQLite
// (embedded default: modernc.org/sqlite, WAL, synchronous=FULL, one writer
// connection and a pool of readers) and on PostgreSQL (pgx), with
// hand-written SQL using $n placeholders on both engines.
//
// Every write method runs in one transaction that also appends the audit
// entry it is given, so a change and its audit record commit or vanish
// together.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver

	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/casefile"
)

// Engine names a database engine.
type Engine string

// The supported engines.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// DB is an open database. On SQLite, w is a single-connection pool (the one
// writer) and r a pool of read-only connections; on PostgreSQL both are the
// same pool.
type DB struct {
	engine  Engine
	w       *sql.DB
	r       *sql.DB
	hasher  audit.Hasher
	stmts   stmtCache
	reads   stmtCache // hot reads (see hotReads)
	readers int       // size of the SQLite reader pool
	now     func() time.Time
	group   auditGroup // group commit of standalone audit entries
	cats    atomic.Pointer[[]casefile.Category]
	// cardCheck checks a case's card inside the transaction that rewrote
	// it (SetCardCheck); nil until the data-quality service is wired.
	cardCheck atomic.Pointer[CardCheck]
}

// Engine reports which engine the database runs on.
func (db *DB) Engine() Engine { return db.engine }

// Options tune Open; the zero value is the production default.
type Options struct {
	// Now stamps audit entries and rows; time.Now when nil.
	Now func() time.Time
}

// Open connects to dsn: "sqlite:PATH" (or a bare path ending in .db) or
// "postgres://…". It does not migrate; call Migrate.
func Open(ctx context.Context, dsn string, opt Options) (*DB, error) {
	db := &DB{hasher: audit.SHA256{}, now: opt.Now}
	if db.now == nil {
		db.now = time.Now
	}
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		p, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, err
		}
		p.SetMaxOpenConns(4 * runtime.NumCPU())
		p.SetMaxIdleConns(4 * runtime.NumCPU())
		p.SetConnMaxIdleTime(5 * time.Minute)
		db.engine, db.w, db.r = Postgres, p, p
	case strings.HasPrefix(dsn, "sqlite:"), strings.HasSuffix(dsn, ".db"):
		path := strings.TrimPrefix(dsn, "sqlite:")
		if path == "" {
			return nil, errors.New("store: empty SQLite path")
		}
		if dir := filepath.Dir(path); dir != "" {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("store: create %s: %w", dir, err)
			}
		}
		// synchronous=FULL: a committed transaction survives power loss.
		common := "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)"
		// The writer's page cache is 64 MB rather than SQLite's 2 MB: the
		// trigram index's segment merges re-read pages on every commit,
		// and with the default cache a bulk load of 100,000 cases spent
		// most of its time in pread (measured: see the README).
		w, err := sql.Open("sqlite", "file:"+url.PathEscape(path)+"?"+common+"&_txlock=immediate&_pragma=cache_size(-65536)")
		if err != nil {
			return nil, err
		}
		w.SetMaxOpenConns(1)
		w.SetConnMaxIdleTime(0)
		r, err := sql.Open("sqlite", "file:"+url.PathEscape(path)+"?"+common+"&_pragma=query_only(1)")
		if err != nil {
			w.Close()
			return nil, err
		}
		db.readers = 2 * runtime.NumCPU()
		r.SetMaxOpenConns(db.readers)
		r.SetMaxIdleConns(db.readers)
		r.SetConnMaxLifetime(time.Hour)
		db.engine, db.w, db.r = SQLite, w, r
	default:
		return nil, fmt.Errorf("store: unsupported database %q (want sqlite:PATH or postgres://…)", redact(dsn))
	}
	if err := db.w.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: connect %s: %w", redact(dsn), err)
	}
	return db, nil
}

// redact hides a password in a DSN for error messages.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// Close closes both pools.
func (db *DB) Close() error {
	db.stmts.close()
	db.reads.close()
	err := db.w.Close()
	if db.r != db.w {
		if e := db.r.Close(); err == nil {
			err = e
		}
	}
	return err
}

// Ping checks the database answers (readiness).
func (db *DB) Ping(ctx context.Context) error { return db.r.PingContext(ctx) }

// write runs fn in a write transaction. On SQLite the single writer
// connection begins IMMEDIATE, so writers queue instead of failing.
func (db *DB) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

func (db *DB) ms() int64 { return db.now().UnixMilli() }

func ms(t int64) time.Time {
	if t == 0 {
		return time.Time{}
	}
	return time.UnixMilli(t)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Optimize refreshes the planner's statistics so that list queries pick
// the ordered index once tables grow. SQLite keeps no statistics on its
// own: this runs after migrations, after bulk seeding and periodically in
// serve. The analysis is full (analysis_limit=0): a sampled one estimated
// the unit spread of the cases so badly that the planner sorted every case
// of a province for one page (measured: 0.09 s for a full ANALYZE of
// 100,000 cases). PostgreSQL's autovacuum keeps its own statistics; an
// explicit ANALYZE after bulk loads helps at once.
func (db *DB) Optimize(ctx context.Context) error { return db.optimize(ctx, true) }

// optimize is Optimize; on PostgreSQL, vacuum also sets the visibility
// map, without which a count over an index (the board's colour counts)
// visits every heap page until autovacuum comes round — ten times slower
// after a bulk load. Migrations (every start) only analyse.
func (db *DB) optimize(ctx context.Context, vacuum bool) error {
	if db.engine == Postgres {
		q := `ANALYZE`
		if vacuum {
			q = `VACUUM (ANALYZE)`
		}
		_, err := db.w.ExecContext(ctx, q)
		return err
	}
	if _, err := db.w.ExecContext(ctx, `PRAGMA analysis_limit=0; ANALYZE;`); err != nil {
		return err
	}
	// A SQLite connection reads the statistics when it loads the schema,
	// and ANALYZE does not make other connections reload it: drop the idle
	// readers so the next queries open connections that see the new
	// statistics (busy ones retire through ConnMaxLifetime).
	db.r.SetMaxIdleConns(0)
	db.r.SetMaxIdleConns(db.readers)
	return nil
}

// Reader is the read pool, for the reference queries benchmarks measure
// beside the store's own (the same connections, pragmas and cache).
func (db *DB) Reader() *sql.DB { return db.r }
