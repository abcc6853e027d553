package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/casecard"
	"github.com/anguan/anguan/internal/dataquality"
)

// cardItems are the item columns of case_cards in casecard.Card order,
// shared by every read and write so the two never disagree.
const cardItems = `stage_no, uniform_no, category, name, department, handler, handler_id, transferring_organ,
	charges, received_on, suspect_name, suspect_id, custody, measure, plea, plea_signed_on, sentencing,
	sentencing_adopted, fast_track, minor, returns, extensions, decision, decided_on, doc_no, closed_on, entered_on`

const cardItemCount = 27

// cardSelect reads a card with its unit's level (k is the card alias).
const cardSelect = `SELECT ` + cardColumns + cardFrom

const cardColumns = `k.id, k.unit_id, u.level, k.source, COALESCE(k.case_id, 0), k.stage_no, k.uniform_no,
	k.category, k.name, k.department, k.handler, COALESCE(k.handler_id, 0), k.transferring_organ, k.charges,
	k.received_on, k.suspect_name, k.suspect_id, k.custody, k.measure, k.plea, k.plea_signed_on, k.sentencing,
	k.sentencing_adopted, k.fast_track, k.minor, k.returns, k.extensions, k.decision, k.decided_on, k.doc_no,
	k.closed_on, k.entered_on`

const cardFrom = `
	FROM case_cards k JOIN units u ON u.id = k.unit_id`

type rowScanner interface{ Scan(...any) error }

func scanCard(r rowScanner) (casecard.Card, error) { return scanCardWith(r) }

// scanCardWith reads the columns of cardSelect, then extra columns into
// more.
func scanCardWith(r rowScanner, more ...any) (casecard.Card, error) {
	var c casecard.Card
	err := r.Scan(append([]any{&c.ID, &c.UnitID, &c.UnitLevel, &c.Source, &c.CaseID, &c.StageNo, &c.UniformNo,
		&c.Category, &c.Name, &c.Department, &c.Handler, &c.HandlerID, &c.TransferringOrgan, &c.Charges, &c.ReceivedOn,
		&c.SuspectName, &c.SuspectID, &c.Custody, &c.Measure, &c.Plea, &c.PleaSignedOn, &c.Sentencing,
		&c.SentencingAdopted, &c.FastTrack, &c.Minor, &c.Returns, &c.Extensions, &c.Decision, &c.DecidedOn, &c.DocNo,
		&c.ClosedOn, &c.EnteredOn}, more...)...)
	return c, err
}

func cardItemValues(c casecard.Card) []any {
	return []any{c.StageNo, c.UniformNo, c.Category, c.Name, c.Department, c.Handler, nullID(c.HandlerID),
		c.TransferringOrgan, c.Charges, c.ReceivedOn, c.SuspectName, c.SuspectID, c.Custody, c.Measure, c.Plea,
		c.PleaSignedOn, c.Sentencing, c.SentencingAdopted, c.FastTrack, c.Minor, c.Returns, c.Extensions, c.Decision,
		c.DecidedOn, c.DocNo, c.ClosedOn, c.EnteredOn}
}

