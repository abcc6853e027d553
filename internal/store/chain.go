package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
)

// stmt is one SQL statement with its arguments ($1… numbered from 1).
type stmt struct {
	q    string
	args []any
}

// execChain runs independent writes inside tx. On PostgreSQL they go as
// one statement — the first ones as data-modifying WITH clauses, the last
// as the main statement — because there every statement is a network
// round trip, and a durable intake was fifteen of them against the eight
// of the bare SQL of its rows. The writes of a chain must not read each
// other's rows (PostgreSQL runs them on one snapshot). On SQLite a
// statement is a function call, and each runs on its own, prepared once.
// Empty statements are skipped.
func (db *DB) execChain(ctx context.Context, tx *sql.Tx, parts ...stmt) error {
	parts = nonEmpty(parts)
	if db.engine != Postgres || len(parts) <= 1 {
		for _, p := range parts {
			if _, err := db.txExec(ctx, tx, p.q, p.args...); err != nil {
				return err
			}
		}
		return nil
	}
	q, args := chainSQL(parts)
	_, err := tx.ExecContext(ctx, q, args...)
	return err
}

func nonEmpty(parts []stmt) []stmt {
	out := parts[:0:0]
	for _, p := range parts {
		if p.q != "" {
			out = append(out, p)
		}
	}
	return out
}

// chainSQL joins statements into one PostgreSQL statement, renumbering
// each one's placeholders after those of the statements before it.
func chainSQL(parts []stmt) (string, []any) {
	var ctes []string
	var args []any
	var main string
	for i, p := range parts {
		q := shiftPlaceholders(p.q, len(args))
		args = append(args, p.args...)
		if i == len(parts)-1 {
			main = q
			break
		}
		ctes = append(ctes, "w"+strconv.Itoa(i)+" AS ("+q+")")
	}
	return "WITH " + strings.Join(ctes, ", ") + " " + main, args
}

// shiftPlaceholders adds offset to every placeholder ($n) of q. Our statements hold
// no literal dollar signs.
func shiftPlaceholders(q string, offset int) string {
	if offset == 0 {
		return q
	}
	var b strings.Builder
	for i := 0; i < len(q); i++ {
		b.WriteByte(q[i])
		if q[i] != '$' {
			continue
		}
		j := i + 1
		for j < len(q) && q[j] >= '0' && q[j] <= '9' {
			j++
		}
		if n, err := strconv.Atoi(q[i+1 : j]); err == nil {
			b.WriteString(strconv.Itoa(n + offset))
			i = j - 1
		}
	}
	return b.String()
}
