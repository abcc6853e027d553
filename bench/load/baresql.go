package main

// The bare SQL reference: for each request kind, the queries that carry
// the page, run straight on the server's database with database/sql — no
// HTTP, no session check, no access policy, no template, and none of the
// audit entries the app appends in a write transaction for every list,
// search, board and case view (on SQLite they queue on its one writer).
// The difference between a page's figure and its reference is what the
// app adds on top of the engine. Each query mirrors one in internal/store;
// keep them in step when those change.

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// pageRows is what a page asks for: 50 rows and one more, which tells the
// store whether there is a next page (store.keysetPage).
const pageRows = 51

// searchCountCap mirrors casefile.CountCap: a search counts at most this
// many matches plus one (store.CountCases).
const searchCountCap = 1000

// caseColumns mirrors store.caseSelect: the list's and detail's columns
// and their display joins.
const caseColumns = `SELECT c.id, c.unit_id, n.name, n.path, c.category, g.name, COALESCE(c.uniform_no, ''),
	COALESCE(c.stage_no, ''), c.name, c.transferring_organ, c.transfer_doc_no, c.received_on, c.intake_outcome,
	c.intake_note, c.status, c.plea, c.fast_track, c.minor, c.sealed, c.charges, COALESCE(c.department_id, 0),
	COALESCE(c.handler_id, 0), COALESCE(h.name, ''), c.assigned_at, c.decision, c.closed_on, c.returns, c.extensions,
	c.version, c.created_at
	FROM cases c JOIN units n ON n.id = c.unit_id JOIN categories g ON g.code = c.category
	LEFT JOIN users h ON h.id = c.handler_id`

// bareDB is the server's database opened for the reference.
type bareDB struct {
	db     *sql.DB
	sqlite bool
	users  []bareUser // in the order of the HTTP sessions' users
}

// bareUser is what the reference needs of a user: the scope the store
// would apply (their unit, or for an upper supervisor every unit below,
// as access.CaseScope decides) and the ids and terms the HTTP sessions use.
type bareUser struct {
	name     string
	unitID   int64
	unitPath string
	upper    bool
	t        *targets
}

// openBare opens dsn the way internal/store.Open opens its readers: on
// SQLite the same pragmas with query_only, so the reference can never
// write, and the same pool sizes (on this machine's CPUs), so it queues as
// the app does; on PostgreSQL pgx with the app's pool size.
func openBare(ctx context.Context, dsn string, first []*session) (*bareDB, error) {
	b := &bareDB{}
	var err error
	switch engineOf(dsn) {
	case "postgres":
		if b.db, err = sql.Open("pgx", dsn); err != nil {
			return nil, err
		}
		b.db.SetMaxOpenConns(4 * runtime.NumCPU())
		b.db.SetMaxIdleConns(4 * runtime.NumCPU())
		b.db.SetConnMaxIdleTime(5 * time.Minute)
	default:
		b.sqlite = true
		path := strings.TrimPrefix(dsn, "sqlite:")
		pragmas := "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)" +
			"&_pragma=synchronous(FULL)&_pragma=query_only(1)"
		if b.db, err = sql.Open("sqlite", "file:"+url.PathEscape(path)+"?"+pragmas); err != nil {
			return nil, err
		}
		b.db.SetMaxOpenConns(2 * runtime.NumCPU())
		b.db.SetMaxIdleConns(2 * runtime.NumCPU())
		b.db.SetConnMaxLifetime(time.Hour)
	}
	if err := b.db.PingContext(ctx); err != nil {
		b.db.Close()
		return nil, fmt.Errorf("bare SQL: connect %s: %w", redact(dsn), err)
	}
	for _, s := range first {
		u := bareUser{name: s.user, t: s.target}
		// The scope of access.CaseScope, read from the same tables.
		err := b.db.QueryRowContext(ctx, `SELECT u.unit_id, n.path,
			EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = 'upper_supervisor')
			FROM users u JOIN units n ON n.id = u.unit_id WHERE u.username = $1`, s.user).
			Scan(&u.unitID, &u.unitPath, &u.upper)
		if err != nil {
			b.db.Close()
			return nil, fmt.Errorf("bare SQL: user %s in %s: %w (is -db the server's database?)", s.user, redact(dsn), err)
		}
		b.users = append(b.users, u)
	}
	return b, nil
}

func (b *bareDB) close() { b.db.Close() }

// scope is the unit condition of the store's caseWhere and boardWhere on
// the table alias t, as $1: the user's unit (an equality the unit-ordered
// indexes serve) or an upper supervisor's subtree. The sealed-record
// condition the store adds is left out: it filters, it does not choose
// the index.
func (u bareUser) scope(t string) (string, any) {
	if u.upper {
		return t + ".unit_id IN (SELECT id FROM units WHERE path LIKE $1)", u.unitPath + "%"
	}
	return t + ".unit_id = $1", u.unitID
}

// query runs the reference of kind k; n walks the harvested ids and terms
// as the HTTP sessions do.
func (b *bareDB) query(ctx context.Context, u bareUser, k kind, n int) error {
	switch k {
	case kindList:
		return b.list(ctx, u)
	case kindDetail:
		return b.detail(ctx, u.t.ids[n%len(u.t.ids)])
	case kindSearch:
		return b.search(ctx, u, u.t.terms[n%len(u.t.terms)])
	case kindHome:
		return b.home(ctx, u)
	case kindBoard:
		return b.board(ctx, u)
	case kindStats:
		return b.indicators(ctx, u)
	}
	return fmt.Errorf("unknown request kind %d", k)
}