// sqlProjectCards writes the card of every case the WHERE clause (%s)
// selects, from the case, its first suspect, its decision event and the
// national card's words in card_vocab. Criminal flags are '是'/'否';
// civil categories leave them blank, as their cards have no such items.
// Items anguan's case form does not collect stay blank; the rules that
// check them apply to imported cards only.
const sqlProjectCards = `INSERT INTO case_cards (unit_id, source, case_id, sealed, ` + cardItems + `, created_at, updated_at)
	SELECT c.unit_id, 'case', c.id, c.sealed, c.stage_no, COALESCE(c.uniform_no, ''), c.category, c.name,
		COALESCE(d.name, ''), COALESCE(h.name, ''), c.handler_id, c.transferring_organ, c.charges, c.received_on,
		COALESCE(p.name, ''), COALESCE(CASE WHEN p.id_type = 'resident_id' THEN p.id_number END, ''),
		CASE WHEN NOT cat.criminal THEN ''
			WHEN EXISTS (SELECT 1 FROM parties x WHERE x.case_id = c.id AND x.custody) THEN '是' ELSE '否' END,
		COALESCE(mv.name, ''),
		CASE WHEN NOT cat.criminal THEN '' WHEN c.plea THEN '是' ELSE '否' END, '', '', '',
		CASE WHEN NOT cat.criminal THEN '' WHEN c.fast_track THEN '是' ELSE '否' END,
		CASE WHEN NOT cat.criminal THEN '' WHEN c.minor THEN '是' ELSE '否' END,
		c.returns, c.extensions, COALESCE(dv.name, ''),
		COALESCE((SELECT MAX(e.occurred_on) FROM case_events e WHERE e.case_id = c.id AND e.code = 'decided'), ''),
		'', c.closed_on, '', $1, $1
	FROM cases c
	JOIN categories cat ON cat.code = c.category
	LEFT JOIN departments d ON d.id = c.department_id
	LEFT JOIN users h ON h.id = c.handler_id
	LEFT JOIN parties p ON p.case_id = c.id
		AND p.seq = (SELECT MIN(y.seq) FROM parties y WHERE y.case_id = c.id AND y.role = 'suspect')
	LEFT JOIN card_vocab mv ON mv.vocab = 'measure' AND mv.code = p.measure
	LEFT JOIN card_vocab dv ON dv.vocab = 'decision' AND dv.code = c.decision
	WHERE c.stage_no IS NOT NULL AND %s
	ON CONFLICT (case_id) DO UPDATE SET sealed = excluded.sealed, uniform_no = excluded.uniform_no,
		category = excluded.category, name = excluded.name, department = excluded.department,
		handler = excluded.handler, handler_id = excluded.handler_id,
		transferring_organ = excluded.transferring_organ, charges = excluded.charges,
		received_on = excluded.received_on, suspect_name = excluded.suspect_name, suspect_id = excluded.suspect_id,
		custody = excluded.custody, measure = excluded.measure, plea = excluded.plea,
		fast_track = excluded.fast_track, minor = excluded.minor, returns = excluded.returns,
		extensions = excluded.extensions, decision = excluded.decision, decided_on = excluded.decided_on,
		closed_on = excluded.closed_on, updated_at = excluded.updated_at, version = case_cards.version + 1`

// syncCaseCard rewrites the card of one case inside the transaction that
// changed the case. An imported card that already holds the case's stage
// number becomes the case's card: the office now keeps that stage in
// anguan, and its problems stay attached to the same card.
func (db *DB) syncCaseCard(ctx context.Context, tx *sql.Tx, caseID int64) error {
	if _, err := db.txExec(ctx, tx, sqlTakeOverCard, caseID); err != nil {
		return err
	}
	return db.projectCaseCard(ctx, tx, caseID)
}

// projectCaseCard rewrites and checks the card of a case whose imported
// card, if any, is already taken over (see takeOverStmt).
func (db *DB) projectCaseCard(ctx context.Context, tx *sql.Tx, caseID int64) error {
	check := db.cardCheck.Load()
	if check == nil {
		_, err := db.txExec(ctx, tx, projectCaseSQL(), db.ms(), caseID)
		return err
	}
	var rows *sql.Rows
	var err error
	if db.engine == Postgres {
		rows, err = db.txQuery(ctx, tx, projectCardGroupSQL(), db.ms(), caseID)
	} else if _, err = db.txExec(ctx, tx, projectCaseSQL(), db.ms(), caseID); err == nil {
		rows, err = db.txQuery(ctx, tx, sqlCardGroup, caseID)
	}
	if err != nil {
		return err
	}
	return db.checkCaseCard(ctx, tx, caseID, *check, rows)
}

// takeOverStmt is sqlTakeOverCard for a case whose stage number the caller
// knows, so it can join the statements that write a new case's rows (a
// new case is not visible to those statements on PostgreSQL). Empty when
// the case has no stage number.
func takeOverStmt(caseID int64, stageNo string) stmt {
	if stageNo == "" {
		return stmt{}
	}
	return stmt{`UPDATE case_cards SET case_id = $1, source = 'case' WHERE case_id IS NULL AND stage_no = $2`,
		[]any{caseID, stageNo}}
}

