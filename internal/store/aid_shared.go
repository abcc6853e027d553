package store

import (
	"context"
	"database/sql"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/aid"
	"github.com/anguan/anguan/internal/evaluation"
)

// What an aided unit shares with the aiding side under the agreement:
// the review of its evaluated cases and its problem lists, both without
// a case number, a name or a handler, and never from a sealed record
// (CPL 286: the scope's UserID 0 is nobody's handler).

// AidSharedReviews summarises the unit's evaluation records graded in
// [from, to]: how many, how many with flaws or serious problems, and the
// checklist items found wanting, most frequent first.
func (db *DB) AidSharedReviews(ctx context.Context, unitID int64, from, to string, limit int) (aid.ReviewSummary, error) {
	s := access.QualityScope{UnitID: unitID}
	f := evaluation.StatsFilter{From: from, To: to}
	w := evalStatsWhere(s, f, "r.final_on")
	w.add("r.final_grade <> ''")
	var out aid.ReviewSummary
	if err := db.r.QueryRowContext(ctx, `SELECT count(*),
		COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM evaluation_record_items i WHERE i.record_id = r.id
			AND i.class IN ('flaw', 'serious') AND i.overturned = FALSE) THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM evaluation_record_items i WHERE i.record_id = r.id
			AND i.class = 'serious' AND i.overturned = FALSE) THEN 1 ELSE 0 END), 0)`+evalStatsFrom+` WHERE `+w.sql(),
		w.args...).Scan(&out.Records, &out.WithProblems, &out.WithSerious); err != nil {
		return aid.ReviewSummary{}, err
	}
	items, err := db.EvaluationFindingCounts(ctx, s, f, limit)
	if err != nil {
		return aid.ReviewSummary{}, err
	}
	for _, c := range items {
		out.Items = append(out.Items, aid.ReviewItem{Code: c.ItemCode, Title: c.Title, Aspect: string(c.Aspect),
			Flaws: c.Flaws, Serious: c.Serious, Records: c.Records})
	}
	return out, nil
}

// aidProblemsFrom is the unit's data-quality problems and monitoring
// findings detected in the period, of unsealed cases only, as one
// relation: source, rule, the item or area, severity, the case's
// category, status, the day detected and (data quality) the rule's title.
func (db *DB) aidProblemsFrom() string {
	title := `json_extract(q.data, '$.title')`
	if db.engine == Postgres {
		title = `(q.data::jsonb)->>'title'`
	}
	return ` FROM (
		SELECT 'dataquality' AS source, p.rule_id, p.item AS what, p.severity, k.category, p.status, p.detected_on,
			COALESCE(` + title + `, '') AS title, p.id AS id
		FROM dq_problems p JOIN case_cards k ON k.id = p.card_id
		LEFT JOIN dq_rules q ON q.rule_id = p.rule_id AND q.version = p.rule_version
		WHERE p.unit_id = $1 AND k.sealed = FALSE AND p.detected_on >= $2 AND p.detected_on <= $3
		UNION ALL
		SELECT 'monitor', f.rule_id, f.area, f.severity, c.category, f.status, f.detected_on, '', f.id
		FROM monitor_findings f JOIN cases c ON c.id = f.case_id
		WHERE f.unit_id = $1 AND c.sealed = FALSE AND f.detected_on >= $2 AND f.detected_on <= $3) x`
}

// AidSharedProblems lists the unit's problems of the period, newest
// first, at most limit, with how many there are in all.
func (db *DB) AidSharedProblems(ctx context.Context, unitID int64, from, to string, limit int) ([]aid.SharedProblem, int, error) {
	from3 := db.aidProblemsFrom()
	var total int
	if err := db.r.QueryRowContext(ctx, `SELECT count(*)`+from3, unitID, from, to).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := db.r.QueryContext(ctx, `SELECT x.source, x.rule_id, x.what, x.severity, x.category, COALESCE(g.name, x.category),
		x.status, x.detected_on, x.title`+from3+` LEFT JOIN categories g ON g.code = x.category
		ORDER BY x.detected_on DESC, x.source, x.id DESC LIMIT $4`, unitID, from, to, limit)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []aid.SharedProblem
	for rows.Next() {
		var p aid.SharedProblem
		var title sql.NullString
		if err := rows.Scan(&p.Source, &p.RuleID, &p.What, &p.Severity, &p.Category, &p.CategoryName, &p.Status,
			&p.DetectedOn, &title); err != nil {
			return nil, 0, err
		}
		p.Title = title.String
		out = append(out, p)
	}
	return out, total, rows.Err()
}