// list mirrors store.ListCases and store.CountCases with an empty filter:
// the first page newest first (index cases_unit_received) and the total
// the page shows above it.
func (b *bareDB) list(ctx context.Context, u bareUser) error {
	where, arg := u.scope("c")
	if err := b.rows(ctx, caseColumns+` WHERE `+where+
		` ORDER BY c.received_on DESC, c.id DESC LIMIT $2`, arg, pageRows); err != nil {
		return err
	}
	return b.count(ctx, `SELECT count(*) FROM cases c WHERE `+where, arg)
}

// detail mirrors store.CaseDetail's reads (the case row, its parties, its
// events); the page also reads the intake checks, assignments and clocks,
// and appends the case.view audit entry.
func (b *bareDB) detail(ctx context.Context, id int64) error {
	if err := b.rows(ctx, caseColumns+` WHERE c.id = $1`, id); err != nil {
		return err
	}
	if err := b.rows(ctx, `SELECT id, name, gender, ethnicity, id_type, id_number, birth_date, role, custody, measure
		FROM parties WHERE case_id = $1 ORDER BY seq`, id); err != nil {
		return err
	}
	return b.rows(ctx, `SELECT e.id, e.case_id, e.code, e.occurred_on, e.outcome, e.note, e.actor_id,
		COALESCE(u.name, ''), e.created_at FROM case_events e LEFT JOIN users u ON u.id = e.actor_id
		WHERE e.case_id = $1 ORDER BY e.id`, id)
}

// search mirrors store.caseWhere's text condition: on SQLite the FTS5
// trigram index (case_fts) with the term as one quoted phrase, under three
// characters a LIKE; on PostgreSQL a LIKE that the pg_trgm GIN index
// (cases_search_trgm) serves. Then the page and the capped count, as
// store.ListCases and store.CountCases run them.
func (b *bareDB) search(ctx context.Context, u bareUser, term string) error {
	where, arg := u.scope("c")
	var match string
	var targ any
	if b.sqlite && len([]rune(term)) >= 3 {
		match = `c.id IN (SELECT rowid FROM case_fts WHERE case_fts MATCH $2)`
		targ = `"` + strings.ReplaceAll(term, `"`, `""`) + `"`
	} else {
		match = `c.search_text LIKE $2 ESCAPE '\'`
		targ = "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(term) + "%"
	}
	where += " AND " + match
	if err := b.rows(ctx, caseColumns+` WHERE `+where+
		` ORDER BY c.received_on DESC, c.id DESC LIMIT $3`, arg, targ, pageRows); err != nil {
		return err
	}
	return b.count(ctx, `SELECT count(*) FROM (SELECT 1 FROM cases c WHERE `+where+` LIMIT $3) m`,
		arg, targ, searchCountCap+1)
}

// home mirrors the core of the home page for a case manager (web.home):
// the ten latest cases and the count of open ones. The page also counts
// pending and awaiting cases, findings and the board's colours.
func (b *bareDB) home(ctx context.Context, u bareUser) error {
	where, arg := u.scope("c")
	if err := b.rows(ctx, caseColumns+` WHERE `+where+
		` ORDER BY c.received_on DESC, c.id DESC LIMIT $2`, arg, 11); err != nil {
		return err
	}
	return b.count(ctx, `SELECT count(*) FROM cases c WHERE `+where+` AND c.status NOT IN ('closed', 'refused')`, arg)
}

// board mirrors store.Board with no filter (the first page of watched
// clocks, most urgent first, a range of index case_clocks_board) and the
// total of store.ClockCounts, the widest of the colour counts above it.
func (b *bareDB) board(ctx context.Context, u bareUser) error {
	where, arg := u.scope("k")
	where = "k.watched = TRUE AND " + where
	if err := b.rows(ctx, `SELECT k.id, k.case_id, k.kind, k.seq, k.start_on, k.due_on, k.yellow_on, k.orange_on,
		k.in_custody, k.beyond_calendar, k.case_name, k.stage_no, k.category, k.status, COALESCE(k.handler_id, 0),
		COALESCE(h.name, ''), COALESCE(k.department_id, 0), COALESCE(d.name, '')
		FROM case_clocks k LEFT JOIN users h ON h.id = k.handler_id LEFT JOIN departments d ON d.id = k.department_id
		WHERE `+where+` ORDER BY k.due_on, k.id LIMIT $2`, arg, pageRows); err != nil {
		return err
	}
	return b.count(ctx, `SELECT count(*) FROM case_clocks k WHERE `+where, arg)
}

// indicators mirrors the core of the indicator dashboard (store.StatsCachedSums
// over the daily cache, stats_daily): every measure summed over the unit's
// (or the upper supervisor's subtree's) days of the current year. The page
// also reads the monthly trend of each indicator and the unit's names.
func (b *bareDB) indicators(ctx context.Context, u bareUser) error {
	where, arg := u.scope("s")
	now := time.Now()
	return b.rows(ctx, `SELECT s.measure, SUM(s.value) FROM stats_daily s WHERE `+where+`
		AND s.day >= $2 AND s.day <= $3 GROUP BY s.measure`, arg, now.Format("2006")+"-01-01", now.Format(time.DateOnly))
}

// rows runs q and reads every column of every row, as the store's scans
// do: the engine has done its work only when the last row is read.
func (b *bareDB) rows(ctx context.Context, q string, args ...any) error {
	rows, err := b.db.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (b *bareDB) count(ctx context.Context, q string, args ...any) error {
	var n int64
	return b.db.QueryRowContext(ctx, q, args...).Scan(&n)
}