// CardCheck checks the card of a case against the data-quality rules;
// group is every card of its unified case number as the transaction sees
// them, the card included.
type CardCheck func(card casecard.Card, group []casecard.Card) dataquality.TxCheck

// SetCardCheck installs the check run inside every transaction that
// rewrites a case's card (the wiring passes the data-quality service's);
// nil removes it.
func (db *DB) SetCardCheck(fn CardCheck) {
	if fn == nil {
		db.cardCheck.Store(nil)
		return
	}
	db.cardCheck.Store(&fn)
}

// cardHasProblems is a column of the card check's reads: whether card k
// has active problems.
const cardHasProblems = `, EXISTS (SELECT 1 FROM dq_problems p WHERE p.card_id = k.id AND p.status <> 'fixed')`

// sqlCardGroup reads, in one statement, the card of a case ($1) and every
// card of its unified number, each with whether it has active problems.
const sqlCardGroup = `SELECT ` + cardColumns + cardHasProblems + cardFrom + `
	WHERE k.case_id = $1 OR k.uniform_no = (SELECT s.uniform_no FROM case_cards s WHERE s.case_id = $1 AND s.uniform_no <> '')`

// projectCardGroupSQL is the projection of one case's card ($2) and
// sqlCardGroup in one round trip (PostgreSQL only: SQLite has no INSERT
// inside WITH). The new card comes from RETURNING, the others from the
// statement's snapshot, which does not see the new card.
func projectCardGroupSQL() string {
	return `WITH projected AS (` + projectCaseSQL() + ` RETURNING *)
	SELECT ` + cardColumns + cardHasProblems + ` FROM projected k JOIN units u ON u.id = k.unit_id
	UNION ALL
	SELECT ` + cardColumns + cardHasProblems + cardFrom + `
	WHERE k.uniform_no = (SELECT uniform_no FROM projected) AND k.uniform_no <> '' AND k.case_id IS DISTINCT FROM $2`
}

