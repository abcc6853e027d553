package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/casefile"
)

// caseWhere turns an access scope and a filter into SQL. The scope is
// always applied: a caller cannot list what it may not see.
func (db *DB) caseWhere(s access.Scope, f casefile.Filter) (string, []any) {
	var w where
	add := w.add
	if s.UnitID != 0 {
		add("c.unit_id = $%d", s.UnitID)
	} else {
		add("c.unit_id IN (SELECT id FROM units WHERE path LIKE $%d)", s.UnitPathPrefix+"%")
	}
	// Sealed juvenile records (CPL 286) appear only to their handler.
	// Written as CASE, not OR: SQLite planned the OR as two index scans
	// merged (MULTI-INDEX OR) and counted an upper supervisor's 300,000
	// cases in 180 ms instead of a covering index range in 15 ms.
	add("CASE WHEN c.sealed THEN c.handler_id = $%d ELSE TRUE END", s.UserID)
	if f.Category != "" {
		add("c.category = $%d", f.Category)
	}
	if f.Status != "" {
		add("c.status = $%d", f.Status)
	}
	if f.OpenOnly {
		add("c.status NOT IN ('closed', 'refused')")
	}
	if f.HandlerID != 0 {
		add("c.handler_id = $%d", f.HandlerID)
	}
	if f.ReceivedFrom != "" {
		add("c.received_on >= $%d", f.ReceivedFrom)
	}
	if f.ReceivedTo != "" {
		add("c.received_on <= $%d", f.ReceivedTo)
	}
	if f.Query != "" {
		if db.engine == SQLite && len([]rune(f.Query)) >= 3 {
			// FTS5 trigram; the query is one quoted phrase so no operator
			// in user input is interpreted.
			add("c.id IN (SELECT rowid FROM case_fts WHERE case_fts MATCH $%d)", `"`+strings.ReplaceAll(f.Query, `"`, `""`)+`"`)
		} else {
			// Under three characters the trigram index cannot help; on
			// PostgreSQL pg_trgm serves LIKE directly.
			add(`c.search_text LIKE $%d ESCAPE '\'`, "%"+escapeLike(f.Query)+"%")
		}
	}
	return w.sql(), w.args
}

func escapeLike(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// ListCases returns one page in received order (newest first) and the
// cursor of the next page ("" at the end).
func (db *DB) ListCases(ctx context.Context, s access.Scope, f casefile.Filter) ([]casefile.Case, string, error) {
	q, args, err := db.listCasesQuery(s, f)
	if err != nil {
		return nil, "", err
	}
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, "", err
	}
	return keysetPage(rows, f.Limit, func(r *sql.Rows) (casefile.Case, error) { return scanCase(r) },
		func(c casefile.Case) (string, int64) { return c.ReceivedOn, c.ID })
}

// listCasesQuery is the SQL of ListCases (also planned by the plan test).
func (db *DB) listCasesQuery(s access.Scope, f casefile.Filter) (string, []any, error) {
	where, args := db.caseWhere(s, f)
	if f.After != "" {
		recv, id, err := decodeCursor(f.After)
		if err != nil {
			return "", nil, apperr.Invalid("next", "err.cursor_invalid")
		}
		args = append(args, recv, id)
		where += fmt.Sprintf(" AND (c.received_on < $%d OR (c.received_on = $%d AND c.id < $%d))",
			len(args)-1, len(args)-1, len(args))
	}
	args = append(args, f.Limit+1)
	// The page's ids first, from the covering index cases_unit_list (a
	// top-N sort of index entries even over a province's cases), then
	// the page's rows and names by id.
	return caseSelect + ` WHERE c.id IN (SELECT c.id FROM cases c WHERE ` + where +
		fmt.Sprintf(` ORDER BY c.received_on DESC, c.id DESC LIMIT $%d)`, len(args)) +
		` ORDER BY c.received_on DESC, c.id DESC`, args, nil
}

// CountCases counts with the same scope and filter as ListCases. A text
// search counts at most casefile.CountCap+1 matches: a one- or two-character
// query cannot use the trigram index, and an exact total of a broad search
// is worth less than a fast page.
func (db *DB) CountCases(ctx context.Context, s access.Scope, f casefile.Filter) (int, error) {
	q, args := db.countCasesQuery(s, f)
	var n int
	err := db.r.QueryRowContext(ctx, q, args...).Scan(&n)
	return n, err
}

// countCasesQuery is the SQL of CountCases.
func (db *DB) countCasesQuery(s access.Scope, f casefile.Filter) (string, []any) {
	where, args := db.caseWhere(s, f)
	if f.Query != "" {
		args = append(args, casefile.CountCap+1)
		return fmt.Sprintf(`SELECT count(*) FROM (SELECT 1 FROM cases c WHERE %s LIMIT $%d) m`, where, len(args)), args
	}
	return `SELECT count(*) FROM cases c WHERE ` + where, args
}

func encodeCursor(recv string, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(recv + "|" + itoa(id)))
}

func decodeCursor(s string) (string, int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return "", 0, err
	}
	recv, idText, ok := strings.Cut(string(b), "|")
	if !ok || len(recv) != 10 {
		return "", 0, fmt.Errorf("bad cursor")
	}
	id, err := strconv.ParseInt(idText, 10, 64)
	return recv, id, err
}
