package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/dataquality"
	"github.com/anguan/anguan/internal/monitor"
)

// QueryRowForTest exposes a raw query to the store's own tests.
func (db *DB) QueryRowForTest(ctx context.Context, q string, args ...any) *sql.Row {
	return db.r.QueryRowContext(ctx, q, args...)
}

// NamedQuery is one hot query with its arguments, for the plan test.
type NamedQuery struct {
	Name string
	SQL  string
	Args []any
	// Index, when set, is the index the plan must use: a partial index
	// the query reaches only by implying its condition.
	Index string
}

// HotQueriesForTest builds the SQL of the hot read paths exactly as the
// store methods do, for a unit's case manager (unit, user) and an upper
// supervisor over path.
func (db *DB) HotQueriesForTest(unit, user int64, path, today string) ([]NamedQuery, error) {
	own := access.Scope{UnitID: unit, UserID: user}
	upper := access.Scope{UnitPathPrefix: path, UserID: user}
	var out []NamedQuery
	add := func(name, q string, args []any, err error) error {
		if err != nil {
			return err
		}
		out = append(out, NamedQuery{Name: name, SQL: q, Args: args})
		return nil
	}
	q, a, err := db.listCasesQuery(own, casefile.Filter{Limit: 50})
	if err := add("case list, own unit", q, a, err); err != nil {
		return nil, err
	}
	q, a, err = db.listCasesQuery(upper, casefile.Filter{Limit: 50})
	if err := add("case list, upper supervisor", q, a, err); err != nil {
		return nil, err
	}
	q, a, err = db.listCasesQuery(own, casefile.Filter{Limit: 50, Status: "in_progress", Category: "prosecution_review"})
	if err := add("case list, status and category", q, a, err); err != nil {
		return nil, err
	}
	q, a, err = db.listCasesQuery(upper, casefile.Filter{Limit: 50, Query: "盗窃罪"})
	if err := add("case search", q, a, err); err != nil {
		return nil, err
	}
	// A handler's own cases and clocks: the handler indexes hold only
	// assigned rows (migration 0015), which handler_id = … implies.
	q, a, err = db.listCasesQuery(own, casefile.Filter{Limit: 50, HandlerID: user})
	if err := add("case list, a handler's own", q, a, err); err != nil {
		return nil, err
	}
	out[len(out)-1].Index = "cases_handler"
	q, a, err = boardQuery(upper, casefile.BoardFilter{Limit: 50, HandlerID: user}, today)
	if err := add("board, a handler's own", q, a, err); err != nil {
		return nil, err
	}
	out[len(out)-1].Index = "case_clocks_handler"
	q, a = db.countCasesQuery(own, casefile.Filter{})
	_ = add("case count, own unit", q, a, nil)
	_ = add("case detail", caseSelect+` WHERE c.id = $1`, []any{int64(1)}, nil)
	q, a, err = boardQuery(own, casefile.BoardFilter{Limit: 50}, today)
	if err := add("board, own unit", q, a, err); err != nil {
		return nil, err
	}
	q, a, err = boardQuery(own, casefile.BoardFilter{Limit: 50, Colour: "red"}, today)
	if err := add("board, red", q, a, err); err != nil {
		return nil, err
	}
	fs := access.FindingScope{UnitID: unit, UserID: user}
	q, a, err = problemsQuery(fs, dataquality.ProblemFilter{Limit: 50, Status: dataquality.StatusOpen})
	if err := add("data problems, own unit", q, a, err); err != nil {
		return nil, err
	}
	q, a, err = problemsQuery(access.FindingScope{UnitID: unit, HandlerID: user, UserID: user}, dataquality.ProblemFilter{Limit: 50})
	if err := add("data problems, a handler's own", q, a, err); err != nil {
		return nil, err
	}
	out[len(out)-1].Index = "case_cards_handler"
	// Inside every write of a case: its card, the cards of its unified
	// number and whether each has open problems, in one statement.
	_ = add("data problems: the card check of a case", sqlCardGroup, []any{int64(1)}, nil)
	q, a, err = findingsQuery(fs, monitor.Filter{Limit: 50})
	if err := add("monitoring findings, own unit", q, a, err); err != nil {
		return nil, err
	}
	return out, nil
}

// PlanForTest returns the engine's plan of q: EXPLAIN QUERY PLAN on
// SQLite; EXPLAIN on PostgreSQL with sequential scans priced out, so a
// sequential scan in the plan means no index can serve the query (a tiny
// test table would otherwise always be scanned).
func (db *DB) PlanForTest(ctx context.Context, q string, args ...any) ([]string, error) {
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var rows *sql.Rows
	if db.engine == Postgres {
		if _, err := tx.ExecContext(ctx, `SET LOCAL enable_seqscan = off`); err != nil {
			return nil, err
		}
		rows, err = tx.QueryContext(ctx, `EXPLAIN `+q, args...)
	} else {
		rows, err = tx.QueryContext(ctx, `EXPLAIN QUERY PLAN `+q, args...)
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out = append(out, fmt.Sprint(vals[len(vals)-1]))
	}
	return out, rows.Err()
}