// checkCaseCard checks the card just rewritten and reconciles its problem
// list in the same transaction, so a card and its problems commit
// together. The check used to run after the commit: it read the card back
// through a reader connection whose cache the commit had just made stale,
// and committed a second time when problems opened or closed — a tenth of
// a durable intake. The common case (no hits, no open problems) costs one
// read (on PostgreSQL, none beyond the projection). rows are those of
// sqlCardGroup. A case without a stage number has no card.
func (db *DB) checkCaseCard(ctx context.Context, tx *sql.Tx, caseID int64, check CardCheck, rows *sql.Rows) error {
	var card casecard.Card
	var group []casecard.Card
	var active bool
	for rows.Next() {
		var has bool
		c, err := scanCardWith(rows, &has)
		if err != nil {
			rows.Close()
			return err
		}
		if c.CaseID == caseID {
			card, active = c, has
		}
		group = append(group, c)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if card.ID == 0 {
		return nil
	}
	c := check(card, group)
	if !active && len(c.Result.Hits) == 0 {
		return nil
	}
	results := []dataquality.CardResult{c.Result}
	open, err := activeProblems(ctx, tx, []int64{card.ID})
	if err != nil || !changesNeeded(results, open) {
		return err
	}
	out, err := db.applyHits(ctx, tx, results, open, c.Today)
	if err != nil || out.Opened+out.Fixed == 0 {
		return err
	}
	return db.appendAudit(ctx, tx, appliedRecord(c.Audit, len(results), out))
}

// sqlTakeOverCard gives an imported card holding a case's stage number to
// the case.
const sqlTakeOverCard = `UPDATE case_cards SET case_id = $1, source = 'case'
	WHERE case_id IS NULL AND stage_no = (SELECT stage_no FROM cases WHERE id = $1)`

// projectCaseSQL projects the card of one case ($2). Both statements run
// in every write of a case, so they are prepared once (see warm).
func projectCaseSQL() string { return fmt.Sprintf(sqlProjectCards, "c.id = $2") }

// SyncCaseCards projects every case whose card is missing or older than
// the case: the backfill after an upgrade and the nightly safety net
// before a full scan. It returns how many cards it wrote.
func (db *DB) SyncCaseCards(ctx context.Context) (int64, error) {
	var n int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, fmt.Sprintf(sqlProjectCards, `NOT EXISTS (SELECT 1 FROM case_cards k
			WHERE k.case_id = c.id AND k.updated_at >= c.updated_at)
			AND NOT EXISTS (SELECT 1 FROM case_cards s WHERE s.stage_no = c.stage_no AND s.case_id IS NULL)`), db.ms())
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// Card reads one card.
func (db *DB) Card(ctx context.Context, id int64) (casecard.Card, error) {
	c, err := scanCard(db.r.QueryRowContext(ctx, cardSelect+` WHERE k.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, apperr.ErrNotFound
	}
	return c, err
}

// CardScopeFacts gives whether a card belongs to a sealed case (CPL 286:
// only its handler may read it) and its unit's path.
func (db *DB) CardScopeFacts(ctx context.Context, id int64) (bool, string, error) {
	var sealed bool
	var path string
	err := db.r.QueryRowContext(ctx, `SELECT k.sealed, u.path FROM case_cards k JOIN units u ON u.id = k.unit_id
		WHERE k.id = $1`, id).Scan(&sealed, &path)
	if errors.Is(err, sql.ErrNoRows) {
		return false, "", apperr.ErrNotFound
	}
	return sealed, path, err
}

// CardByCase reads the card of an anguan case.
func (db *DB) CardByCase(ctx context.Context, caseID int64) (casecard.Card, bool, error) {
	c, err := scanCard(db.hot().QueryRowContext(ctx, cardSelect+` WHERE k.case_id = $1`, caseID))
	if errors.Is(err, sql.ErrNoRows) {
		return c, false, nil
	}
	return c, err == nil, err
}

// CardVersion reads a card's version (optimistic locking of corrections).
func (db *DB) CardVersion(ctx context.Context, id int64) (int, error) {
	var v int
	err := db.r.QueryRowContext(ctx, `SELECT version FROM case_cards WHERE id = $1`, id).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, apperr.ErrNotFound
	}
	return v, err
}

// CardsByStage reads the cards holding any of the stage numbers.
func (db *DB) CardsByStage(ctx context.Context, stageNos []string) (map[string]casecard.Card, error) {
	out := make(map[string]casecard.Card, len(stageNos))
	err := db.cardsIn(ctx, "k.stage_no", stageNos, func(c casecard.Card) { out[c.StageNo] = c })
	return out, err
}

// CardsByUniform reads every card of the unified case numbers: the related
// cards a rule compares across stages and units.
func (db *DB) CardsByUniform(ctx context.Context, uniformNos []string) ([]casecard.Card, error) {
	var out []casecard.Card
	err := db.cardsIn(ctx, "k.uniform_no", uniformNos, func(c casecard.Card) { out = append(out, c) })
	return out, err
}

// cardsIn reads cards whose column is in values, in chunks that stay under
// both engines' parameter limits.
func (db *DB) cardsIn(ctx context.Context, column string, values []string, fn func(casecard.Card)) error {
	const chunk = 500
	for len(values) > 0 {
		n := min(chunk, len(values))
		part := values[:n]
		values = values[n:]
		marks := make([]string, len(part))
		args := make([]any, len(part))
		for i, v := range part {
			marks[i], args[i] = "$"+itoa(int64(i+1)), v
		}
		rows, err := db.hot().QueryContext(ctx, cardSelect+` WHERE `+column+` IN (`+strings.Join(marks, ", ")+`)`, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			c, err := scanCard(rows)
			if err != nil {
				rows.Close()
				return err
			}
			fn(c)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// UnitUsers maps the names of a unit's users to their ids, so an imported
// card's handler (a name) reaches that person's problem list. A name two
// users share maps to 0: the card stays with the office rather than go to
// the wrong person.
func (db *DB) UnitUsers(ctx context.Context, unitID int64) (map[string]int64, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id, name FROM users WHERE unit_id = $1 AND NOT disabled`, unitID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		if _, dup := out[name]; dup {
			out[name] = 0
			continue
		}
		out[name] = id
	}
	return out, rows.Err()
}
